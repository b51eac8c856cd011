"""Copy Leaflet from the installed ``django-js-lib-leaflet`` wheel into ``static/leaflet`` (see geo/leaflet.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: run as a script, before settings

from geo import leaflet

if __name__ == "__main__":
    try:
        leaflet.install()
    except leaflet.LeafletMissing as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
    print("Leaflet copied to static/leaflet")
