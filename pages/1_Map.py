"""Map: the unconnected-household gap across Chicago's community areas or wards, a place's profile, and the
table of every place."""

import streamlit as st

from data.measures import MEASURES
from ui import cache, nav, widgets
from ui.i18n import _
from ui.sections import map as sections
from ui.words import period_label

account = nav.start_page(_("Map · Chicago digital equity map"), "🗺️")
st.title(_("Where are Chicago's unconnected households?"))

sections.restore_map_state()
settings = sections.map_settings(cache.theme_names(account))
sections.save_map_state()  # settings into the address, before a period that lacks them stops the page
widgets.stop_if_geography_missing(settings.vintage, settings.geography)
table = cache.place_table(settings.vintage, settings.geography)
measure = MEASURES[settings.measure]
st.caption(
    f"**{_(measure.label)}.** {_(measure.plain)} " + _("Source: {period}.").format(period=period_label(table.key))
)
widgets.stop_if_measure_missing(table, settings.measure)

names = table.names()
if (clicked := sections.click_from_last_run()) in names:
    st.session_state[sections.chosen_key()] = clicked  # chosen on the map: outlined and profiled in this run
place = sections.place_picker(table)  # the search box comes first: a keyboard reaches it before the map

left, right = st.columns([3, 2])
with left:
    if sections.gap_map(table, settings, account) in names:
        st.rerun()  # a click the map reported only now: the next run selects it (the search box is drawn)
with right:
    sections.place_panel(table, place, settings.measure)

sections.save_map_state()  # and the place chosen

if place is not None:
    sections.profile_section(table, place, settings, account)
sections.all_places_section(table, settings)
