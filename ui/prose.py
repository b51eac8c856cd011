"""The words around the numbers: significance, an area's headline and profile, map tooltips.

Every sentence that explains a figure is written here once, so the Map, the Planner and Home say the
same thing the same way."""

from __future__ import annotations

import pandas as pd

from data.analysis import Significance
from data.measures import GAP_MEASURES, MEASURES, cols
from data.place_table import PlaceTable
from ui import format as fmt
from ui.i18n import N_, _
from ui.words import period_label

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
    if result is Significance.OVERLAPPING:
        return _("not tested: the two periods share years")
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
        Significance.OVERLAPPING: _("not tested: the periods overlap"),
    }[result]
    difference = new_pct - old_pct
    signed = ("+" if difference >= 0 else "−") + fmt.number(abs(difference), 1)
    return _("{change} points ({verdict})").format(change=signed, verdict=verdict)


def area_profile(table: PlaceTable, number: int) -> pd.DataFrame:
    """One row per measure for one place: households ± MOE, share ± MOE, reliability, rank among all places with
    its plausible range, comparison with the city and change since the earlier period."""
    row = table.row(number)
    records = []
    for key in PROFILE_MEASURES:
        c = cols(key)
        if pd.isna(row[c.count]):
            continue
        ranked = table.ranking(key).loc[number]
        records.append(
            {
                _("Measure"): _(MEASURES[key].label),
                _("Households counted"): fmt.with_moe(row[c.count], row[c.moe]),
                _("Share of all households"): fmt.with_moe(row[c.pct], row[c.pct_moe], as_pct=True),
                _("Reliability"): reliability_words(row[c.reliability]),
                _("Rank"): fmt.rank(ranked["rank"], ranked["low"], ranked["high"], len(table.rows)),
                _("Compared with the city"): significance_words(table.versus_city(key).loc[number]),
                _("Change since the earlier period"): _change_cell(table, key, number),
            }
        )
    return pd.DataFrame.from_records(records)


def _change_cell(table: PlaceTable, measure: str, number: int) -> str:
    if table.earlier is None:
        return _("no earlier period")
    changes = table.change(measure)
    if changes is None:
        return _("not comparable")
    one = changes.loc[number]
    return change_words(one["old_pct"], one["new_pct"], one["significance"])


def headline(table: PlaceTable, number: int, measure: str) -> str:
    """One plain sentence for one place and measure: rank, reliability, comparison with the city."""
    c = cols(measure)
    row, city = table.row(number), table.city
    result = table.versus_city(measure).loc[number]
    city_share = fmt.pct(city[c.pct])
    comparison = (
        _("city: {share} (difference cannot be tested)").format(share=city_share)
        if result is Significance.UNTESTABLE
        else f"{significance_words(result)} ({city_share})"
    )
    rank = table.ranking(measure).loc[number]
    ranked = fmt.rank(rank["rank"], rank["low"], rank["high"], len(table.rows))
    return _("Rank {rank} (1 = largest share) · {reliability} · {comparison}").format(
        rank=ranked, reliability=estimate_words(row[c.reliability]), comparison=comparison
    )


def tooltip_lines(rows: pd.DataFrame, measure: str) -> pd.Series:
    """One trusted line per place for the map tooltip: count ± MOE, share ± MOE, reliability."""
    c = cols(measure)
    indexed = rows
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
    "no margin of error": N_("unknown (no margin of error in our source)"),
}
ESTIMATE = {
    "reliable": N_("reliable estimate"),
    "use with caution": N_("estimate to use with caution"),
    "unreliable": N_("unreliable estimate"),
    "no margin of error": N_("reliability unknown (no margin of error in our source)"),
}


def reliability_words(reliability: str) -> str:
    """'reliable', 'use with caution', 'unreliable' or 'unknown (no margin of error in our source)', in the reader's
    language: a period without margins of error is never called reliable or exact."""
    return _(RELIABILITY.get(reliability, reliability))


def estimate_words(reliability: str) -> str:
    """'reliable estimate', 'unreliable estimate', …, in the reader's language."""
    return _(ESTIMATE.get(reliability, reliability))


def change_caveat(table: PlaceTable) -> str:
    """What a change between ``table``'s period and the earlier one can and cannot say."""
    new, old = table.vintage, table.earlier.vintage
    old_label = period_label(old.key)
    shared = sorted(set(new.years) & set(old.years))
    parts = [_("Change: percentage points since {period}.").format(period=old_label)]
    if shared:
        parts.append(
            _("The two 5-year periods share the years {first}-{last}, so a difference reflects only the years they "
              "do not share. The Census Bureau advises comparing 5-year periods that do not overlap (our paraphrase "
              "of its guidance on comparing ACS data), so the difference is shown without a significance test; "
              "no earlier period in this dashboard is free of overlap.").format(first=shared[0], last=shared[-1])
        )  # fmt: skip
    if not table.earlier.has_moe:
        parts.append(
            _("{period} has no margins of error, so whether a change is significant cannot be tested.").format(
                period=old_label)
        )  # fmt: skip
    if old.first_year <= QUESTIONS_CHANGED:
        parts.append(
            _("The ACS questions on computers and Internet changed in 2016, so {period} includes answers to the "
              "older wording.").format(period=old_label)
        )  # fmt: skip
    return " ".join(parts)


QUESTIONS_CHANGED = 2016  # the ACS computer and Internet questions changed this year
