"""Apportionment on tiny synthetic tracts (test fixtures, not real data)."""

import pandas as pd
import pytest

from data.apportion import apportion, citywide_crosswalk
from data.measures import VINTAGE_2017_2021
from data.tables import measure_table

# Three synthetic tracts; T2 is split 60/40 between areas 1 and 2, T3 lies only partly in the city.
TRACTS = pd.DataFrame(
    {
        "geoid": ["17031000001", "17031000002", "17031000003"],
        "XE": [100.0, 50.0, 0.0],
        "XM": [20.0, 10.0, 12.0],
        "YE": [1000.0, 200.0, 300.0],
        "YM": [50.0, 30.0, 40.0],
    }
)
XWALK = pd.DataFrame(
    {
        "geoid": ["17031000001", "17031000002", "17031000002", "17031000003"],
        "area_number": [1, 1, 2, 2],
        "hh_pct": [1.0, 0.6, 0.4, 0.5],
    }
)


def test_totals_are_conserved():
    out = apportion(TRACTS, XWALK, [("Y", 1)])
    expected = 1000 + 200 * (0.6 + 0.4) + 300 * 0.5
    assert out["estimate"].sum() == pytest.approx(expected)
    assert out.loc[1, "estimate"] == pytest.approx(1000 + 120)
    assert out.loc[2, "estimate"] == pytest.approx(80 + 150)


def test_moe_uses_weighted_components_and_zero_rule():
    out = apportion(TRACTS, XWALK, [("X", 1)])
    # area 2: 0.4·50 ± 0.4·10 plus a zero estimate with weighted MOE 0.5·12
    assert out.loc[2, "estimate"] == pytest.approx(20)
    assert out.loc[2, "moe"] == pytest.approx((4**2 + 6**2) ** 0.5)


def test_signed_parts_give_differences():
    out = apportion(TRACTS, XWALK, [("Y", 1), ("X", -1)])
    assert out.loc[1, "estimate"] == pytest.approx(1120 - 130)


def test_citywide_counts_a_split_tract_once():
    xw = citywide_crosswalk(XWALK)
    assert xw.set_index("geoid").loc["17031000002", "hh_pct"] == pytest.approx(1.0)
    out = apportion(TRACTS, xw, [("X", 1)])
    assert out["moe"].iloc[0] == pytest.approx((20**2 + 10**2 + 6**2) ** 0.5)


def test_rates_are_computed_from_summed_counts_not_averaged():
    lines = {f"B28002_{i:03d}": 0.0 for i in range(1, 14)} | {"B28003_001": 0.0, "B28003_006": 0.0}
    lines |= {f"B19001_{i:03d}": 0.0 for i in range(1, 8)}
    rows = []
    # tract A: 1000 households, 100 without access (10 %); tract B: 100 households, 50 without (50 %)
    for geoid, hh, no_access in (("17031000001", 1000, 100), ("17031000002", 100, 50)):
        row = {"geoid": geoid} | {f"{k}E": v for k, v in lines.items()} | {f"{k}M": 5.0 for k in lines}
        row |= {"B28002_001E": hh, "B28002_013E": no_access}
        rows.append(row)
    xw = pd.DataFrame({"geoid": ["17031000001", "17031000002"], "area_number": [1, 1], "hh_pct": [1.0, 1.0]})
    table = measure_table(pd.DataFrame(rows), xw, VINTAGE_2017_2021)
    assert table.loc[1, "no_internet_access_pct"] == pytest.approx(150 / 1100 * 100)  # 13.6 %, not 30 %
