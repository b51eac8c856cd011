"""Planner filters in the page address: parse them from query parameters and write them back.

A shared link carries every filter, e.g.
``/Planner?side=Far Southeast Side&measure=no_subscription&min_pct=20&vintage=acs5_2017_2021``.
Unknown or malformed parameters are dropped with a note, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from data.measures import GAP_MEASURES
from data.selection import Filters
from ui.i18n import _

NUMBER_PARAMS = ("min_pct", "max_pct", "min_count", "max_count", "min_households")


def _values(params: Mapping, key: str) -> list[str]:
    """All values of a query parameter (Streamlit's query params and plain dicts alike)."""
    if hasattr(params, "get_all"):
        return list(params.get_all(key))
    value = params.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def parse_query(params: Mapping, vintages: list[str], sides: list[str]) -> tuple[Filters, list[str]]:
    """Filters from URL query parameters, and a note for each parameter that was ignored."""
    filters, notes = Filters(), []
    known = {"side", "measure", "vintage", "hide_unreliable", "q", "lang", *NUMBER_PARAMS}  # lang: ui.i18n
    for key in params:
        if key not in known:
            notes.append(_("Ignored unknown link parameter “{key}”.").format(key=key))
    for side in _values(params, "side"):
        if side in sides:
            filters.sides.append(side)
        else:
            notes.append(_("Ignored side “{side}”: not one of the nine sides.").format(side=side))
    for measure in _values(params, "measure")[-1:]:
        if measure in GAP_MEASURES:
            filters.measure = measure
        else:
            notes.append(_("Ignored measure “{measure}”: use one of {names}.").format(
                measure=measure, names=", ".join(GAP_MEASURES)))  # fmt: skip
    for vintage in _values(params, "vintage")[-1:]:
        if vintage in vintages:
            filters.vintage = vintage
        else:
            notes.append(_("Ignored data period “{vintage}”: not available.").format(vintage=vintage))
    for key in NUMBER_PARAMS:
        for raw in _values(params, key)[-1:]:
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value < 0 or (key.endswith("_pct") and value > 100):
                wrong = _("Ignored {key}=“{raw}”: not a number from 0 to 100.") if "pct" in key else _(
                    "Ignored {key}=“{raw}”: not a valid number.")  # fmt: skip
                notes.append(wrong.format(key=key, raw=raw))
            else:
                setattr(filters, key, value)
    for raw in _values(params, "hide_unreliable")[-1:]:
        filters.hide_unreliable = raw.lower() in ("1", "true", "yes")
    for raw in _values(params, "q")[-1:]:
        filters.name = raw[:100]
    return filters, notes


def to_query(filters: Filters) -> dict[str, str | list[str]]:
    """URL query parameters that restore ``filters`` (defaults left out, so links stay short)."""
    defaults = Filters()
    query: dict[str, str | list[str]] = {}
    if filters.sides:
        query["side"] = list(filters.sides)
    if filters.measure != defaults.measure:
        query["measure"] = filters.measure
    for key in NUMBER_PARAMS:
        value = getattr(filters, key)
        if value is not None:
            query[key] = f"{value:g}"
    if filters.hide_unreliable:
        query["hide_unreliable"] = "1"
    if filters.name:
        query["q"] = filters.name
    if filters.vintage:
        query["vintage"] = filters.vintage
    return query


MAP_DEFAULTS = {"measure": "no_subscription", "show": "share", "scheme": "quantiles", "classes": 5}


def parse_map_query(
    params: Mapping, vintages: list[str], schemes: list[str], areas: list[int]
) -> tuple[dict, list[str]]:
    """The Map's settings from its address (``measure``, ``vintage``, ``show`` = share|count, ``scheme``,
    ``classes`` 3-7, ``area`` 1-77), with defaults for what is absent, and a note for each value ignored."""
    allowed = {
        "measure": GAP_MEASURES, "vintage": vintages, "show": ["share", "count"], "scheme": schemes,
        "classes": [str(k) for k in range(3, 8)], "area": [str(a) for a in areas],
    }  # fmt: skip
    settings = {**MAP_DEFAULTS, "vintage": vintages[0], "area": None}
    notes = [
        _("Ignored unknown link parameter “{key}”.").format(key=key)
        for key in params
        if key not in allowed and key != "lang"  # the language: ui.i18n
    ]
    for key, options in allowed.items():
        for raw in _values(params, key)[-1:]:
            if raw in options:
                settings[key] = int(raw) if key in ("classes", "area") else raw
            else:
                notes.append(_("Ignored {key}=“{raw}”: not one of the choices.").format(key=key, raw=raw[:100]))
    return settings, notes


def map_query(settings: dict, default_vintage: str) -> dict[str, str]:
    """The Map's address parameters for ``settings`` (defaults left out, so links stay short)."""
    defaults = {**MAP_DEFAULTS, "vintage": default_vintage}
    return {k: str(v) for k, v in settings.items() if v is not None and defaults.get(k) != v}
