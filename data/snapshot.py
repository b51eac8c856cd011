"""The processed snapshot (its contract: README, Where the numbers come from: The snapshot): its file names and
columns, and reading it back.

Files under ``data/snapshot/`` (written by :mod:`data.build` from :mod:`data.tables`):

* ``community_areas_<vintage>.csv``: one row per community area;
* ``citywide_<vintage>.csv``: one row, the City of Chicago as a whole, same columns;
* ``community_areas.geojson``: simplified boundaries (``area_number, area_name, side``);
* ``tracts_<vintage>.csv`` and ``tract_areas_<vintage>.csv``: the tract-level inputs a planner's selection
  needs (each Chicago tract's estimates and MOEs of the lines the measures use; each tract × area household
  factor), so a selection's MOE is computed like the citywide one without the raw files;
* ``place_names.csv``: community-area and neighborhood names with the areas each points to (see
  :mod:`data.places`), for suggesting a council note's areas from its text;
* ``vintages.json``: what each vintage is, which measures it lacks, the inputs it was built from, and the
  SHA-256 of every file above (``files``), which the app checks before it shows anything.

Shares, MOEs and CVs are kept at full precision: the pages round once, for display.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from data.errors import SnapshotDamaged, SnapshotProblem
from data.geographies import COMMUNITY_AREA, GEOGRAPHIES, Geography
from data.measures import MEASURES, cols, period_years, periods_overlap
from data.moe import reliability

MEASURE_COLUMNS = [column for m in MEASURES for column in cols(m).stored]


def columns(geography: Geography) -> list[str]:
    """The columns of a place table in the snapshot, in the contract's order."""
    group = [geography.group] if geography.group else []
    return [geography.number, geography.name, *group, "households", "households_moe", *MEASURE_COLUMNS]


COLUMNS = columns(COMMUNITY_AREA)
CITY_NAME = "City of Chicago"
BOUNDARIES_NAME = COMMUNITY_AREA.boundaries
MANIFEST_NAME = "vintages.json"
PLACE_NAMES_NAME = "place_names.csv"
OVERLAPS_NAME = "ward_areas.csv"  # the households of each ward in each community area


def areas_file(vintage: str, folder: Path, geography: Geography = COMMUNITY_AREA) -> Path:
    """The place table of ``vintage`` for ``geography`` (community areas: ``community_areas_<vintage>.csv``)."""
    return Path(folder) / f"{geography.table}_{vintage}.csv"


def citywide_file(vintage: str, folder: Path) -> Path:
    return Path(folder) / f"citywide_{vintage}.csv"


def tracts_file(vintage: str, folder: Path) -> Path:
    return Path(folder) / f"tracts_{vintage}.csv"


def tract_areas_file(vintage: str, folder: Path, geography: Geography = COMMUNITY_AREA) -> Path:
    return Path(folder) / f"{geography.factors}_{vintage}.csv"


def read_manifest(folder: Path) -> dict:
    """The manifest (``{"vintages": {}}`` when there is none); SnapshotDamaged when it cannot be read or names a
    period, a main period or a file that is not one (a file name with a folder in it, for instance)."""
    path = Path(folder) / MANIFEST_NAME
    if not path.exists():
        return {"vintages": {}}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        periods = dict(manifest["vintages"])
        files = dict(manifest.get("files", {}))
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotDamaged(MANIFEST_NAME, SnapshotProblem.UNREADABLE) from exc
    named = [*periods, *([manifest["main_vintage"]] if "main_vintage" in manifest else [])]
    for period in named:
        try:
            period_years(str(period))
        except ValueError:
            raise SnapshotDamaged(MANIFEST_NAME, SnapshotProblem.BAD_PERIOD, period=str(period)[:40]) from None
    if "main_vintage" in manifest and manifest["main_vintage"] not in periods:
        raise SnapshotDamaged(MANIFEST_NAME, SnapshotProblem.BAD_PERIOD, period=str(manifest["main_vintage"])[:40])
    if any(Path(str(name)).name != name or name in ("", ".", "..") for name in files):
        raise SnapshotDamaged(MANIFEST_NAME, SnapshotProblem.UNREADABLE)
    return manifest


def vintages_in(manifest: dict) -> list[str]:
    """The vintage keys a manifest lists, newest first."""
    return sorted(manifest["vintages"], reverse=True)


def earlier_vintage(vintages: list[str], vintage: str) -> str | None:
    """The period a change is measured from: the newest earlier period that shares no year with ``vintage``
    (the Census Bureau advises against comparing overlapping periods) when there is one, else the newest earlier
    period (the pages then show the difference without a test); None when there is no earlier period."""
    earlier = sorted((v for v in vintages if v < vintage), reverse=True)
    apart = [v for v in earlier if not periods_overlap(v, vintage)]
    return (apart or earlier or [None])[0]


def main_vintage(manifest: dict) -> str:
    """The vintage the pages lead with (named by the build in the manifest)."""
    return manifest.get("main_vintage") or vintages_in(manifest)[0]


def read_areas(vintage: str, folder: Path, geography: Geography = COMMUNITY_AREA) -> pd.DataFrame:
    """A place table (community areas unless said) with a reliability column per measure added."""
    return with_reliability(pd.read_csv(areas_file(vintage, folder, geography)))


def read_citywide(vintage: str, folder: Path) -> pd.Series:
    return with_reliability(pd.read_csv(citywide_file(vintage, folder))).iloc[0]


def read_place_names(folder: Path) -> dict[str, tuple[int, ...]]:
    """``{name: area numbers}`` from ``place_names.csv``."""
    frame = pd.read_csv(Path(folder) / PLACE_NAMES_NAME, dtype=str)
    return {
        n: tuple(int(a) for a in areas.split(";"))
        for n, areas in zip(frame["name"], frame["area_numbers"], strict=True)
    }


def read_tract_inputs(
    vintage: str, folder: Path, geography: Geography = COMMUNITY_AREA
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tract table (``geoid`` + ``<var>E``/``<var>M``) and the tract × place household factors."""
    tracts = pd.read_csv(tracts_file(vintage, folder), dtype={"geoid": str})
    crosswalk = pd.read_csv(tract_areas_file(vintage, folder, geography), dtype={"geoid": str})
    return tracts, crosswalk


def with_checksums(manifest: dict, files: dict[Path, bytes]) -> dict:
    """``manifest`` with the SHA-256 of each file about to be written (the manifest itself aside)."""
    sums = dict(manifest.get("files", {}))
    for path, payload in files.items():
        if Path(path).name != MANIFEST_NAME:
            sums[Path(path).name] = hashlib.sha256(payload).hexdigest()
    return {**manifest, "files": dict(sorted(sums.items()))}


def geographies_of(entry: dict) -> list[Geography]:
    """The geographies a period in the manifest has figures for (community areas when the entry says none)."""
    return [GEOGRAPHIES[key] for key in entry.get("geographies", [COMMUNITY_AREA.key]) if key in GEOGRAPHIES]


def expected_files(manifest: dict) -> list[str]:
    """Every file the snapshot must have, as its periods and their geographies imply (not as the manifest's list of
    checksums says: a file whose checksum entry was deleted is still expected)."""
    names = {PLACE_NAMES_NAME}
    for vintage, entry in manifest["vintages"].items():
        names |= {citywide_file(vintage, Path()).name, tracts_file(vintage, Path()).name}
        for geography in geographies_of(entry):
            names |= {areas_file(vintage, Path(), geography).name, tract_areas_file(vintage, Path(), geography).name}
            names.add(geography.boundaries)
            if geography.key != COMMUNITY_AREA.key:
                names.add(OVERLAPS_NAME)
    return sorted(names)


def verify(folder: Path) -> None:
    """Check every file the snapshot must have against the checksum the build recorded, and that each place table
    has one row per place. Raises :class:`SnapshotDamaged` naming the first file that is missing, changed, short
    or not listed."""
    manifest = read_manifest(folder)
    if not manifest["vintages"]:
        raise SnapshotDamaged(MANIFEST_NAME, SnapshotProblem.NO_PERIOD)
    sums = manifest.get("files", {})
    for name in expected_files(manifest):
        path = Path(folder) / name
        if name not in sums:
            raise SnapshotDamaged(name, SnapshotProblem.UNLISTED)
        if not path.is_file():
            raise SnapshotDamaged(name, SnapshotProblem.MISSING)
        if hashlib.sha256(path.read_bytes()).hexdigest() != sums[name]:
            raise SnapshotDamaged(name, SnapshotProblem.CHANGED)
    for vintage, entry in manifest["vintages"].items():
        for geography in geographies_of(entry):
            path = areas_file(vintage, folder, geography)
            if sum(1 for _ in path.open(encoding="utf-8")) - 1 != geography.count:
                raise SnapshotDamaged(path.name, SnapshotProblem.SHORT, count=geography.count)


def read_overlaps(folder: Path) -> pd.DataFrame:
    """The households of each ward in each community area (``ward_number, area_number, households``)."""
    return pd.read_csv(Path(folder) / OVERLAPS_NAME)


def with_reliability(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for key in MEASURES:
        out[cols(key).reliability] = reliability(out[cols(key).cv])
    return out
