"""Questions the pages ask of the snapshot tables: ranks, an area's profile, comparisons with the city
and with the earlier vintage. Pure functions over the DataFrames of :mod:`data.snapshot`."""

from __future__ import annotations

import pandas as pd

from data import formatting as fmt
from data.measures import GAP_MEASURES, MEASURES
from data.moe import significantly_different

UNTESTABLE = "cannot be tested (no margin of error)"


def ranks(areas: pd.DataFrame, measure: str) -> pd.Series:
    """Rank among the areas (1 = largest share of households without the service), by area number."""
    return areas.set_index("area_number")[f"{measure}_pct"].rank(ascending=False, method="min").astype("Int64")


def least_connected(areas: pd.DataFrame, measure: str = "no_subscription", n: int = 5) -> pd.DataFrame:
    """The ``n`` areas with the largest share of households without the service."""
    return areas.nlargest(n, f"{measure}_pct")


def difference_label(area_pct, area_pct_moe, city_pct, city_pct_moe) -> str:
    """Plain-language comparison of an area's share with the city's, at the 90 % level."""
    significant = significantly_different(area_pct, area_pct_moe, city_pct, city_pct_moe)
    if significant is None:
        return UNTESTABLE
    if not significant:
        return "not significantly different"
    return "significantly higher" if area_pct > city_pct else "significantly lower"


def change_label(old_pct, new_pct, old_moe, new_moe) -> str:
    """Change in percentage points; says so when significance cannot be tested."""
    if pd.isna(old_pct) or pd.isna(new_pct):
        return "not comparable"
    text = f"{new_pct - old_pct:+.1f} points"
    significant = significantly_different(new_pct, new_moe, old_pct, old_moe)
    if significant is None:
        return f"{text} (untested)"
    return f"{text} ({'significant' if significant else 'not significant'})"


def area_profile(
    areas: pd.DataFrame, city: pd.Series, area_number: int, older: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per measure for one area: households ± MOE, share ± MOE, reliability, rank among the 77,
    difference from the city and change since the earlier vintage."""
    row = areas.set_index("area_number").loc[area_number]
    old = older.set_index("area_number").loc[area_number] if older is not None else None
    records = []
    for key in [*GAP_MEASURES, "low_income"]:
        if pd.isna(row[key]):
            continue
        records.append(
            {
                "Measure": MEASURES[key].label,
                "Households": fmt.with_moe(row[key], row[f"{key}_moe"]),
                "Share of households": fmt.with_moe(row[f"{key}_pct"], row[f"{key}_pct_moe"], as_pct=True),
                "Reliability": row[f"{key}_reliability"],
                "Rank of 77": int(ranks(areas, key).loc[area_number]),
                "Compared with the city": difference_label(
                    row[f"{key}_pct"], row[f"{key}_pct_moe"], city[f"{key}_pct"], city[f"{key}_pct_moe"]
                ),
                "Change since the earlier period": "no earlier period"
                if old is None
                else change_label(old[f"{key}_pct"], row[f"{key}_pct"], old[f"{key}_pct_moe"], row[f"{key}_pct_moe"]),
            }
        )
    return pd.DataFrame.from_records(records)


def headline(areas: pd.DataFrame, city: pd.Series, area_number: int, measure: str) -> str:
    """One plain sentence for one area and measure: rank, reliability, comparison with the city."""
    row = areas.set_index("area_number").loc[area_number]
    rank = int(ranks(areas, measure).loc[area_number])
    city_share = fmt.pct(city[f"{measure}_pct"])
    versus = difference_label(
        row[f"{measure}_pct"], row[f"{measure}_pct_moe"], city[f"{measure}_pct"], city[f"{measure}_pct_moe"]
    )
    comparison = {
        "significantly higher": f"significantly higher than the city ({city_share})",
        "significantly lower": f"significantly lower than the city ({city_share})",
        "not significantly different": f"not significantly different from the city ({city_share})",
    }.get(versus, f"city: {city_share} (difference cannot be tested)")
    return f"Rank {rank} of {len(areas)} (1 = largest share) · {row[f'{measure}_reliability']} estimate · {comparison}"


def value_column(measure: str, as_share: bool) -> str:
    return f"{measure}_pct" if as_share else measure


def tooltip_lines(areas: pd.DataFrame, measure: str) -> pd.Series:
    """One trusted line per area for the map tooltip: count ± MOE, share ± MOE, reliability."""
    indexed = areas.set_index("area_number")
    count = [fmt.with_moe(e, m) for e, m in zip(indexed[measure], indexed[f"{measure}_moe"], strict=True)]
    share = [
        fmt.with_moe(e, m, True) for e, m in zip(indexed[f"{measure}_pct"], indexed[f"{measure}_pct_moe"], strict=True)
    ]
    reliability = indexed[f"{measure}_reliability"]
    lines = [
        "no data" if c == "–" else f"{c} households ({s}) · {r}"
        for c, s, r in zip(count, share, reliability, strict=True)
    ]
    return pd.Series(lines, index=indexed.index)


def unreliable_mask(areas: pd.DataFrame, measure: str) -> pd.Series:
    """True where the count's CV is above 30 % (to hatch on the map)."""
    return areas.set_index("area_number")[f"{measure}_cv"].gt(30).fillna(False).astype(bool)
