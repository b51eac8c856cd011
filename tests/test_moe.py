"""MOE formulas against the worked examples of the Census Bureau's ACS handbook (2018, chapter 8)."""

import math

import numpy as np
import pandas as pd
import pytest

from data import moe

# Handbook example: never-married females in Fairfax County, Arlington County and Alexandria city, VA.
COUNTIES = [(135_173, 3_860), (43_104, 2_642), (24_842, 1_957)]
TOTAL_FEMALES, TOTAL_FEMALES_MOE = 630_498, 831


def test_sum_matches_handbook_example():
    estimates, moes = zip(*COUNTIES, strict=True)
    assert sum(estimates) == 203_119
    assert round(moe.moe_sum(estimates, moes)) == 5_070


def test_se_and_cv_match_handbook_example():
    assert moe.standard_error(5_070) == pytest.approx(3_082, abs=1)
    assert moe.coefficient_of_variation(203_119, 5_070) == pytest.approx(1.5, abs=0.05)


def test_proportion_matches_handbook_example():
    p = 203_119 / TOTAL_FEMALES
    assert round(p, 3) == 0.322
    assert round(moe.moe_proportion(203_119, TOTAL_FEMALES, 5_070, TOTAL_FEMALES_MOE), 3) == 0.008


def test_proportion_falls_back_to_ratio_formula_when_radicand_not_positive():
    # MOE_X² − p²·MOE_Y² = 10² − 0.5²·40² = −300 ≤ 0 → use the + form
    got = moe.moe_proportion(50, 100, 10, 40)
    assert got == pytest.approx(math.sqrt(10**2 + 0.25 * 40**2) / 100)


def test_proportion_of_empty_universe_is_missing():
    assert math.isnan(moe.moe_proportion(0, 0, 12, 12))


def test_zero_estimates_count_only_the_largest_moe_once():
    # three zero estimates with MOEs 12, 12, 20 and one estimate 100 ± 30
    got = moe.moe_sum([0, 0, 0, 100], [12, 12, 20, 30])
    assert got == pytest.approx(math.sqrt(20**2 + 30**2))


def test_weights_scale_moes_and_zero_weight_components_are_ignored():
    got = moe.moe_sum([10, 20, 0], [4, 6, 99], weights=[0.5, 1.0, 0.0])
    assert got == pytest.approx(math.sqrt(2**2 + 6**2))


def test_missing_moe_gives_missing_not_a_number():
    assert math.isnan(moe.moe_sum([10, 20], [4, np.nan]))


def test_grouped_sum_is_per_group():
    comps = pd.DataFrame({"g": [1, 1, 2, 2], "estimate": [0, 0, 5, 7], "moe": [12, 15, 3, 4], "weight": [1, 1, 1, 1]})
    out = moe.grouped_moe_sum(comps, "g")
    assert out.loc[1, "estimate"] == 0 and out.loc[1, "moe"] == pytest.approx(15)
    assert out.loc[2, "estimate"] == 12 and out.loc[2, "moe"] == pytest.approx(5)


@pytest.mark.parametrize(
    ("cv", "label"),
    [
        (0, "reliable"),
        (14.9, "reliable"),
        (15, "use with caution"),
        (30, "use with caution"),
        (30.1, "unreliable"),
        (float("nan"), "no margin of error"),
    ],
)
def test_reliability_classes(cv, label):
    assert moe.reliability(cv) == label


def test_significance_of_a_difference():
    # |1000 − 900| / √((60/1.645)² + (50/1.645)²) = 2.11 > 1.645
    assert moe.z_difference(1000, 60, 900, 50) == pytest.approx(2.11, abs=0.01)
    assert moe.significantly_different(1000, 60, 900, 50) is True
    assert moe.significantly_different(1000, 60, 960, 50) is False
    assert moe.significantly_different(1000, np.nan, 900, 50) is None
