"""Planner: filter and rank community areas, see the selection's total with its margin of error,
download it, and share the exact view as a link."""

import altair as alt
import streamlit as st
from streamlit_folium import st_folium

from data import cache, planner
from data import formatting as fmt
from data.export import safe_csv_bytes, selection_geojson_bytes
from data.measures import GAP_MEASURES, MEASURES
from data.reference import CITY_PLAN_UNCONNECTED
from data.snapshot import COLUMNS
from data.text import escape_markdown
from geo import maps
from ui import components as ui

st.set_page_config(page_title="Planner · Chicago digital equity map", page_icon="📋", layout="wide")
ui.sidebar_nav()
st.title("Planner: choose the areas an intervention should reach")

# The link is the source of truth when a session starts; afterwards the widgets are, and they rewrite the link.
if "planner_seeded" not in st.session_state:
    seeded, link_notes = planner.parse_query(st.query_params, cache.vintages())
    st.session_state.update(
        planner_seeded=True,
        planner_notes=link_notes,
        p_sides=seeded.sides,
        p_measure=seeded.measure,
        p_vintage=seeded.vintage or cache.vintages()[0],
        p_min_pct=seeded.min_pct,
        p_max_pct=seeded.max_pct,
        p_min_count=seeded.min_count,
        p_max_count=seeded.max_count,
        p_min_households=seeded.min_households,
        p_hide_unreliable=seeded.hide_unreliable,
        p_name=seeded.name,
    )
for note in st.session_state.get("planner_notes", []):
    st.warning(escape_markdown(note))  # quotes the link's own text: show it literally

with st.sidebar:
    st.header("Filters")
    sides = st.multiselect("Side", planner.SIDES, key="p_sides", placeholder="All nine sides")
    measure = st.selectbox("Measure", GAP_MEASURES, format_func=lambda m: MEASURES[m].label, key="p_measure")
    vintage = st.selectbox("Data period", cache.vintages(), format_func=cache.vintage_label, key="p_vintage")
    st.caption("Share of households without the service (%)")
    low, high = st.columns(2)
    min_pct = low.number_input("Minimum %", 0.0, 100.0, step=1.0, key="p_min_pct")
    max_pct = high.number_input("Maximum %", 0.0, 100.0, step=1.0, key="p_max_pct")
    st.caption("Number of households without the service")
    low, high = st.columns(2)
    min_count = low.number_input("Minimum", 0.0, step=500.0, key="p_min_count", format="%.0f")
    max_count = high.number_input("Maximum", 0.0, step=500.0, key="p_max_count", format="%.0f")
    min_households = st.number_input("At least this many households in the area", 0.0, step=1000.0,
                                     key="p_min_households", format="%.0f")  # fmt: skip
    hide_unreliable = st.checkbox("Hide unreliable estimates (CV over 30 %)", key="p_hide_unreliable")
    name = st.text_input("Name contains", key="p_name", max_chars=100)

filters = planner.Filters(
    sides=sides, measure=measure, min_pct=min_pct, max_pct=max_pct, min_count=min_count, max_count=max_count,
    min_households=min_households, hide_unreliable=hide_unreliable, name=name, vintage=vintage,
)  # fmt: skip
st.query_params.from_dict(planner.to_query(filters))

areas = cache.areas(vintage)
city = cache.citywide(vintage)
label = cache.vintage_label(vintage)
ui.stop_if_measure_missing(areas, measure, label)

rows = planner.apply(areas, filters)
summary = planner.summarise(rows, measure, city, CITY_PLAN_UNCONNECTED)
st.caption(f"**{MEASURES[measure].label}.** {MEASURES[measure].plain} {label}.")

st.subheader(f"{summary.areas} of {len(areas)} community areas selected")
totals = st.columns(3)
totals[0].metric("Households without the service", fmt.with_moe(summary.total, summary.total_moe))
totals[1].metric("Share of the citywide total", fmt.pct(summary.share_of_city))
if summary.share_of_city_plan is not None:
    totals[2].metric("Share of the City's 172K", fmt.pct(summary.share_of_city_plan))
st.caption(
    f"Total over the selected areas; ± is the 90 % margin of error (Census formula for sums); "
    f"{summary.reliability} (CV {summary.cv:.1f} %). Households in the selected areas: {fmt.count(summary.households)}."
)

if summary.areas:
    table = rows.assign(versus_city=planner.with_city_comparison(rows, city, measure))
    st.dataframe(
        table[
            [
                "rank",
                "area_name",
                "side",
                f"{measure}_pct",
                f"{measure}_pct_moe",
                measure,
                f"{measure}_moe",
                f"{measure}_cv",
                f"{measure}_reliability",
                "versus_city",
            ]
        ],  # fmt: skip
        hide_index=True,
        width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn("Rank of 77", help="1 = largest share"),
            "area_name": "Community area",
            "side": "Side",
            f"{measure}_pct": st.column_config.NumberColumn("Share (%)", format="%.1f"),
            f"{measure}_pct_moe": st.column_config.NumberColumn("± (points)", format="%.1f"),
            measure: st.column_config.NumberColumn("Households", format="localized"),
            f"{measure}_moe": st.column_config.NumberColumn("± households", format="localized"),
            f"{measure}_cv": st.column_config.NumberColumn("CV (%)", format="%.1f"),
            f"{measure}_reliability": "Reliability",
            "versus_city": st.column_config.TextColumn("Compared with the city", help="90 % significance test"),
        },
    )
    chart_data = rows.assign(low=rows[f"{measure}_pct"] - rows[f"{measure}_pct_moe"],
                             high=rows[f"{measure}_pct"] + rows[f"{measure}_pct_moe"])  # fmt: skip
    order = rows["area_name"].tolist()
    bars = (
        alt.Chart(chart_data)
        .mark_bar(color="#f03b20")
        .encode(
            x=alt.X(f"{measure}_pct:Q", title="Share of households (%) with 90 % margin of error"),
            y=alt.Y("area_name:N", sort=order, title=None),
            tooltip=[
                alt.Tooltip("area_name:N", title="Area"),
                alt.Tooltip(f"{measure}_pct:Q", title="%", format=".1f"),
            ],
        )
    )
    errors = (
        alt.Chart(chart_data)
        .mark_errorbar(ticks=True, color="#222")
        .encode(x=alt.X("low:Q", title=""), x2="high:Q", y=alt.Y("area_name:N", sort=order))
    )
    left, right = st.columns([3, 2])
    left.altair_chart(bars + errors, width="stretch")
    with right:
        st_folium(
            maps.highlight_map(cache.boundaries_geojson(), set(rows["area_number"]), tiles=maps.tiles_setting()),
            key="planner_map", height=420, use_container_width=True, returned_objects=[],
        )  # fmt: skip

    downloads = st.columns(2)
    downloads[0].download_button(
        "Download selection (CSV)", safe_csv_bytes(rows[COLUMNS]), f"planner_selection_{vintage}.csv", "text/csv"
    )
    downloads[1].download_button(
        "Download selection (GeoJSON)",
        selection_geojson_bytes(cache.boundaries_geojson(), rows[COLUMNS]),
        f"planner_selection_{vintage}.geojson",
        "application/geo+json",
    )
else:
    st.info("No community area matches every filter. Loosen a filter in the sidebar.")

older = cache.comparison_vintage(vintage)
if older and summary.areas:
    st.subheader(f"Change since {cache.vintage_label(older)}")
    change = planner.change_table(rows, cache.areas(older), measure)
    if change is None:
        st.info(
            f"{cache.vintage_label(older)} does not include “{MEASURES[measure].label}”, so no change can be shown."
        )
    else:
        one_decimal = {c: st.column_config.NumberColumn(format="%.1f") for c in change.columns[1:4]}
        st.dataframe(change, hide_index=True, width="stretch", column_config=one_decimal)
        st.caption(
            "The earlier period has no margins of error, so we cannot say whether a change is statistically "
            "significant. The two 5-year periods overlap, so changes are smaller than they may look."
        )

st.caption("The address of this page holds every filter: copy it from the browser to share this exact view.")
