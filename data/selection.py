"""A planner's selection of community areas: the filters, the areas that pass them, and the selection's total."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from data.analysis import ranks
from data.moe import coefficient_of_variation, moe_sum, reliability


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


def sides_of(areas: pd.DataFrame) -> list[str]:
    """The City's nine sides as the snapshot names them, in order of their first community area."""
    return areas.sort_values("area_number")["side"].drop_duplicates().tolist()


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
