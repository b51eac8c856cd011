"""Planner: filter and rank community areas, see the selection's total with its margin of error,
download it, and share the exact view as a link."""

import streamlit as st

from data import selection
from data.measures import MEASURES
from data.reference import CITY_PLAN_UNCONNECTED
from ui import cache, nav, widgets
from ui import planner_sections as sections
from ui.i18n import _

session = nav.start_page(_("Planner · Chicago digital equity map"), "📋")
st.title(_("Planner: choose the areas an intervention should reach"))

sides = selection.sides_of(cache.areas(cache.main_vintage()))
sections.seed_from_link(sides)
sections.link_notes()
filters = sections.sidebar_filters(sides)
counted, only_with_notes = sections.notes_filter(cache.theme_names())

areas = cache.areas(filters.vintage)
city = cache.citywide(filters.vintage)
label = cache.vintage_label(filters.vintage)
widgets.stop_if_measure_missing(areas, filters.measure, label)

rows = sections.with_note_counts(selection.apply(areas, filters), counted, only_with_notes, session)
summary = selection.summarise(rows, filters.measure, city, CITY_PLAN_UNCONNECTED, cache.tract_inputs(filters.vintage))
st.caption(f"**{_(MEASURES[filters.measure].label)}.** {_(MEASURES[filters.measure].plain)} {label}.")
sections.totals(summary, len(areas), filters.measure)

if summary.areas:
    shown = sections.ranked_table(rows, filters.measure, filters.vintage)
    sections.chart_and_map(rows, areas, filters.measure)
    sections.downloads(shown, rows, filters, summary)
else:
    st.info(_("No community area matches every filter. Loosen a filter in the sidebar."))

older = cache.comparison_vintage(filters.vintage)
if older and summary.areas:
    sections.change_section(rows, filters.vintage, older, filters.measure)

st.caption(_("The address of this page holds every filter: copy it from the browser to share this exact view."))
