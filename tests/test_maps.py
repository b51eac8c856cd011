"""Map builders without a browser: classes, colours, legend, hatching, tooltips, local Leaflet."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo import maps
from tests.support.snapshot import boundaries, place_table
from ui import format as fmt
from ui.prose import tooltip_lines

GEOJSON = boundaries()
TABLE = place_table()
AREAS = TABLE.rows


@pytest.mark.parametrize("scheme", list(maps.SCHEMES))
def test_every_value_falls_in_a_class_and_missing_is_grey_not_lowest(scheme):
    values = pd.Series([1.0, 2.0, 3.0, 10.0, 20.0, 30.0, np.nan])
    classes = maps.classify(values, scheme, 5, fmt.pct)
    assert len(classes.colors) == len(classes.labels) == len(classes.bins) == 5
    assert classes.color_of(float("nan")) == maps.MISSING_COLOR
    assert maps.MISSING_COLOR not in classes.colors
    assert classes.color_of(1.0) == classes.colors[0] and classes.color_of(30.0) == classes.colors[-1]


def test_few_distinct_values_give_fewer_classes():
    classes = maps.classify(pd.Series([5.0, 5.0, 7.0]), "quantiles", 5, fmt.pct)
    assert len(classes.bins) == 2


def share_map(measure: str, legend: str):
    """The map of ``measure``'s share, as the Map page builds it."""
    classes = maps.classify(AREAS[f"{measure}_pct"], "quantiles", 5, fmt.pct)
    return maps.choropleth_map(maps.areas_layer(
        GEOJSON, AREAS, f"{measure}_pct", classes, tooltip_lines(AREAS, measure), TABLE.unreliable(measure), legend,
    ))  # fmt: skip


def test_choropleth_uses_local_leaflet_hatches_unreliable_and_names_what_it_shows():
    html = share_map("no_computer", "No computer (%), ACS").get_root().render()
    assert "cdn" not in html.lower() and "/app/static/leaflet/leaflet.js" in html
    assert f"url(#{maps.HATCH_ID})" in html and 'class="equity-title"' in html
    assert "No computer (%), ACS" in html


def test_the_legend_lists_every_class_then_missing_values():
    classes = maps.classify(pd.Series([1.0, 2.0, 3.0, 10.0, 20.0, 30.0]), "quantiles", 5, fmt.pct)
    entries = maps.legend_entries(classes)
    assert [c for c, _ in entries] == [*classes.colors, maps.MISSING_COLOR]
    assert entries[0][1] == "1.0 % – 2.0 %" and entries[-1][1] == "No data"


def test_tooltips_carry_only_formatted_trusted_fields():
    m = share_map("no_subscription", "legend")
    [layer] = [child for child in m._children.values() if getattr(child, "layer_name", "") == "areas"]
    features = [c for c in layer._children.values() if c.__class__.__name__ == "GeoJson"][0].data["features"]
    assert len(features) == 77
    assert set(features[0]["properties"]) == {"area", "value", "fill", "hatch"}
    englewood = next(f for f in features if f["properties"]["area"] == "Englewood (#68)")
    assert englewood["properties"]["value"].startswith("2,679 ± 360 households (29.4 % ± 3.5 points)")


def test_clicked_tooltip_text_gives_the_area_number():
    assert maps.tooltip_area_number("Englewood (#68)\n2,679 ± 360 households") == 68
    assert maps.tooltip_area_number("O'Hare (#76)") == 76
    assert maps.tooltip_area_number(None) is None and maps.tooltip_area_number("no number") is None
