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
from pathlib import Path

import settings
from data import raw
from data.checks import check_areas, check_b28002_identity, check_chicago_tracts
from data.errors import BuildCheckError, RawInputError
from data.files import sha256_of, write_all_atomic
from data.measures import VINTAGE_2015_2019, VINTAGE_2017_2021, Vintage
from data.places import place_names
from data.snapshot import (
    BOUNDARIES_NAME,
    MANIFEST_NAME,
    PLACE_NAMES_NAME,
    areas_file,
    citywide_file,
    read_manifest,
    tract_areas_file,
    tracts_file,
    with_checksums,
)
from data.tables import area_table, citywide_table, to_csv_bytes, tract_inputs
from geo.boundaries import COORD_DECIMALS, SIMPLIFY_TOLERANCE_M, to_geojson_bytes, web_boundaries

RELEASED = {"acs5_2017_2021": "2022-12-08", "acs5_2015_2019": "2020-12-10"}  # by the Census Bureau
RETRIEVED = {"acs5_2015_2019": "2022-02"}  # from the Census API, by the archive we read (month)


def vintage_files(vintage: Vintage, tracts, crosswalk, sides, out: Path) -> dict[Path, bytes]:
    """The four files of one vintage: the area and citywide tables, and the tract inputs for selections."""
    areas = area_table(tracts, crosswalk, sides, vintage)
    check_areas(areas, vintage)
    city = citywide_table(tracts, crosswalk, vintage)
    tract_table, factors = tract_inputs(tracts, crosswalk, vintage)
    return {
        areas_file(vintage.key, out): to_csv_bytes(areas),
        citywide_file(vintage.key, out): to_csv_bytes(city),
        tracts_file(vintage.key, out): to_csv_bytes(tract_table),
        tract_areas_file(vintage.key, out): to_csv_bytes(factors),
    }


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
    files |= vintage_files(VINTAGE_2017_2021, acs2021, xwalk2020, sides, out)
    files |= vintage_files(VINTAGE_2015_2019, acs2019, xwalk2010, sides, out)
    log(f"tables computed in {time.perf_counter() - started:.2f} s")

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
    except (RawInputError, BuildCheckError) as exc:
        print(f"build failed, snapshot unchanged: {exc}", file=sys.stderr)
        print(f"raw inputs looked for in: {settings.raw_data_dir()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
