"""Home: how many Chicago households are unconnected, in our numbers and in the City's own words, where they
are, and where to go next. No data logic here: the sections live in ui.sections.home."""

import streamlit as st

from ui import cache, nav
from ui.i18n import _
from ui.sections import home as sections
from ui.words import period_label, release

nav.start_page(_("Chicago digital equity map"), "🗺️")

table = cache.place_table(cache.main_vintage())  # the main period is named in the snapshot manifest by the build
city = table.city
period = period_label(table.key)

st.title(_("Chicago digital equity map"))
st.write(
    _("Where are Chicago's households without home Internet? This dashboard maps the gap across the City's "
      "77 community areas, using the Census Bureau's American Community Survey (ACS), and keeps the notes "
      "from the Digital Equity Council's community conversations next to the numbers.")
)  # fmt: skip

st.subheader(_('The "172K": how many Chicago households are unconnected?'))
ours, theirs = st.columns(2)
with ours, st.container(border=True):
    sections.our_estimate(city, period)
with theirs, st.container(border=True):
    sections.published_figures()
sections.reconciliation(city)

st.markdown(
    _("**What the ± means.** The ACS is a survey of a sample of households, so every figure is an estimate. "
      "The ± is the 90 % margin of error: we are 90 % confident the true number lies within that range.")
)  # fmt: skip
sections.definitions(city)
for geography in cache.geographies(table.key):  # community areas, then wards
    sections.least_connected_section(cache.place_table(table.key, geography))

st.subheader(_("Explore"))
nav.explore_links()

st.caption(_("Data: {period}. {release} Boundaries: City of Chicago community areas.").format(
    period=period, release=release(cache.period_entry(table.key))))  # fmt: skip
