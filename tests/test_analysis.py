"""Ranks with their uncertainty, and comparisons, on the committed snapshot and on a synthetic table."""

from __future__ import annotations

import pandas as pd

from data import analysis
from tests.support.snapshot import OLDER, place_table

AREAS = place_table().rows


def test_rank_ranges_are_deterministic_and_contain_the_point_rank():
    first = place_table().ranking("no_subscription")
    second = place_table().ranking("no_subscription")
    pd.testing.assert_frame_equal(first, second)
    assert ((first["low"] <= first["rank"]) & (first["rank"] <= first["high"])).all()
    assert first.loc[67].tolist() == [1, 1, 4]  # West Englewood: rank 1, plausibly 1-4
    assert first["rank"].is_unique  # ties only for true ties


# Synthetic test fixture: places 1 and 2 share half each of tract A, whose count is very uncertain; place 1 also has
# tract B (300 of 1,000 households), place 2 tract C (280 of 1,000), both precise. Place 1 is 25 %, place 2 24 %.
SPLIT_TRACTS = pd.DataFrame(
    {"geoid": ["A", "B", "C"], "XE": [400.0, 300.0, 280.0], "XM": [300.0, 10.0, 10.0],
     "HE": [2000.0, 1000.0, 1000.0], "HM": [100.0, 10.0, 10.0]}
)  # fmt: skip
SPLIT_FACTORS = pd.DataFrame({"geoid": ["A", "A", "B", "C"], "area_number": [1, 2, 1, 2], "hh_pct": 0.5})
SPLIT_FACTORS.loc[2:, "hh_pct"] = 1.0


def test_places_sharing_a_split_tract_move_together_in_the_rank_simulation():
    """The uncertain half-tract is the same households' answers in both places: it cannot reorder them, so only the
    precise tracts decide, and each place's rank is certain. Drawing the places' shares independently (the area-level
    simulation) would call both ranks uncertain."""
    point = pd.Series([1, 2], index=pd.Index([1, 2], name="number"), dtype="Int64")
    ranges = analysis.tract_rank_ranges(point, SPLIT_TRACTS, SPLIT_FACTORS, (("X", 1),), (("H", 1),), "area_number")
    assert ranges.loc[1].tolist() == [1, 1, 1] and ranges.loc[2].tolist() == [2, 2, 2]
    as_if_independent = pd.DataFrame({"x_pct": [25.0, 24.0], "x_pct_moe": [7.5, 7.5]}, index=point.index)
    assert analysis.rank_ranges(as_if_independent, "x").loc[1].tolist() == [1, 1, 2]


def test_a_place_is_compared_with_the_rest_of_the_city_which_shares_no_households_with_it():
    table = place_table()
    rest = table.rest_of_city("no_computer")
    # counts subtract exactly: the rest's households are the city's minus the place's
    inputs = table.tract_inputs()
    from data.selection import selection_estimate

    others = [n for n in table.rows.index if n != 10]
    households, _ = selection_estimate(inputs, "households", others)
    without, _ = selection_estimate(inputs, "no_computer", others)
    assert abs(rest.loc[10, "pct"] - without / households * 100) < 1e-9
    # Norwood Park, 10.0 % ± 1.8 without a computer against the city's 8.2 %: tested against the whole city as if
    # independent it was "not different"; against the rest of the city (8.2 % ± 0.2) it is significantly higher
    assert table.versus_city("no_computer").loc[10] is analysis.Significance.HIGHER
    assert analysis.compare_with_city(AREAS, table.city, "no_computer").loc[10] is analysis.Significance.NOT_DIFFERENT


def test_precise_estimates_have_narrow_ranges_and_uncertain_ones_wide():
    """Synthetic test fixture: three areas far apart with tiny MOEs, two close together with large ones."""
    areas = pd.DataFrame(
        {"x_pct": [50.0, 30.0, 10.0, 20.0, 20.5], "x_pct_moe": [0.1, 0.1, 0.1, 5.0, 5.0]},
        index=pd.Index([1, 2, 3, 4, 5], name="number"),
    )
    ranges = analysis.rank_ranges(areas, "x")
    assert ranges.loc[1].tolist() == [1, 1, 1] and ranges.loc[3].tolist() == [5, 5, 5]
    assert ranges.loc[5, "low"] == 3 and ranges.loc[5, "high"] == 4 and ranges.loc[4, "rank"] == 4


def test_without_margins_of_error_only_the_point_rank_is_given():
    older = place_table(OLDER).rows
    ranges = analysis.rank_ranges(older, "no_subscription")
    assert ranges["rank"].notna().all() and ranges["low"].isna().all()


# Synthetic test fixture: two places whose share rose from 20 % ± 1 to 30 % ± 1 (a difference any test would call
# significant), in periods that share years or do not.
NEW_ROWS = pd.DataFrame({"x_pct": [30.0, 31.0], "x_pct_moe": [1.0, 1.0]}, index=pd.Index([1, 2], name="number"))
OLD_ROWS = pd.DataFrame({"x_pct": [20.0, 21.0], "x_pct_moe": [1.0, 1.0]}, index=pd.Index([1, 2], name="number"))


def synthetic_table(period: str, earlier: str):
    from data.geographies import COMMUNITY_AREA
    from data.measures import vintage_by_key
    from data.place_table import PlaceTable

    def table(key, rows, before=None):
        return PlaceTable(COMMUNITY_AREA, vintage_by_key(key), rows, pd.Series(dtype=float), True, before)

    return table(period, NEW_ROWS, table(earlier, OLD_ROWS))


def test_a_change_is_measured_from_the_newest_earlier_period_that_shares_no_year():
    """Synthetic period list: 2019-2023 shares years with 2017-2021 and 2015-2019, not with 2014-2018."""
    from data import snapshot

    periods = ["acs5_2019_2023", "acs5_2017_2021", "acs5_2015_2019", "acs5_2014_2018", "acs5_2012_2016"]
    assert snapshot.earlier_vintage(periods, "acs5_2019_2023") == "acs5_2014_2018"
    assert snapshot.earlier_vintage(periods, "acs5_2017_2021") == "acs5_2012_2016"
    # only overlapping earlier periods: the newest of them, compared without a test
    assert snapshot.earlier_vintage(periods[:3], "acs5_2019_2023") == "acs5_2017_2021"


def test_overlapping_periods_get_the_difference_but_never_a_significance_verdict():
    from ui.prose import change_words, significance_words

    overlapping = synthetic_table("acs5_2019_2023", "acs5_2017_2021").change("x")
    assert (overlapping["change"] == 10.0).all()
    assert (overlapping["significance"] == analysis.Significance.OVERLAPPING).all()
    words = change_words(20.0, 30.0, overlapping.loc[1, "significance"])
    assert words == "+10.0 points (not tested: the periods overlap)" and " significant" not in words
    assert "significant" not in significance_words(overlapping.loc[1, "significance"], "earlier")

    apart = synthetic_table("acs5_2022_2026", "acs5_2017_2021").change("x")
    assert (apart["significance"] == analysis.Significance.HIGHER).all()  # no shared year: tested as before
