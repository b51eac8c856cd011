"""The sections of the Planner page: filters (seeded from the link), the selection's totals, the ranked
table, the chart and small map, downloads, and the change since the earlier period."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from data import selection
from data.analysis import change
from data.measures import GAP_MEASURES, MEASURES, cols
from data.snapshot import COLUMNS
from geo import maps
from notes.store import count_by_area
from ui import cache, links, widgets
from ui import format as fmt
from ui.downloads import safe_csv_bytes, selection_geojson_bytes, table_csv_bytes, table_xlsx_bytes
from ui.fast_map import Overlay, show_map
from ui.faults import notes_database
from ui.printable import Profile
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


def totals(summary: selection.SelectionSummary, n_areas: int, measure: str) -> None:
    st.subheader(f"{summary.areas} of {n_areas} community areas selected")
    columns = st.columns(3)
    columns[0].metric(MEASURES[measure].counted, fmt.with_moe(summary.total, summary.total_moe))
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


def ranked_table(rows: pd.DataFrame, city: pd.Series, measure: str, vintage: str) -> pd.DataFrame:
    """The selected areas in the Map's words, largest share first, with their council-note counts when asked;
    returns the table shown (the downloads carry the same columns)."""
    extra = {"Council notes": rows[NOTES].to_numpy()} if NOTES in rows else None
    shown = widgets.measure_table(rows, city, measure, vintage, key="planner_table", extra=extra)
    return shown


def error_bar_spec(rows: pd.DataFrame, measure: str) -> dict:
    """A Vega-Lite chart of each selected area's share with its 90 % margin of error (written as a plain
    spec: no chart library to import or validate on every rerun)."""
    c = cols(measure)
    values = [
        {"area": name, "share": None if pd.isna(p) else p,
         "low": None if pd.isna(p + m) else p - m, "high": None if pd.isna(p + m) else p + m}
        for name, p, m in zip(rows["area_name"], rows[c.pct], rows[c.pct_moe], strict=True)
    ]  # fmt: skip
    y = {"field": "area", "type": "nominal", "sort": rows["area_name"].tolist(), "title": None}
    return {
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "color": "#f03b20"},
                "encoding": {
                    "x": {"field": "share", "type": "quantitative",
                          "title": "Share of households (%) with 90 % margin of error"},
                    "y": y,
                    "tooltip": [{"field": "area", "title": "Area"},
                                {"field": "share", "type": "quantitative", "title": "%", "format": ".1f"}],
                },
            },
            {
                "mark": {"type": "errorbar", "ticks": True, "color": "#222"},
                "encoding": {"x": {"field": "low", "type": "quantitative", "title": ""}, "x2": {"field": "high"},
                             "y": y},
            },
        ],
    }  # fmt: skip


def chart_and_map(rows: pd.DataFrame, areas: pd.DataFrame, measure: str) -> None:
    """The chosen areas' shares with their margins, and a small map of where they are: chosen areas coloured
    by the Map's classes of the share among all 77, the others grey."""
    left, right = st.columns([3, 2])
    left.vega_lite_chart(error_bar_spec(rows, measure), width="stretch")
    with right:
        if not widgets.map_library_ready():
            return
        classes = maps.classify(areas[cols(measure).pct], "quantiles", 5, label=fmt.pct)
        colours = {
            int(n): classes.color_of(v) for n, v in zip(rows["area_number"], rows[cols(measure).pct], strict=True)
        }
        geojson = cache.boundaries_geojson()
        show_map(
            "planner_map",
            ("grey", cache.data_version(), maps.tiles_setting()),
            lambda: maps.grey_map(geojson, tiles=maps.tiles_setting()),
            height=420,
            overlays=[
                Overlay(("chosen", tuple(sorted(colours.items()))), lambda: maps.selection_fill(geojson, colours))
            ],
        )  # one map for every selection: choosing other areas swaps only the overlay
        st.caption("Chosen areas coloured by their share (darker: larger; the Map's five quantile classes); "
                   "the others grey.")  # fmt: skip


FILTERS = "Filters (the Planner's address)"


def export_about(filters: selection.Filters, period_label: str) -> list[tuple[str, str]]:
    """The header block of the Excel download: what the table is, and how its numbers were made."""
    return [
        ("Table", "Chicago community areas chosen in the Planner of the Chicago digital equity map"),
        ("Period", period_label),
        ("Source", "U.S. Census Bureau, American Community Survey 5-year estimates (tables B28002, B28003, "
                   "B19001) for census tracts; community-area boundaries: City of Chicago."),
        ("Measure", f"{MEASURES[filters.measure].label}: {MEASURES[filters.measure].plain}"),
        ("Method", "Tract counts are shared out to community areas by CMAP's household crosswalk and summed; "
                   "shares are computed from the sums. ± is the 90 % margin of error (Census Bureau formulas). "
                   "CV under 15 % reliable, 15-30 % use with caution, over 30 % unreliable. Plausible ranks: 90 % "
                   "range from 10,000 simulations. 'Compared with the city': 90 % significance test."),
        (FILTERS, "?" + urlencode(links.to_query(filters), doseq=True)),
    ]  # fmt: skip


def downloads(
    shown: pd.DataFrame, rows: pd.DataFrame, filters: selection.Filters, summary: selection.SelectionSummary
) -> None:
    """The table as shown (CSV and Excel, with the period; Excel with a header block), the raw snapshot
    columns, the boundaries, and a printable page. Each file is built only when its button is clicked."""
    label = cache.vintage_label(filters.vintage)
    name = f"planner_selection_{filters.vintage}"
    about = export_about(filters, label)
    printable = printable_selection(shown, rows, filters, summary, about)
    st.download_button("Printable one-page summary (PDF)", lambda: printable.pdf(cache.boundaries_geojson()),
                       f"{name}.pdf", "application/pdf", icon=":material/print:")  # fmt: skip
    columns = st.columns(4)
    columns[0].download_button("Table (CSV)", lambda: table_csv_bytes(shown, label), f"{name}.csv", "text/csv")
    columns[1].download_button("Table (Excel)", lambda: table_xlsx_bytes(shown, label, about), f"{name}.xlsx", XLSX)
    columns[2].download_button("All snapshot columns (CSV)", lambda: safe_csv_bytes(rows[COLUMNS]),
                               f"{name}_all_columns.csv", "text/csv")  # fmt: skip
    columns[3].download_button("Boundaries (GeoJSON)",
                               lambda: selection_geojson_bytes(cache.boundaries_geojson(), rows[COLUMNS]),
                               f"{name}.geojson", "application/geo+json")  # fmt: skip


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINTED_ROWS = 30  # areas listed on the printed page (the downloads hold them all)


def printable_selection(
    shown: pd.DataFrame, rows: pd.DataFrame, filters: selection.Filters, summary: selection.SelectionSummary,
    about: list[tuple[str, str]],
) -> Profile:  # fmt: skip
    """The Planner's selection as one printed page: where the areas are, their total, and each area's figures."""
    label = cache.vintage_label(filters.vintage)
    counted = MEASURES[filters.measure].counted
    both = lambda a, b: zip(shown[a], shown[b], strict=True)  # noqa: E731
    table = pd.DataFrame(
        {
            "Community area": shown["Community area"],
            "Share of households": [fmt.with_moe(p, m, as_pct=True) for p, m in both(widgets.SHARE, widgets.SHARE_MOE)],
            counted: [fmt.with_moe(n, m) for n, m in both(counted, widgets.COUNT_MOE)],
            "Reliability": shown["Reliability"],
            "Rank (plausible)": [f"{fmt.count(r)} ({p})" for r, p in both(widgets.RANK, widgets.PLAUSIBLE)],
            widgets.VERSUS_CITY: shown[widgets.VERSUS_CITY],
        }
    )
    more = len(table) - PRINTED_ROWS
    filters_line = dict(about)[FILTERS]
    return Profile(
        title=f"{summary.areas} community areas chosen in the Planner",
        subtitle=f"{label} · {MEASURES[filters.measure].label} · printed {date.today().isoformat()}",
        highlighted=set(rows["area_number"]),
        sentences=[
            f"{counted}: {fmt.with_moe(summary.total, summary.total_moe)} in the chosen areas, "
            f"{fmt.pct(summary.share_of_city)} of the citywide total.",
            MEASURES[filters.measure].plain,
            f"Filters (the Planner's address): {filters_line}",
        ],
        table=table.head(PRINTED_ROWS),
        footnotes=([f"… and {more} more areas: the Planner's downloads list them all."] if more > 0 else [])
        + [f"{name}: {text}" for name, text in about if name in ("Source", "Method")],
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
