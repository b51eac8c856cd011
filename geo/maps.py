"""Folium map builders. Pure: they return a ``folium.Map`` and never call Streamlit.

Leaflet is loaded from the app's own static folder (no CDN), tiles are optional (off by default, for
offline use), colours come from mapclassify breaks and a ColorBrewer palette, unreliable estimates are
hatched and missing values are grey. Only trusted, formatted fields reach tooltips.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import branca
import folium
import mapclassify
import numpy as np
import pandas as pd
import shapely

LEAFLET_JS = [("leaflet", "/app/static/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", "/app/static/leaflet/leaflet.css")]
CHICAGO_CENTER = (41.835, -87.68)
PALETTE = "YlOrRd"  # ColorBrewer sequential, colour-blind safe
MISSING_COLOR = "#9e9e9e"
HATCH_ID = "unreliable-hatch"

SCHEMES = {
    "quantiles": ("Quantiles (equal number of areas per class)", mapclassify.Quantiles),
    "natural_breaks": ("Natural breaks (Fisher-Jenks)", mapclassify.FisherJenks),
    "equal_interval": ("Equal intervals", mapclassify.EqualInterval),
}


def tiles_setting() -> str | None:
    """Map tiles from ``$EQUITY_MAP_TILES`` (e.g. ``OpenStreetMap`` or ``CartoDB positron``); none by default,
    so the map works with no internet access."""
    return os.environ.get("EQUITY_MAP_TILES") or None


@dataclass(frozen=True)
class Classes:
    """Class breaks (upper bounds), one colour per class, and legend labels."""

    bins: tuple[float, ...]
    colors: tuple[str, ...]
    labels: tuple[str, ...]

    def color_of(self, value) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return MISSING_COLOR
        index = int(np.searchsorted(self.bins, value, side="left"))
        return self.colors[min(index, len(self.colors) - 1)]


def classify(values: pd.Series, scheme: str, k: int, label: Callable[[float], str]) -> Classes:
    """Class breaks of the non-missing values with mapclassify; fewer classes when there are few distinct values.
    ``label`` formats a class bound for the legend (the pages' shared number formatting)."""
    present = values.dropna().astype(float)
    k = max(1, min(k, present.nunique()))
    if k < 2:
        bins = (float(present.max()) if len(present) else 0.0,)
    else:
        bins = tuple(float(b) for b in SCHEMES[scheme][1](present.to_numpy(), k=k).bins)
    colors = tuple(branca.utilities.color_brewer(PALETTE, n=max(len(bins), 3))[-len(bins) :])
    lower = [float(present.min())] + list(bins[:-1]) if len(present) else [0.0]
    labels = tuple(f"{label(lo)} – {label(hi)}" for lo, hi in zip(lower, bins, strict=True))
    return Classes(bins, colors, labels)


def tooltip_area_number(tooltip_text: str | None) -> int | None:
    """The area number from the text of a clicked tooltip (its first line ends with ``(#68)``)."""
    if not tooltip_text:
        return None
    match = re.search(r"\(#(\d{1,2})\)", tooltip_text)
    return int(match.group(1)) if match else None


def base_map(tiles: str | None = None) -> folium.Map:
    """A Chicago map that loads Leaflet from the app itself."""
    m = folium.Map(
        location=CHICAGO_CENTER,
        zoom_start=10,
        tiles=tiles,
        control_scale=True,
        zoom_snap=0.25,
        prefer_canvas=False,
    )
    m.default_js = LEAFLET_JS
    m.default_css = LEAFLET_CSS
    return m


def choropleth_map(
    geojson: dict,
    values: pd.DataFrame,
    column: str,
    classes: Classes,
    tooltip_text: pd.Series,
    unreliable: pd.Series,
    legend_title: str,
    tiles: str | None = None,
    note_counts: dict[int, int] | None = None,
) -> folium.Map:
    """The 77 areas coloured by ``values[column]`` (indexed by area number).

    ``tooltip_text``: one trusted, pre-formatted line per area (value ± MOE, reliability).
    ``unreliable``: True where the estimate's CV is above 30 % (hatched).
    ``note_counts``: when given, a layer with the number of council notes per area (numbers only).
    """
    features = []
    for feature in geojson["features"]:
        number = int(feature["properties"]["area_number"])
        value = values.at[number, column] if number in values.index else float("nan")
        props = {
            "area": f"{feature['properties']['area_name']} (#{number})",
            "value": str(tooltip_text.get(number, "no data")),
            "fill": classes.color_of(None if pd.isna(value) else float(value)),
            "hatch": bool(unreliable.get(number, False)),
        }
        features.append({"type": "Feature", "properties": props, "geometry": feature["geometry"]})
    collection = {"type": "FeatureCollection", "features": features}

    m = base_map(tiles)
    folium.GeoJson(
        collection,
        name="areas",
        style_function=_area_style,
        highlight_function=lambda _: {"weight": 3, "color": "#222222"},
        tooltip=folium.GeoJsonTooltip(fields=["area", "value"], aliases=["", ""], labels=False, sticky=True),
        zoom_on_click=False,
    ).add_to(m)
    hatched = [f for f in features if f["properties"]["hatch"]]
    if hatched:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": hatched},
            name="unreliable",
            style_function=lambda _: {"fillColor": f"url(#{HATCH_ID})", "fillOpacity": 1, "weight": 0},
            interactive=False,
        ).add_to(m)
    if note_counts:
        add_note_counts(m, geojson, note_counts)
    MapTitle(legend_title).add_to(m)
    m.fit_bounds([[41.644, -87.94], [42.023, -87.524]])
    return m


def selection_outline(geojson: dict, area_number: int | None) -> folium.FeatureGroup:
    """A layer outlining the chosen area, white under black so it shows on the lightest and the darkest class.
    Passed to streamlit-folium as a layer on top of the unchanged base map, so choosing another area never
    redraws the map."""
    layer = folium.FeatureGroup(name="selected area")
    chosen = [f for f in geojson["features"] if int(f["properties"]["area_number"]) == area_number]
    for colour, weight in (("#ffffff", 8), ("#000000", 4)):
        if chosen:
            folium.GeoJson(
                {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                                                            "geometry": chosen[0]["geometry"]}]},
                style_function=lambda _, c=colour, w=weight: {"color": c, "weight": w, "fill": False},
                interactive=False,
            ).add_to(layer)  # fmt: skip
    return layer


def label_points(geojson: dict) -> dict[int, tuple[float, float]]:
    """A point inside each area (lat, lon), for labels."""
    points = {}
    for feature in geojson["features"]:
        point = shapely.geometry.shape(feature["geometry"]).representative_point()
        points[int(feature["properties"]["area_number"])] = (point.y, point.x)
    return points


def add_note_counts(m: folium.Map, geojson: dict, counts: dict[int, int]) -> None:
    """Numbered circles: how many council notes are tagged to each area (integers only reach the map)."""
    layer = folium.FeatureGroup(name="council notes")
    for number, (lat, lon) in label_points(geojson).items():
        count = int(counts.get(number, 0))
        noun = "note" if count == 1 else "notes"
        if count:
            folium.Marker(
                (lat, lon),
                icon=folium.DivIcon(
                    html=f'<div class="note-count" title="{count} council {noun}">{count}</div>',
                    icon_size=(26, 26),
                    icon_anchor=(13, 13),
                ),
                interactive=False,
            ).add_to(layer)
    layer.add_to(m)


def highlight_map(geojson: dict, selected: set[int], tiles: str | None = None) -> folium.Map:
    """A small map with the ``selected`` area numbers filled and the others left pale."""
    features = [
        {
            "type": "Feature",
            "properties": {
                "area": str(f["properties"]["area_name"]),
                "fill": "#bd0026" if int(f["properties"]["area_number"]) in selected else "#f0f0f0",
            },
            "geometry": f["geometry"],
        }
        for f in geojson["features"]
    ]
    m = base_map(tiles)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=_area_style,
        tooltip=folium.GeoJsonTooltip(fields=["area"], labels=False),
    ).add_to(m)
    m.fit_bounds([[41.644, -87.94], [42.023, -87.524]])
    return m


def _area_style(feature: dict) -> dict:
    return {"fillColor": feature["properties"]["fill"], "fillOpacity": 0.85, "color": "#555555", "weight": 0.6}


class MapTitle(branca.element.MacroElement):
    """What the map shows, named inside its frame for screen readers and tests (visually hidden: the legend is
    drawn outside the map, so it never covers an area), plus the hatch pattern and the note-count style."""

    def __init__(self, title: str):
        super().__init__()
        self._template = branca.element.Template(
            "{% macro html(this, kwargs) %}"
            + _HATCH_DEFS
            + f'<div class="equity-title" role="note">{html.escape(title)}</div>'
            + _MAP_CSS
            + "{% endmacro %}"
        )


def legend_entries(classes: Classes) -> list[tuple[str, str]]:
    """(colour, label) of every class, then the colour of missing values."""
    return [*zip(classes.colors, classes.labels, strict=True), (MISSING_COLOR, "No data")]


_HATCH_DEFS = (
    '<svg width="0" height="0" style="position:absolute"><defs>'
    f'<pattern id="{HATCH_ID}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="8" height="8" fill="rgba(255,255,255,0.35)"/>'
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#333" stroke-width="2"/></pattern></defs></svg>'
)
_MAP_CSS = (
    "<style>.equity-title{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}"
    ".note-count{width:26px;height:26px;border-radius:13px;background:#253494;color:#fff;font:bold 12px/26px "
    "sans-serif;text-align:center;border:2px solid #fff;box-shadow:0 1px 3px rgba(0,0,0,.4)}</style>"
)


def map_html_bytes(m: folium.Map) -> int:
    """Bytes of HTML and script the map sends to the browser (what st_folium ships)."""
    return len(m.get_root().render().encode())
