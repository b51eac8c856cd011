"""The naive baseline Map page the bench compares ours with (not part of the app): on every run it reads the
City's raw boundaries and the snapshot table, builds a ``folium.Choropleth`` and shows it with ``st_folium``,
with no caching at all — the page a first version would have."""

import json

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from data.raw import COMMUNITY_AREAS_FILE
from settings import SNAPSHOT_DIR, raw_data_dir

st.title("Where are Chicago's unconnected households? (naive baseline)")
measure = st.selectbox("Measure", ["no_subscription_pct", "no_broadband_pct", "no_computer_pct"])
boundaries = json.loads((raw_data_dir() / COMMUNITY_AREAS_FILE).read_text())
areas = pd.read_csv(SNAPSHOT_DIR / "community_areas_acs5_2017_2021.csv")
the_map = folium.Map(location=(41.835, -87.68), zoom_start=10)
folium.Choropleth(
    geo_data=boundaries,
    data=areas.assign(area_numbe=areas["area_number"].astype(str)),
    columns=["area_numbe", measure],
    key_on="feature.properties.area_num_1",
    fill_color="YlOrRd",
    legend_name=measure,
).add_to(the_map)
st_folium(the_map, key="naive_map", height=620, use_container_width=True)
st.dataframe(areas[["area_name", measure]])
