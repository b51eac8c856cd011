"""A damaged input never reaches the snapshot; Census special values follow the Census notes; a damaged
snapshot file is named in the app instead of showing a half table. Damaged files are made in the test run
from scratch copies of the raw inputs (never committed)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data import build, places, raw, snapshot
from data.errors import BuildCheckError, RawInputError, RawProblem, SnapshotDamaged, SnapshotProblem
from settings import REPO_ROOT, SNAPSHOT_DIR, raw_data_dir
from tests.support.raw import needs_raw

ENGLEWOOD_TRACT = "17031680500"  # a tract wholly inside Englewood (area 68)


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    """Every raw input the build reads, copied to a scratch folder the test may damage."""
    source, target = raw_data_dir(), tmp_path / "raw"
    files = [raw.ACS_2021_FILE, raw.ACS_2019_AGGREGATE_FILE, raw.ACS_2019_PROFILE_FILE, raw.SIDES_FILE,
             raw.COMMUNITY_AREAS_FILE, places.NEIGHBORHOODS_FILE, *raw.CROSSWALK_FILES.values(), raw.WARDS_FILE,
             raw.BLOCK_GROUPS_FILE, raw.BLOCK_GROUP_HOUSEHOLDS_FILE]  # fmt: skip
    for rel in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source / rel, target / rel)
    monkeypatch.setenv("EQUITY_RAW_DATA", str(target))
    return target


@pytest.fixture
def snapshot_copy(tmp_path):
    out = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, out)
    return out


def fingerprint(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def set_cell(raw_folder, geoid: str, column: str, value) -> None:
    path = raw_folder / raw.ACS_2021_FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["GEOID"] == geoid, column] = str(value)
    frame.to_csv(path, index=False)


def cut_row(raw_folder, geoid: str) -> None:
    path = raw_folder / raw.ACS_2021_FILE
    lines = path.read_text().splitlines(keepends=True)
    lines = [line[: len(line) // 2] + "\n" if line.startswith(geoid) else line for line in lines]
    path.write_text("".join(lines))


DAMAGE = {
    "special value in an estimate": (
        lambda folder: set_cell(folder, ENGLEWOOD_TRACT, "B28002_012E", -666666666),
        r"tract 17031680500, column B28002_012E: Census special value -666666666",
    ),
    "a cell that is not a number": (
        lambda folder: set_cell(folder, ENGLEWOOD_TRACT, "B28003_006E", "12a"),
        r"tract 17031680500, column B28003_006E: missing or not a number",
    ),
    "a negative count that is not a Census code": (
        lambda folder: set_cell(folder, ENGLEWOOD_TRACT, "B28003_006E", -5),
        r"tract 17031680500, column B28003_006E: -5 is negative",
    ),
}


WATER_TRACT = "17031990000"  # Lake Michigan: no households, the raw table's last row


def cut_last_line_inside_its_last_field(raw_folder) -> None:
    path = raw_folder / raw.ACS_2021_FILE
    path.write_bytes(path.read_bytes().rstrip(b"\n")[:-3])


CUT = {
    "a Chicago tract's row cut mid-way": (lambda folder: cut_row(folder, ENGLEWOOD_TRACT), RawProblem.ROW_CUT_SHORT),
    "the water tract's last row cut mid-way": (lambda folder: cut_row(folder, WATER_TRACT), RawProblem.ROW_CUT_SHORT),
    "the last row cut inside its last field": (cut_last_line_inside_its_last_field, RawProblem.NO_FINAL_LINE_BREAK),
}


@needs_raw
@pytest.mark.parametrize("case", CUT, ids=list(CUT))
def test_a_row_cut_mid_way_is_refused_even_in_a_tract_the_build_does_not_use(case, raw_copy, snapshot_copy, capsys):
    """A raw table whose row was cut short is refused by name, with a code, wherever the row is: the Lake Michigan
    water tract's last row too, though no community area uses it."""
    damage, problem = CUT[case]
    damage(raw_copy)
    before = fingerprint(snapshot_copy)
    with pytest.raises(RawInputError) as refused:
        build.build(snapshot_copy, log=lambda *_: None)
    assert refused.value.file == raw.ACS_2021_FILE and refused.value.reason is problem
    assert build.main(["--out", str(snapshot_copy)]) == 1
    assert "build failed, snapshot unchanged" in capsys.readouterr().err
    assert fingerprint(snapshot_copy) == before


def test_the_snapshot_s_line_endings_are_never_converted_by_a_checkout():
    """A CRLF checkout would break every checksum: git keeps the snapshot's bytes as they are."""
    import subprocess

    answer = subprocess.run(["git", "check-attr", "text", "--", "data/snapshot/vintages.json"], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert answer.strip().endswith("text: unset")


@needs_raw
@pytest.mark.parametrize("case", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_chicago_tract_is_refused_and_the_snapshot_is_untouched(case, raw_copy, snapshot_copy, capsys):
    damage, message = DAMAGE[case]
    damage(raw_copy)
    before = fingerprint(snapshot_copy)
    with pytest.raises(BuildCheckError, match=raw.ACS_2021_FILE.replace(".", r"\.") + ": " + message):
        build.build(snapshot_copy, log=lambda *_: None)
    assert build.main(["--out", str(snapshot_copy)]) == 1
    assert "build failed, snapshot unchanged" in capsys.readouterr().err
    assert fingerprint(snapshot_copy) == before


@pytest.mark.slow  # runs the whole build (the ward overlays take seconds)
@needs_raw
def test_a_controlled_estimate_s_moe_is_zero_and_an_uncomputable_moe_is_not_available(raw_copy, tmp_path):
    set_cell(raw_copy, ENGLEWOOD_TRACT, "B28002_012M", -555555555)
    controlled = tmp_path / "controlled"
    build.build(controlled, log=lambda *_: None)
    tracts, _ = snapshot.read_tract_inputs("acs5_2017_2021", controlled)
    assert tracts.set_index("geoid").at[ENGLEWOOD_TRACT, "B28002_012M"] == 0
    assert not snapshot.read_citywide("acs5_2017_2021", controlled)[["no_subscription_moe"]].isna().any()

    set_cell(raw_copy, ENGLEWOOD_TRACT, "B28002_013M", -222222222)
    missing = tmp_path / "missing"
    build.build(missing, log=lambda *_: None)
    areas = snapshot.read_areas("acs5_2017_2021", missing).set_index("area_number")
    city = snapshot.read_citywide("acs5_2017_2021", missing)
    assert pd.isna(areas.at[68, "no_subscription_moe"]) and pd.isna(city["no_subscription_moe"])
    assert not pd.isna(areas.at[1, "no_subscription_moe"])  # other areas keep theirs
    assert areas.at[68, "no_subscription_reliability"] == "no margin of error"


def open_page(page: str = "app.py") -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    if page != "app.py":
        at.switch_page(page)
    return at.run()


@pytest.mark.slow  # runs the whole build (the ward overlays take seconds)
@needs_raw
def test_home_says_the_margin_is_not_available_and_claims_no_agreement(raw_copy, tmp_path, monkeypatch):
    set_cell(raw_copy, ENGLEWOOD_TRACT, "B28002_013M", -222222222)
    build.build(tmp_path / "snap", log=lambda *_: None)
    monkeypatch.setenv("EQUITY_SNAPSHOT_DIR", str(tmp_path / "snap"))
    at = open_page()
    assert not at.exception
    text = " ".join(e.value for e in [*at.markdown, *at.caption])
    assert "No Internet subscription: margin of error not available, so no comparison is made." in text
    assert "lies outside" not in text and "– to –" not in text


@pytest.mark.slow
@pytest.mark.parametrize("page", ["app.py", "pages/1_Map.py", "pages/2_Planner.py"])
def test_a_damaged_snapshot_file_is_named_with_how_to_rebuild_it(page, snapshot_copy, monkeypatch):
    path = snapshot_copy / "community_areas_acs5_2017_2021.csv"
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:40]))  # half a table
    monkeypatch.setenv("EQUITY_SNAPSHOT_DIR", str(snapshot_copy))
    at = open_page(page)
    assert not at.exception and not at.dataframe and not at.metric
    [error] = [e.value for e in at.error]
    assert "community_areas_acs5_2017_2021.csv" in error and "make build" in error
    assert str(snapshot_copy) not in error  # no server path


def _edit_manifest(folder, change) -> None:
    path = folder / snapshot.MANIFEST_NAME
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


MANIFEST_DAMAGE = {
    "cut short": lambda folder: (folder / snapshot.MANIFEST_NAME).write_text(
        (folder / snapshot.MANIFEST_NAME).read_text()[:500]
    ),
    "a file entry removed": lambda folder: _edit_manifest(
        folder, lambda m: m["files"].pop("community_areas_acs5_2017_2021.csv")
    ),
    "the files key removed": lambda folder: _edit_manifest(folder, lambda m: m.pop("files")),
    "a main period with a path": lambda folder: _edit_manifest(
        folder, lambda m: m.update(main_vintage="../../etc/hostname")
    ),
    "a file entry outside the folder": lambda folder: _edit_manifest(
        folder, lambda m: m["files"].update({"../../etc/hostname": "0" * 64})
    ),
    "a period that is not one": lambda folder: _edit_manifest(
        folder, lambda m: m["vintages"].update({"acs5_2018_2099": m["vintages"]["acs5_2017_2021"]})
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", MANIFEST_DAMAGE, ids=list(MANIFEST_DAMAGE))
def test_a_damaged_manifest_is_named_and_never_served(case, snapshot_copy, monkeypatch):
    """A snapshot whose manifest was cut, stripped of its checksums or pointed outside its folder is refused in
    words on every page: nothing is read outside the folder, and no unchecked table is served."""
    MANIFEST_DAMAGE[case](snapshot_copy)
    monkeypatch.setenv("EQUITY_SNAPSHOT_DIR", str(snapshot_copy))
    at = open_page("pages/1_Map.py")
    assert not at.exception and not at.dataframe and not at.metric
    [error] = [e.value for e in at.error]
    assert "make build" in error and str(snapshot_copy) not in error


def test_the_committed_snapshot_verifies_and_a_missing_file_is_named(snapshot_copy):
    snapshot.verify(SNAPSHOT_DIR)
    (snapshot_copy / "tracts_acs5_2017_2021.csv").unlink()
    with pytest.raises(SnapshotDamaged, match="tracts_acs5_2017_2021.csv is missing"):
        snapshot.verify(snapshot_copy)


def test_changes_compare_with_the_newest_earlier_period():
    periods = ["acs5_2019_2023", "acs5_2017_2021", "acs5_2015_2019"]
    assert snapshot.earlier_vintage(periods, "acs5_2019_2023") == "acs5_2017_2021"
    assert snapshot.earlier_vintage(periods, "acs5_2017_2021") == "acs5_2015_2019"
    assert snapshot.earlier_vintage(periods, "acs5_2015_2019") is None


def test_an_edit_that_keeps_a_file_s_size_and_modification_time_is_noticed_while_the_server_runs(
    snapshot_copy, monkeypatch
):
    """An editor that puts a file's size and modification time back (``os.utime``) still cannot pass it off as
    the verified one: the server's cached check is keyed on what the editor cannot restore."""
    import os

    from ui import cache

    monkeypatch.setenv("EQUITY_SNAPSHOT_DIR", str(snapshot_copy))
    assert cache.snapshot_problem() is None
    path = snapshot_copy / "community_areas_acs5_2017_2021.csv"
    before = path.stat()
    text = path.read_text()
    digit = next(i for i, ch in enumerate(text) if ch.isdigit() and i > text.index("\n"))
    path.write_text(text[:digit] + str((int(text[digit]) + 1) % 10) + text[digit + 1 :])
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    problem = cache.snapshot_problem()
    assert problem is not None and problem.file == path.name and problem.problem is SnapshotProblem.CHANGED
