"""The sections of the Planner page: filters (seeded from the link), the selection's totals, the ranked
table, the chart and small map, downloads, and the change since the earlier period."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from data import selection
from data.analysis import change, compare_with_city
from data.measures import GAP_MEASURES, MEASURES, cols
from data.snapshot import COLUMNS
from geo import maps
from notes.store import count_by_area
from ui import cache, links, widgets
from ui import format as fmt
from ui.downloads import safe_csv_bytes, selection_geojson_bytes
from ui.faults import notes_database
from ui.prose import change_caveat, significance_words
from ui.text import notice

SAVED = "planner_filters"  # the filters as last seen, kept while the user visits other pages


def seed_from_link(sides: list[str]) -> None:
    """The link is the source of truth when a session starts; afterwards the widgets are. Coming back from
    another page (Streamlit forgets the widgets of a page it is not showing), the filters last seen return."""
    saved = st.session_state.get(SAVED)
    if saved is None:
        seeded, link_notes = links.parse_query(st.query_params, cache.vintages(), sides)
        st.session_state["planner_notes"] = link_notes
        saved = dict(
            p_sides=seeded.sides, p_measure=seeded.measure, p_vintage=seeded.vintage or cache.vintages()[0],
            p_min_pct=seeded.min_pct, p_max_pct=seeded.max_pct, p_min_count=seeded.min_count,
            p_max_count=seeded.max_count, p_min_households=seeded.min_households,
            p_hide_unreliable=seeded.hide_unreliable, p_name=seeded.name,
        )  # fmt: skip
    for key, value in saved.items():
        if key not in st.session_state:
            st.session_state[key] = value


def link_notes() -> None:
    for note in st.session_state.get("planner_notes", []):
        notice("warning", "Part of this page's link was ignored:", note)  # quotes the link: shown as typed


def sidebar_filters(sides: list[str]) -> selection.Filters:
    """The filters in the sidebar; their values are written back to the page address."""
    with st.sidebar:
        st.header("Filters")
        chosen_sides = st.multiselect("Side", sides, key="p_sides", placeholder="All nine sides")
        measure = st.selectbox("Measure", GAP_MEASURES, format_func=lambda m: MEASURES[m].label, key="p_measure")
        vintage = st.selectbox("Data period", cache.vintages(), format_func=cache.vintage_label, key="p_vintage")
        st.caption("Share of households without the service (%)")
        low, high = st.columns(2)
        min_pct = low.number_input("Minimum %", 0.0, 100.0, step=1.0, key="p_min_pct")
        max_pct = high.number_input("Maximum %", 0.0, 100.0, step=1.0, key="p_max_pct")
        st.caption("Number of households without the service")
        low, high = st.columns(2)
        min_count = low.number_input("Minimum", 0.0, step=500.0, key="p_min_count", format="%.0f")
        max_count = high.number_input("Maximum", 0.0, step=500.0, key="p_max_count", format="%.0f")
        min_households = st.number_input("At least this many households in the area", 0.0, step=1000.0,
                                         key="p_min_households", format="%.0f")  # fmt: skip
        hide_unreliable = st.checkbox("Hide unreliable estimates (CV over 30 %)", key="p_hide_unreliable")
        name = st.text_input("Name contains", key="p_name", max_chars=100)
    filters = selection.Filters(
        sides=chosen_sides, measure=measure, min_pct=min_pct, max_pct=max_pct, min_count=min_count,
        max_count=max_count, min_households=min_households, hide_unreliable=hide_unreliable, name=name,
        vintage=vintage,
    )  # fmt: skip
    st.session_state[SAVED] = {key: st.session_state[key] for key in st.session_state if str(key).startswith("p_")}
    st.query_params.from_dict(links.to_query(filters))
    return filters


def totals(summary: selection.SelectionSummary, n_areas: int) -> None:
    st.subheader(f"{summary.areas} of {n_areas} community areas selected")
    columns = st.columns(3)
    columns[0].metric("Households without the service", fmt.with_moe(summary.total, summary.total_moe))
    columns[1].metric("Share of the citywide total", fmt.pct(summary.share_of_city))
    if summary.share_of_city_plan is not None:
        columns[2].metric("Share of the City's 172K", fmt.pct(summary.share_of_city_plan))
    reliability = fmt.NO_MOE if pd.isna(summary.total_moe) else f"{summary.reliability} (CV {fmt.pct(summary.cv)})"
    st.caption(
        "Total over the selected areas, computed from the census tracts like the citywide total (a tract split "
        f"between two selected areas counts once); ± is the 90 % margin of error; {reliability}. "
        f"Households in the selected areas: {fmt.count(summary.households)}."
    )


NOTES = "notes"  # the column of council notes per area, when the planner asks for it


def notes_filter(themes: list[str]) -> tuple[str, bool]:
    """Which council notes to count per area ("" none, "all notes" or a theme), and whether to keep only the
    areas that have such notes: so a planner can find where the numbers and the residents agree."""
    with st.sidebar:
        st.header("What residents said")
        chosen = st.selectbox("Count council notes", ["", "all notes", *themes], key="p_notes",
                              format_func=lambda t: {"": "Don't count", "all notes": "All notes"}.get(
                                  t, f"Notes that raise “{t}”"))  # fmt: skip
        only = bool(chosen) and st.checkbox("Only areas with such notes", key="p_notes_only")
    return chosen, only


def with_note_counts(rows: pd.DataFrame, chosen: str, only: bool, reader) -> pd.DataFrame:
    """``rows`` with the number of council notes per area (those ``reader`` may see, raising the chosen theme);
    only the areas with such notes when ``only``."""
    if not chosen:
        return rows
    theme = None if chosen == "all notes" else chosen
    with notes_database(stop=False):
        counts = count_by_area(cache.notes_engine(), reader, theme)
        rows = rows.assign(**{NOTES: rows["area_number"].map(counts).fillna(0).astype(int)})
        return rows.loc[rows[NOTES] > 0] if only else rows
    return rows


def ranked_table(rows: pd.DataFrame, city: pd.Series, measure: str, vintage: str) -> None:
    c = cols(measure)
    ranges = cache.rank_ranges(vintage, measure).reindex(rows["area_number"])
    table = rows.assign(
        **{c.count: rows[c.count].round(), c.moe: rows[c.moe].round()},  # whole households, for display only
        versus_city=compare_with_city(rows, city, measure).map(significance_words),
        plausible=[widgets.plausible_ranks(lo, hi) for lo, hi in zip(ranges["low"], ranges["high"], strict=True)],
    )
    columns = ["rank", "plausible", "area_name", "side", c.pct, c.pct_moe, c.count, c.moe, c.cv, c.reliability]
    columns += [NOTES] if NOTES in table else []
    st.dataframe(
        table[[*columns, "versus_city"]],
        hide_index=True,
        width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn("Rank of 77", help="1 = largest share"),
            "plausible": st.column_config.TextColumn(
                "Plausible ranks", help="90 % range of the rank, given every area's margin of error"
            ),
            "area_name": "Community area",
            "side": "Side",
            c.pct: st.column_config.NumberColumn("Share (%)", format="%.1f"),
            c.pct_moe: st.column_config.NumberColumn("± (points)", format="%.1f"),
            c.count: st.column_config.NumberColumn("Households", format="localized"),
            c.moe: st.column_config.NumberColumn("± households", format="localized"),
            c.cv: st.column_config.NumberColumn("CV (%)", format="%.1f"),
            c.reliability: "Reliability",
            "versus_city": st.column_config.TextColumn("Compared with the city", help="90 % significance test"),
            NOTES: st.column_config.NumberColumn("Council notes", help="Notes you may read, tagged to the area"),
        },
    )


def error_bar_chart(rows: pd.DataFrame, measure: str) -> alt.LayerChart:
    """Each selected area's share with its 90 % margin of error."""
    c = cols(measure)
    data = rows.assign(low=rows[c.pct] - rows[c.pct_moe], high=rows[c.pct] + rows[c.pct_moe])
    order = rows["area_name"].tolist()
    bars = (
        alt.Chart(data)
        .mark_bar(color="#f03b20")
        .encode(
            x=alt.X(f"{c.pct}:Q", title="Share of households (%) with 90 % margin of error"),
            y=alt.Y("area_name:N", sort=order, title=None),
            tooltip=[alt.Tooltip("area_name:N", title="Area"), alt.Tooltip(f"{c.pct}:Q", title="%", format=".1f")],
        )
    )
    errors = (
        alt.Chart(data)
        .mark_errorbar(ticks=True, color="#222")
        .encode(x=alt.X("low:Q", title=""), x2="high:Q", y=alt.Y("area_name:N", sort=order))
    )
    return bars + errors


def chart_and_map(rows: pd.DataFrame, measure: str) -> None:
    left, right = st.columns([3, 2])
    left.altair_chart(error_bar_chart(rows, measure), width="stretch")
    with right:
        if not widgets.map_library_ready():
            return
        st_folium(
            maps.highlight_map(cache.boundaries_geojson(), set(rows["area_number"]), tiles=maps.tiles_setting()),
            key="planner_map", height=420, use_container_width=True, returned_objects=[],
        )  # fmt: skip


def downloads(rows: pd.DataFrame, vintage: str) -> None:
    columns = st.columns(2)
    columns[0].download_button(
        "Download selection (CSV)", safe_csv_bytes(rows[COLUMNS]), f"planner_selection_{vintage}.csv", "text/csv"
    )
    columns[1].download_button(
        "Download selection (GeoJSON)",
        selection_geojson_bytes(cache.boundaries_geojson(), rows[COLUMNS]),
        f"planner_selection_{vintage}.geojson",
        "application/geo+json",
    )


def change_section(rows: pd.DataFrame, vintage: str, older: str, measure: str) -> None:
    """Each selected area's share in both periods and the change, with whether it can be tested."""
    st.subheader(f"Change since {cache.vintage_label(older)}")
    changes = change(rows, cache.areas(older), measure)
    if changes is None:
        lacking = f"{cache.vintage_label(older)} does not include “{MEASURES[measure].label}”"
        st.info(f"{lacking}, so no change can be shown.")
        return
    names = rows.set_index("area_number")["area_name"]
    table = pd.DataFrame(
        {
            "Community area": names.reindex(changes.index).to_numpy(),
            "Earlier share (%)": changes["old_pct"].to_numpy(),
            "Latest share (%)": changes["new_pct"].to_numpy(),
            "Change (points)": changes["change"].to_numpy(),
            "Compared with the earlier period": [
                significance_words(s, "the earlier period") for s in changes["significance"]
            ],
        }
    )
    one_decimal = {c: st.column_config.NumberColumn(format="%.1f") for c in table.columns[1:4]}
    st.dataframe(table, hide_index=True, width="stretch", column_config=one_decimal)
    st.caption(change_caveat(vintage, older, cache.vintage_label(older), cache.has_moe(older)))
