"""Widgets several pages share: measure and period pickers, the measure table, a council-note card."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.analysis import compare_with_city
from data.measures import GAP_MEASURES, MEASURES, cols
from geo import leaflet
from ui import cache
from ui import format as fmt
from ui.prose import significance_words
from ui.text import plain


def measure_picker(key: str = "measure") -> str:
    """The measure to show (its value is seeded in the session state by the page, from its address)."""
    return st.selectbox("Measure", GAP_MEASURES, format_func=lambda m: MEASURES[m].label, key=key)


def vintage_picker(key: str = "vintage") -> str:
    return st.selectbox("Data period", cache.vintages(), format_func=cache.vintage_label, key=key)


def map_library_ready() -> bool:
    """Leaflet is served by the app; copy it into place if a bare install left it out, else say what to run."""
    try:
        leaflet.ensure()
    except leaflet.LeafletMissing as exc:
        st.error(str(exc))
        return False
    except OSError:
        st.error("The map library (Leaflet) could not be copied into the app's static folder, so the map cannot be "
                 "drawn. Start the app with `make run`, which installs everything it needs.")  # fmt: skip
        return False
    return True


def legend(title: str, entries: list[tuple[str, str]]) -> None:
    """The map's legend, outside the map so it covers no area at any screen width: a small table whose first
    column shows each class's colour."""
    colours = [colour for colour, _label in entries]
    table = pd.DataFrame({"Colour": [""] * len(entries), title: [label for _colour, label in entries]})
    styled = table.style.apply(lambda _: [f"background-color: {c}" for c in colours], subset=["Colour"])
    with st.container(key="map_legend"):
        st.dataframe(styled, hide_index=True, width="content")


def stop_if_measure_missing(areas: pd.DataFrame, measure: str, period_label: str) -> None:
    """Say so and stop the page when the chosen period lacks the chosen measure."""
    if areas[measure].isna().all():
        st.info(f"{period_label} does not include “{MEASURES[measure].label}”. Choose another measure or data period.")
        st.stop()


SHARE = "Share of households (%)"
SHARE_MOE = "± share (points)"
COUNT_MOE = "± households"
ALL_HOUSEHOLDS = "All households"
CV = "CV (%)"
RANK = "Rank of 77"
PLAUSIBLE = "Plausible ranks"
VERSUS_CITY = "Compared with the city"


def measure_view(areas: pd.DataFrame, city: pd.Series, measure: str, vintage: str) -> pd.DataFrame:
    """One row per area for one measure, in the words the pages use: share and count with their margins,
    all households, CV and reliability, the rank among all 77 areas with the range it plausibly holds
    given the margins of error, and the 90 % test against the city. Numbers stay numeric (sortable)."""
    c = cols(measure)
    ranked = cache.rank_ranges(vintage, measure).reindex(areas["area_number"])
    return pd.DataFrame(
        {  # what a phone shows first: the name, the share and where it stands
            "Community area": areas["area_name"].to_numpy(),
            SHARE: areas[c.pct].to_numpy(),
            SHARE_MOE: areas[c.pct_moe].to_numpy(),
            RANK: ranked["rank"].to_numpy(),
            PLAUSIBLE: [plausible_ranks(lo, hi) for lo, hi in zip(ranked["low"], ranked["high"], strict=True)],
            VERSUS_CITY: compare_with_city(areas, city, measure).map(significance_words).to_numpy(),
            MEASURES[measure].counted: areas[c.count].round().to_numpy(),  # whole households, for display only
            COUNT_MOE: areas[c.moe].round().to_numpy(),
            ALL_HOUSEHOLDS: areas["households"].round().to_numpy(),
            "Reliability": areas[c.reliability].to_numpy(),
            CV: areas[c.cv].to_numpy(),
            "Side": areas["side"].to_numpy(),
        }
    )


def plausible_ranks(low, high) -> str:
    return fmt.MISSING if pd.isna(low) else (f"{low}" if low == high else f"{low}–{high}")


def measure_columns(measure: str) -> dict:
    """How :func:`measure_view`'s columns are shown: one decimal for shares, whole households, and a plain
    sentence of help on the columns a council member may not know."""
    one_decimal = st.column_config.NumberColumn(format="%.1f")
    households = st.column_config.NumberColumn(format="localized")
    return {
        SHARE: one_decimal,
        SHARE_MOE: st.column_config.NumberColumn(format="%.1f", help="90 % margin of error, in percentage points"),
        MEASURES[measure].counted: households,
        COUNT_MOE: households,
        ALL_HOUSEHOLDS: households,
        CV: st.column_config.NumberColumn(
            format="%.1f",
            help="Coefficient of variation: under 15 reliable, 15-30 use with caution, over 30 unreliable",
        ),
        RANK: st.column_config.NumberColumn(help="Among the 77 areas; 1 = largest share"),
        PLAUSIBLE: st.column_config.TextColumn(
            help="90 % range of the rank, from simulating every area's estimate with its margin of error"
        ),
        VERSUS_CITY: st.column_config.TextColumn(width="large", help="90 % significance test against the city's share"),
    }


def measure_table(
    areas: pd.DataFrame, city: pd.Series, measure: str, vintage: str, key: str | None = None, extra: dict | None = None
) -> pd.DataFrame:
    """The measure's table (``extra``: more columns, name → values in the rows' order); returns what it shows."""
    shown = measure_view(areas, city, measure, vintage).assign(**(extra or {}))
    with st.container(key=key):
        st.dataframe(shown, hide_index=True, width="stretch", placeholder=fmt.MISSING,
                     column_config=measure_columns(measure))  # fmt: skip
    return shown


def note_card(note, area_names: dict[int, str], max_chars: int = 3000):
    """One council note as plain text (title, date · event · areas · themes, body) in a bordered box.
    Returns the box so a page can add controls to it."""
    box = st.container(border=True)
    with box:
        if note.deleted:
            st.caption("Deleted note (staff can restore it)")
        st.caption("Public" if note.visibility == "public" else "Council only: signed-in council members and staff")
        plain(note.title)
        when = note.conversation_date.isoformat() if note.conversation_date else "date not given"
        where = "; ".join(area_names.get(a, str(a)) for a in note.areas) or "no area"
        plain(" · ".join(p for p in [when, note.event, where, "; ".join(note.themes)] if p))
        plain(note.body[:max_chars] + (" …" if len(note.body) > max_chars else ""))
    return box
