"""A planner's selection of community areas: the filters, the areas that pass them, and the selection's total."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from data.analysis import ranks
from data.apportion import apportion, citywide_crosswalk
from data.measures import Vintage, cols
from data.moe import UNRELIABLE, coefficient_of_variation, reliability


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


def sides_of(rows: pd.DataFrame) -> list[str]:
    """The City's nine sides as the snapshot names them, in order of their first community area."""
    return rows.sort_index()["side"].drop_duplicates().tolist()


def apply(rows: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The places (a place table's rows) that pass every filter, largest share first, with their rank among all
    places added."""
    c = cols(filters.measure)
    keep = pd.Series(True, index=rows.index)
    if filters.sides:
        keep &= rows["side"].isin(filters.sides)
    bounds = {
        c.pct: (filters.min_pct, filters.max_pct),
        c.count: (filters.min_count, filters.max_count),
        "households": (filters.min_households, None),
    }
    for column, (low, high) in bounds.items():
        if low is not None:
            keep &= rows[column] >= low
        if high is not None:
            keep &= rows[column] <= high
    if filters.hide_unreliable:
        keep &= rows[c.reliability] != UNRELIABLE
    if filters.name.strip():
        keep &= rows["name"].str.contains(filters.name.strip(), case=False, regex=False)
    chosen = rows.assign(rank=ranks(rows, filters.measure)).loc[keep]
    order = chosen.assign(_number=chosen.index).sort_values([c.pct, "_number"], ascending=[False, True]).index
    return chosen.loc[order]


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


@dataclass(frozen=True)
class TractInputs:
    """The tract-level inputs of one period (from the snapshot): tract estimates and MOEs, tract × area
    household factors, and the period's recipe of ACS lines per measure."""

    tracts: pd.DataFrame
    crosswalk: pd.DataFrame
    vintage: Vintage
    number: str = "area_number"  # the crosswalk's column of place numbers


def selection_estimate(inputs: TractInputs, measure: str, area_numbers) -> tuple[float, float]:
    """Estimate and MOE of ``measure`` over the selected areas, computed exactly like the citywide total:
    per tract, the selected areas' household factors are added first (a tract split between two selected
    areas is one estimate), then the handbook's sum rule runs over tracts, the largest zero-estimate MOE
    counted once."""
    chosen = inputs.crosswalk.loc[inputs.crosswalk[inputs.number].isin(list(area_numbers))]
    if chosen.empty:
        return 0.0, 0.0
    result = apportion(inputs.tracts, citywide_crosswalk(chosen), inputs.vintage.recipe[measure]).iloc[0]
    return float(result["estimate"]), float(result["moe"])


def summarise(
    rows: pd.DataFrame, measure: str, city: pd.Series, city_plan_figure: float | None, inputs: TractInputs
) -> SelectionSummary:
    """Total households without the service in the selection ± MOE (from the tracts, see
    :func:`selection_estimate`), its CV and reliability, and its share of the city's total and of the 172K
    (``city_plan_figure``: None for a period the City's figure does not match)."""
    total, total_moe = selection_estimate(inputs, measure, rows.index)
    households, _ = selection_estimate(inputs, "households", rows.index)
    cv = float(coefficient_of_variation(total, total_moe))
    city_total = float(city[cols(measure).count])
    return SelectionSummary(
        areas=len(rows),
        households=households,
        total=total,
        total_moe=total_moe,
        cv=cv,
        reliability=reliability(cv),
        share_of_city=total / city_total * 100 if city_total else math.nan,
        share_of_city_plan=(
            total / city_plan_figure * 100 if measure == "no_subscription" and city_plan_figure else None
        ),
    )
