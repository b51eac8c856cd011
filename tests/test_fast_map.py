"""The map rendered once per setting sends the frontend exactly what streamlit-folium's own ``st_folium`` sends
(this pins the private streamlit-folium names ``ui.fast_map`` relies on), and renders only once."""

from __future__ import annotations

import itertools

import branca
import streamlit_folium

from geo import maps
from tests.support.snapshot import boundaries, place_table
from ui import fast_map
from ui import format as fmt
from ui.prose import tooltip_lines

TABLE = place_table()
AREAS = TABLE.rows
GEOJSON = boundaries()


def a_map():
    classes = maps.classify(AREAS["no_subscription_pct"], "quantiles", 5, fmt.pct)
    return maps.choropleth_map(maps.areas_layer(GEOJSON, AREAS, "no_subscription_pct", classes,
                               tooltip_lines(AREAS, "no_subscription"), TABLE.unreliable("no_subscription"),
                               "No Internet subscription"))  # fmt: skip


def same_ids(monkeypatch):
    """Folium names every element with a random id: number them from 0 again, so two builds are identical."""
    counter = itertools.count()
    monkeypatch.setattr(branca.element.Element, "_generate_id", classmethod(lambda cls: f"{next(counter):032x}"))


def map_and_layers(monkeypatch):
    same_ids(monkeypatch)
    return a_map(), maps.note_counts_layer(GEOJSON, {68: 3}, str), maps.area_labels(GEOJSON)


def test_show_map_sends_what_st_folium_sends(monkeypatch):
    sent = []
    monkeypatch.setattr(fast_map, "_COMPONENT", lambda **kwargs: sent.append(kwargs))
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.append(kwargs))
    returned = ["last_object_clicked_tooltip", "last_object_clicked"]
    the_map, counts, names = map_and_layers(monkeypatch)
    fast_map.show_map("gap", ("st_folium's twin", id(the_map)), lambda: the_map, height=620, returned_objects=returned,
                      overlays=[fast_map.Overlay(("counts", id(counts)), lambda: counts),
                                fast_map.Overlay(("names", id(names)), lambda: names)])  # fmt: skip
    the_map, counts, names = map_and_layers(monkeypatch)
    streamlit_folium.st_folium(the_map, key="gap", height=620, use_container_width=True, returned_objects=returned,
                               feature_group_to_add=[counts, names])  # fmt: skip
    ours, theirs = ({k: v for k, v in kwargs.items() if k != "on_change"} for kwargs in sent)
    assert ours == theirs
    assert "feature_group_feature_group_1" in ours["feature_group"]  # both overlays travel as layers


def test_a_map_is_rendered_once_per_setting():
    builds = []

    def build():
        builds.append(1)
        return a_map()

    for _ in range(3):
        fast_map._rendered(("render once",), "gap", (), build)
    fast_map._rendered(("another setting",), "gap", (), build)
    assert len(builds) == 2


def test_the_focus_script_cannot_be_ended_by_what_it_carries():
    script = maps.focus_script({"type": "</script><script>alert(1)</script>"}, ((41.78, -87.64), 13))
    assert script.count("</script>") == 1 and "alert(1)</script>" not in script
