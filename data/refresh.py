"""Add a newer ACS 5-year vintage from the live Census API: ``python -m data.refresh --year 2023``.

Fetches B28002, B28003 and B19001 (estimates and MOEs) for Cook County tracts, validates the payload,
apportions it with CMAP's 2020 crosswalk (read from the raw inputs) and writes
``community_areas_acs5_<y-4>_<y>.csv``, ``citywide_…csv`` and the manifest entry. Any failure leaves
every existing snapshot file untouched. Set ``CENSUS_API_KEY`` (or put it in ``.streamlit/secrets.toml``)
for higher rate limits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import settings
from data import raw
from data.acs_api import API_URL, fetch_cook_tracts
from data.build import estimates_checked, manifest_bytes, manifest_entry, vintage_files, ward_crosswalk
from data.checks import check_b28002_identity, check_chicago_tracts
from data.errors import AcsError, BuildCheckError, RawInputError, SnapshotDamaged
from data.files import write_all_atomic
from data.measures import api_vintage
from data.snapshot import MANIFEST_NAME, read_manifest, with_checksums


def from_the_command_line() -> None:
    """The permission of whoever runs ``python -m data.refresh`` on the server: they can write the files anyway."""


def refresh(
    year: int, out: Path | None = None, log=print, now=None, *, authorised: Callable[[], object], **fetch_options
) -> list[Path]:
    """Fetch ACS 5-year ``year`` and write it as a snapshot vintage. Returns the files written.

    ``authorised()`` runs first and raises unless the caller may change the data (the app passes its staff
    check, the command line :func:`from_the_command_line`): a caller cannot forget to ask."""
    authorised()
    out = out or settings.snapshot_dir()
    vintage = api_vintage(year)
    log(f"1/4 fetching {vintage.label} for Cook County tracts from the Census API …")
    fetch_options.setdefault("key", settings.census_api_key())
    tracts = fetch_cook_tracts(year, **fetch_options)
    log(f"2/4 validating {len(tracts)} tracts …")
    crosswalk = raw.read_crosswalk(2020)
    try:
        check_chicago_tracts(tracts, crosswalk, estimates_checked(vintage), "Census API answer")
        check_b28002_identity(tracts)
    except BuildCheckError as exc:
        raise AcsError(f"The Census API answer failed a consistency check: {exc}", API_URL.format(year=year)) from exc
    log("3/4 apportioning to the 77 community areas …")
    files = vintage_files(vintage, tracts, crosswalk, raw.read_sides(), out, ward_crosswalk(tracts, crosswalk))
    manifest = read_manifest(out)
    retrieved = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%MZ")
    manifest["vintages"][vintage.key] = manifest_entry(
        vintage,
        [{"file": API_URL.format(year=year), "tables": "B28002, B28003, B19001 (estimates and MOEs)"}],
        retrieved=retrieved,
        has_moe=True,
    )
    files[out / MANIFEST_NAME] = manifest_bytes(with_checksums(manifest, files))
    log("4/4 writing the snapshot …")
    write_all_atomic(files)
    log(f"done: {vintage.key} added to {out}")
    return list(files)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, required=True, help="last year of the ACS 5-year period, 2020 or later")
    parser.add_argument("--out", type=Path, help="snapshot folder (default data/snapshot)")
    args = parser.parse_args(argv)
    try:
        refresh(args.year, args.out, authorised=from_the_command_line)
    except (AcsError, RawInputError, SnapshotDamaged, ValueError) as exc:
        print(f"refresh failed, snapshot unchanged: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
