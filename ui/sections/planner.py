"""The sections of the Planner page: filters (seeded from the link), the selection's totals, the ranked
table, the chart and small map, downloads, and the change since the earlier period."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from data import selection
from data.geographies import DEFAULT as DEFAULT_GEOGRAPHY
from data.geographies import GEOGRAPHIES
from data.measures import GAP_MEASURES, MEASURES, cols
from data.place_table import PlaceTable
from geo import maps
from notes.accounts import Account
from settings import map_tiles
from ui import cache, nav, page_state, widgets
from ui import format as fmt
from ui.downloads import safe_csv_bytes, selection_geojson_bytes, table_csv_bytes, table_xlsx_bytes
from ui.fast_map import Overlay, show_map
from ui.faults import notes_database
from ui.i18n import N_, _
from ui.links import Address, Param
from ui.printable import Profile
from ui.prose import change_caveat, estimate_words, significance_words
from ui.widgets import ALL_NOTES
from ui.words import period_label, place_heading, places_say

PLANNER = "planner"  # the page's name for its kept state
ADDRESS = Address(
    Param("geo", default=DEFAULT_GEOGRAPHY, key="p_geo"),
    Param("side", "choices", key="p_sides", why=N_("not one of the nine sides")),
    Param("measure", default="no_subscription", key="p_measure"),
    Param("vintage", key="p_vintage", why=N_("not available")),
    Param("min_pct", "percent", key="p_min_pct"),
    Param("max_pct", "percent", key="p_max_pct"),
    Param("min_count", "number", key="p_min_count"),
    Param("max_count", "number", key="p_max_count"),
    Param("min_households", "number", key="p_min_households"),
    Param("hide_unreliable", "flag", default=False, key="p_hide_unreliable"),
    Param("q", "text", default="", key="p_name"),
    Param("notes", default="", key="p_notes"),  # count council notes: "", all notes or a theme
    Param("notes_only", "flag", default=False, key="p_notes_only"),
)


def allowed_settings(sides: list[str], themes: list[str]) -> dict[str, list]:
    return {
        "geo": list(GEOGRAPHIES), "side": sides, "measure": GAP_MEASURES, "vintage": cache.vintages(),
        "notes": ["", ALL_NOTES, *themes],
    }  # fmt: skip


def restore_filters(sides: list[str], themes: list[str]) -> None:
    """The filters from the link on the session's first visit, else as last seen."""
    page_state.restore(PLANNER, ADDRESS, allowed_settings(sides, themes))


def filters_of(state: dict) -> selection.Filters:
    """The selection's filters from the Planner's settings (by widget key); sides only where the geography's
    places have them (community areas)."""
    grouped = GEOGRAPHIES[state["p_geo"]].group is not None
    return selection.Filters(
        sides=list(state["p_sides"]) if grouped else [], measure=state["p_measure"], min_pct=state["p_min_pct"],
        max_pct=state["p_max_pct"], min_count=state["p_min_count"], max_count=state["p_max_count"],
        min_households=state["p_min_households"], hide_unreliable=state["p_hide_unreliable"], name=state["p_name"],
        vintage=state["p_vintage"],
    )  # fmt: skip


def sidebar_filters(sides: list[str]) -> selection.Filters:
    """The filters in the sidebar (the sides where the geography's places have them)."""
    with nav.settings_sidebar():
        st.header(_("Filters"))
        geography = widgets.geography_picker(key="p_geo")
        if GEOGRAPHIES[geography].group:
            st.multiselect(_("Side"), sides, key="p_sides", placeholder=_("All nine sides"))
        widgets.measure_picker(key="p_measure")
        widgets.vintage_picker(key="p_vintage")
        st.caption(_("Share of households without the service (%)"))
        low, high = st.columns(2)
        low.number_input(_("Minimum %"), 0.0, 100.0, step=1.0, key="p_min_pct")
        high.number_input(_("Maximum %"), 0.0, 100.0, step=1.0, key="p_max_pct")
        st.caption(_("Number of households without the service"))
        low, high = st.columns(2)
        low.number_input(_("Minimum"), 0.0, step=500.0, key="p_min_count", format="%.0f")
        high.number_input(_("Maximum"), 0.0, step=500.0, key="p_max_count", format="%.0f")
        st.number_input(_("At least this many households in the area"), 0.0, step=1000.0, key="p_min_households",
                        format="%.0f")  # fmt: skip
        st.checkbox(_("Hide unreliable estimates (CV over 30 %)"), key="p_hide_unreliable")
        st.text_input(_("Name contains"), key="p_name", max_chars=100)
    return filters_of(st.session_state)


def geography() -> str:
    """The geography the Planner shows (community areas or wards)."""
    return st.session_state["p_geo"]


def save_filters() -> None:
    """Remember the settings and write them into the address (so a link restores exactly this view)."""
    page_state.save(PLANNER, ADDRESS)


def link() -> str:
    """The Planner's address for the settings on screen (for an export's header)."""
    return "?" + urlencode(page_state.link(ADDRESS), doseq=True)


def totals(table: PlaceTable, summary: selection.SelectionSummary, measure: str) -> None:
    st.subheader(places_say(table.geography, "selected", n=summary.areas, total=len(table.rows)))
    columns = st.columns(3)
    columns[0].metric(_(MEASURES[measure].counted), fmt.with_moe(summary.total, summary.total_moe))
    columns[1].metric(_("Share of the citywide total"), fmt.pct(summary.share_of_city))
    if summary.share_of_city_plan is not None:
        columns[2].metric(_("Share of the City's 172K"), fmt.pct(summary.share_of_city_plan))
    elif measure == "no_subscription":
        columns[2].caption(_("The City's 172K matches ACS 2017-2021 (our inference, see Home), so other periods "
                             "are not compared with it."))  # fmt: skip
    reliability = (
        fmt.no_moe()
        if pd.isna(summary.total_moe)
        else f"{estimate_words(summary.reliability)} (CV {fmt.pct(summary.cv)})"
    )
    st.caption(
        _("Total over the selected areas, computed from the census tracts like the citywide total (a tract split "
          "between two selected areas counts once); ± is the 90 % margin of error; {reliability}. Households in "
          "the selected areas: {households}.").format(reliability=reliability,
                                                      households=fmt.count(summary.households))
    )  # fmt: skip


NOTES = "notes"  # the column of council notes per area, when the planner asks for it


COUNT_WORDS = {"": N_("Don't count"), ALL_NOTES: N_("All notes")}


def notes_filter(themes: list[str]) -> tuple[str, bool]:
    """Which council notes to count per place ("" none, all notes or a theme), and whether to keep only the
    places that have such notes: so a planner can find where the numbers and the residents agree."""
    with nav.settings_sidebar():
        st.header(_("What residents said"))
        chosen = st.selectbox(_("Count council notes"), ["", ALL_NOTES, *themes], key="p_notes",
                              format_func=lambda c: widgets.notes_choice_words(c, COUNT_WORDS))  # fmt: skip
        only = bool(chosen) and st.checkbox(_("Only areas with such notes"), key="p_notes_only")
    return chosen, only


def with_note_counts(
    table: PlaceTable, rows: pd.DataFrame, chosen: str, only: bool, account: Account | None
) -> pd.DataFrame:
    """``rows`` with the number of council notes per area (those ``account`` may see, raising the chosen theme);
    only the areas with such notes when ``only``."""
    if not chosen:
        return rows
    theme = None if chosen == ALL_NOTES else chosen
    with notes_database(stop=False):
        counts = cache.note_counts(account, theme, table.geography.key)
        rows = rows.assign(**{NOTES: rows.index.map(counts).fillna(0).astype(int)})
        return rows.loc[rows[NOTES] > 0] if only else rows
    return rows


def ranked_table(table: PlaceTable, rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The selected areas in the Map's words, largest share first, with their council-note counts when asked;
    returns the table shown (the downloads carry the same columns)."""
    extra = {_("Council notes"): rows[NOTES].to_numpy()} if NOTES in rows else None
    cards = len(rows) <= CARDS_AT_MOST  # a phone reader gets cards for a short list, the table for a long one
    return widgets.measure_table(table, rows, measure, key="planner_table", extra=extra, cards=cards)


CARDS_AT_MOST = 20  # areas in the Planner's list that a phone shows as cards


def error_bar_spec(rows: pd.DataFrame, measure: str, place: str) -> dict:
    """A Vega-Lite chart of each selected area's share with its 90 % margin of error (written as a plain
    spec: no chart library to import or validate on every rerun)."""
    c = cols(measure)
    values = [
        {"area": name, "share": None if pd.isna(p) else p,
         "low": None if pd.isna(p + m) else p - m, "high": None if pd.isna(p + m) else p + m}
        for name, p, m in zip(rows["name"], rows[c.pct], rows[c.pct_moe], strict=True)
    ]  # fmt: skip
    y = {"field": "area", "type": "nominal", "sort": rows["name"].tolist(), "title": None}
    return {
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "color": "#f03b20"},
                "encoding": {
                    "x": {"field": "share", "type": "quantitative",
                          "title": _("Share of households (%) with 90 % margin of error")},
                    "y": y,
                    "tooltip": [{"field": "area", "title": place},
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


GREY_MAP_TITLE = N_("Places chosen in the Planner, coloured by their share; the others grey")


def chart_and_map(table: PlaceTable, rows: pd.DataFrame, measure: str) -> None:
    """The chosen areas' shares with their margins, and a small map of where they are: chosen areas coloured
    by the Map's classes of the share among all 77, the others grey."""
    left, right = st.columns([3, 2])
    spec = error_bar_spec(rows, measure, place_heading(table.geography))
    left.vega_lite_chart(spec, width="stretch", alt=_(
        "Bar chart of each chosen area's share of households with its 90 % margin of error; the table above holds "
        "the same numbers."))  # fmt: skip
    with right:
        if not widgets.map_library_ready():
            return
        classes = cache.classes(table, cols(measure).pct, "quantiles", 5, share=True)
        colours = {int(n): classes.color_of(v) for n, v in rows[cols(measure).pct].items()}
        geojson = cache.boundaries(table.geography.key)
        show_map(
            "planner_map",
            ("grey", cache.data_version(), table.geography.key, map_tiles(), _(GREY_MAP_TITLE)),
            lambda: maps.grey_map(geojson, _(GREY_MAP_TITLE), tiles=map_tiles()),
            height=420,
            overlays=[
                Overlay(
                    ("chosen", table.geography.key, tuple(sorted(colours.items()))),
                    lambda: maps.selection_fill(geojson, colours),
                )  # fmt: skip
            ],
        )  # one map for every selection: choosing other areas swaps only the overlay
        st.caption(_("Chosen areas coloured by their share (darker: larger; the Map's five quantile classes); "
                     "the others grey."))  # fmt: skip


def export_about(
    table: PlaceTable, filters: selection.Filters, period: str, summary: selection.SelectionSummary
) -> dict[str, tuple[str, str]]:
    """The header block of the Excel download, label and text by name: what the table is, and how its numbers
    were made."""
    measure = MEASURES[filters.measure]
    return {
        "table": (_("Table"), places_say(table.geography, "export_table")),
        "period": (_("Period"), period),
        "source": (_("Source"), places_say(table.geography, "export_source")),
        "measure": (_("Measure"), f"{_(measure.label)}: {_(measure.plain)}"),
        "total": (_(measure.counted), _("{total} in the selection (± is the 90 % margin of error)").format(
            total=fmt.with_moe(summary.total, summary.total_moe))),
        "method": (_("Method"), places_say(table.geography, "export_method")),
        "filters": (_("Filters (the Planner's address)"), link()),
    }  # fmt: skip


def downloads(
    table: PlaceTable, shown: pd.DataFrame, rows: pd.DataFrame, filters: selection.Filters,
    summary: selection.SelectionSummary,
) -> None:  # fmt: skip
    """The table as shown (CSV and Excel, with the period; Excel with a header block), the raw snapshot
    columns, the boundaries, and a printable page. Each file, and what only it needs, is built only when its
    button is clicked."""
    label = period_label(table.key)
    prefix = _("planner_selection")  # the downloads' file names, in the reader's language
    name = f"{prefix}_{table.geography.table}_{table.key}"
    about = export_about(table, filters, label, summary)
    geojson = cache.boundaries(table.geography.key)
    widgets.download(st, _("Printable one-page summary (PDF)"),
                     lambda: printable_selection(table, shown, rows, filters, summary, about).pdf(geojson),
                     f"{name}.pdf", "application/pdf", icon=":material/print:")  # fmt: skip
    header = list(about.values())
    columns = st.columns(4)
    decimals = widgets.shown_formats(filters.measure)  # ``shown`` is rounded as the screen shows it
    widgets.download(columns[0], _("Table (CSV)"), lambda: table_csv_bytes(shown, label, _("Period")),
                     f"{name}.csv", "text/csv")  # fmt: skip
    widgets.download(columns[1], _("Table (Excel)"),
                     lambda: table_xlsx_bytes(shown, label, header, _("Period"), decimals, _("Selection")),
                     f"{name}.xlsx", XLSX)  # fmt: skip
    widgets.download(columns[2], _("All snapshot columns (CSV)"), lambda: safe_csv_bytes(table.snapshot_columns(rows)),
                     f"{name}_all_columns.csv", "text/csv")  # fmt: skip
    widgets.download(columns[3], _("Boundaries (GeoJSON)"),
                     lambda: selection_geojson_bytes(geojson, table.snapshot_columns(rows)),
                     f"{name}.geojson", "application/geo+json")  # fmt: skip


def _range_words(low, high, show) -> str | None:
    if low is not None and high is not None:
        return _("from {low} to {high}").format(low=show(low), high=show(high))
    if low is not None:
        return _("at least {low}").format(low=show(low))
    if high is not None:
        return _("at most {high}").format(high=show(high))
    return None


def filters_in_words(filters: selection.Filters, geography: str) -> str:
    """The Planner's filters as a sentence a printed page can wrap (the address is for machines)."""
    parts = []
    if filters.sides:
        parts.append(_("sides: {sides}").format(sides=", ".join(filters.sides)))
    if share := _range_words(filters.min_pct, filters.max_pct, fmt.pct):
        parts.append(_("share {range}").format(range=share))
    if count := _range_words(filters.min_count, filters.max_count, fmt.count):
        parts.append(_("households without the service {range}").format(range=count))
    if filters.min_households is not None:
        parts.append(_("at least {n} households").format(n=fmt.count(filters.min_households)))
    if filters.hide_unreliable:
        parts.append(_("unreliable estimates hidden"))
    if filters.name.strip():
        parts.append(_("name contains “{text}”").format(text=filters.name.strip()))
    counted = st.session_state.get("p_notes")
    if counted:
        parts.append(widgets.notes_choice_words(counted, COUNT_WORDS))
        if st.session_state.get("p_notes_only"):
            parts.append(_("only places with such notes"))
    return "; ".join(parts) or _("none: every place")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINTED_ROWS = 30  # areas listed on the printed page (the downloads hold them all)


def printable_selection(
    places: PlaceTable, shown: pd.DataFrame, rows: pd.DataFrame, filters: selection.Filters,
    summary: selection.SelectionSummary, about: dict[str, tuple[str, str]],
) -> Profile:  # fmt: skip
    """The Planner's selection as one printed page: where the areas are, their total, and each area's figures."""
    label = period_label(places.key)
    counted = _(MEASURES[filters.measure].counted)
    both = lambda a, b: zip(shown[_(a)], shown[_(b)], strict=True)  # noqa: E731
    heading = place_heading(places.geography)
    table = pd.DataFrame(
        {
            heading: shown[heading],
            _("Share of households"): [fmt.with_moe(p, m, True) for p, m in both(widgets.SHARE, widgets.SHARE_MOE)],
            counted: [fmt.with_moe(n, m) for n, m in zip(shown[counted], shown[_(widgets.COUNT_MOE)], strict=True)],
            _(widgets.RELIABILITY): shown[_(widgets.RELIABILITY)],
            _("Rank (plausible)"): [
                f"{fmt.count(r)} ({p})"
                for r, p in zip(shown[widgets.rank_heading(places)], shown[_(widgets.PLAUSIBLE)], strict=True)
            ],  # fmt: skip
            _(widgets.VERSUS_CITY): shown[_(widgets.VERSUS_CITY)],
        }
    )
    more = len(table) - PRINTED_ROWS
    return Profile(
        title=places_say(places.geography, "chosen", n=summary.areas),
        subtitle=_("{period} · {measure} · printed {date}").format(
            period=label, measure=_(MEASURES[filters.measure].label), date=fmt.date(date.today())),
        highlighted=set(rows.index),
        sentences=[
            _("{counted}: {total} in the chosen areas, {share} of the citywide total.").format(
                counted=counted, total=fmt.with_moe(summary.total, summary.total_moe),
                share=fmt.pct(summary.share_of_city)),
            _(MEASURES[filters.measure].plain),
            _("Filters: {filters}").format(filters=filters_in_words(filters, places.geography.key)),
        ],
        table=table.head(PRINTED_ROWS),
        footnotes=([_("… and {n} more areas: the Planner's downloads list them all.").format(n=more)] if more > 0
                   else []) + ["{}: {}".format(*about[key]) for key in ("source", "method")],
    )  # fmt: skip


def change_section(places: PlaceTable, rows: pd.DataFrame, measure: str) -> None:
    """Each selected area's share in both periods and the change, with whether it can be tested."""
    older = period_label(places.earlier.key)
    st.subheader(_("Change since {period}").format(period=older))
    changes = places.change(measure)
    if changes is None:
        st.info(_("{period} does not include “{measure}”, so no change can be shown.").format(
            period=older, measure=_(MEASURES[measure].label)))  # fmt: skip
        return
    changes = changes.loc[rows.index]
    table = pd.DataFrame(
        {
            place_heading(places.geography): rows["name"].to_numpy(),
            _("Earlier share (%)"): changes["old_pct"].to_numpy(),
            _("Latest share (%)"): changes["new_pct"].to_numpy(),
            _("Change (points)"): changes["change"].to_numpy(),
            _("Compared with the earlier period"): [significance_words(s, "earlier") for s in changes["significance"]],
        }
    )
    one_decimal = {c: st.column_config.NumberColumn(format="%.1f") for c in table.columns[1:4]}
    st.dataframe(table, hide_index=True, width="stretch", column_config=one_decimal)
    st.caption(change_caveat(places))
