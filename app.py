"""Home: what the dashboard shows, the "172K" reconciled with our estimate, and where to go next."""

import streamlit as st

from data.analysis import least_connected
from data.measures import MEASURES, cols
from data.reference import CITY_PLAN_SOURCE, CITY_PLAN_UNCONNECTED
from ui import cache, nav, widgets
from ui import format as fmt

st.set_page_config(page_title="Chicago digital equity map", page_icon="🗺️", layout="wide")
nav.sidebar_nav()

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
    st.metric(
        "Households without an Internet subscription (our estimate)",
        fmt.count(city["no_subscription"]),
        help=MEASURES["no_subscription"].plain,
    )
    st.write(
        f"± {fmt.count(city['no_subscription_moe'])} households, that is "
        f"{fmt.with_moe(city['no_subscription_pct'], city['no_subscription_pct_moe'], as_pct=True)} "
        f"of {fmt.count(city['households'])} households ({info['label']})."
    )
with theirs, st.container(border=True):
    st.metric("The City's Digital Equity Plan", f"about {CITY_PLAN_UNCONNECTED:,}")
    low = city["no_subscription"] - city["no_subscription_moe"]
    high = city["no_subscription"] + city["no_subscription_moe"]
    our_range = f"{fmt.count(low)} to {fmt.count(high)}"
    if low <= CITY_PLAN_UNCONNECTED <= high:
        st.success(f"The City's figure lies inside our 90 % range ({our_range}): the two agree.")
    else:
        st.warning(f"The City's figure lies outside our 90 % range ({our_range}).")
    st.caption(CITY_PLAN_SOURCE)

st.markdown(
    "**What the ± means.** The ACS is a survey of a sample of households, so every figure is an estimate. "
    "The ± is the 90 % margin of error: we are 90 % confident the true number lies within that range."
)

st.markdown("**Why reports quote different numbers.** It depends on what counts as *unconnected*:")
neighbours = st.columns(3)
for column, key in zip(neighbours, ["no_subscription", "no_broadband", "no_internet_access"], strict=True):
    with column, st.container(border=True):
        st.metric(MEASURES[key].label, fmt.count(city[key]))
        c = cols(key)
        st.caption(f"± {fmt.count(city[c.moe])} · {fmt.pct(city[c.pct])} of households. " + MEASURES[key].plain)

st.subheader("Five least-connected community areas")
st.caption("Share of households without an Internet subscription, " + info["label"] + ".")
widgets.measure_table(least_connected(areas, "no_subscription", 5), "no_subscription", show_rank=False)

st.subheader("Explore")
nav.explore_links()

st.caption(f"Data: {info['label']}. {info['release']} Boundaries: City of Chicago community areas.")
