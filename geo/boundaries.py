"""Community-area boundaries for the web: coverage simplification and deterministic GeoJSON."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely

METRIC_CRS = "EPSG:26971"  # NAD83 / Illinois East (metres)
WEB_CRS = "EPSG:4326"
SIMPLIFY_TOLERANCE_M = 8.0  # 166 kB GeoJSON, ~197 kB map HTML, largest shift 17.5 m (Hausdorff)
COORD_DECIMALS = 5  # about 1 m at Chicago's latitude


def simplify_for_web(areas: gpd.GeoDataFrame, tolerance_m: float = SIMPLIFY_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Coverage simplification in a metric CRS: shared borders stay identical, so no gaps or overlaps
    open between neighbours (plain ``simplify`` would open them)."""
    metric = areas.to_crs(METRIC_CRS)
    simplified = metric.geometry.simplify_coverage(tolerance_m)
    return metric.set_geometry(simplified).to_crs(WEB_CRS)


def web_boundaries(areas: gpd.GeoDataFrame, sides: pd.DataFrame) -> gpd.GeoDataFrame:
    """Simplified boundaries with ``area_number, area_name, side`` for the map."""
    return web_places(areas, sides[["area_number", "area_name", "side"]], "area_number")


def web_places(polygons: gpd.GeoDataFrame, places: pd.DataFrame, number: str) -> gpd.GeoDataFrame:
    """Simplified ``polygons`` with the columns of ``places`` (joined on ``number``, in their order) for the map."""
    merged = simplify_for_web(polygons).merge(places, on=number, validate="one_to_one")
    return merged[[*places.columns, "geometry"]].sort_values(number).reset_index(drop=True)


def to_geojson_bytes(frame: gpd.GeoDataFrame, decimals: int = COORD_DECIMALS) -> bytes:
    """Deterministic, compact GeoJSON (fixed key order, rounded coordinates, one feature per line)."""
    rounded = shapely.set_precision(frame.geometry.values, 10**-decimals, mode="pointwise")
    features = []
    for props, geom in zip(frame.drop(columns="geometry").to_dict("records"), rounded, strict=True):
        feature = {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
        features.append(json.dumps(feature, separators=(",", ":"), default=_plain))
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n").encode()


def _plain(value):
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value)}")
