"""Planner filters: parse and write them as URL query parameters, apply them, summarise the selection.

A shared link carries every filter, e.g.
``/Planner?side=Far Southeast Side&measure=no_subscription&min_pct=20&vintage=acs5_2017_2021``.
Unknown or malformed parameters are dropped with a note, never an exception.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from data.analysis import difference_label, ranks
from data.measures import GAP_MEASURES
from data.moe import coefficient_of_variation, moe_sum, reliability, significantly_different

SIDES = [
    "Far North Side", "Northwest Side", "North Side", "Central", "West Side",
    "South Side", "Southwest Side", "Far Southwest Side", "Far Southeast Side",
]  # fmt: skip


@dataclass
class Filters:
    sides: list[str] = field(default_factory=list)  # empty: every side
    measure: str = "no_subscription"
    min_pct: float | None = None
    max_pct: float | None = None
    min_count: float | None = None
    max_count: float | None = None
    min_households: float | None = None
    hide_unreliable: bool = False
    name: str = ""
    vintage: str | None = None


NUMBER_PARAMS = ("min_pct", "max_pct", "min_count", "max_count", "min_households")


def _values(params: Mapping, key: str) -> list[str]:
    """All values of a query parameter (Streamlit's query params and plain dicts alike)."""
    if hasattr(params, "get_all"):
        return list(params.get_all(key))
    value = params.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def parse_query(params: Mapping, vintages: list[str]) -> tuple[Filters, list[str]]:
    """Filters from URL query parameters, and a note for each parameter that was ignored."""
    filters, notes = Filters(), []
    known = {"side", "measure", "vintage", "hide_unreliable", "q", *NUMBER_PARAMS}
    for key in params:
        if key not in known:
            notes.append(f"Ignored unknown link parameter “{key}”.")
    for side in _values(params, "side"):
        if side in SIDES:
            filters.sides.append(side)
        else:
            notes.append(f"Ignored side “{side}”: not one of the nine sides.")
    for measure in _values(params, "measure")[-1:]:
        if measure in GAP_MEASURES:
            filters.measure = measure
        else:
            notes.append(f"Ignored measure “{measure}”: use one of {', '.join(GAP_MEASURES)}.")
    for vintage in _values(params, "vintage")[-1:]:
        if vintage in vintages:
            filters.vintage = vintage
        else:
            notes.append(f"Ignored data period “{vintage}”: not available.")
    for key in NUMBER_PARAMS:
        for raw in _values(params, key)[-1:]:
            try:
                value = float(raw)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value < 0 or (key.endswith("_pct") and value > 100):
                notes.append(
                    f"Ignored {key}=“{raw}”: not a valid number" + (" from 0 to 100." if "pct" in key else ".")
                )
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


def apply(areas: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The areas that pass every filter, largest share first, with their rank among all areas added."""
    m = filters.measure
    ranked = areas.assign(rank=ranks(areas, m).reindex(areas["area_number"]).to_numpy())
    keep = pd.Series(True, index=areas.index)
    if filters.sides:
        keep &= areas["side"].isin(filters.sides)
    bounds = {
        f"{m}_pct": (filters.min_pct, filters.max_pct),
        m: (filters.min_count, filters.max_count),
        "households": (filters.min_households, None),
    }
    for column, (low, high) in bounds.items():
        if low is not None:
            keep &= areas[column] >= low
        if high is not None:
            keep &= areas[column] <= high
    if filters.hide_unreliable:
        keep &= areas[f"{m}_reliability"] != "unreliable"
    if filters.name.strip():
        keep &= areas["area_name"].str.contains(filters.name.strip(), case=False, regex=False)
    return ranked.loc[keep].sort_values([f"{m}_pct", "area_number"], ascending=[False, True])


def with_city_comparison(rows: pd.DataFrame, city: pd.Series, measure: str) -> pd.Series:
    """'higher' / 'lower' / 'not different' / 'cannot be tested' against the city's share, per row."""
    short = {"significantly higher": "higher", "significantly lower": "lower",
             "not significantly different": "not different"}  # fmt: skip
    labels = [
        short.get(difference_label(pct, moe, city[f"{measure}_pct"], city[f"{measure}_pct_moe"]), "cannot be tested")
        for pct, moe in zip(rows[f"{measure}_pct"], rows[f"{measure}_pct_moe"], strict=True)
    ]
    return pd.Series(labels, index=rows.index, dtype=object)


@dataclass(frozen=True)
class SelectionSummary:
    areas: int
    households: float
    total: float
    total_moe: float
    cv: float
    reliability: str
    share_of_city: float  # percent of the citywide count of this measure
    share_of_city_plan: float | None  # percent of the City's 172K (no-subscription measure only)


def summarise(rows: pd.DataFrame, measure: str, city: pd.Series, city_plan_figure: float) -> SelectionSummary:
    """Total households without the service in the selection ± MOE (Census sum formula over the areas)."""
    total = float(rows[measure].sum())
    total_moe = moe_sum(rows[measure], rows[f"{measure}_moe"]) if len(rows) else 0.0
    cv = float(coefficient_of_variation(total, total_moe))
    city_total = float(city[measure])
    return SelectionSummary(
        areas=len(rows),
        households=float(rows["households"].sum()),
        total=total,
        total_moe=total_moe,
        cv=cv,
        reliability=reliability(cv),
        share_of_city=total / city_total * 100 if city_total else math.nan,
        share_of_city_plan=total / city_plan_figure * 100 if measure == "no_subscription" else None,
    )


def change_table(new: pd.DataFrame, old: pd.DataFrame, measure: str) -> pd.DataFrame | None:
    """Each area's share in both periods and the change in points; None if the older period lacks the measure.

    Significance is tested only where both periods have margins of error; otherwise it says so."""
    if old[f"{measure}_pct"].isna().all():
        return None
    merged = new[["area_number", "area_name", f"{measure}_pct", f"{measure}_pct_moe"]].merge(
        old[["area_number", f"{measure}_pct", f"{measure}_pct_moe"]], on="area_number", suffixes=("", "_old")
    )
    columns = [f"{measure}_pct", f"{measure}_pct_moe", f"{measure}_pct_old", f"{measure}_pct_moe_old"]
    significance = []
    for new_pct, new_moe, old_pct, old_moe in merged[columns].itertuples(index=False):
        result = significantly_different(new_pct, new_moe, old_pct, old_moe)
        significance.append("cannot be tested (no margins of error)" if result is None else ("yes" if result else "no"))
    return pd.DataFrame(
        {
            "Community area": merged["area_name"],
            "Earlier share (%)": merged[f"{measure}_pct_old"],
            "Latest share (%)": merged[f"{measure}_pct"],
            "Change (points)": merged[f"{measure}_pct"] - merged[f"{measure}_pct_old"],
            "Significant?": significance,
        }
    )
