"""Compute the snapshot's tables from tract data: every measure per community area and for the city.

Counts are apportioned and summed first; shares are computed from the sums afterwards (DESIGN.md section 2).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.apportion import apportion, citywide_crosswalk
from data.measures import MEASURES, Vintage, cols
from data.moe import coefficient_of_variation, moe_proportion
from data.snapshot import CITY_NAME, COLUMNS, MEASURE_SUFFIXES


def measure_table(tracts: pd.DataFrame, crosswalk: pd.DataFrame, vintage: Vintage) -> pd.DataFrame:
    """Every measure of ``vintage`` per ``area_number`` of ``crosswalk``, unrounded, in snapshot columns."""
    households = apportion(tracts, crosswalk, vintage.recipe["households"])
    out = pd.DataFrame({"households": households["estimate"], "households_moe": households["moe"]})
    for key in MEASURES:
        c = cols(key)
        if key not in vintage.recipe:
            for suffix in MEASURE_SUFFIXES:
                out[f"{key}{suffix}"] = np.nan
            continue
        counts = apportion(tracts, crosswalk, vintage.recipe[key])
        est, moe = counts["estimate"], counts["moe"]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(out["households"] > 0, est / out["households"], np.nan)
        out[c.count] = est
        out[c.moe] = moe
        out[c.pct] = share * 100
        out[c.pct_moe] = moe_proportion(est, out["households"], moe, out["households_moe"]) * 100
        out[c.cv] = coefficient_of_variation(est, moe)
    return out


def round_for_publication(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole households for counts and MOEs, two decimals for shares, one for CVs."""
    out = frame.copy()
    for column in out.columns:
        if column in ("area_number", "area_name", "side"):
            continue
        if column.endswith(("_pct", "_pct_moe")):
            out[column] = out[column].round(2)
        elif column.endswith("_cv"):
            out[column] = out[column].round(1)
        else:
            out[column] = out[column].round(0).astype("Int64")
    return out


def area_table(tracts, crosswalk, sides, vintage: Vintage) -> pd.DataFrame:
    """The 77-row community-area table of one vintage, rounded, in the snapshot's column order."""
    values = measure_table(tracts, crosswalk, vintage).reset_index()
    table = sides.merge(values, on="area_number", how="left", validate="one_to_one")
    return round_for_publication(table)[COLUMNS]


def citywide_table(tracts, crosswalk, vintage: Vintage) -> pd.DataFrame:
    """One row for the whole city; a split tract's MOE is counted once (its weights summed first)."""
    values = measure_table(tracts, citywide_crosswalk(crosswalk), vintage).reset_index()
    values = values.assign(area_number=pd.NA, area_name=CITY_NAME, side="")
    return round_for_publication(values)[COLUMNS]


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode()
