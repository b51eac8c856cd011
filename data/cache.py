"""Streamlit cache wrappers around the snapshot readers. The only module in data/ that imports Streamlit.

Each wrapper takes scalars (a vintage key) so that Streamlit can hash the arguments.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from data import snapshot
from data.paths import snapshot_dir


@st.cache_data(show_spinner=False)
def vintages() -> list[str]:
    return snapshot.available_vintages()


@st.cache_data(show_spinner=False)
def manifest() -> dict:
    return snapshot.read_manifest()


@st.cache_data(show_spinner=False)
def areas(vintage: str) -> pd.DataFrame:
    return snapshot.read_areas(vintage)


@st.cache_data(show_spinner=False)
def citywide(vintage: str) -> pd.Series:
    return snapshot.read_citywide(vintage)


@st.cache_data(show_spinner=False)
def boundaries_geojson() -> dict:
    """The simplified boundaries, or ``$EQUITY_BOUNDARIES_FILE`` (the bench points it at unsimplified ones)."""
    path = os.environ.get("EQUITY_BOUNDARIES_FILE") or snapshot_dir() / snapshot.BOUNDARIES_NAME
    return json.loads(Path(path).read_text())


def vintage_label(vintage: str) -> str:
    return manifest()["vintages"].get(vintage, {}).get("label", vintage)


def comparison_vintage(vintage: str) -> str | None:
    """The earlier vintage to compare with (2015-2019 where present and different)."""
    older = [v for v in vintages() if v < vintage]
    return older[-1] if older else None


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    from data.db import make_engine

    return make_engine(url)


def notes_engine():
    """The notes database engine for this process (one connection pool per database URL)."""
    from data.db import database_url

    return _engine(database_url())


def area_names() -> dict[int, str]:
    return areas(vintages()[0]).set_index("area_number")["area_name"].to_dict()
