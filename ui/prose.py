"""The words around the numbers: significance, an area's headline and profile, map tooltips.

Every sentence that explains a figure is written here once, so the Map, the Planner and Home say the
same thing the same way."""

from __future__ import annotations

import pandas as pd

from data.analysis import Significance, change, compare, ranks
from data.measures import GAP_MEASURES, MEASURES, cols
from ui import format as fmt

UNTESTABLE = "cannot be tested (no margin of error)"


def significance_words(result: Significance, versus: str = "the city") -> str:
    """'significantly higher than the city', 'not significantly different from the city', …"""
    return {
        Significance.HIGHER: f"significantly higher than {versus}",
        Significance.LOWER: f"significantly lower than {versus}",
        Significance.NOT_DIFFERENT: f"not significantly different from {versus}",
        Significance.UNTESTABLE: UNTESTABLE,
    }[result]


def change_words(old_pct, new_pct, result: Significance) -> str:
    """'+1.2 points (not significant)'; 'not comparable' where a period lacks the figure."""
    if pd.isna(old_pct) or pd.isna(new_pct):
        return "not comparable"
    verdict = {
        Significance.HIGHER: "significant",
        Significance.LOWER: "significant",
        Significance.NOT_DIFFERENT: "not significant",
        Significance.UNTESTABLE: "untested",
    }[result]
    return f"{new_pct - old_pct:+.1f} points ({verdict})"


def area_profile(
    areas: pd.DataFrame, city: pd.Series, area_number: int, older: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per measure for one area: households ± MOE, share ± MOE, reliability, rank among the 77,
    comparison with the city and change since the earlier period."""
    row = areas.set_index("area_number").loc[area_number]
    records = []
    for key in [*GAP_MEASURES, "low_income"]:
        c = cols(key)
        if pd.isna(row[c.count]):
            continue
        records.append(
            {
                "Measure": MEASURES[key].label,
                "Households": fmt.with_moe(row[c.count], row[c.moe]),
                "Share of households": fmt.with_moe(row[c.pct], row[c.pct_moe], as_pct=True),
                "Reliability": row[c.reliability],
                "Rank of 77": int(ranks(areas, key).loc[area_number]),
                "Compared with the city": significance_words(
                    compare(row[c.pct], row[c.pct_moe], city[c.pct], city[c.pct_moe])
                ),
                "Change since the earlier period": _change_cell(areas, older, key, area_number),
            }
        )
    return pd.DataFrame.from_records(records)


def _change_cell(areas: pd.DataFrame, older: pd.DataFrame | None, measure: str, area_number: int) -> str:
    if older is None:
        return "no earlier period"
    changes = change(areas, older, measure)
    if changes is None:
        return "not comparable"
    one = changes.loc[area_number]
    return change_words(one["old_pct"], one["new_pct"], one["significance"])


def headline(areas: pd.DataFrame, city: pd.Series, area_number: int, measure: str) -> str:
    """One plain sentence for one area and measure: rank, reliability, comparison with the city."""
    c = cols(measure)
    row = areas.set_index("area_number").loc[area_number]
    rank = int(ranks(areas, measure).loc[area_number])
    result = compare(row[c.pct], row[c.pct_moe], city[c.pct], city[c.pct_moe])
    city_share = fmt.pct(city[c.pct])
    comparison = (
        f"city: {city_share} (difference cannot be tested)"
        if result is Significance.UNTESTABLE
        else f"{significance_words(result)} ({city_share})"
    )
    return f"Rank {rank} of {len(areas)} (1 = largest share) · {row[c.reliability]} estimate · {comparison}"


def tooltip_lines(areas: pd.DataFrame, measure: str) -> pd.Series:
    """One trusted line per area for the map tooltip: count ± MOE, share ± MOE, reliability."""
    c = cols(measure)
    indexed = areas.set_index("area_number")
    lines = [
        "no data" if pd.isna(count) else f"{fmt.with_moe(count, moe)} households ({fmt.with_moe(p, pm, True)}) · {r}"
        for count, moe, p, pm, r in zip(
            indexed[c.count], indexed[c.moe], indexed[c.pct], indexed[c.pct_moe], indexed[c.reliability], strict=True
        )
    ]
    return pd.Series(lines, index=indexed.index)
