"""The committed snapshot as the app reads it (a place table, boundaries with ``number`` and ``name``), for tests."""

from __future__ import annotations

from data import snapshot
from data.geographies import COMMUNITY_AREA
from data.place_table import read_boundaries, read_place_table
from settings import SNAPSHOT_DIR

MAIN = "acs5_2017_2021"
OLDER = "acs5_2015_2019"


def place_table(vintage: str = MAIN, folder=SNAPSHOT_DIR, geography=COMMUNITY_AREA):
    """The place table of ``vintage`` (community areas unless said) in the committed snapshot (or ``folder``)."""
    return read_place_table(folder, vintage, geography, snapshot.read_manifest(folder))


def boundaries(folder=SNAPSHOT_DIR) -> dict:
    return read_boundaries(folder, COMMUNITY_AREA)
