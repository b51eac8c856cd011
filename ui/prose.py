"""The words around the numbers: significance, an area's headline and profile, map tooltips.

Every sentence that explains a figure is written here once, so the Map, the Planner and Home say the
same thing the same way."""

from __future__ import annotations

import pandas as pd

from data.analysis import Significance, change, compare
from data.measures import GAP_MEASURES, MEASURES, cols
from ui import format as fmt
from ui.i18n import N_, _

PROFILE_MEASURES = [*GAP_MEASURES, "low_income"]


SIGNIFICANCE = {  # (compared with, result) → words, translated where shown
    ("city", Significance.HIGHER): N_("significantly higher than the city"),
    ("city", Significance.LOWER): N_("significantly lower than the city"),
    ("city", Significance.NOT_DIFFERENT): N_("not significantly different from the city"),
    ("earlier", Significance.HIGHER): N_("significantly higher than the earlier period"),
    ("earlier", Significance.LOWER): N_("significantly lower than the earlier period"),
    ("earlier", Significance.NOT_DIFFERENT): N_("not significantly different from the earlier period"),
}


def significance_words(result: Significance, versus: str = "city") -> str:
    """'significantly higher than the city', 'not significantly different from the city', … (``versus``: the
    city or the earlier period)."""
    if result is Significance.UNTESTABLE:
        return _("cannot be tested (no margin of error)")
    return _(SIGNIFICANCE[(versus, result)])


def change_words(old_pct, new_pct, result: Significance) -> str:
    """'+1.2 points (not significant)'; 'not comparable' where a period lacks the figure."""
    if pd.isna(old_pct) or pd.isna(new_pct):
        return _("not comparable")
    verdict = {
        Significance.HIGHER: _("significant"),
        Significance.LOWER: _("significant"),
        Significance.NOT_DIFFERENT: _("not significant"),
        Significance.UNTESTABLE: _("untested"),
    }[result]
    difference = new_pct - old_pct
    signed = ("+" if difference >= 0 else "−") + fmt.number(abs(difference), 1)
    return _("{change} points ({verdict})").format(change=signed, verdict=verdict)


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
                _("Measure"): _(MEASURES[key].label),
                _("Households counted"): fmt.with_moe(row[c.count], row[c.moe]),
                _("Share of all households"): fmt.with_moe(row[c.pct], row[c.pct_moe], as_pct=True),
                _("Reliability"): reliability_words(row[c.reliability]),
                _("Rank"): fmt.rank(ranges[key]["rank"], ranges[key]["low"], ranges[key]["high"], len(areas)),
                _("Compared with the city"): significance_words(
                    compare(row[c.pct], row[c.pct_moe], city[c.pct], city[c.pct_moe])
                ),
                _("Change since the earlier period"): _change_cell(areas, older, key, area_number),
            }
        )
    return pd.DataFrame.from_records(records)


def _change_cell(areas: pd.DataFrame, older: pd.DataFrame | None, measure: str, area_number: int) -> str:
    if older is None:
        return _("no earlier period")
    changes = change(areas, older, measure)
    if changes is None:
        return _("not comparable")
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
        _("city: {share} (difference cannot be tested)").format(share=city_share)
        if result is Significance.UNTESTABLE
        else f"{significance_words(result)} ({city_share})"
    )
    ranked = fmt.rank(rank["rank"], rank["low"], rank["high"], len(areas))
    return _("Rank {rank} (1 = largest share) · {reliability} · {comparison}").format(
        rank=ranked, reliability=estimate_words(row[c.reliability]), comparison=comparison
    )


def tooltip_lines(areas: pd.DataFrame, measure: str) -> pd.Series:
    """One trusted line per area for the map tooltip: count ± MOE, share ± MOE, reliability."""
    c = cols(measure)
    indexed = areas.set_index("area_number")
    lines = [
        _("no data")
        if pd.isna(count)
        else _("{households} households ({share}) · {reliability}").format(
            households=fmt.with_moe(count, moe), share=fmt.with_moe(p, pm, True), reliability=reliability_words(r)
        )
        for count, moe, p, pm, r in zip(
            indexed[c.count], indexed[c.moe], indexed[c.pct], indexed[c.pct_moe], indexed[c.reliability], strict=True
        )
    ]
    return pd.Series(lines, index=indexed.index)


RELIABILITY = {  # the snapshot's reliability classes (data.moe), as a reader sees them
    "reliable": N_("reliable"),
    "use with caution": N_("use with caution"),
    "unreliable": N_("unreliable"),
    "no margin of error": N_("no margin of error"),
}
ESTIMATE = {
    "reliable": N_("reliable estimate"),
    "use with caution": N_("estimate to use with caution"),
    "unreliable": N_("unreliable estimate"),
    "no margin of error": N_("estimate with no margin of error"),
}


def reliability_words(reliability: str) -> str:
    """'reliable', 'use with caution', 'unreliable' or 'no margin of error', in the reader's language."""
    return _(RELIABILITY.get(reliability, reliability))


def estimate_words(reliability: str) -> str:
    """'reliable estimate', 'unreliable estimate', …, in the reader's language."""
    return _(ESTIMATE.get(reliability, reliability))


def _years(vintage: str) -> range:
    first, last = (int(y) for y in vintage.removeprefix("acs5_").split("_"))
    return range(first, last + 1)


def change_caveat(new: str, old: str, old_label: str, old_has_moe: bool) -> str:
    """What a change between two 5-year periods can and cannot say."""
    shared = sorted(set(_years(new)) & set(_years(old)))
    parts = [_("Change: percentage points since {period}.").format(period=old_label)]
    if shared:
        parts.append(
            _("The two 5-year periods share the years {first}-{last}, so a difference reflects only the years they "
              "do not share; the Census Bureau advises against comparing overlapping periods.").format(
                first=shared[0], last=shared[-1])
        )  # fmt: skip
    if not old_has_moe:
        parts.append(
            _("{period} has no margins of error, so whether a change is significant cannot be tested.").format(
                period=old_label)
        )  # fmt: skip
    if _years(old)[0] <= 2016:
        parts.append(
            _("The ACS questions on computers and Internet changed in 2016, so {period} includes answers to the "
              "older wording.").format(period=old_label)
        )  # fmt: skip
    return " ".join(parts)
