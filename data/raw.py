"""Readers for the raw public inputs in ``../shared/data`` (see its PROVENANCE.md).

Each reader returns a tidy DataFrame with tract IDs as 11-character strings, applies the Census Bureau's
special values to margins of error (:func:`replace_special_values`), and raises :class:`RawInputError`
naming the file and the problem when a column is missing, an ID is malformed or the row count is not the
published one.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

import settings
from data.areas import N_AREAS, N_WARDS
from data.errors import RawInputError, RawProblem

ACS_2021_FILE = "acs/acs5_2017_2021_cook_tracts2020_B28002_B28003_B28011.csv"
ACS_2019_AGGREGATE_FILE = "acs/acs5_2015_2019_cook_tracts2010_uchicagodsi_aggregate.csv"
ACS_2019_PROFILE_FILE = "acs/acs5_2015_2019_cook_tracts2010_uchicagodsi_profile.csv"
ACS_2019_SOURCES = {  # which file each ACS 2015-2019 line comes from (for error messages)
    "B28002_002E": ACS_2019_AGGREGATE_FILE, "B28002_013E": ACS_2019_AGGREGATE_FILE,
    "B28003_006E": ACS_2019_AGGREGATE_FILE, "DP02_0001E": ACS_2019_PROFILE_FILE, "DP02_0153E": ACS_2019_PROFILE_FILE,
}  # fmt: skip
CROSSWALK_FILES = {
    2020: "crosswalks/cmap_xwalk_tract2020_to_cca.csv",
    2010: "crosswalks/cmap_xwalk_tract2010_to_cca.csv",
}
SIDES_FILE = "community_area_sides.csv"
COMMUNITY_AREAS_FILE = "geo/chicago_community_areas_cityportal.geojson"
WARDS_FILE = "geo/chicago_wards2023.geojson"
BLOCK_GROUPS_FILE = "geo/tl_2020_17031_bg20.zip"
BLOCK_GROUP_HOUSEHOLDS_FILE = "acs/acs5_2017_2021_cook_blockgroups2020_B28002_estimates_only.csv"
COOK_BLOCK_GROUPS_2020 = 4002

COOK_TRACTS_2020 = 1332  # incl. the Lake Michigan water tract
COOK_TRACTS_2010 = 1319

# Census API / summary-file special values ("annotation" or "jam" values). In a margin of error, -555555555
# means the estimate is controlled (MOE 0); the others mean the MOE could not be computed. In an estimate
# every one of them means there is no usable estimate.
JAM_VALUES = (-999999999, -888888888, -666666666, -555555555, -333333333, -222222222)
MOE_CONTROLLED = -555555555

_TRACT_ID = r"^17031\d{6}$"

# Household income brackets of B19001 as named in the Social Explorer export (A14001).
INCOME_BRACKETS_UNDER_35K = {
    "hh_inc_lt10k": "B19001_002E",
    "hh_inc_10_15k": "B19001_003E",
    "hh_inc_15_20k": "B19001_004E",
    "hh_inc_20_25k": "B19001_005E",
    "hh_inc_25_30k": "B19001_006E",
    "hh_inc_30_35k": "B19001_007E",
}


def raw_path(relative: str) -> Path:
    """Absolute path of a raw input; fails with the file name when it is absent."""
    path = settings.raw_data_dir() / relative
    if not path.is_file():
        raise RawInputError(relative, f"file not found in {settings.raw_data_dir().name}/ (set EQUITY_RAW_DATA)")
    return path


def replace_special_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Every ACS column as numbers (a cell that is not a number becomes missing), with the Census Bureau's
    special values applied to the margins of error (``…M``): -555555555 → 0 (a controlled estimate), any
    other special value → missing (the MOE could not be computed). Estimates (``…E``) keep their special
    values so that :func:`data.checks.check_chicago_tracts` can refuse them where they matter."""
    out = frame.copy()
    for column in out.columns:
        if column == "geoid":
            continue
        values = pd.to_numeric(out[column], errors="coerce").astype(float)
        if column.endswith("M"):
            values = values.mask(values.isin(JAM_VALUES) & (values != MOE_CONTROLLED)).mask(
                values == MOE_CONTROLLED, 0.0
            )
        out[column] = values
    return out


def require_columns(frame: pd.DataFrame, columns, file: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise RawInputError(file, f"missing column(s) {', '.join(missing)}")


def require_tract_ids(ids: pd.Series, file: str) -> None:
    bad = ids[~ids.str.match(_TRACT_ID)]
    if len(bad):
        raise RawInputError(file, f"{len(bad)} malformed tract ID(s), e.g. {bad.iloc[0]!r} (want 11 digits, 17031…)")
    dupes = ids[ids.duplicated()]
    if len(dupes):
        raise RawInputError(file, f"duplicate tract ID {dupes.iloc[0]}")


def require_rows(frame: pd.DataFrame, expected: int, file: str) -> None:
    if len(frame) != expected:
        raise RawInputError(file, f"{len(frame)} rows, expected {expected}")


def _read_csv(relative: str, **kwargs) -> pd.DataFrame:
    path = raw_path(relative)
    try:
        frame = pd.read_csv(path, **kwargs)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise RawInputError(relative, f"cannot be read as CSV ({exc})") from exc
    require_whole_rows(path, relative)
    return frame


def require_whole_rows(path: Path, relative: str) -> None:
    """Every line of the CSV at ``path`` has as many fields as its header, and the file ends with a line break:
    a row cut mid-way is refused wherever it is (pandas would fill it with missing values, unnoticed in a row the
    build does not use, such as the Lake Michigan water tract's)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        if handle.tell():
            handle.seek(-1, 2)
            if handle.read(1) != b"\n":
                raise RawInputError(relative, RawProblem.NO_FINAL_LINE_BREAK)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        expected = len(next(reader, []))
        for row in reader:
            if row and len(row) != expected:
                raise RawInputError(
                    relative, RawProblem.ROW_CUT_SHORT, line=reader.line_num, fields=len(row), expected=expected
                )


def read_acs_2017_2021() -> pd.DataFrame:
    """ACS 2017-2021 tract table: B28002, B28003 (estimates ``…E`` and MOEs ``…M``), B19001 under-$35K
    brackets (estimates only), one row per 2020 Cook County tract, column ``geoid``."""
    file = ACS_2021_FILE
    frame = _read_csv(file, dtype={"GEOID": str})
    b28002 = [f"B28002_{i:03d}{k}" for i in range(1, 14) for k in "EM"]
    b28003 = [f"B28003_{i:03d}{k}" for i in range(1, 7) for k in "EM"]
    require_columns(frame, ["GEOID", *b28002, *b28003, *INCOME_BRACKETS_UNDER_35K], file)
    frame = frame.rename(columns={"GEOID": "geoid", **INCOME_BRACKETS_UNDER_35K})
    require_tract_ids(frame["geoid"], file)
    require_rows(frame, COOK_TRACTS_2020, file)
    keep = ["geoid", *b28002, *b28003, *INCOME_BRACKETS_UNDER_35K.values()]
    return replace_special_values(frame[keep]).reset_index(drop=True)


def _tract_geoid(frame: pd.DataFrame) -> pd.Series:
    return frame["state"].str.zfill(2) + frame["county"].str.zfill(3) + frame["tract"].str.zfill(6)


def read_acs_2015_2019() -> pd.DataFrame:
    """ACS 2015-2019 tract tables (2010 tracts, estimates only) with Census variable names:
    ``DP02_0001E`` households, ``DP02_0153E`` with broadband, ``B28002_002E`` with a subscription,
    ``B28002_013E`` no Internet access, ``B28003_006E`` no computer."""
    ids = {"state": str, "county": str, "tract": str}
    agg_file, prof_file = ACS_2019_AGGREGATE_FILE, ACS_2019_PROFILE_FILE
    aggregate = _read_csv(agg_file, dtype=ids)
    profile = _read_csv(prof_file, dtype=ids)
    agg_cols = {
        "estimated total with internet subscription": "B28002_002E",
        "estimated total with no internet access": "B28002_013E",
        "estimated total has no computer": "B28003_006E",
    }
    prof_cols = {
        "estimated total households": "DP02_0001E",
        "estimated total households with broadband internet subscription": "DP02_0153E",
    }
    require_columns(aggregate, [*agg_cols, *ids], agg_file)
    require_columns(profile, [*prof_cols, *ids], prof_file)
    parts = []
    for frame, cols, file in ((aggregate, agg_cols, agg_file), (profile, prof_cols, prof_file)):
        part = frame.assign(geoid=_tract_geoid(frame)).rename(columns=cols)[["geoid", *cols.values()]]
        require_tract_ids(part["geoid"], file)
        require_rows(part, COOK_TRACTS_2010, file)
        parts.append(part.set_index("geoid"))
    merged = parts[0].join(parts[1], how="inner")
    if len(merged) != COOK_TRACTS_2010:
        raise RawInputError(prof_file, f"only {len(merged)} tracts match {agg_file}")
    return replace_special_values(merged.reset_index())


def read_crosswalk(tract_year: int) -> pd.DataFrame:
    """CMAP tract → community-area household factors: ``geoid, area_number, hh_pct`` (fractions 0-1)."""
    if tract_year not in CROSSWALK_FILES:
        raise RawInputError(f"crosswalk {tract_year}", "no CMAP crosswalk for that tract vintage (2010 or 2020)")
    file = CROSSWALK_FILES[tract_year]
    frame = _read_csv(file, dtype={"geoid_tract": str})
    require_columns(frame, ["geoid_tract", "cca_num", "hh_pct"], file)
    frame = frame.rename(columns={"geoid_tract": "geoid", "cca_num": "area_number"})
    bad = frame.loc[~frame["geoid"].str.match(r"^17\d{9}$"), "geoid"]
    if len(bad):
        raise RawInputError(file, f"malformed tract ID {bad.iloc[0]!r}")
    if frame["hh_pct"].isna().any() or not frame["hh_pct"].between(0, 1).all():
        raise RawInputError(file, "hh_pct outside 0-1 or missing")
    per_tract = frame.groupby("geoid")["hh_pct"].sum()
    if (per_tract > 1 + 1e-9).any():
        raise RawInputError(file, f"household shares of tract {per_tract.idxmax()} add up to more than 1")
    if frame["area_number"].nunique() != N_AREAS:
        raise RawInputError(file, f"{frame['area_number'].nunique()} community areas, expected {N_AREAS}")
    return frame[["geoid", "area_number", "hh_pct"]].astype({"area_number": int})


def read_sides() -> pd.DataFrame:
    """The 77 community areas with their names and the City's nine sides."""
    file = SIDES_FILE
    frame = _read_csv(file)
    require_columns(frame, ["area_number", "area_name", "side"], file)
    require_rows(frame, N_AREAS, file)
    if sorted(frame["area_number"]) != list(range(1, N_AREAS + 1)):
        raise RawInputError(file, "area numbers are not 1-77")
    return frame.astype({"area_number": int})


def read_city_community_areas():
    """The City portal's 77 community-area polygons (EPSG:4326) with an integer ``area_number``."""
    import geopandas as gpd  # only the build needs it

    file = COMMUNITY_AREAS_FILE
    try:
        areas = gpd.read_file(raw_path(file))
    except (OSError, ValueError, RuntimeError) as exc:  # pyogrio's errors derive from these
        raise RawInputError(file, f"cannot be read as GeoJSON ({exc})") from exc
    if "area_numbe" not in areas.columns:
        raise RawInputError(file, "missing property area_numbe")
    areas = areas.assign(area_number=pd.to_numeric(areas["area_numbe"]).astype(int))
    if sorted(areas["area_number"]) != list(range(1, N_AREAS + 1)):
        raise RawInputError(file, f"expected area numbers 1-{N_AREAS}, found {len(areas)} features")
    return areas[["area_number", "geometry"]].sort_values("area_number").reset_index(drop=True)


def _read_geo(file: str):
    import geopandas as gpd  # only the build needs it

    try:
        return gpd.read_file(raw_path(file))
    except (OSError, ValueError, RuntimeError) as exc:  # pyogrio's errors derive from these
        raise RawInputError(file, f"cannot be read as geographic data ({exc})") from exc


def read_wards():
    """The City Council's 50 wards in force since May 2023 (EPSG:4326) with an integer ``ward_number``."""
    file = WARDS_FILE
    wards = _read_geo(file)
    if "ward_num" not in wards.columns:
        raise RawInputError(file, "missing property ward_num")
    wards = wards.assign(ward_number=pd.to_numeric(wards["ward_num"]).astype(int))
    if sorted(wards["ward_number"]) != list(range(1, N_WARDS + 1)):
        raise RawInputError(file, f"expected wards 1-{N_WARDS}, found {len(wards)} features")
    return wards[["ward_number", "geometry"]].sort_values("ward_number").reset_index(drop=True)


def read_block_groups():
    """Cook County's 2020 block groups (TIGER/Line; polygons include water): ``geoid_bg``, ``land_m2``
    (``ALAND20``, square metres), geometry."""
    file = BLOCK_GROUPS_FILE
    groups = _read_geo(file)
    require_columns(groups, ["GEOID20", "ALAND20"], file)
    require_rows(groups, COOK_BLOCK_GROUPS_2020, file)
    groups = groups.rename(columns={"GEOID20": "geoid_bg", "ALAND20": "land_m2"})
    bad = groups.loc[~groups["geoid_bg"].str.match(r"^17031\d{7}$"), "geoid_bg"]
    if len(bad):
        raise RawInputError(file, f"malformed block group ID {bad.iloc[0]!r}")
    return groups[["geoid_bg", "land_m2", "geometry"]]


def read_block_group_households() -> pd.DataFrame:
    """Households (B28002_001E, ACS 2017-2021) of each Cook County 2020 block group: ``geoid_bg``, ``households``."""
    file = BLOCK_GROUP_HOUSEHOLDS_FILE
    frame = _read_csv(file, dtype={"GEOID_blockgroup": str})
    require_columns(frame, ["GEOID_blockgroup", "B28002_001E"], file)
    require_rows(frame, COOK_BLOCK_GROUPS_2020, file)
    frame = frame.rename(columns={"GEOID_blockgroup": "geoid_bg", "B28002_001E": "households"})
    values = pd.to_numeric(frame["households"], errors="coerce")
    if values.isna().any() or (values < 0).any():
        raise RawInputError(file, f"block group {frame.loc[values.isna() | (values < 0), 'geoid_bg'].iloc[0]}: "
                                  "households is not a count")  # fmt: skip
    return frame.assign(households=values)[["geoid_bg", "households"]]
