"""Wards: the method's error where the truth is known, ward households against the city, a ward selection's total
and MOE against a tract-level computation, and the pages by ward."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data import selection, snapshot
from data.geographies import WARD
from data.moe import Z90
from settings import REPO_ROOT, SNAPSHOT_DIR
from tests.support.snapshot import MAIN, place_table

MANIFEST = snapshot.read_manifest(SNAPSHOT_DIR)
WARDS = place_table(MAIN, geography=WARD)


@pytest.mark.parametrize("measure", ["households", "no_subscription"])
def test_the_ward_method_run_on_community_areas_lands_within_the_required_error(measure):
    """Recorded by the build: the same method on the 77 areas against CMAP's block-based factors."""
    figures = MANIFEST["wards"]["validation"][measure]
    assert figures["median_pct"] <= 0.2 and figures["p90_pct"] <= 1.0 and figures["max_pct"] <= 7.0
    assert {number for number, _off in figures["worst"]} <= {32, 76, 8, 75}  # the Loop and O'Hare lead


def test_fifty_wards_whose_households_add_up_to_the_city_within_half_a_percent():
    assert list(WARDS.rows.index) == list(range(1, 51))
    assert WARDS.rows["households"].sum() == pytest.approx(WARDS.city["households"], rel=0.005)
    assert WARDS.rows["no_subscription"].sum() == pytest.approx(WARDS.city["no_subscription"], rel=0.005)
    assert (WARDS.rows["no_subscription_cv"] > 0).all()


def by_hand(measure_lines: list[str], factors: pd.DataFrame, tracts: pd.DataFrame) -> tuple[float, float]:
    """A selection's estimate and MOE computed here, tract by tract: each tract's factors added first (one estimate
    per tract), then Σ w·E and √Σ(w·MOE)² over the lines, the largest zero-estimate MOE counted once."""
    weights = factors.groupby("geoid")["hh_pct"].sum()
    estimate, squares, zero_moes = 0.0, 0.0, []
    for geoid, weight in weights.items():
        row = tracts.loc[tracts["geoid"] == geoid].iloc[0]
        for line in measure_lines:
            estimate += weight * row[f"{line}E"]
            if row[f"{line}E"] == 0:
                zero_moes.append(weight * row[f"{line}M"])
            else:
                squares += (weight * row[f"{line}M"]) ** 2
    return estimate, math.sqrt(squares + max(zero_moes, default=0.0) ** 2)


@pytest.mark.parametrize("wards", [[20], [3, 4, 20], list(range(1, 51))])
def test_a_ward_selection_s_total_and_moe_match_a_tract_level_computation(wards):
    inputs = WARDS.tract_inputs()
    estimate, moe = selection.selection_estimate(inputs, "no_subscription", wards)
    factors = inputs.crosswalk.loc[inputs.crosswalk["ward_number"].isin(wards)]
    expected, expected_moe = by_hand(["B28002_012", "B28002_013"], factors, inputs.tracts)
    assert estimate == pytest.approx(expected, rel=1e-12) and moe == pytest.approx(expected_moe, rel=1e-12)
    if len(wards) == 1:  # one ward's total is its row of the ward table
        row = WARDS.row(wards[0])
        assert estimate == pytest.approx(row["no_subscription"]) and moe == pytest.approx(row["no_subscription_moe"])


def test_all_fifty_wards_give_the_citywide_figure_within_its_margin_of_error():
    estimate, moe = selection.selection_estimate(WARDS.tract_inputs(), "no_subscription", range(1, 51))
    city, city_moe = WARDS.city["no_subscription"], WARDS.city["no_subscription_moe"]
    assert abs(estimate - city) < city_moe / Z90  # well inside the city's own margin
    assert moe == pytest.approx(city_moe, rel=0.02)


def test_a_ward_names_its_community_areas_by_their_share_of_its_households():
    shares = WARDS.overlaps(20)
    areas = place_table(MAIN).names()
    assert [areas[n] for n in shares.index[:2]] == ["Woodlawn", "Washington Park"]
    assert shares.sum() == pytest.approx(100)
    englewood = place_table(MAIN).overlaps(68)
    assert englewood.index[0] in (6, 16, 17, 20) and englewood.sum() == pytest.approx(100)


def run(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.slow
def test_the_ward_map_opens_on_its_ward_with_a_profile_naming_its_community_areas():
    at = run("pages/1_Map.py", {"geo": "ward", "ward": "20", "measure": "no_computer"})
    assert at.radio(key="geo").value == "ward" and at.selectbox(key="ward").value == 20
    assert [h.value for h in at.subheader][:2] == ["Ward 20", "Profile of Ward 20"]
    assert any("Ward 20 covers these community areas" in m.value and "Woodlawn" in m.value for m in at.markdown)
    table = at.dataframe[-1].value
    assert len(table) == 50 and "Rank of 50" in table.columns and "Side" not in table.columns
    assert dict(at.query_params) in ({"geo": "ward", "ward": "20", "measure": "no_computer"},
                                     {"geo": ["ward"], "ward": ["20"], "measure": ["no_computer"]})  # fmt: skip


@pytest.mark.slow
def test_the_ward_map_in_spanish_says_distrito():
    at = run("pages/1_Map.py", {"geo": "ward", "ward": "20", "lang": "es"})
    assert at.subheader[0].value == "Distrito 20"
    assert at.selectbox(key="ward").label == "Buscar un distrito"


@pytest.mark.slow
def test_wards_for_a_period_on_2010_tracts_are_explained_in_words():
    at = run("pages/1_Map.py", {"geo": "ward", "vintage": "acs5_2015_2019"})
    assert any("no figures by wards" in i.value for i in at.info)
    assert not at.get("component_instance")


@pytest.mark.slow
def test_the_planner_filters_wards_and_its_link_keeps_the_geography():
    at = run("pages/2_Planner.py", {"geo": "ward", "min_pct": "20"})
    expected = WARDS.rows.loc[WARDS.rows["no_subscription_pct"] >= 20, "name"]
    assert at.subheader[0].value == f"{len(expected)} of 50 wards selected"
    assert set(at.dataframe[0].value["Ward"]) == set(expected)
    assert not [m for m in at.multiselect if m.key == "p_sides"]  # wards have no sides


@pytest.mark.slow
def test_home_names_the_least_connected_wards_beside_the_community_areas():
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    headings = [s.value for s in at.subheader]
    assert "Five least-connected community areas" in headings and "Five least-connected wards" in headings
    wards = at.dataframe[2].value["Ward"].tolist()
    assert wards == WARDS.rows.nlargest(5, "no_subscription_pct")["name"].tolist()


# ------------------------------------------------------------------ notes by ward


@pytest.mark.parametrize(
    ("text", "wards"),
    [
        ("Met the 20th Ward office about the library hours", [20]),
        ("Ward 3 and ward #7 residents came", [3, 7]),
        ("Reunión con vecinos del distrito 16 y del Distrito núm. 45", [16, 45]),
        ("An awkward 5 minutes; ward 99 is not a ward; toward 12", []),
    ],
)
def test_a_note_naming_a_ward_suggests_it(text, wards):
    from notes.places import suggest_wards

    assert suggest_wards(text) == wards


def staff_store(tmp_path):
    from notes import accounts
    from tests.support.accounts import PASSWORD, STAFF, store_with_accounts

    engine = store_with_accounts(f"sqlite:///{tmp_path / 'wards.db'}")
    return engine, accounts.sign_in(engine, STAFF, PASSWORD)


def test_an_uploaded_note_naming_a_ward_is_tagged_with_it_and_found_by_ward(tmp_path):
    from notes import store
    from notes.places import AreaLookup
    from notes.uploads import read_batch

    engine, staff = staff_store(tmp_path)
    text = b"Woodlawn library visit\nResidents of the 20th Ward said the hotspots ran out."
    batch = read_batch([("woodlawn.txt", text)], AreaLookup(place_table(MAIN).names()), [], {"Woodlawn": (42,)})
    assert batch.drafts[0].wards == [20] and batch.drafts[0].areas == [42]
    store.add_notes(engine, staff, batch.drafts)
    assert [n.title for n in store.notes_about(engine, "ward", [20], staff)] == ["Woodlawn library visit"]
    assert store.count_by_place(engine, staff, geography="ward") == {20: 1}
    assert store.search(engine, account=staff, wards=[21]) == []
    with pytest.raises(store.NoteRejected, match="Ward numbers run from 1 to 50"):
        store.add_notes(engine, staff, [store.NoteDraft("t", "b", wards=[51])])


@pytest.mark.slow
def test_a_ward_profile_shows_its_notes_and_labelled_those_of_its_community_areas(tmp_path, monkeypatch):
    from notes import store

    monkeypatch.setenv("EQUITY_DATABASE_URL", f"sqlite:///{tmp_path / 'wards.db'}")
    engine, staff = staff_store(tmp_path)
    store.add_notes(engine, staff, [
        store.NoteDraft("Ward 20 office hours", "Seniors asked for help", wards=[20], visibility="public"),
        store.NoteDraft("Woodlawn block club", "Prices again", areas=[42], visibility="public"),
    ])  # fmt: skip
    at = run("pages/1_Map.py", {"geo": "ward", "ward": "20"})
    texts = [t.value for t in at.text]
    assert "Ward 20 office hours" in texts and "Woodlawn block club" in texts
    assert any(m.value == "**Notes about the community areas Ward 20 covers**" for m in at.markdown)
    assert texts.index("Ward 20 office hours") < texts.index("Woodlawn block club")  # its own notes first
