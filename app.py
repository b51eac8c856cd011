"""Home: how many Chicago households are unconnected, in our numbers and in the City's own words, where they
are, and where to go next. No data logic here: the sections live in ui.home_sections."""

import streamlit as st

from data.measures import MEASURES, cols
from ui import cache, nav
from ui import format as fmt
from ui import home_sections as sections

nav.start_page("Chicago digital equity map", "🗺️")

main = cache.main_vintage()  # named in the snapshot manifest by the build
city = cache.citywide(main)
areas = cache.areas(main)
info = cache.manifest()["vintages"][main]

st.title("Chicago digital equity map")
st.write(
    "Where are Chicago's households without home Internet? This dashboard maps the gap across the City's "
    "77 community areas, using the Census Bureau's American Community Survey (ACS), and keeps the notes "
    "from the Digital Equity Council's community conversations next to the numbers."
)

st.subheader('The "172K": how many Chicago households are unconnected?')
ours, theirs = st.columns(2)
with ours, st.container(border=True):
    sections.our_estimate(city, info["label"])
with theirs, st.container(border=True):
    sections.published_figures()
sections.reconciliation(city)

st.markdown(
    "**What the ± means.** The ACS is a survey of a sample of households, so every figure is an estimate. "
    "The ± is the 90 % margin of error: we are 90 % confident the true number lies within that range."
)

st.markdown("**Why reports quote different numbers.** It depends on what counts as *unconnected*:")
for column, key in zip(st.columns(3), ["no_subscription", "no_broadband", "no_internet_access"], strict=True):
    with column, st.container(border=True):
        c = cols(key)
        st.metric(MEASURES[key].label, fmt.count(city[c.count]))
        st.caption(f"± {fmt.count(city[c.moe])} · {fmt.pct(city[c.pct])} of households. " + MEASURES[key].plain)

sections.least_connected_section(areas, city, main, info["label"])

st.subheader("Explore")
nav.explore_links()

st.caption(f"Data: {info['label']}. {info['release']} Boundaries: City of Chicago community areas.")
