"""``st_folium`` that renders each map once per setting.

``st_folium`` turns a folium map into HTML and JavaScript on every rerun (about a hundred milliseconds for the
77 areas), although the map only changes when its settings do. Here the rendered arguments are kept in a bounded
cache keyed by the map's settings. What changes with the settings — the colours, the area names, the note
counts — travels as streamlit-folium's own overlay layers (``feature_group``), which its frontend swaps on the
unchanged map without a new frame. What changes with every choice of place — its outline and the view
(:class:`Focus`) — travels beside the map as a small script (:func:`geo.maps.focus_script`), so the map's own
message stays the same and Streamlit sends a browser that has it a reference instead of the map again (about
230 kB saved per choice).

This reaches into streamlit-folium's private names (``_component_func``, ``_get_feature_group_string``):
streamlit-folium is pinned in requirements.txt, and ``tests/test_fast_map.py`` checks that what we send is
exactly what ``st_folium`` itself sends for the same map.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import folium
import streamlit as st
import streamlit_folium

from geo import maps

_COMPONENT = streamlit_folium._component_func  # the frontend streamlit-folium declares (pinned version)
_CAPTURE_LOCK = threading.Lock()  # the capture swaps a module name for a moment: one thread at a time


@dataclass(frozen=True)
class Focus:
    """The chosen place, sent beside the map: its boundary (GeoJSON geometry, or None when none is chosen) and the
    view to move to (centre and zoom; None leaves the view where the visitor put it)."""

    outline: dict | None
    view: tuple[tuple[float, float], int] | None


@dataclass(frozen=True)
class Overlay:
    """A layer over the map: ``key`` names its content (for the cache), ``build`` makes it on a miss."""

    key: Hashable
    build: Callable[[], folium.FeatureGroup]


def _captured_arguments(fig: folium.Map, widget_key: str, returned_objects: tuple[str, ...]) -> dict:
    """What ``st_folium`` would send the frontend for ``fig`` (it renders the map: the slow part)."""
    captured: dict = {}

    def capture(**kwargs):
        captured.update(kwargs)
        return None

    with _CAPTURE_LOCK:
        original = streamlit_folium._component_func
        streamlit_folium._component_func = capture
        try:
            streamlit_folium.st_folium(fig, key=widget_key, returned_objects=list(returned_objects),
                                       use_container_width=True)  # fmt: skip
        finally:
            streamlit_folium._component_func = original
    return captured


@st.cache_resource(max_entries=48, show_spinner=False)
def _rendered(settings: Hashable, widget_key: str, returned_objects: tuple[str, ...], _build) -> dict:
    """The rendered map for one setting (bounded: the least recently used settings are dropped)."""
    return _captured_arguments(_build(), widget_key, returned_objects)


@st.cache_resource(max_entries=512, show_spinner=False)
def _overlay_script(key: Hashable, index: int, _build) -> str:
    """The JavaScript of one overlay (it only names the map as ``map_div``, so any map renders it)."""
    return streamlit_folium._get_feature_group_string(_build(), map=folium.Map(tiles=None), idx=index)


def show_map(
    widget_key: str,
    settings: Hashable,
    build: Callable[[], folium.Map],
    *,
    height: int,
    returned_objects: Sequence[str] = (),
    overlays: Sequence[Overlay] = (),
    focus: Focus | None = None,
):
    """Show the map ``build`` makes (rendered once per ``settings``) with ``overlays`` on top, filling the column;
    returns what the map reports (clicks), as ``st_folium`` does. ``focus``: the chosen place, outlined and moved
    to by a script of ours (:func:`geo.maps.focus_script`: geometry and numbers only, as JSON) right after the
    map."""
    returned = tuple(returned_objects)
    arguments = dict(_rendered(settings, widget_key, returned, build))
    script = "".join(_overlay_script(o.key, i, o.build) for i, o in enumerate(overlays))
    hash_key = arguments["key"]

    def on_change():
        st.session_state[widget_key] = st.session_state.get(hash_key, {})

    arguments.update(height=height, feature_group=script or None, on_change=on_change)
    clicked = _COMPONENT(**arguments)
    if focus is not None:
        st.html(maps.focus_script(focus.outline, focus.view), unsafe_allow_javascript=True)
    return clicked
