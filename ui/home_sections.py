"""The sections of the Home page: our count of unconnected households, what the City has published in its own
words, the reconciliation of the two (our inference, labelled as such), and the least-connected areas."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.analysis import Significance, compare, least_connected
from data.measures import MEASURES, cols
from data.reference import CITY_PLAN_UNCONNECTED, MATCHES, QUOTES
from ui import cache, widgets
from ui import format as fmt


def our_estimate(city: pd.Series, period_label: str) -> None:
    c = cols("no_subscription")
    st.metric("Our estimate", fmt.count(city[c.count]), help=MEASURES["no_subscription"].plain)
    moe = f"± {fmt.count(city[c.moe])} households" if not pd.isna(city[c.moe]) else fmt.NO_MOE
    st.write(
        f"households without an Internet subscription, {moe}, that is "
        f"{fmt.with_moe(city[c.pct], city[c.pct_moe], as_pct=True)} of {fmt.count(city['households'])} "
        f"households ({period_label})."
    )


def published_figures() -> None:
    """The City's figures, quoted in their sources' own words."""
    st.markdown("**What the City has published**")
    for quote in QUOTES:
        lead = f"{quote.subject} " if quote.subject else ""
        st.markdown(f"> {lead}“{quote.words}”")
        st.caption(quote.source)


def reconciliation_table() -> pd.DataFrame:
    """Each published figure next to the measure and period of ours it matches."""
    records = []
    for match in MATCHES:
        city = cache.citywide(match.vintage)
        c = cols(match.measure)
        records.append(
            {
                "Published figure": match.published,
                "Source": QUOTES[match.source].short,
                "Our measure": MEASURES[match.measure].label,
                "Period": cache.vintage_label(match.vintage),
                "Households": fmt.with_moe(city[c.count], city[c.moe]),
                "Share of households": fmt.pct(city[c.pct]),
            }
        )
    return pd.DataFrame.from_records(records)


def range_check(city: pd.Series, measure: str) -> str:
    """Whether the City's 172,000 lies in our 90 % range for ``measure``, in words."""
    c = cols(measure)
    if pd.isna(city[c.moe]):
        return f"{MEASURES[measure].label}: {fmt.NO_MOE}, so no comparison is made."
    low, high = city[c.count] - city[c.moe], city[c.count] + city[c.moe]
    inside = "inside" if low <= CITY_PLAN_UNCONNECTED <= high else "outside"
    return f"{MEASURES[measure].label}: 172,000 lies {inside} our 90 % range ({fmt.count(low)} to {fmt.count(high)})."


def reconciliation(city: pd.Series) -> None:
    st.markdown("**How the published figures match ours: our inference from the numbers**")
    st.write(
        "None of these sources names an ACS period or table. Matching them to the ACS periods and measures below "
        "is our own inference from the numbers: the published counts and percentages line up with these measures."
    )
    st.dataframe(reconciliation_table(), hide_index=True, width="stretch")
    st.write(
        "**What the range check shows, and what it does not.** "
        + range_check(city, "no_subscription")
        + " "
        + range_check(city, "no_broadband")
        + " So 172,000 is consistent with both definitions: the count alone cannot tell which one the City used. "
        "The published shares (over 15 %, 8 %) point to no subscription and no computer in ACS 2017-2021."
    )


TIED = "Statistically tied with"


def ties(top: pd.DataFrame, measure: str) -> list[str]:
    """For each of the least-connected areas, the others among them it is not significantly different from
    at the 90 % level ("—" for none)."""
    c = cols(measure)
    tied = []
    for _, row in top.iterrows():
        others = [
            other["area_name"]
            for _, other in top.iterrows()
            if other["area_number"] != row["area_number"]
            and compare(row[c.pct], row[c.pct_moe], other[c.pct], other[c.pct_moe]) is Significance.NOT_DIFFERENT
        ]
        tied.append(", ".join(others) or fmt.MISSING)
    return tied


def least_connected_section(areas: pd.DataFrame, city: pd.Series, vintage: str, period_label: str, n: int = 5) -> None:
    st.subheader("Five least-connected community areas")
    st.caption(f"Share of households without an Internet subscription, {period_label}. Ranks come with the range "
               "they plausibly fall in, given the margins of error.")  # fmt: skip
    top = least_connected(areas, "no_subscription", n)
    widgets.measure_table(
        top, city, "no_subscription", vintage, key="least_connected", extra={TIED: ties(top, "no_subscription")}
    )
    st.caption(f"{TIED}: the other areas of these five whose share is not significantly different (90 % level).")
