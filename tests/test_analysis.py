"""Ranks with their uncertainty, and comparisons, on the committed snapshot and on a synthetic table."""

from __future__ import annotations

import pandas as pd

from data import analysis
from tests.support.snapshot import OLDER, place_table

AREAS = place_table().rows


def test_rank_ranges_are_deterministic_and_contain_the_point_rank():
    first = analysis.rank_ranges(AREAS, "no_subscription")
    second = analysis.rank_ranges(AREAS, "no_subscription")
    pd.testing.assert_frame_equal(first, second)
    assert ((first["low"] <= first["rank"]) & (first["rank"] <= first["high"])).all()
    assert first.loc[67].tolist() == [1, 1, 4]  # West Englewood: rank 1, plausibly 1-4
    assert first["rank"].is_unique  # ties only for true ties


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
