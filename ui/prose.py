"""The words around the numbers: significance, an area's headline and profile, map tooltips.

Every sentence that explains a figure is written here once, so the Map, the Planner and Home say the
same thing the same way."""

from __future__ import annotations

import pandas as pd

from data.analysis import Significance, change, compare
from data.measures import GAP_MEASURES, MEASURES, cols
from ui import format as fmt

UNTESTABLE = "cannot be tested (no margin of error)"
PROFILE_MEASURES = [*GAP_MEASURES, "low_income"]


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
    areas: pd.DataFrame, city: pd.Series, area_number: int, ranges: dict, older: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per measure for one area: households ± MOE, share ± MOE, reliability, rank among the 77 with
    its plausible range (``ranges``: measure → that area's row of :func:`data.analysis.rank_ranges`),
    comparison with the city and change since the earlier period."""
    row = areas.set_index("area_number").loc[area_number]
    records = []
    for key in PROFILE_MEASURES:
        c = cols(key)
        if pd.isna(row[c.count]):
            continue
        records.append(
            {
                "Measure": MEASURES[key].label,
                "Households counted": fmt.with_moe(row[c.count], row[c.moe]),
                "Share of all households": fmt.with_moe(row[c.pct], row[c.pct_moe], as_pct=True),
                "Reliability": row[c.reliability],
                "Rank": fmt.rank(ranges[key]["rank"], ranges[key]["low"], ranges[key]["high"], len(areas)),
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


def headline(areas: pd.DataFrame, city: pd.Series, area_number: int, measure: str, rank: pd.Series) -> str:
    """One plain sentence for one area and measure: rank (``rank``: the area's row of
    :func:`data.analysis.rank_ranges`), reliability, comparison with the city."""
    c = cols(measure)
    row = areas.set_index("area_number").loc[area_number]
    result = compare(row[c.pct], row[c.pct_moe], city[c.pct], city[c.pct_moe])
    city_share = fmt.pct(city[c.pct])
    comparison = (
        f"city: {city_share} (difference cannot be tested)"
        if result is Significance.UNTESTABLE
        else f"{significance_words(result)} ({city_share})"
    )
    ranked = fmt.rank(rank["rank"], rank["low"], rank["high"], len(areas))
    return f"Rank {ranked} (1 = largest share) · {row[c.reliability]} estimate · {comparison}"


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


def _years(vintage: str) -> range:
    first, last = (int(y) for y in vintage.removeprefix("acs5_").split("_"))
    return range(first, last + 1)


def change_caveat(new: str, old: str, old_label: str, old_has_moe: bool) -> str:
    """What a change between two 5-year periods can and cannot say."""
    shared = sorted(set(_years(new)) & set(_years(old)))
    parts = [f"Change: percentage points since {old_label}."]
    if shared:
        parts.append(
            f"The two 5-year periods share the years {shared[0]}-{shared[-1]}, so a difference reflects only the "
            "years they do not share; the Census Bureau advises against comparing overlapping periods."
        )
    if not old_has_moe:
        parts.append(f"{old_label} has no margins of error, so whether a change is significant cannot be tested.")
    if _years(old)[0] <= 2016:
        parts.append(
            f"The ACS questions on computers and Internet changed in 2016, so {old_label} includes answers to "
            "the older wording."
        )
    return " ".join(parts)
