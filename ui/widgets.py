"""Widgets several pages share: measure and period pickers, the measure table, a council-note card."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.measures import GAP_MEASURES, MEASURES, cols
from geo import leaflet
from ui import cache
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


def measure_view(areas: pd.DataFrame, measure: str, vintage: str) -> pd.DataFrame:
    """Numeric columns for one measure (sortable in the table), plus the rank among all 77 areas and the
    range of ranks each area plausibly holds given the margins of error."""
    c = cols(measure)
    ranked = cache.rank_ranges(vintage, measure).reindex(areas["area_number"])
    return pd.DataFrame(
        {
            "Community area": areas["area_name"].to_numpy(),
            "Side": areas["side"].to_numpy(),
            "Share (%)": areas[c.pct].to_numpy(),
            "± share (points)": areas[c.pct_moe].to_numpy(),
            "Households": areas[c.count].round().to_numpy(),  # whole households, for display only
            "± households": areas[c.moe].round().to_numpy(),
            "CV (%)": areas[c.cv].to_numpy(),
            "Reliability": areas[c.reliability].to_numpy(),
            "Rank": ranked["rank"].to_numpy(),
            "Plausible ranks": [plausible_ranks(lo, hi) for lo, hi in zip(ranked["low"], ranked["high"], strict=True)],
        }
    )


def plausible_ranks(low, high) -> str:
    return "–" if pd.isna(low) else (f"{low}" if low == high else f"{low}–{high}")


def measure_table(
    areas: pd.DataFrame, measure: str, vintage: str, key: str | None = None, extra: dict | None = None
) -> None:
    """The measure's table (``extra``: more columns, name → values in the rows' order)."""
    st.dataframe(
        measure_view(areas, measure, vintage).assign(**(extra or {})),
        hide_index=True,
        width="stretch",
        key=key,
        column_config={
            "Share (%)": st.column_config.NumberColumn(format="%.1f"),
            "± share (points)": st.column_config.NumberColumn(format="%.1f"),
            "Households": st.column_config.NumberColumn(format="localized"),
            "± households": st.column_config.NumberColumn(format="localized"),
            "CV (%)": st.column_config.NumberColumn(
                format="%.1f",
                help="Coefficient of variation: under 15 reliable, 15-30 use with caution, over 30 unreliable",
            ),
            "Rank": st.column_config.NumberColumn(help="Among the 77 areas; 1 = largest share"),
            "Plausible ranks": st.column_config.TextColumn(
                help="90 % range of the rank, from simulating every area's estimate with its margin of error"
            ),
        },
    )


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
