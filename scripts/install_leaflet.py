"""Copy Leaflet's JS, CSS and images from the installed ``django-js-lib-leaflet`` wheel into ``static/leaflet``,
which Streamlit serves at ``/app/static/leaflet/`` (enableStaticServing). Nothing is downloaded here and
nothing is committed: pip brought the files from PyPI."""

import shutil
import sys
from importlib.resources import files
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "static" / "leaflet"


def main() -> int:
    try:
        source = Path(str(files("js_lib_leaflet"))) / "static" / "js_lib_leaflet"
    except ModuleNotFoundError:
        print("django-js-lib-leaflet is not installed: run pip install -r requirements.txt", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(source / name, TARGET / name)
    shutil.copytree(source / "images", TARGET / "images", dirs_exist_ok=True)
    print(f"Leaflet copied to {TARGET.relative_to(TARGET.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
