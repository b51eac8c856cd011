"""The sections of the Home page: our count of unconnected households, what the City has published in its own
words, the reconciliation of the two (our inference, labelled as such), and the least-connected areas."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from data.analysis import Significance, compare
from data.measures import MEASURES, cols
from data.place_table import PlaceTable
from data.reference import CITY_PLAN_UNCONNECTED, MATCHES, QUOTES, Match
from ui import cache, widgets
from ui import format as fmt
from ui.i18n import N_, _, current, link_params, ngettext
from ui.words import period_label, places_say


def our_estimate(city: pd.Series, period_label: str) -> None:
    c = cols("no_subscription")
    st.metric(_("Our estimate"), fmt.count(city[c.count]), help=_(MEASURES["no_subscription"].plain))
    moe = _("± {moe} households").format(moe=fmt.count(city[c.moe])) if not pd.isna(city[c.moe]) else fmt.no_moe()
    st.write(
        _("households without an Internet subscription, {moe}, that is {share} of {households} households "
          "({period}).").format(moe=moe, share=fmt.with_moe(city[c.pct], city[c.pct_moe], as_pct=True),
                                households=fmt.count(city["households"]), period=period_label)
    )  # fmt: skip


def published_figures() -> None:
    """The City's figures, quoted in their sources' own words."""
    st.markdown(_("**What the City has published**"))
    if current() != "en":
        st.caption(_("Quoted in English, as published."))
    for quote in QUOTES:
        lead = f"{_(quote.subject)} " if quote.subject else ""
        st.markdown(f"> {lead}“{quote.words}{' …' if quote.continues else ''}”")
        st.caption(_(quote.source))


def reconciliation_table() -> pd.DataFrame:
    """Each published figure next to the measure and period of ours it matches."""
    records = []
    for match in MATCHES:
        city = cache.place_table(match.vintage).city
        c = cols(match.measure)
        records.append(
            {
                _("Published figure"): match.published,
                _("Source"): _(QUOTES[match.source].short),
                _("Our measure"): _(MEASURES[match.measure].label),
                _("Period"): period_label(match.vintage),
                _("Households"): fmt.with_moe(city[c.count], city[c.moe]),
                _("Share of households"): fmt.pct(city[c.pct]),
                _(HOW_FAR_APART): how_far_apart(match, city),
            }
        )
    return pd.DataFrame.from_records(records)


HOW_FAR_APART = N_("How far apart")


def how_far_apart(match: Match, city: pd.Series) -> str:
    """How far our figure, as the table shows it, is from the published one: 'ours is 1.0 percentage point higher',
    'ours is 121 households fewer', 'the same'."""
    c = cols(match.measure)
    decimals = 0 if match.unit == "count" else 1
    ours = fmt.rounded(city[c.count] if match.unit == "count" else city[c.pct], decimals)
    gap = ours - Decimal(str(match.figure))
    if gap == 0:
        return _("the same")
    n, shown = 1 if abs(gap) == 1 else 2, fmt.number(abs(gap), decimals)
    if match.unit == "count" and gap > 0:
        return ngettext("ours is {gap} household more", "ours is {gap} households more", n).format(gap=shown)
    if match.unit == "count":
        return ngettext("ours is {gap} household fewer", "ours is {gap} households fewer", n).format(gap=shown)
    if gap > 0:
        return ngettext("ours is {gap} percentage point higher", "ours is {gap} percentage points higher",
                        n).format(gap=shown)  # fmt: skip
    return ngettext("ours is {gap} percentage point lower", "ours is {gap} percentage points lower",
                    n).format(gap=shown)  # fmt: skip


def range_check(city: pd.Series, measure: str) -> str:
    """Whether the City's 172,000 lies in our 90 % range for ``measure``, in words."""
    c = cols(measure)
    label = _(MEASURES[measure].label)
    if pd.isna(city[c.moe]):
        return _("{measure}: {no_moe}, so no comparison is made.").format(measure=label, no_moe=fmt.no_moe())
    low, high = city[c.count] - city[c.moe], city[c.count] + city[c.moe]
    sentence = (
        _("{measure}: {figure} lies inside our 90 % range ({low} to {high}).")
        if low <= CITY_PLAN_UNCONNECTED <= high
        else _("{measure}: {figure} lies outside our 90 % range ({low} to {high}).")
    )
    return sentence.format(measure=label, figure=fmt.count(CITY_PLAN_UNCONNECTED), low=fmt.count(low),
                           high=fmt.count(high))  # fmt: skip


def reconciliation(city: pd.Series) -> None:
    st.markdown(_("**How the published figures match ours: our inference from the numbers**"))
    st.write(
        _("None of these sources names an ACS period or table. Matching them to the ACS periods and measures "
          "below is our own inference from the numbers: each published count or percentage is the nearest of our "
          "figures to it, and the last column says how far apart the two are.")
    )  # fmt: skip
    widgets.table_or_cards(reconciliation_table(), "reconciliation",
                           lambda frame: st.dataframe(frame, hide_index=True, width="stretch"))  # fmt: skip
    st.write(
        _("**What the range check shows, and what it does not.**")
        + " "
        + range_check(city, "no_subscription")
        + " "
        + range_check(city, "no_broadband")
        + " "
        + rounding_tells(city)
    )  # fmt: skip


def rounding_tells(city: pd.Series) -> str:
    """What tells the two definitions apart: not the range check, not "over 15 %" (it fits both), but the rounding
    of the count to the published ~172,000."""
    unconnected, without_broadband = cols("no_subscription"), cols("no_broadband")
    return _(
        "So the range check cannot tell the two definitions apart, and neither can \"over 15 %\": it fits both "
        "({share_a} and {share_b}). The rounding can: {count_a} rounds to {rounded_a}, while {count_b} would round "
        "to {rounded_b}. That is why we match the City's 172K to households without an Internet subscription "
        "(our inference)."
    ).format(
        share_a=fmt.pct(city[unconnected.pct]), share_b=fmt.pct(city[without_broadband.pct]),
        count_a=fmt.count(city[unconnected.count]), rounded_a=fmt.count(round(city[unconnected.count], -3)),
        count_b=fmt.count(city[without_broadband.count]),
        rounded_b=fmt.count(round(city[without_broadband.count], -3)),
    )  # fmt: skip


def definitions(city: pd.Series) -> None:
    """The three neighbouring definitions of 'unconnected', side by side."""
    st.markdown(_("**Why reports quote different numbers.** It depends on what counts as *unconnected*:"))
    for column, key in zip(st.columns(3), ["no_subscription", "no_broadband", "no_internet_access"], strict=True):
        with column, st.container(border=True):
            c = cols(key)
            st.metric(_(MEASURES[key].label), fmt.count(city[c.count]))
            st.caption(
                _("± {moe} · {share} of households.").format(moe=fmt.count(city[c.moe]), share=fmt.pct(city[c.pct]))
                + " "
                + _(MEASURES[key].plain)
            )


TIED = N_("Statistically tied with")


def ties(top: pd.DataFrame, measure: str) -> list[str]:
    """For each of the least-connected areas, the others among them it is not significantly different from
    at the 90 % level ("—" for none)."""
    c = cols(measure)
    tied = []
    for number, row in top.iterrows():
        others = [
            other["name"]
            for other_number, other in top.iterrows()
            if other_number != number
            and compare(row[c.pct], row[c.pct_moe], other[c.pct], other[c.pct_moe]) is Significance.NOT_DIFFERENT
        ]
        tied.append(", ".join(others) or fmt.MISSING)
    return tied


def least_connected_section(table: PlaceTable, n: int = 5) -> None:
    """The ``n`` places of ``table``'s geography with the largest share without an Internet subscription, which
    of them are statistically tied, and a link to their map."""
    st.subheader(places_say(table.geography, "least", n=n))
    period = period_label(table.key)
    st.caption(_("Share of households without an Internet subscription, {period}. Ranks come with the range "
                 "they plausibly fall in, given the margins of error.").format(period=period))  # fmt: skip
    top = table.least_connected("no_subscription", n)
    widgets.measure_table(table, top, "no_subscription", key=f"least_connected_{table.geography.key}",
                          extra={_(TIED): ties(top, "no_subscription")}, extra_after=_(widgets.PLAUSIBLE))  # fmt: skip
    st.caption(_("Statistically tied with: the other places of these five whose share is not significantly "
                 "different (90 % level)."))  # fmt: skip
    st.page_link("pages/1_Map.py", label=places_say(table.geography, "map_link"), icon=":material/map:",
                 query_params={"geo": table.geography.key, **link_params()})  # fmt: skip
