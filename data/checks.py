"""Checks the build (and the refresh) make on the inputs and on their own results before anything is written."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from data.areas import N_AREAS
from data.errors import BuildCheckError
from data.measures import Vintage
from data.raw import JAM_VALUES


def chicago_tracts(crosswalk: pd.DataFrame) -> list[str]:
    """The tracts with Chicago households (household factor above 0), sorted."""
    return sorted(crosswalk.loc[crosswalk["hh_pct"] > 0, "geoid"].unique())


def check_chicago_tracts(tracts: pd.DataFrame, crosswalk: pd.DataFrame, columns, files: str | Mapping[str, str]):
    """Every tract with Chicago households is present, and each of its estimates in ``columns`` is a number
    and not a Census special value. ``files`` names the input (or maps each column to its input), so the
    error says which file, tract and column to look at."""
    file_of = (lambda _column: files) if isinstance(files, str) else files.get
    needed = chicago_tracts(crosswalk)
    present = tracts.set_index("geoid")
    missing = [g for g in needed if g not in present.index]
    if missing:
        raise BuildCheckError(f"{file_of(columns[0])}: {len(missing)} Chicago tract(s) missing, e.g. {missing[0]}")
    rows = present.loc[needed, list(columns)]
    for column in columns:
        bad = rows.index[rows[column].isna()]
        if len(bad):
            raise BuildCheckError(f"{file_of(column)}: tract {bad[0]}, column {column}: missing or not a number")
        special = rows.index[rows[column].isin(JAM_VALUES)]
        if len(special):
            value = int(rows.at[special[0], column])
            raise BuildCheckError(
                f"{file_of(column)}: tract {special[0]}, column {column}: Census special value {value} (no estimate)"
            )
        negative = rows.index[rows[column] < 0]
        if len(negative):
            value = rows.at[negative[0], column]
            raise BuildCheckError(
                f"{file_of(column)}: tract {negative[0]}, column {column}: {value:g} is negative, and not a Census "
                "special value: a count cannot be negative"
            )


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
