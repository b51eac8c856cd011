"""Map: the unconnected-household gap across the 77 community areas, an area's profile, and the table."""

import streamlit as st
from streamlit_folium import st_folium

from data import cache
from data import formatting as fmt
from data.analysis import area_profile, headline, tooltip_lines, unreliable_mask, value_column
from data.export import safe_csv_bytes
from data.measures import MEASURES
from data.notes import count_by_area, search
from data.snapshot import COLUMNS
from geo import maps
from ui import components as ui

st.set_page_config(page_title="Map · Chicago digital equity map", page_icon="🗺️", layout="wide")
ui.sidebar_nav()
st.title("Where are Chicago's unconnected households?")

with st.sidebar:
    st.header("Map settings")
    measure = ui.measure_picker()
    as_share = st.radio("Show", ["Share of households", "Number of households"], key="show") == "Share of households"
    vintage = ui.vintage_picker()
    scheme = st.selectbox("Colour classes", list(maps.SCHEMES), format_func=lambda s: maps.SCHEMES[s][0], key="scheme")
    k = st.slider("Number of classes", 3, 7, 5, key="classes")
    show_notes = st.checkbox("Show the number of council notes per area", key="show_notes")

areas = cache.areas(vintage)
city = cache.citywide(vintage)
label = cache.vintage_label(vintage)
st.caption(f"**{MEASURES[measure].label}.** {MEASURES[measure].plain} Source: {label}.")

ui.stop_if_measure_missing(areas, measure, label)

column = value_column(measure, as_share)
classes = maps.classify(areas[column], scheme, k, unit="%" if as_share else "")
legend = f"{MEASURES[measure].label} ({'% of households' if as_share else 'households'}), {label}"
the_map = maps.choropleth_map(
    cache.boundaries_geojson(),
    areas.set_index("area_number"),
    column,
    classes,
    tooltip_lines(areas, measure),
    unreliable_mask(areas, measure),
    legend,
    tiles=maps.tiles_setting(),
    note_counts=count_by_area(cache.notes_engine()) if show_notes else None,
)

names = areas.set_index("area_number")["area_name"].to_dict()
left, right = st.columns([3, 2])
with left:
    clicked = st_folium(
        the_map,
        key="gap_map",
        height=620,
        use_container_width=True,  # streamlit-folium's own option: fill the column
        returned_objects=["last_object_clicked_tooltip", "last_object_clicked"],
    )
    st.caption(
        "Hatched areas: the estimate is unreliable (CV over 30 %). Grey: no data. Click an area for its profile."
    )

# A new click on the map selects that area; the selectbox below stays the single source of truth.
click = clicked or {}
click_id = (click.get("last_object_clicked_tooltip"), str(click.get("last_object_clicked")))
if click_id != st.session_state.get("last_map_click"):
    st.session_state["last_map_click"] = click_id
    number = maps.tooltip_area_number(click_id[0])
    if number in names:
        st.session_state["area"] = number

with right:
    area = st.selectbox(
        "Community area",
        list(names),
        format_func=lambda n: names[n],
        index=None,
        placeholder="Click the map or choose an area",
        key="area",
    )
    if area is None:
        st.metric(
            f"Citywide: {MEASURES[measure].label}",
            fmt.with_moe(city[f"{measure}_pct"], city[f"{measure}_pct_moe"], as_pct=True),
        )
        st.write(
            f"{fmt.with_moe(city[measure], city[f'{measure}_moe'])} of {fmt.count(city['households'])} households."
        )
    else:
        row = areas.set_index("area_number").loc[area]
        st.subheader(row["area_name"])
        st.caption(f"{row['side']} · {fmt.with_moe(row['households'], row['households_moe'])} households · {label}")
        st.metric(MEASURES[measure].label, fmt.with_moe(row[f"{measure}_pct"], row[f"{measure}_pct_moe"], as_pct=True))
        st.write(f"{fmt.with_moe(row[measure], row[f'{measure}_moe'])} households.")
        st.write(headline(areas, city, area, measure))

if area is not None:
    st.subheader(f"Profile of {names[area]}")
    older = cache.comparison_vintage(vintage)
    st.table(area_profile(areas, city, area, cache.areas(older) if older else None).set_index("Measure"))
    if older:
        st.caption(
            f"Change: percentage points since {cache.vintage_label(older)}. “Untested”: that period has no margins of "
            "error, so we cannot say whether the change is statistically significant. The two 5-year periods overlap, "
            "which the Census Bureau advises against comparing too closely."
        )
    area_notes = search(cache.notes_engine(), areas=[area], limit=3)
    st.subheader(f"What residents of {names[area]} told the Council")
    if not area_notes:
        st.write("No council notes are tagged to this area yet.")
    for note in area_notes:
        ui.note_card(note, names, max_chars=600)
    st.page_link("pages/3_Council_notes.py", label=f"All notes about {names[area]}", icon=":material/forum:",
                 query_params={"area": str(area)})  # fmt: skip

st.subheader("All 77 community areas")
ui.measure_table(areas, measure, key="area_table")
st.download_button(
    "Download this table (CSV)",
    safe_csv_bytes(areas[COLUMNS]),
    file_name=f"chicago_community_areas_{vintage}.csv",
    mime="text/csv",
)
