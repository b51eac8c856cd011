"""The processed snapshot (DESIGN.md section 3): compute its tables, write them, read them back.

Files under ``data/snapshot/``:

* ``community_areas_<vintage>.csv``: one row per community area;
* ``citywide_<vintage>.csv``: one row, the City of Chicago as a whole, same columns;
* ``community_areas.geojson``: simplified boundaries (``area_number, area_name, side``);
* ``vintages.json``: what each vintage is, which measures it lacks, and the inputs it was built from.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from data.measures import MEASURES, Vintage
from data.moe import coefficient_of_variation, moe_proportion, reliability
from data.paths import snapshot_dir
from geo.apportion import apportion, citywide_crosswalk

ID_COLUMNS = ["area_number", "area_name", "side", "households", "households_moe"]
MEASURE_SUFFIXES = ["", "_moe", "_pct", "_pct_moe", "_cv"]
COLUMNS = ID_COLUMNS + [f"{m}{s}" for m in MEASURES for s in MEASURE_SUFFIXES]
CITY_NAME = "City of Chicago"
BOUNDARIES_NAME = "community_areas.geojson"
MANIFEST_NAME = "vintages.json"


def areas_file(vintage: str, folder: Path | None = None) -> Path:
    return (folder or snapshot_dir()) / f"community_areas_{vintage}.csv"


def citywide_file(vintage: str, folder: Path | None = None) -> Path:
    return (folder or snapshot_dir()) / f"citywide_{vintage}.csv"


# --------------------------------------------------------------------------- computing


def measure_table(tracts: pd.DataFrame, crosswalk: pd.DataFrame, vintage: Vintage) -> pd.DataFrame:
    """Every measure of ``vintage`` per ``area_number`` of ``crosswalk``, unrounded, in snapshot columns.

    Counts are apportioned and summed first; shares are computed from the sums afterwards.
    """
    households = apportion(tracts, crosswalk, vintage.recipe["households"])
    out = pd.DataFrame({"households": households["estimate"], "households_moe": households["moe"]})
    for key in MEASURES:
        if key not in vintage.recipe:
            for suffix in MEASURE_SUFFIXES:
                out[f"{key}{suffix}"] = np.nan
            continue
        counts = apportion(tracts, crosswalk, vintage.recipe[key])
        est, moe = counts["estimate"], counts["moe"]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(out["households"] > 0, est / out["households"], np.nan)
        out[key] = est
        out[f"{key}_moe"] = moe
        out[f"{key}_pct"] = share * 100
        out[f"{key}_pct_moe"] = moe_proportion(est, out["households"], moe, out["households_moe"]) * 100
        out[f"{key}_cv"] = coefficient_of_variation(est, moe)
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


# --------------------------------------------------------------------------- reading


def read_manifest(folder: Path | None = None) -> dict:
    path = (folder or snapshot_dir()) / MANIFEST_NAME
    return json.loads(path.read_text()) if path.exists() else {"vintages": {}}


def available_vintages(folder: Path | None = None) -> list[str]:
    """Vintage keys present in the snapshot, newest first."""
    return sorted(read_manifest(folder)["vintages"], reverse=True)


def read_areas(vintage: str, folder: Path | None = None) -> pd.DataFrame:
    """A community-area table with a reliability column per measure added (``<m>_reliability``)."""
    return with_reliability(pd.read_csv(areas_file(vintage, folder)))


def read_citywide(vintage: str, folder: Path | None = None) -> pd.Series:
    return with_reliability(pd.read_csv(citywide_file(vintage, folder))).iloc[0]


def with_reliability(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for key in MEASURES:
        out[f"{key}_reliability"] = reliability(out[f"{key}_cv"])
    return out
