"""The processed snapshot (DESIGN.md section 3): its file names and columns, and reading it back.

Files under ``data/snapshot/`` (written by :mod:`data.build` from :mod:`data.tables`):

* ``community_areas_<vintage>.csv``: one row per community area;
* ``citywide_<vintage>.csv``: one row, the City of Chicago as a whole, same columns;
* ``community_areas.geojson``: simplified boundaries (``area_number, area_name, side``);
* ``vintages.json``: what each vintage is, which measures it lacks, and the inputs it was built from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from data.measures import MEASURES, cols
from data.moe import reliability

ID_COLUMNS = ["area_number", "area_name", "side", "households", "households_moe"]
MEASURE_SUFFIXES = ["", "_moe", "_pct", "_pct_moe", "_cv"]
COLUMNS = ID_COLUMNS + [f"{m}{s}" for m in MEASURES for s in MEASURE_SUFFIXES]
CITY_NAME = "City of Chicago"
BOUNDARIES_NAME = "community_areas.geojson"
MANIFEST_NAME = "vintages.json"


def areas_file(vintage: str, folder: Path) -> Path:
    return Path(folder) / f"community_areas_{vintage}.csv"


def citywide_file(vintage: str, folder: Path) -> Path:
    return Path(folder) / f"citywide_{vintage}.csv"


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST_NAME
    return json.loads(path.read_text()) if path.exists() else {"vintages": {}}


def available_vintages(folder: Path) -> list[str]:
    """Vintage keys present in the snapshot, newest first."""
    return sorted(read_manifest(folder)["vintages"], reverse=True)


def main_vintage(manifest: dict) -> str:
    """The vintage the pages lead with (named by the build in the manifest)."""
    return manifest.get("main_vintage") or sorted(manifest["vintages"], reverse=True)[0]


def read_areas(vintage: str, folder: Path) -> pd.DataFrame:
    """A community-area table with a reliability column per measure added (``<m>_reliability``)."""
    return with_reliability(pd.read_csv(areas_file(vintage, folder)))


def read_citywide(vintage: str, folder: Path) -> pd.Series:
    return with_reliability(pd.read_csv(citywide_file(vintage, folder))).iloc[0]


def read_boundaries(folder: Path) -> dict:
    return json.loads((Path(folder) / BOUNDARIES_NAME).read_text())


def with_reliability(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for key in MEASURES:
        out[cols(key).reliability] = reliability(out[cols(key).cv])
    return out
