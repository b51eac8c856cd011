"""Leaflet served by the app itself (no CDN): its JS, CSS and images are copied from the installed
``django-js-lib-leaflet`` wheel into ``static/leaflet``, which Streamlit serves at ``/app/static/leaflet/``
(``enableStaticServing``). Nothing is downloaded here and nothing is committed: pip brought the files."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

import settings

STATIC_LEAFLET = settings.REPO_ROOT / "static" / "leaflet"
PACKAGE = "js_lib_leaflet"  # module of the django-js-lib-leaflet wheel
FILES = ("leaflet.js", "leaflet.css")


class LeafletMissing(RuntimeError):
    """Leaflet is neither in ``static/leaflet`` nor installed as a package; the message says what to run."""


def installed(target: Path | None = None) -> bool:
    return all(((target or STATIC_LEAFLET) / name).is_file() for name in FILES)


def install(target: Path | None = None) -> Path:
    """Copy Leaflet into ``target`` (idempotent). Raises :class:`LeafletMissing` when the package is absent."""
    target = target or STATIC_LEAFLET
    try:
        source = Path(str(files(PACKAGE))) / "static" / "js_lib_leaflet"
    except ModuleNotFoundError as exc:
        raise LeafletMissing(
            "The map library (Leaflet) is not installed, so the map cannot be drawn. "
            "Start the app with `make run`, which installs everything it needs."
        ) from exc
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copy2(source / name, target / name)
    shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)
    return target


def ensure(target: Path | None = None) -> None:
    """Install Leaflet into ``target`` unless it is there already (the app does this itself on start)."""
    if not installed(target):
        install(target)
