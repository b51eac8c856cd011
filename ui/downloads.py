"""Downloads that open safely in a spreadsheet: formula-safe CSV and the selection as GeoJSON."""

from __future__ import annotations

import json

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Text starting like a spreadsheet formula gets a leading apostrophe (OWASP CSV-injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8) with every text cell that could run as a formula neutralised; numbers are left alone."""
    cleaned = frame.copy()
    for column in cleaned.columns:
        if not pd.api.types.is_numeric_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(neutralise_formula)
    cleaned.columns = [neutralise_formula(str(c)) for c in cleaned.columns]
    return cleaned.to_csv(index=False, lineterminator="\n").encode("utf-8")


def selection_geojson_bytes(geojson: dict, rows: pd.DataFrame) -> bytes:
    """The selected areas' boundaries with their snapshot columns as properties (missing values as null)."""
    records = rows.set_index("area_number", drop=False).astype(object).where(rows.notna().to_numpy(), None)
    features = []
    for feature in geojson["features"]:
        number = int(feature["properties"]["area_number"])
        if number in records.index:
            props = {k: (v.item() if hasattr(v, "item") else v) for k, v in records.loc[number].items()}
            features.append({"type": "Feature", "properties": props, "geometry": feature["geometry"]})
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()
