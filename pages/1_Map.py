"""Map: the unconnected-household gap across the 77 community areas, an area's profile, and the table."""

import streamlit as st

from data.measures import MEASURES
from ui import cache, nav, widgets
from ui.i18n import _
from ui.sections import map as sections
from ui.words import period_label

account = nav.start_page(_("Map · Chicago digital equity map"), "🗺️")
st.title(_("Where are Chicago's unconnected households?"))

names = cache.place_table(cache.main_vintage()).names()
sections.restore_map_state(names)
settings = sections.map_settings(cache.theme_names())
sections.save_map_state()  # settings into the address, before a period that lacks the measure stops the page
table = cache.place_table(settings.vintage)
measure = MEASURES[settings.measure]
st.caption(
    f"**{_(measure.label)}.** {_(measure.plain)} " + _("Source: {period}.").format(period=period_label(table.key))
)
widgets.stop_if_measure_missing(table, settings.measure)

if (clicked := sections.click_from_last_run()) in names:
    st.session_state["area"] = clicked  # chosen on the map: outlined and profiled in this run
area = sections.area_picker(names)  # the search box comes first: a keyboard reaches it before the map

left, right = st.columns([3, 2])
with left:
    if sections.gap_map(table, settings, account) in names:
        st.rerun()  # a click the map reported only now: the next run selects it (the search box is drawn)
with right:
    sections.area_panel(table, area, settings.measure)

sections.save_map_state()  # and the area chosen

if area is not None:
    sections.profile_section(table, area, settings, account)
sections.all_areas_section(table, settings.measure)
