"""Planner filters, shareable links and the selection summary."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data import selection, snapshot
from data.analysis import Significance
from data.measures import GAP_MEASURES, VINTAGE_2017_2021
from settings import SNAPSHOT_DIR
from tests.support.snapshot import boundaries, place_table
from ui.downloads import neutralise_formula, safe_csv_bytes, selection_geojson_bytes, table_csv_bytes, table_xlsx_bytes
from ui.sections import planner as planner_sections

MAIN = "acs5_2017_2021"
TABLE = place_table(MAIN)
AREAS = TABLE.rows
CITY = TABLE.city
VINTAGES = snapshot.vintages_in(snapshot.read_manifest(SNAPSHOT_DIR))
SIDES = selection.sides_of(AREAS)
INPUTS = TABLE.tract_inputs()
ALLOWED = {"side": SIDES, "measure": GAP_MEASURES, "vintage": VINTAGES, "notes": ["", "all notes"]}


def parse_link(params: dict) -> tuple[selection.Filters, list[str]]:
    """The Planner's filters from a link, as the page reads them."""
    state, notes = planner_sections.ADDRESS.parse(params, ALLOWED, {"vintage": MAIN})
    return planner_sections.filters_of(state), notes


def test_a_side_in_the_link_lists_exactly_its_areas():
    filters, notes = parse_link({"side": "Far Southeast Side"})
    rows = selection.apply(AREAS, filters)
    assert notes == [] and len(rows) == 12
    assert set(rows["side"]) == {"Far Southeast Side"}


def test_min_pct_in_the_link_lists_exactly_the_areas_at_or_above_it():
    filters, _ = parse_link({"measure": "no_subscription", "min_pct": "20"})
    rows = selection.apply(AREAS, filters)
    expected = set(AREAS.loc[AREAS["no_subscription_pct"] >= 20, "name"])
    assert set(rows["name"]) == expected and len(expected) > 0


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"side": "Nowhere Side"}, "not one of the nine sides"),
        ({"measure": "wifi"}, "Ignored measure"),
        ({"min_pct": "abc"}, "min_pct"),
        ({"max_pct": "250"}, "from 0 to 100"),
        ({"min_households": "-5"}, "min_households"),
        ({"min_pct": "nan"}, "min_pct"),
        ({"vintage": "acs5_1990_1994"}, "not available"),
        ({"utm_source": "mail"}, "unknown link parameter"),
    ],
)
def test_bad_link_parameters_are_ignored_with_a_note(params, fragment):
    filters, notes = parse_link(params)
    assert len(notes) == 1 and fragment in notes[0]
    assert len(selection.apply(AREAS, filters)) == 77


def test_a_link_round_trips():
    address = planner_sections.ADDRESS
    state = address.defaults({"vintage": MAIN}) | dict(
        p_sides=["West Side", "South Side"], p_measure="no_computer", p_min_pct=5.5, p_max_pct=30.0,
        p_min_households=5000.0, p_hide_unreliable=True, p_name="park", p_vintage="acs5_2015_2019",
        p_notes="all notes", p_notes_only=True,
    )  # fmt: skip
    parsed, notes = address.parse(address.query(state, {"vintage": MAIN}), ALLOWED, {"vintage": MAIN})
    assert notes == [] and parsed == state


def test_all_77_areas_selected_give_exactly_the_citywide_total_and_moe():
    rows = selection.apply(AREAS, selection.Filters())
    summary = selection.summarise(rows, "no_subscription", CITY, 172_000, INPUTS)
    assert (round(summary.total), round(summary.total_moe)) == (171_879, 3_435)
    assert summary.total == pytest.approx(CITY["no_subscription"], rel=1e-12)
    assert summary.total_moe == pytest.approx(CITY["no_subscription_moe"], rel=1e-12)
    assert summary.share_of_city_plan == pytest.approx(summary.total / 172_000 * 100)


def test_the_south_side_moe_counts_each_split_tract_once():
    rows = selection.apply(AREAS, selection.Filters(sides=["South Side"]))
    summary = selection.summarise(rows, "no_subscription", CITY, 172_000, INPUTS)
    assert round(summary.total_moe) == 1_124  # the area MOEs added in quadrature would give 1,109
    assert summary.total == pytest.approx(rows["no_subscription"].sum(), rel=1e-9)


def synthetic_inputs() -> selection.TractInputs:
    """Test fixture (synthetic): tract A split 60/40 between areas 1 and 2, tract B in area 1, tract C (a zero
    estimate) split between areas 1 and 2, tract D (a zero estimate) in area 2."""
    tracts = pd.DataFrame(
        {
            "geoid": ["A", "B", "C", "D"],
            "B28002_012E": [100.0, 50.0, 0.0, 0.0],
            "B28002_012M": [30.0, 20.0, 15.0, 12.0],
            "B28002_013E": [0.0, 0.0, 0.0, 0.0],
            "B28002_013M": [0.0, 0.0, 0.0, 0.0],
        }
    )
    crosswalk = pd.DataFrame(
        {"geoid": ["A", "A", "B", "C", "C", "D"], "area_number": [1, 2, 1, 1, 2, 2],
         "hh_pct": [0.6, 0.4, 1.0, 0.5, 0.5, 1.0]}
    )  # fmt: skip
    return selection.TractInputs(tracts, crosswalk, VINTAGE_2017_2021)


def test_a_selection_adds_a_split_tract_s_factors_before_the_sum_rule():
    estimate, moe = selection.selection_estimate(synthetic_inputs(), "no_subscription", [1, 2])
    # by hand: A whole (100 ± 30) + B (50 ± 20); zero estimates C (1.0 × 15) and D (12): the largest, once
    assert estimate == pytest.approx(150.0)
    assert moe == pytest.approx((30**2 + 20**2 + 15**2) ** 0.5)
    one, one_moe = selection.selection_estimate(synthetic_inputs(), "no_subscription", [1])
    assert one == pytest.approx(0.6 * 100 + 50) and one_moe == pytest.approx((18**2 + 20**2 + 7.5**2) ** 0.5)


def test_the_change_between_the_committed_overlapping_periods_carries_no_verdict():
    changes = TABLE.change("no_subscription")  # ACS 2017-2021 against 2015-2019: they share 2017-2019
    assert len(changes) == 77
    assert set(changes["significance"]) == {Significance.OVERLAPPING}
    assert TABLE.change("cellular_only") is None


optional_pct = st.none() | st.floats(0, 100, allow_nan=False)
optional_count = st.none() | st.floats(0, 40_000, allow_nan=False)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sides=st.lists(st.sampled_from(SIDES), unique=True, max_size=3),
    measure=st.sampled_from(GAP_MEASURES),
    min_pct=optional_pct,
    max_pct=optional_pct,
    min_count=optional_count,
    max_count=optional_count,
    min_households=optional_count,
    hide_unreliable=st.booleans(),
    name=st.sampled_from(["", "park", "SOUTH", "o", "zz"]),
)
def test_every_listed_row_satisfies_every_filter(**kwargs):
    filters = selection.Filters(**kwargs)
    rows = selection.apply(AREAS, filters)
    m = filters.measure
    for _, row in rows.iterrows():
        assert not filters.sides or row["side"] in filters.sides
        assert filters.min_pct is None or row[f"{m}_pct"] >= filters.min_pct
        assert filters.max_pct is None or row[f"{m}_pct"] <= filters.max_pct
        assert filters.min_count is None or row[m] >= filters.min_count
        assert filters.max_count is None or row[m] <= filters.max_count
        assert filters.min_households is None or row["households"] >= filters.min_households
        assert not filters.hide_unreliable or row[f"{m}_reliability"] != "unreliable"
        assert filters.name.lower() in row["name"].lower()
    # nothing that passes is left out
    assert len(rows) == sum(
        (not filters.sides or r["side"] in filters.sides)
        and (filters.min_pct is None or r[f"{m}_pct"] >= filters.min_pct)
        and (filters.max_pct is None or r[f"{m}_pct"] <= filters.max_pct)
        and (filters.min_count is None or r[m] >= filters.min_count)
        and (filters.max_count is None or r[m] <= filters.max_count)
        and (filters.min_households is None or r["households"] >= filters.min_households)
        and (not filters.hide_unreliable or r[f"{m}_reliability"] != "unreliable")
        and filters.name.lower() in r["name"].lower()
        for _, r in AREAS.iterrows()
    )
    summary = selection.summarise(rows, m, CITY, 172_000, INPUTS)
    assert summary.total == pytest.approx(rows[m].sum(), rel=1e-9, abs=1e-6)
    assert summary.areas == len(rows)


def test_csv_export_neutralises_formulas_but_keeps_numbers():
    frame = pd.DataFrame(
        {"name": ['=HYPERLINK("x")', "+cmd", "@SUM(A1)", "-2+3", "Rogers Park"], "n": [-1, 2, 3, 4, 5]}
    )
    text = safe_csv_bytes(frame).decode()
    assert "'=HYPERLINK" in text and "'+cmd" in text and "'@SUM" in text and "'-2+3" in text
    assert "\r\nRogers Park,5" in text and ",-1\r\n" in text
    assert neutralise_formula(-3) == -3


def test_geojson_export_holds_the_selected_areas_with_their_columns():
    rows = TABLE.snapshot_columns(selection.apply(AREAS, selection.Filters(sides=["Central"])))
    out = json.loads(selection_geojson_bytes(boundaries(), rows))
    assert len(out["features"]) == 3
    assert {f["properties"]["area_name"] for f in out["features"]} == set(rows["area_name"])


def test_excel_export_starts_with_its_header_block_and_never_holds_a_formula():
    shown = pd.DataFrame({"Community area": ['=HYPERLINK("x")', "Englewood"], "Share of households (%)": [1.5, 29.4]})
    about = [("Period", "ACS 2017-2021 5-year"), ("Filters (the Planner's address)", "=cmd")]
    sheet = openpyxl.load_workbook(io.BytesIO(table_xlsx_bytes(shown, "ACS 2017-2021 5-year", about))).active
    assert [sheet.cell(1, 1).value, sheet.cell(1, 2).value] == ["Period", "ACS 2017-2021 5-year"]
    assert sheet.cell(2, 2).value == "'=cmd"
    assert [sheet.cell(4, c).value for c in (1, 2, 3)] == ["Period", "Community area", "Share of households (%)"]
    assert sheet.cell(5, 2).value == '\'=HYPERLINK("x")' and sheet.cell(6, 3).value == 29.4  # numbers stay numbers
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_export_names_the_period_in_its_first_column():
    shown = pd.DataFrame({"Community area": ["Englewood"], "Share of households (%)": [29.4]})
    table = pd.read_csv(io.BytesIO(table_csv_bytes(shown, "ACS 2017-2021 5-year")))
    assert list(table.columns) == ["Period", "Community area", "Share of households (%)"]
    assert table.iloc[0].tolist() == ["ACS 2017-2021 5-year", "Englewood", 29.4]
