"""Checks the build (and the refresh) make on the inputs and on their own results before anything is written."""

from __future__ import annotations

import pandas as pd

from data.areas import N_AREAS
from data.errors import BuildCheckError
from data.measures import Vintage


def check_tracts_cover_crosswalk(tracts: pd.DataFrame, crosswalk: pd.DataFrame, households_col: str, file: str):
    """Every tract with Chicago households in the crosswalk must have a household estimate."""
    needed = crosswalk.loc[crosswalk["hh_pct"] > 0, "geoid"].unique()
    have = tracts.set_index("geoid")[households_col].dropna().index
    missing = sorted(set(needed) - set(have))
    if missing:
        raise BuildCheckError(f"{file}: {len(missing)} Chicago tract(s) missing, e.g. {missing[0]}")


def check_b28002_identity(tracts: pd.DataFrame) -> None:
    """``_001 = _002 + _012 + _013`` in every tract (the table is internally consistent)."""
    lhs = tracts["B28002_001E"]
    rhs = tracts["B28002_002E"] + tracts["B28002_012E"] + tracts["B28002_013E"]
    bad = tracts.loc[(lhs - rhs).abs() > 0, "geoid"]
    if len(bad):
        raise BuildCheckError(f"B28002_001 ≠ _002 + _012 + _013 in {len(bad)} tract(s), e.g. {bad.iloc[0]}")


def check_areas(table: pd.DataFrame, vintage: Vintage) -> None:
    if len(table) != N_AREAS or table["households"].isna().any():
        raise BuildCheckError(f"{vintage.key}: expected {N_AREAS} areas with households")
