"""Cached loaders. Each cached function takes everything it depends on as arguments (the snapshot folder,
the database URL), so a test that points the app at another folder gets fresh data without clearing caches.

The public functions read the settings (:func:`settings.snapshot_dir`, :func:`notes.db.database_url`)
and pass them in as strings, which Streamlit can hash.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from data import analysis, selection, snapshot
from data.errors import SnapshotDamaged
from data.measures import vintage_by_key
from settings import boundaries_file, snapshot_dir


def _folder() -> str:
    return str(snapshot_dir())


@st.cache_data(show_spinner=False)
def _manifest(folder: str) -> dict:
    return snapshot.read_manifest(folder)


@st.cache_data(show_spinner=False)
def _areas(folder: str, vintage: str) -> pd.DataFrame:
    return snapshot.read_areas(vintage, folder)


@st.cache_data(show_spinner=False)
def _citywide(folder: str, vintage: str) -> pd.Series:
    return snapshot.read_citywide(vintage, folder)


@st.cache_data(show_spinner=False)
def _rank_ranges(folder: str, vintage: str, measure: str) -> pd.DataFrame:
    return analysis.rank_ranges(_areas(folder, vintage), measure)


@st.cache_data(show_spinner=False)
def _tract_inputs(folder: str, vintage: str) -> selection.TractInputs:
    tracts, crosswalk = snapshot.read_tract_inputs(vintage, folder)
    return selection.TractInputs(tracts, crosswalk, vintage_by_key(vintage))


@st.cache_resource(show_spinner=False)  # one shared copy, never changed by its readers (no copy per call)
def _boundaries(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@st.cache_data(show_spinner=False, max_entries=8)
def _snapshot_problem(folder: str, signature: tuple) -> str | None:
    try:
        snapshot.verify(folder)
    except SnapshotDamaged as exc:
        return str(exc)
    return None


def snapshot_problem() -> str | None:
    """A sentence saying which snapshot file is missing or damaged and how to rebuild it; None when all is well.
    Checked again whenever a file in the snapshot folder changes (size or modification time)."""
    folder = snapshot_dir()
    try:
        signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()))
    except OSError:
        return str(SnapshotDamaged("folder data/snapshot", "is missing"))
    return _snapshot_problem(str(folder), signature)


def manifest() -> dict:
    return _manifest(_folder())


def vintages() -> list[str]:
    """Vintage keys in the snapshot, newest first."""
    return snapshot.vintages_in(manifest())


def main_vintage() -> str:
    return snapshot.main_vintage(manifest())


def areas(vintage: str) -> pd.DataFrame:
    return _areas(_folder(), vintage)


def citywide(vintage: str) -> pd.Series:
    return _citywide(_folder(), vintage)


def rank_ranges(vintage: str, measure: str) -> pd.DataFrame:
    """Point rank and plausible rank range of every area (see :func:`data.analysis.rank_ranges`)."""
    return _rank_ranges(_folder(), vintage, measure)


def tract_inputs(vintage: str) -> selection.TractInputs:
    return _tract_inputs(_folder(), vintage)


def boundaries_geojson() -> dict:
    """The simplified boundaries, or ``$EQUITY_BOUNDARIES_FILE`` (the bench points it at unsimplified ones)."""
    return _boundaries(str(boundaries_file() or snapshot_dir() / snapshot.BOUNDARIES_NAME))


def vintage_label(vintage: str) -> str:
    """'ACS 2017-2021 5-year', in the reader's language."""
    from ui.i18n import _

    try:
        first, last = vintage.removeprefix("acs5_").split("_")
    except ValueError:
        return manifest()["vintages"].get(vintage, {}).get("label", vintage)
    return _("ACS {first}-{last} 5-year").format(first=first, last=last)


def has_moe(vintage: str) -> bool:
    return bool(manifest()["vintages"].get(vintage, {}).get("has_moe"))


def comparison_vintage(vintage: str) -> str | None:
    """The newest period before ``vintage``, to compare with (None when there is none)."""
    return snapshot.earlier_vintage(vintages(), vintage)


@st.cache_data(show_spinner=False)
def _place_names(folder: str) -> dict[str, tuple[int, ...]]:
    return snapshot.read_place_names(folder)


def place_names() -> dict[str, tuple[int, ...]]:
    """Community-area and neighborhood names → area numbers, for suggesting a note's areas."""
    return _place_names(_folder())


def area_names() -> dict[int, str]:
    """``{area_number: area_name}``, from the (cached) table of the main period."""
    return areas(main_vintage()).set_index("area_number")["area_name"].to_dict()


@st.cache_data(show_spinner=False, max_entries=64)
def _note_counts(url: str, council: bool, theme: str | None, last_write: int, _reader) -> dict[int, int]:
    from notes.store import count_by_area

    return count_by_area(_engine(url), _reader if council else None, theme)


def note_counts(reader, theme: str | None) -> dict[int, int]:
    """Council notes per area that ``reader`` may see (with ``theme``, those raising it), read again only after
    a write to the notes or when what the reader may see changes."""
    from notes.db import database_url
    from notes.store import audience_and_last_write

    url = database_url()
    council, last_write = audience_and_last_write(_engine(url), reader)
    return _note_counts(url, council, theme, last_write, reader)


def data_version() -> str:
    """Changes whenever the snapshot does (a rebuild or a refresh): part of every rendered map's cache key."""
    return json.dumps(manifest().get("files", {}), sort_keys=True)


def theme_names() -> list[str]:
    """The codebook of themes ([] when the notes database cannot be read: the map still works)."""
    from sqlalchemy.exc import SQLAlchemyError

    from notes.store import theme_names as read_themes

    try:
        return read_themes(notes_engine())
    except (SQLAlchemyError, OSError):
        return []


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    from notes.db import make_engine

    return make_engine(url)


def notes_engine():
    """The notes database engine for this process (one connection pool per database URL)."""
    from notes.db import database_url

    return _engine(database_url())
