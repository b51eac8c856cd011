"""The snapshot build: published figures, the committed snapshot, determinism and atomicity."""

import io
import json
import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest

from data import build, snapshot
from data.errors import RawInputError
from settings import REPO_ROOT, SNAPSHOT_DIR, raw_data_dir
from tests.support.raw import needs_raw

MAIN = "acs5_2017_2021"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    if not (raw_data_dir() / "PROVENANCE.md").is_file():
        pytest.skip("raw inputs absent: cannot rebuild the snapshot")
    out = tmp_path_factory.mktemp("snapshot")
    build.build(out, log=lambda *_: None)
    return out


def test_citywide_figures_match_the_published_sums():
    """PROVENANCE.md (beside the raw inputs) and the README's Checks: households 1,112,450; no subscription 171,879
    (the City's "172K"); no broadband 173,211; no computer 91,220."""
    city = snapshot.read_citywide(MAIN, SNAPSHOT_DIR)
    assert round(city["households"]) == 1_112_450
    assert round(city["no_subscription"]) == 171_879
    assert round(city["no_broadband"]) == 173_211
    assert round(city["no_computer"]) == 91_220
    assert round(city["no_subscription_moe"]) == 3_435
    assert city["no_subscription_reliability"] == "reliable"


def test_shares_and_cvs_are_kept_unrounded_so_the_pages_round_once():
    city = snapshot.read_citywide(MAIN, SNAPSHOT_DIR)
    assert city["no_subscription_pct"] == pytest.approx(15.4505, abs=1e-4)  # 15.5 %, not 15.45 → 15.4
    assert f"{city['no_subscription_pct']:.1f}" == "15.5"
    montclare = snapshot.read_areas(MAIN, SNAPSHOT_DIR).set_index("area_name").loc["Montclare"]
    assert 14.99 < montclare["no_broadband_cv"] < 15  # 14.998: reliable, not "use with caution"
    assert montclare["no_broadband_reliability"] == "reliable"


def test_area_tables_follow_the_contract():
    for vintage in ("acs5_2017_2021", "acs5_2015_2019"):
        table = pd.read_csv(snapshot.areas_file(vintage, SNAPSHOT_DIR))
        assert list(table.columns) == snapshot.COLUMNS
        assert sorted(table["area_number"]) == list(range(1, 78))
        assert table["households"].notna().all()
    older = pd.read_csv(snapshot.areas_file("acs5_2015_2019", SNAPSHOT_DIR))
    assert older["cellular_only"].isna().all() and older["no_subscription_moe"].isna().all()


def test_area_values_sum_to_the_citywide_total():
    table = snapshot.read_areas(MAIN, SNAPSHOT_DIR)
    city = snapshot.read_citywide(MAIN, SNAPSHOT_DIR)
    assert table["no_subscription"].sum() == pytest.approx(city["no_subscription"], rel=1e-12)
    englewood = table.set_index("area_name").loc["Englewood"]
    assert englewood["side"] == "Southwest Side"
    assert englewood["no_subscription_pct"] == pytest.approx(
        englewood["no_subscription"] / englewood["households"] * 100, rel=1e-12
    )


def test_boundaries_are_light_and_complete():
    path = SNAPSHOT_DIR / snapshot.BOUNDARIES_NAME
    assert path.stat().st_size <= 250_000
    areas = gpd.read_file(path)
    assert sorted(areas["area_number"].astype(int)) == list(range(1, 78))
    assert {"area_name", "side"} <= set(areas.columns)
    metric = areas.to_crs(26971)
    assert metric.is_valid.all()
    # shared borders identical: the union has the same area as the parts (no overlaps) and one outline
    assert metric.area.sum() == pytest.approx(metric.union_all().area, rel=1e-9)


@pytest.mark.slow  # runs the whole build (the ward overlays take seconds)
@needs_raw
def test_committed_snapshot_equals_a_fresh_build(rebuilt):
    for path in SNAPSHOT_DIR.iterdir():
        if path.name == snapshot.MANIFEST_NAME or path.name.startswith("."):
            continue
        if (rebuilt / path.name).exists():
            assert (rebuilt / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs from a rebuild"
    committed = json.loads((SNAPSHOT_DIR / snapshot.MANIFEST_NAME).read_text())
    fresh = json.loads((rebuilt / snapshot.MANIFEST_NAME).read_text())
    for key, entry in fresh["vintages"].items():
        assert committed["vintages"][key] == entry
    assert committed["boundaries"] == fresh["boundaries"]


def build_in_a_new_process(out) -> dict[str, bytes]:
    subprocess.run([sys.executable, "-m", "data.build", "--out", str(out)], cwd=REPO_ROOT, check=True,
                   capture_output=True, env=os.environ | {"PYTHONHASHSEED": "random"})  # fmt: skip
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.mark.slow
@needs_raw
def test_two_builds_in_separate_processes_are_byte_identical(tmp_path):
    first, second = build_in_a_new_process(tmp_path / "a"), build_in_a_new_process(tmp_path / "b")
    assert list(first) == list(second) and len(first) >= 6
    for name, payload in first.items():
        assert second[name] == payload, f"{name} differs between two builds"


@needs_raw
def test_failed_build_leaves_the_snapshot_untouched(rebuilt, monkeypatch):
    before = {p.name: p.read_bytes() for p in rebuilt.iterdir()}

    def broken_boundaries():
        raise RawInputError("geo/x.geojson", "cannot be read")

    monkeypatch.setattr(build.raw, "read_city_community_areas", broken_boundaries)
    with pytest.raises(RawInputError):
        build.build(rebuilt, log=lambda *_: None)
    assert {p.name: p.read_bytes() for p in rebuilt.iterdir()} == before


def test_atomic_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from data import files

    target = tmp_path / "x.csv"
    target.write_text("old")

    def fail(*_):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(OSError):
        files.write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_geojson_bytes_are_deterministic():
    from geo.boundaries import to_geojson_bytes

    areas = gpd.read_file(SNAPSHOT_DIR / snapshot.BOUNDARIES_NAME)
    first = to_geojson_bytes(areas)
    assert first == to_geojson_bytes(areas)
    assert len(gpd.read_file(io.BytesIO(first))) == 77
