"""Cached loaders. Each cached function takes everything it depends on as arguments (the snapshot folder,
the database URL), so a test that points the app at another folder gets fresh data without clearing caches.

The public functions read the settings (:func:`settings.snapshot_dir`, :func:`settings.database_url`)
and pass them in as strings, which Streamlit can hash.
"""

from __future__ import annotations

import functools
import json
import time
from pathlib import Path

import streamlit as st

from data import snapshot
from data.errors import SnapshotDamaged, SnapshotProblem
from data.geographies import DEFAULT as DEFAULT_GEOGRAPHY
from data.geographies import GEOGRAPHIES
from data.place_table import PlaceTable, boundaries_of, read_place_table
from geo import maps
from settings import boundaries_file, database_url, snapshot_dir
from ui import format as fmt
from ui.i18n import current
from ui.words import spoken_names


def _folder() -> str:
    return str(snapshot_dir())


@st.cache_data(show_spinner=False)
def _manifest(folder: str) -> dict:
    return snapshot.read_manifest(folder)


@st.cache_resource(show_spinner=False, max_entries=16)  # one shared, read-only copy per period and geography
def _place_table(folder: str, version: str, vintage: str, geography: str, language: str) -> PlaceTable:
    table = read_place_table(folder, vintage, GEOGRAPHIES[geography], _manifest(folder))
    names = spoken_names(table.geography, table.rows.index)  # in ``language`` (part of the key when it matters)
    return table if names is None else table.named(names)


@st.cache_resource(show_spinner=False, max_entries=8)  # one shared copy, never changed by its readers
def _boundaries(path: str, geography: str, language: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        geojson = boundaries_of(json.load(handle), GEOGRAPHIES[geography])
    names = spoken_names(GEOGRAPHIES[geography], [f["properties"]["number"] for f in geojson["features"]])
    if names is None:
        return geojson
    features = [{**f, "properties": {**f["properties"], "name": names[int(f["properties"]["number"])]}}
                for f in geojson["features"]]  # fmt: skip
    return {**geojson, "features": features}


def _names_language(geography: str) -> str:
    """The reader's language where a geography's place names are words ("Ward 20"), else "" (one copy for all)."""
    return current() if spoken_names(GEOGRAPHIES[geography], [1]) is not None else ""


@functools.lru_cache(maxsize=8)  # not Streamlit's cache: the health check (ui.routes) asks outside any page
def _snapshot_problem(folder: str, signature: tuple) -> SnapshotDamaged | None:
    try:
        snapshot.verify(folder)
    except SnapshotDamaged as exc:
        return exc
    return None


RECENT_NS = 2_000_000_000  # a file changed less than this long ago may change again within the same clock tick


def snapshot_signature(folder: Path, now_ns: int | None = None) -> tuple:
    """What the cached verification of ``folder`` is keyed on: each file's name, size, modification time, inode
    and status-change time. An editor can restore a file's size and modification time (``os.utime``) but not its
    status-change time nor, when it writes a new file, its inode. While any file changed within the last
    :data:`RECENT_NS` (so a further edit could land within the same tick of the file system's clock), the
    signature also carries the current time: the files are checked again on every call until they settle."""
    stats = [(p.name, p.stat()) for p in sorted(folder.iterdir())]
    now_ns = time.time_ns() if now_ns is None else now_ns
    files = tuple((name, s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns) for name, s in stats)
    recent = any(now_ns - max(s.st_ctime_ns, s.st_mtime_ns) < RECENT_NS for _name, s in stats)
    return (files, now_ns if recent else None)


def snapshot_problem() -> SnapshotDamaged | None:
    """Which snapshot file is missing or damaged (None when all is well), for :func:`ui.words.snapshot_damaged`.
    Checked again whenever a file in the snapshot folder changes (see :func:`snapshot_signature`)."""
    folder = snapshot_dir()
    try:
        signature = snapshot_signature(folder)
    except OSError:
        return SnapshotDamaged("data/snapshot", SnapshotProblem.MISSING)
    return _snapshot_problem(str(folder), signature)


def manifest() -> dict:
    return _manifest(_folder())


def vintages() -> list[str]:
    """Vintage keys in the snapshot, newest first."""
    return snapshot.vintages_in(manifest())


def period_entry(vintage: str) -> dict:
    """What the build recorded about a period (its sources, release, notes, whether it has margins of error)."""
    return manifest()["vintages"][vintage]


def main_vintage() -> str:
    return snapshot.main_vintage(manifest())


def place_table(vintage: str, geography: str = DEFAULT_GEOGRAPHY) -> PlaceTable:
    """Everything the pages ask of one period for one geography (rows, city, ranks, comparisons), read once per
    snapshot and shared by every visitor (ward names in the reader's language)."""
    return _place_table(_folder(), data_version(), vintage, geography, _names_language(geography))


@st.cache_resource(show_spinner=False, max_entries=256)  # one shared, read-only copy per setting
def _classes(folder: str, version: str, vintage: str, geography: str, column: str, scheme: str, k: int, share: bool,
             language: str) -> maps.Classes:  # fmt: skip
    values = place_table(vintage, geography).rows[column]  # ``folder`` and ``version`` key the cache
    return maps.classify(values, scheme, k, label=fmt.pct if share else fmt.count)


def classes(table: PlaceTable, column: str, scheme: str, k: int, share: bool) -> maps.Classes:
    """The colour classes of ``column`` of ``table`` (``share``: bounds written as percentages, else as numbers of
    households), computed once per snapshot, period, geography, setting and language for every visitor."""
    return _classes(_folder(), data_version(), table.key, table.geography.key, column, scheme, k, share, current())


def geographies(vintage: str) -> list[str]:
    """The geographies ``vintage`` has figures for, community areas first."""
    return [g.key for g in snapshot.geographies_of(period_entry(vintage))]


def has_geography(vintage: str, geography: str) -> bool:
    """Whether ``vintage`` has figures for ``geography`` (wards need 2020 census tracts)."""
    return GEOGRAPHIES[geography] in snapshot.geographies_of(period_entry(vintage))


def boundaries(geography: str = DEFAULT_GEOGRAPHY) -> dict:
    """The simplified boundaries (features with ``number`` and ``name``), or ``$EQUITY_BOUNDARIES_FILE`` (the
    bench points it at unsimplified ones)."""
    path = str(boundaries_file() or snapshot_dir() / GEOGRAPHIES[geography].boundaries)
    return _boundaries(path, geography, _names_language(geography))


@st.cache_data(show_spinner=False)
def _place_names(folder: str) -> dict[str, tuple[int, ...]]:
    return snapshot.read_place_names(folder)


def names_of_places() -> dict[str, dict[int, str]]:
    """Every geography's place names in the reader's language (``{"community_area": {68: "Englewood", …},
    "ward": {20: "Ward 20", …}}``), for tagging and filtering notes."""
    main = main_vintage()
    return {geography: place_table(main, geography).names() for geography in geographies(main)}


def clear_numbers() -> None:
    """Forget every table of numbers read or computed (after a refresh, and for the bench's baseline)."""
    st.cache_data.clear()
    _place_table.clear()
    _classes.clear()
    _snapshot_problem.cache_clear()


def place_names() -> dict[str, tuple[int, ...]]:
    """Community-area and neighborhood names → area numbers, for suggesting a note's areas."""
    return _place_names(_folder())


@st.cache_data(show_spinner=False, max_entries=64)
def _note_counts(url: str, council: bool, theme: str | None, geography: str, version: int, _account) -> dict[int, int]:
    from notes.store import count_by_place

    return count_by_place(_engine(url), _account if council else None, theme, geography)


def note_counts(account, theme: str | None, geography: str = DEFAULT_GEOGRAPHY) -> dict[int, int]:
    """Council notes per place of ``geography`` that ``account`` may see (with ``theme``, those raising it), read
    again only after a change to the notes (the database's own version of them) or to what the account may see."""
    from notes.store import audience_and_version

    url = database_url()
    council, version = audience_and_version(_engine(url), account)
    return _note_counts(url, council, theme, geography, version, account)


@st.cache_data(show_spinner=False, max_entries=512)
def _place_notes(url: str, council: bool, geography: str, place: int, other: str, nearby: tuple[int, ...],
                 version: int, _account) -> tuple[list, list, list]:  # fmt: skip
    from notes.store import notes_about, top_themes

    engine, reader = _engine(url), _account if council else None
    place_notes = notes_about(engine, geography, [place], reader)
    raised = top_themes(engine, [place], reader, geography=geography)
    shown = {note.id for note in place_notes}
    nearby_notes = [n for n in notes_about(engine, other, list(nearby), reader, limit=6) if n.id not in shown][:3]
    return place_notes, raised, nearby_notes


def place_notes(account, geography: str, place: int, other: str, nearby: list[int]) -> tuple[list, list, list]:
    """What a place's profile shows of the notes ``account`` may see: the latest three about ``place`` (of
    ``geography``), the themes they raise most, and up to three more about the ``nearby`` places of the ``other``
    geography. Read again only after a change to the notes or to what the account may see, as
    :func:`note_counts` is."""
    from notes.store import audience_and_version

    url = database_url()
    council, version = audience_and_version(_engine(url), account)
    return _place_notes(url, council, geography, place, other, tuple(nearby), version, account)


def data_version() -> str:
    """Changes whenever the snapshot does (a rebuild or a refresh): part of every rendered map's cache key."""
    return json.dumps(manifest().get("files", {}), sort_keys=True)


def theme_names(account) -> list[str]:
    """The themes ``account`` may see named (signed out: only those a published note raises), [] when the notes
    database cannot be read: the map still works."""
    from sqlalchemy.exc import SQLAlchemyError

    from notes.store import readable_themes

    try:
        return readable_themes(notes_engine(), account)
    except (SQLAlchemyError, OSError):
        return []


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    from notes.db import make_engine

    return make_engine(url)


def notes_engine():
    """The notes database engine for this process (one connection pool per database URL)."""
    return _engine(database_url())


@st.cache_data(show_spinner=False, max_entries=256)
def selection_summary(data: str, vintage: str, geography: str, measure: str, numbers: tuple[int, ...]):
    """The Planner's total for the places ``numbers`` (:func:`data.selection.summarise`), computed once per snapshot
    (``data``), period, geography, measure and selection, for every visitor."""
    from data import selection
    from data.reference import city_plan_figure

    table = place_table(vintage, geography)
    rows = table.rows.loc[list(numbers)]
    return selection.summarise(rows, measure, table.city, city_plan_figure(vintage), table.tract_inputs())
