"""Folium map builders. Pure: they return a ``folium.Map`` and never call Streamlit.

Leaflet is loaded from the app's own static folder (no CDN), tiles are optional (off by default, for
offline use), colours come from class breaks (:mod:`geo.breaks`) and a ColorBrewer palette, unreliable
estimates are hatched and missing values are grey. Only trusted, formatted fields reach tooltips.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import branca
import folium
import numpy as np
import pandas as pd
import shapely

from geo import breaks
from words import N_

LEAFLET_JS = [("leaflet", "/app/static/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", "/app/static/leaflet/leaflet.css")]
CHICAGO_CENTER = (41.835, -87.68)
PALETTE = "YlOrRd"  # ColorBrewer sequential, colour-blind safe
MISSING_COLOR = "#9e9e9e"
HATCH_ID = "unreliable-hatch"

SCHEMES = {
    "quantiles": (N_("Quantiles (equal number of areas per class)"), breaks.quantiles),
    "natural_breaks": (N_("Natural breaks (Fisher-Jenks)"), breaks.fisher_jenks),
    "equal_interval": (N_("Equal intervals"), breaks.equal_interval),
}


CLASS_RANGE = range(3, 8)  # how many colour classes a map may have: 3 to 7


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
    """Class breaks of the non-missing values (:mod:`geo.breaks`); fewer classes when there are few distinct values.
    ``label`` formats a class bound for the legend (the pages' shared number formatting)."""
    present = values.dropna().astype(float)
    k = max(1, min(k, present.nunique()))
    if k < 2:
        bins = (float(present.max()) if len(present) else 0.0,)
    else:
        bins = tuple(float(b) for b in SCHEMES[scheme][1](present.to_numpy(), k))
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


def choropleth_map(layer: folium.FeatureGroup, tiles: str | None = None) -> folium.Map:
    """One whole map with the coloured areas of :func:`areas_layer` on it (for a static page or a measurement;
    the Map page keeps the frame and swaps layers)."""
    m = frame_map(tiles)
    layer.add_to(m)
    return m


def frame_map(tiles: str | None = None) -> folium.Map:
    """The map every choropleth is drawn on: Chicago in view, the hatch pattern, the styles, and an (empty)
    title that :func:`areas_layer` fills in. It never changes, so the page keeps one map frame and swaps
    only the layers over it."""
    m = base_map(tiles)
    MapTitle("").add_to(m)
    m.fit_bounds([[41.644, -87.94], [42.023, -87.524]])
    return m


def areas_layer(
    geojson: dict,
    values: pd.DataFrame,
    column: str,
    classes: Classes,
    tooltip_text: pd.Series,
    unreliable: pd.Series,
    title: str,
    language: str = "en",
    zoom: tuple[str, str] = ("Zoom in", "Zoom out"),
) -> folium.FeatureGroup:
    """The 77 areas coloured by ``values[column]`` (indexed by area number), as a layer over :func:`frame_map`.

    ``tooltip_text``: one trusted, pre-formatted line per area (value ± MOE, reliability).
    ``unreliable``: True where the estimate's CV is above 30 % (hatched).
    ``title``: what the map shows, written into the map's title for screen readers and tests, and into its
    frame's accessible name; ``language``: the page's, given to the map's own document; ``zoom``: the names of
    the zoom buttons in that language.
    """
    features = []
    for feature in geojson["features"]:
        number = int(feature["properties"]["number"])
        value = values.at[number, column] if number in values.index else float("nan")
        props = {
            "area": f"{feature['properties']['name']} (#{number})",
            "value": str(tooltip_text.get(number, "no data")),
            "fill": classes.color_of(None if pd.isna(value) else float(value)),
            "hatch": bool(unreliable.get(number, False)),
        }
        features.append({"type": "Feature", "properties": props, "geometry": feature["geometry"]})
    layer = folium.FeatureGroup(name="areas")
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="areas",
        style_function=_area_style,
        highlight_function=lambda _: {"weight": 3, "color": "#222222"},
        # direction "auto": the tooltip opens towards the map's middle, so it stays inside the frame
        tooltip=folium.GeoJsonTooltip(
            fields=["area", "value"], aliases=["", ""], labels=False, sticky=True, direction="auto"
        ),  # fmt: skip
        zoom_on_click=False,
    ).add_to(layer)
    hatched = [f for f in features if f["properties"]["hatch"]]
    if hatched:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": hatched},
            name="unreliable",
            style_function=lambda _: {"fillColor": f"url(#{HATCH_ID})", "fillOpacity": 1, "weight": 0},
            interactive=False,
        ).add_to(layer)
    TitleText(title, language, zoom).add_to(layer)
    return layer


class TitleText(branca.element.MacroElement):
    """Writes what the map shows into its title element (as text, never markup) when its layer is drawn."""

    _template = branca.element.Template(
        "{% macro script(this, kwargs) %}"
        "(function () { var title = document.querySelector('.equity-title');"
        " if (title) { title.textContent = {{ this.title|tojson }}; }"
        " document.documentElement.lang = {{ this.language|tojson }};"
        " [['.leaflet-control-zoom-in', {{ this.zoom_in|tojson }}], ['.leaflet-control-zoom-out',"
        " {{ this.zoom_out|tojson }}]].forEach(function (pair) {"
        "  var button = document.querySelector(pair[0]);"
        "  if (button) { button.title = pair[1]; button.setAttribute('aria-label', pair[1]); } });"
        " try { if (window.frameElement) { window.frameElement.setAttribute('aria-label', {{ this.title|tojson }});"
        " } } catch (e) {} })();"  # the map's frame, named for screen readers in the page's language
        "{% endmacro %}"
    )

    def __init__(self, title: str, language: str = "en", zoom: tuple[str, str] = ("Zoom in", "Zoom out")):
        super().__init__()
        self._name = "TitleText"
        self.title = title
        self.language = language
        self.zoom_in, self.zoom_out = zoom


OUTLINE_STROKES = (("#ffffff", 8), ("#000000", 4))  # white under black: it shows on the lightest and darkest class
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'  # streamlit-folium's frame; a page has one map

_FOCUS_SCRIPT = """<script>
(function () {  // draws the chosen place's outline and moves the view on the page's map, once its frame is ready
  var outline = %(outline)s, view = %(view)s, strokes = %(strokes)s;
  var me = document.currentScript, mine = window.equityFocus = (window.equityFocus || 0) + 1;
  function focus(tries) {
    if (mine !== window.equityFocus || (me && !me.isConnected)) { return; }  // a newer choice, or another page
    var frame = document.querySelector(%(frame)s), w = frame && frame.contentWindow, map = w && w.map;
    if (!map || !w.L) { if (tries < 600) { setTimeout(function () { focus(tries + 1); }, 50); } return; }
    if (map._animatingZoom) { map.once("zoomend", function () { focus(tries + 1); }); return; }  // Leaflet
    // ignores a new view while it zooms (the new map's own fit to the city does): move it once that ends
    if (!map.getPane("chosen")) {  // above the coloured areas (400), below tooltips; never takes the mouse
      var pane = map.createPane("chosen"); pane.style.zIndex = 450; pane.style.pointerEvents = "none";
    }
    if (w.equityOutline) { map.removeLayer(w.equityOutline); }
    w.equityOutline = w.L.layerGroup(outline ? strokes.map(function (s) {
      return w.L.geoJSON(outline, {pane: "chosen", interactive: false,
                                   style: {color: s[0], weight: s[1], fill: false}});
    }) : []).addTo(map);
    var wanted = JSON.stringify(view), first = w.equityView === undefined;
    if (view && wanted !== w.equityView) {  // a view chosen once moves the map once: panning afterwards stays
      w.equityView = wanted; map.setView(view[0], view[1], {animate: !first});  // a new map opens in place
    }
  }
  focus(0);
})();
</script>"""


def outline_geometry(geojson: dict, area_number: int | None) -> dict | None:
    """The chosen area's boundary (GeoJSON geometry), or None when no area is chosen."""
    chosen = (f["geometry"] for f in geojson["features"] if int(f["properties"]["number"]) == area_number)
    return next(chosen, None)


def _script_json(value) -> str:
    """``value`` as JSON that cannot end the script element it sits in."""
    return json.dumps(value, separators=(",", ":")).replace("<", "\\u003c")


def focus_script(outline: dict | None, view: tuple[tuple[float, float], int] | None) -> str:
    """A script for the page (not the map's frame) that outlines the chosen area on the page's map and moves
    its view (``view``: centre and zoom; None leaves the view where the visitor put it). It travels beside the
    map, a few kilobytes, so choosing another area leaves the map's own message unchanged: a browser that has
    it is sent a reference instead of the map again. The script waits for the map's frame (up to 30 s; it gives
    up as soon as a newer choice's script runs or the page changes) and draws the outline in its own pane,
    above the coloured areas whatever is redrawn under it. (Streamlit drops a script holding ``<`` before a
    letter, ``/`` or ``!``: the template has none, and :func:`_script_json` writes ``<`` as ``\\u003c``.)"""
    return _FOCUS_SCRIPT % {
        "outline": _script_json(outline),
        "view": _script_json(view),
        "strokes": _script_json(OUTLINE_STROKES),
        "frame": _script_json(MAP_FRAME),
    }


def label_points(geojson: dict) -> dict[int, tuple[float, float]]:
    """A point inside each area (lat, lon), for labels."""
    points = {}
    for feature in geojson["features"]:
        point = shapely.geometry.shape(feature["geometry"]).representative_point()
        points[int(feature["properties"]["number"])] = (point.y, point.x)
    return points


def note_counts_layer(geojson: dict, counts: dict[int, int], words: Callable[[int], str]) -> folium.FeatureGroup:
    """Numbered circles: how many council notes are tagged to each area (integers only reach the map); a layer
    over the map. ``words(n)`` names a count for screen readers ("3 council notes")."""
    layer = folium.FeatureGroup(name="council notes")
    for number, (lat, lon) in label_points(geojson).items():
        count = int(counts.get(number, 0))
        if count:
            folium.Marker(
                (lat, lon),
                icon=folium.DivIcon(
                    html=f'<div class="note-count" title="{html.escape(words(count))}">{count}</div>',
                    icon_size=(26, 26),
                    icon_anchor=(13, 13),
                ),
                interactive=False,
            ).add_to(layer)
    return layer


def grey_map(geojson: dict, title: str, tiles: str | None = None) -> folium.Map:
    """Every area pale grey, named in its tooltip: the base under :func:`selection_fill` (one map for every
    selection, so choosing other areas only swaps that layer)."""
    features = [
        {"type": "Feature", "properties": {"area": str(f["properties"]["name"]), "fill": OTHER_AREAS},
         "geometry": f["geometry"]}
        for f in geojson["features"]
    ]  # fmt: skip
    m = base_map(tiles)
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=_area_style,
        tooltip=folium.GeoJsonTooltip(fields=["area"], labels=False, direction="auto"),
    ).add_to(m)
    MapTitle(title).add_to(m)
    m.fit_bounds([[41.644, -87.94], [42.023, -87.524]])
    return m


OTHER_AREAS = "#e6e6e6"


def selection_fill(geojson: dict, colours: dict[int, str]) -> folium.FeatureGroup:
    """A layer filling the chosen areas (``colours``: area number → fill colour), over :func:`grey_map`."""
    layer = folium.FeatureGroup(name="chosen areas")
    features = [
        {"type": "Feature", "properties": {"area": str(f["properties"]["name"]),
                                           "fill": colours[int(f["properties"]["number"])]},
         "geometry": f["geometry"]}
        for f in geojson["features"]
        if int(f["properties"]["number"]) in colours
    ]  # fmt: skip
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=_area_style,
            tooltip=folium.GeoJsonTooltip(fields=["area"], labels=False, direction="auto"),
        ).add_to(layer)
    return layer


def area_labels(geojson: dict) -> folium.FeatureGroup:
    """A layer naming every area at a point inside it (names come from the City's boundary file, escaped). Each
    label carries its area's size, so the map shows the larger areas' names first and hides any name that would
    overlap one already shown at the current zoom (zoom in to read them all)."""
    layer = folium.FeatureGroup(name="area names")
    features = {int(f["properties"]["number"]): f for f in geojson["features"]}
    for number, (lat, lon) in label_points(geojson).items():
        name = html.escape(str(features[number]["properties"]["name"]))
        size = round(shapely.geometry.shape(features[number]["geometry"]).area * 1e6)
        folium.Marker(
            (lat, lon),
            icon=folium.DivIcon(html=f'<div class="area-label" data-size="{size}">{name}</div>',
                                icon_size=(0, 0), icon_anchor=(0, 0)),
            interactive=False,
        ).add_to(layer)  # fmt: skip
    return layer


def view_of(geojson: dict, area_number: int) -> tuple[tuple[float, float], int]:
    """Centre and zoom level that show one area whole on a phone-sized map (about 340 × 560 pixels)."""
    feature = next(f for f in geojson["features"] if int(f["properties"]["number"]) == area_number)
    west, south, east, north = shapely.geometry.shape(feature["geometry"]).bounds
    middle = (south + north) / 2
    across = math.log2(340 * 360 / (256 * max(east - west, 1e-6)))
    down = math.log2(560 * 360 / (256 * max(north - south, 1e-6) / math.cos(math.radians(middle))))
    return ((middle, (west + east) / 2), max(10, min(14, math.floor(min(across, down)) - 1)))  # - 1: neighbours show


def _area_style(feature: dict) -> dict:
    return {"fillColor": feature["properties"]["fill"], "fillOpacity": 0.85, "color": "#555555", "weight": 0.6}


class MapTitle(branca.element.MacroElement):
    """What the map shows, named inside its frame for screen readers and tests (visually hidden: the legend is
    drawn outside the map, so it never covers an area), plus the hatch pattern, the styles of tooltips, labels
    and note counts, and, on touch screens, tooltips that close by themselves after a tap."""

    def __init__(self, title: str):
        super().__init__()
        self._name = "MapTitle"
        self.title = title


def legend_entries(classes: Classes, no_data: str = "No data") -> list[tuple[str, str]]:
    """(colour, label) of every class, then the colour of missing values (``no_data``: their label)."""
    return [*zip(classes.colors, classes.labels, strict=True), (MISSING_COLOR, no_data)]


_HATCH_DEFS = (
    '<svg width="0" height="0" style="position:absolute"><defs>'
    f'<pattern id="{HATCH_ID}" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="8" height="8" fill="rgba(255,255,255,0.35)"/>'
    '<line x1="0" y1="0" x2="0" y2="8" stroke="#333" stroke-width="2"/></pattern></defs></svg>'
)
_MAP_CSS = (
    "<style>.equity-title{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}"
    ".leaflet-tooltip{white-space:normal;width:max-content;max-width:min(260px,44vw)}"
    ".area-label{transform:translate(-50%,-50%);width:max-content;max-width:90px;text-align:center;"
    "font:600 11px/1.1 sans-serif;color:#111;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff;"
    "pointer-events:none}.far-out .area-label{font-size:8.5px;max-width:70px}"
    ".note-count{width:26px;height:26px;border-radius:13px;background:#253494;color:#fff;font:bold 12px/26px "
    "sans-serif;text-align:center;border:2px solid #fff;box-shadow:0 1px 3px rgba(0,0,0,.4)}</style>"
)


_MAP_SCRIPT = """  // area names smaller when the whole city shows; on touch screens, tooltips close 2.5 s after a tap
(function (map) {
  // Leaflet focuses the map on mousedown (for its keyboard controls); a plain focus() makes the browser scroll the
  // page to bring the map frame into view between mousedown and mouseup, so the click lands on no area. Focus
  // without scrolling instead.
  if (map.keyboard && map.keyboard.enabled()) {
    map.keyboard.disable();
    map.keyboard._onMouseDown = function () {
      if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
    };
    map.keyboard.enable();
  }
  // a tooltip near the frame's edge (an area's name at the top when zoomed in) is moved back inside the frame
  if (!L.Tooltip.prototype._keptInside) {
    var place = L.Tooltip.prototype._setPosition;
    L.Tooltip.prototype._setPosition = function (pos) {
      place.call(this, pos);
      var el = this._container, size = this._map.getSize(), at = L.DomUtil.getPosition(el);
      var corner = this._map.layerPointToContainerPoint(at);
      var dx = Math.max(0, -corner.x) - Math.max(0, corner.x + el.offsetWidth - size.x);
      var dy = Math.max(0, -corner.y) - Math.max(0, corner.y + el.offsetHeight - size.y);
      if (dx || dy) { L.DomUtil.setPosition(el, at.add([dx, dy])); }
    };
    L.Tooltip.prototype._keptInside = true;
  }
  var sizeLabels = function () { map.getContainer().classList.toggle("far-out", map.getZoom() < 11); };
  map.on("zoomend", sizeLabels);
  sizeLabels();
  // names that would overlap another are hidden, the larger areas' names first
  var declutter = function () {
    var shown = [];
    var labels = Array.prototype.slice.call(map.getContainer().querySelectorAll(".area-label"));
    labels.sort(function (a, b) { return Number(b.dataset.size || 0) - Number(a.dataset.size || 0); });
    labels.forEach(function (label) {
      label.style.visibility = "";
      var box = label.getBoundingClientRect();
      var clash = shown.some(function (o) {
        return box.left < o.right && box.right > o.left && box.top < o.bottom && box.bottom > o.top;
      });
      if (clash) { label.style.visibility = "hidden"; } else { shown.push(box); }
    });
  };
  map.on("zoomend moveend layeradd", function () { setTimeout(declutter, 0); });
  if (!window.matchMedia || !window.matchMedia("(hover: none)").matches) { return; }
  var timer = null;
  map.getContainer().addEventListener("click", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      map.eachLayer(function (layer) { if (layer.closeTooltip) { layer.closeTooltip(); } });
    }, 2500);
  });
})(MAP);
"""

MapTitle._template = branca.element.Template(  # compiled once, not per map
    "{% macro html(this, kwargs) %}"
    + _HATCH_DEFS
    + '<div class="equity-title" role="note">{{ this.title|e }}</div>'
    + _MAP_CSS
    + "{% endmacro %}{% macro script(this, kwargs) %}"
    + _MAP_SCRIPT.replace("MAP", "{{ this._parent.get_name() }}")
    + "{% endmacro %}"
)


def map_html_bytes(m: folium.Map) -> int:
    """Bytes of HTML and script the map sends to the browser (what st_folium ships)."""
    return len(m.get_root().render().encode())
