"""The app's settings: where things live, and every environment variable the app reads (read here, nowhere else).

Each function reads the environment when it is called, not once at import: tests set a variable for one test
(``monkeypatch.setenv``) and the next call sees it. Reading is cheap. The README's Configuration table lists
every variable (a test checks it). Importable without Streamlit; imports nothing of the project.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent
SNAPSHOT_DIR = REPO_ROOT / "data" / "snapshot"
"""The committed snapshot (what :func:`snapshot_dir` returns unless a variable points elsewhere)."""


def _env(name: str) -> str | None:
    """The variable ``name``, or None when it is unset or empty."""
    return os.environ.get(name) or None


def raw_data_dir() -> Path:
    """``EQUITY_RAW_DATA``: the folder of raw public inputs that ``data.build`` and ``data.refresh`` read;
    default ``../shared/data`` beside the repository."""
    value = _env("EQUITY_RAW_DATA")
    return Path(value) if value else REPO_ROOT.parent / "shared" / "data"


def snapshot_dir() -> Path:
    """``EQUITY_SNAPSHOT_DIR``: the processed snapshot folder the app reads and the build writes; default
    ``data/snapshot`` (tests point it at a copy)."""
    value = _env("EQUITY_SNAPSHOT_DIR")
    return Path(value) if value else SNAPSHOT_DIR


def database_url() -> str:
    """``EQUITY_DATABASE_URL``: the SQLAlchemy URL of the council-notes database (SQLite or PostgreSQL);
    default the git-ignored file ``instance/equity.db``."""
    return _env("EQUITY_DATABASE_URL") or f"sqlite:///{REPO_ROOT / 'instance' / 'equity.db'}"


def trusted_proxies() -> int:
    """``EQUITY_TRUSTED_PROXIES``: how many reverse proxies the app is behind that append the address they saw to
    ``X-Forwarded-For`` (nginx's ``$proxy_add_x_forwarded_for``); sign-in limits then count a browser by the
    address the outermost trusted proxy saw. Default 0: the address of the connection itself. A value that is not
    a whole number counts as 0."""
    value = _env("EQUITY_TRUSTED_PROXIES") or "0"
    return int(value) if value.isdigit() else 0


def map_tiles() -> str | None:
    """``EQUITY_MAP_TILES``: a folium tile name for a background map (e.g. ``OpenStreetMap`` or
    ``CartoDB positron``); none by default, so the map works with no internet access."""
    return _env("EQUITY_MAP_TILES")


def boundaries_file() -> Path | None:
    """``EQUITY_BOUNDARIES_FILE``: a GeoJSON file the app serves instead of the snapshot's simplified
    boundaries (the bench points it at the unsimplified ones); None when unset."""
    value = _env("EQUITY_BOUNDARIES_FILE")
    return Path(value) if value else None


def census_api_key() -> str | None:
    """``CENSUS_API_KEY``: a Census API key for ``data.refresh`` (higher rate limits), from the environment or
    else from ``.streamlit/secrets.toml``; None without one (the API works without a key at a low rate)."""
    name = "CENSUS_API_KEY"
    value = _env(name)
    if value:
        return value
    secrets = REPO_ROOT / ".streamlit" / "secrets.toml"
    if secrets.is_file():
        try:
            return tomllib.loads(secrets.read_text()).get(name)
        except tomllib.TOMLDecodeError:
            return None
    return None


def _listed(value: str | None) -> frozenset[str]:
    """A comma-separated list as a set of its lower-case items, without blanks."""
    return frozenset(item.strip().lower() for item in (value or "").split(",") if item.strip())


def city_staff_emails() -> frozenset[str]:
    """``EQUITY_CITY_STAFF_EMAILS``: comma-separated e-mail addresses (any case) that the City's sign-in gives the
    staff role; none by default."""
    return _listed(_env("EQUITY_CITY_STAFF_EMAILS"))


def city_staff_group() -> str | None:
    """``EQUITY_CITY_STAFF_GROUP``: the group whose members the City's sign-in gives the staff role (as the
    identity provider names it in the groups claim); none by default."""
    return _env("EQUITY_CITY_STAFF_GROUP")


def city_council_emails() -> frozenset[str]:
    """``EQUITY_CITY_COUNCIL_EMAILS``: comma-separated e-mail addresses (any case) that the City's sign-in lets read
    council-only notes (the viewer role); none by default."""
    return _listed(_env("EQUITY_CITY_COUNCIL_EMAILS"))


def city_council_group() -> str | None:
    """``EQUITY_CITY_COUNCIL_GROUP``: the group whose members the City's sign-in lets read council-only notes (the
    viewer role); none by default."""
    return _env("EQUITY_CITY_COUNCIL_GROUP")


def city_groups_claim() -> str:
    """``EQUITY_CITY_GROUPS_CLAIM``: the ID-token claim that lists a person's groups; default ``groups``."""
    return _env("EQUITY_CITY_GROUPS_CLAIM") or "groups"


WORKER_VARIABLES = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "TMPDIR")  # all an upload worker needs to start


def worker_environment() -> dict[str, str]:
    """The environment an upload worker (notes.sandbox) starts with: what Python needs to start, none of the
    server's secrets (the database URL and its password, the cookie secret, API keys)."""
    return {name: os.environ[name] for name in WORKER_VARIABLES if name in os.environ}
