"""Planner: filter and rank community areas or wards, see the selection's total with its margin of error,
download it, and share the exact view as a link."""

import streamlit as st

from data import selection
from data.measures import MEASURES
from ui import cache, nav, widgets
from ui.i18n import _
from ui.sections import planner as sections
from ui.words import period_label, places_say

account = nav.start_page(_("Planner · Chicago digital equity map"), "📋")
st.title(_("Planner: choose the areas an intervention should reach"))

sides = selection.sides_of(cache.place_table(cache.main_vintage()).rows)
themes = cache.theme_names(account)
sections.restore_filters(sides, themes)
filters = sections.sidebar_filters(sides)
geography = sections.geography()
counted, only_with_notes = sections.notes_filter(themes)
sections.save_filters()

widgets.stop_if_geography_missing(filters.vintage, geography)
table = cache.place_table(filters.vintage, geography)
widgets.stop_if_measure_missing(table, filters.measure)

rows = sections.with_note_counts(table, selection.apply(table.rows, filters), counted, only_with_notes, account)
summary = cache.selection_summary(cache.data_version(), table.key, geography, filters.measure, tuple(rows.index))
measure = MEASURES[filters.measure]
st.caption(f"**{_(measure.label)}.** {_(measure.plain)} {period_label(table.key)}.")
sections.totals(table, summary, filters.measure)

if summary.areas:
    shown = sections.ranked_table(table, rows, filters.measure)
    sections.chart_and_map(table, rows, filters.measure)
    sections.downloads(table, shown, rows, filters, summary)
else:
    st.info(places_say(table.geography, "none_match"))

if table.earlier and summary.areas:
    sections.change_section(table, rows, filters.measure)

st.caption(_("The address of this page holds every filter: copy it from the browser to share this exact view."))
