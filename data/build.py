"""Build the committed snapshot from the raw inputs: ``python -m data.build``.

Reads ``../shared/data`` (or ``$EQUITY_RAW_DATA``), checks the inputs, computes the 77-area tables and
the citywide summary for each vintage in the raw inputs, simplifies the boundaries, then writes
everything under ``data/snapshot/`` (or ``--out``) atomically. Deterministic: a second build is
byte-identical. Vintages added by ``python -m data.refresh`` are kept.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import settings
from data import raw
from data.checks import check_areas, check_b28002_identity, check_chicago_tracts
from data.errors import BuildCheckError, RawInputError, SnapshotDamaged
from data.files import sha256_of, write_all_atomic
from data.geographies import GEOGRAPHIES, WARD
from data.measures import VINTAGE_2015_2019, VINTAGE_2017_2021, Vintage
from data.places import place_names
from data.snapshot import (
    BOUNDARIES_NAME,
    MANIFEST_NAME,
    OVERLAPS_NAME,
    PLACE_NAMES_NAME,
    areas_file,
    citywide_file,
    read_manifest,
    tract_areas_file,
    tracts_file,
    with_checksums,
)
from data.tables import area_table, citywide_table, place_rows, to_csv_bytes, tract_inputs
from data.wards import land_shares, tract_factors, validation, zone_households
from geo.boundaries import COORD_DECIMALS, SIMPLIFY_TOLERANCE_M, to_geojson_bytes, web_boundaries, web_places

RELEASED = {"acs5_2017_2021": "2022-12-08", "acs5_2015_2019": "2020-12-10"}  # by the Census Bureau
RETRIEVED = {"acs5_2015_2019": "2022-02"}  # from the Census API, by the archive we read (month)


def vintage_files(vintage: Vintage, tracts, crosswalk, sides, out: Path, wards=None) -> dict[Path, bytes]:
    """The files of one vintage: the area and citywide tables, the ward table when ``wards`` (a
    :class:`WardCrosswalk`) is given, and the tract inputs for selections of either (every tract either needs)."""
    areas = area_table(tracts, crosswalk, sides, vintage)
    check_areas(areas, vintage)
    city = citywide_table(tracts, crosswalk, vintage)
    tract_table, factors = tract_inputs(tracts, crosswalk, vintage)
    files = {
        areas_file(vintage.key, out): to_csv_bytes(areas),
        citywide_file(vintage.key, out): to_csv_bytes(city),
        tract_areas_file(vintage.key, out): to_csv_bytes(factors),
    }
    if wards is not None:
        ward_tracts, ward_factors = tract_inputs(tracts, wards.factors, vintage, WARD.number)
        tract_table = pd.concat([tract_table, ward_tracts]).drop_duplicates("geoid").sort_values("geoid")
        files[areas_file(vintage.key, out, WARD)] = to_csv_bytes(ward_table(vintage, tracts, wards, city))
        files[tract_areas_file(vintage.key, out, WARD)] = to_csv_bytes(ward_factors)
    files[tracts_file(vintage.key, out)] = to_csv_bytes(tract_table.reset_index(drop=True))
    return files


WARD_HOUSEHOLDS_TOLERANCE_PCT = 0.5  # ward households add up to the citywide households within this
VALIDATION_LIMITS = {"median_pct": 0.2, "p90_pct": 1.0, "max_pct": 7.0}  # the ward method's error on the 77 areas


@dataclass(frozen=True)
class WardCrosswalk:
    """Tract → ward household factors (``geoid, ward_number, hh_pct``), the households of each ward in each
    community area, the method's error measured on the community areas, and the ward polygons."""

    factors: pd.DataFrame
    ward_areas: pd.DataFrame
    validation: dict
    polygons: object


def ward_crosswalk(tracts, area_crosswalk) -> WardCrosswalk:
    """The tract → ward crosswalk from 2020 block groups (:mod:`data.wards`), checked on the community areas
    against CMAP's block-based factors (``area_crosswalk``); refuses a method that misses the limits."""
    groups, households = raw.read_block_groups(), raw.read_block_group_households()
    wards, areas = raw.read_wards(), raw.read_city_community_areas()
    ward_factors = tract_factors(land_shares(groups, wards, "ward_number"), households, "ward_number")
    area_factors = tract_factors(land_shares(groups, areas, "area_number"), households, "area_number")
    figures = validation(area_factors, area_crosswalk, tracts)
    for measure, measured in figures.items():
        for figure, limit in VALIDATION_LIMITS.items():
            if measured[figure] > limit:
                raise BuildCheckError(f"ward method: {measure} {figure} {measured[figure]} % exceeds {limit} %")
    joint = zone_households(groups, households, wards, "ward_number", areas, "area_number")
    return WardCrosswalk(ward_factors, joint, figures, wards)


def ward_places() -> pd.DataFrame:
    """The wards' numbers and names ("Ward 20")."""
    numbers = pd.Series(range(1, WARD.count + 1), name="ward_number")
    return pd.DataFrame({"ward_number": numbers, "ward_name": "Ward " + numbers.astype(str)})


def ward_table(vintage: Vintage, tracts, wards: WardCrosswalk, city: pd.DataFrame) -> pd.DataFrame:
    """The 50-row ward table of one period on 2020 tracts, checked against the citywide households."""
    table = place_rows(tracts, wards.factors, ward_places(), vintage, WARD)
    off = abs(table["households"].sum() / city["households"].iloc[0] - 1) * 100
    if len(table) != WARD.count or table["households"].isna().any() or off > WARD_HOUSEHOLDS_TOLERANCE_PCT:
        raise BuildCheckError(f"{vintage.key}: ward households are {off:.2f} % off the citywide households")
    return table


def geography_keys(vintage: Vintage) -> list[str]:
    """The geographies a period has figures for (wards only on 2020 tracts)."""
    return [g.key for g in GEOGRAPHIES.values() if vintage.tract_year in g.tract_years]


def estimates_checked(vintage: Vintage) -> list[str]:
    """The estimate columns every Chicago tract must have: the recipe's lines (and, for B28002, the line
    the table's own identity check needs)."""
    columns = [f"{v}E" for v in vintage.variables]
    return sorted({*columns, "B28002_002E"}) if "B28002_001" in vintage.variables else columns


def raw_sources(*files: str) -> list[dict]:
    """Raw input files with their SHA-256, so the manifest says exactly what a vintage was built from."""
    return [{"file": f, "sha256": sha256_of(raw.raw_path(f))} for f in files]


def manifest_entry(vintage: Vintage, sources: list[dict], **extra) -> dict:
    """What the About page says about a vintage, as facts and codes (the interface words them)."""
    return {
        "tract_year": vintage.tract_year,
        "crosswalk": raw.CROSSWALK_FILES[vintage.tract_year],
        "missing_measures": vintage.missing_measures,
        "geographies": geography_keys(vintage),
        "notes": [str(note) for note in vintage.notes],
        "sources": sources,
        **extra,
    }


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def build(out: Path | None = None, log=print) -> dict[Path, bytes]:
    """Compute and write the snapshot; returns what was written (path → bytes)."""
    out = out or settings.snapshot_dir()
    started = time.perf_counter()
    sides = raw.read_sides()
    xwalk2020, xwalk2010 = raw.read_crosswalk(2020), raw.read_crosswalk(2010)

    acs2021 = raw.read_acs_2017_2021()
    check_chicago_tracts(acs2021, xwalk2020, estimates_checked(VINTAGE_2017_2021), raw.ACS_2021_FILE)
    check_b28002_identity(acs2021)
    acs2019 = raw.read_acs_2015_2019()
    check_chicago_tracts(acs2019, xwalk2010, estimates_checked(VINTAGE_2015_2019), raw.ACS_2019_SOURCES)

    files = {}
    wards = ward_crosswalk(acs2021, xwalk2020)
    files |= vintage_files(VINTAGE_2017_2021, acs2021, xwalk2020, sides, out, wards)
    files |= vintage_files(VINTAGE_2015_2019, acs2019, xwalk2010, sides, out)
    log(f"tables computed in {time.perf_counter() - started:.2f} s")
    files[out / OVERLAPS_NAME] = to_csv_bytes(wards.ward_areas)
    files[out / WARD.boundaries] = to_geojson_bytes(web_places(wards.polygons, ward_places(), "ward_number"))
    log(f"wards: crosswalk from block groups, method within {wards.validation['households']['max_pct']} % on the areas")

    files[out / PLACE_NAMES_NAME] = to_csv_bytes(place_names(sides))
    boundaries = web_boundaries(raw.read_city_community_areas(), sides)
    files[out / BOUNDARIES_NAME] = to_geojson_bytes(boundaries)
    log(f"boundaries simplified ({len(files[out / BOUNDARIES_NAME]) / 1000:.0f} kB)")

    manifest = read_manifest(out)
    manifest["vintages"][VINTAGE_2017_2021.key] = manifest_entry(
        VINTAGE_2017_2021,
        raw_sources(raw.ACS_2021_FILE, raw.CROSSWALK_FILES[2020], raw.SIDES_FILE),
        released=RELEASED[VINTAGE_2017_2021.key],
        has_moe=True,
    )
    manifest["vintages"][VINTAGE_2015_2019.key] = manifest_entry(
        VINTAGE_2015_2019,
        raw_sources(raw.ACS_2019_AGGREGATE_FILE, raw.ACS_2019_PROFILE_FILE, raw.CROSSWALK_FILES[2010], raw.SIDES_FILE),
        released=RELEASED[VINTAGE_2015_2019.key],
        retrieved=RETRIEVED[VINTAGE_2015_2019.key],
        has_moe=False,
    )
    manifest["main_vintage"] = VINTAGE_2017_2021.key  # the period the City's published figures match
    manifest["wards"] = {
        "method": "block_group_land_share",  # data.wards: 2020 block groups' households shared by land area
        "sources": raw_sources(raw.WARDS_FILE, raw.BLOCK_GROUPS_FILE, raw.BLOCK_GROUP_HOUSEHOLDS_FILE),
        "validation": wards.validation,  # the same method on the 77 areas against CMAP's block-based factors
    }
    manifest["boundaries"] = {
        "file": BOUNDARIES_NAME,
        "source": raw.COMMUNITY_AREAS_FILE,
        "sha256": sha256_of(raw.raw_path(raw.COMMUNITY_AREAS_FILE)),
        "method": "coverage",  # GEOS coverage simplification in EPSG:26971: shared borders stay identical
        "tolerance_m": SIMPLIFY_TOLERANCE_M,
        "coordinate_decimals": COORD_DECIMALS,
    }
    files[out / MANIFEST_NAME] = manifest_bytes(with_checksums(manifest, files))

    write_all_atomic(files)
    log(f"snapshot written to {out} in {time.perf_counter() - started:.2f} s")
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="snapshot folder (default data/snapshot)")
    args = parser.parse_args(argv)
    try:
        build(args.out)
    except (RawInputError, BuildCheckError, SnapshotDamaged) as exc:
        print(f"build failed, snapshot unchanged: {exc}", file=sys.stderr)
        print(f"raw inputs looked for in: {settings.raw_data_dir()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
