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
