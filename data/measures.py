"""What each measure means and how each vintage computes it from ACS lines.

A *recipe* lists, for each measure, the tract-level ACS variables (without the ``E``/``M`` suffix)
and the sign with which each enters the sum. Community-area values are Σ sign × weight × estimate;
MOEs use the same components (see :func:`data.apportion.apportion`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from words import N_


@dataclass(frozen=True)
class Measure:
    key: str
    label: str  # short, for menus and legends
    plain: str  # one plain-language sentence for council members
    source: str  # the ACS definition
    counted: str  # what its household count counts, as a column heading


MEASURES: dict[str, Measure] = {  # in the snapshot's column order (README, Where the numbers come from)
    m.key: m
    for m in (
        Measure(
            "no_broadband",
            N_("No broadband"),
            N_(
                "Households without a broadband subscription of any kind (cable, fibre, DSL, satellite or a "
                "cellular data plan); includes dial-up-only households."
            ),
            "B28002_001 − B28002_004 = B28002_003 + B28002_012 + B28002_013",
            N_("Households without broadband"),
        ),
        Measure(
            "no_subscription",
            N_("No Internet subscription"),
            N_(
                "Households that do not pay for any Internet service (they may still get online for free, "
                'for example at a library or on public Wi-Fi). This is the definition behind the City\'s "172K".'
            ),
            "B28002_012 (access without a subscription) + B28002_013 (no Internet access)",
            N_("Households without an Internet subscription"),
        ),
        Measure(
            "no_internet_access",
            N_("No Internet access at all"),
            N_("Households where nobody can get online at home, paid or free."),
            "B28002_013",
            N_("Households with no Internet access"),
        ),
        Measure(
            "cellular_only",
            N_("Cellular data plan only"),
            N_("Households whose only Internet subscription is a phone or cellular data plan."),
            "B28002_006",
            N_("Households with a cellular data plan only"),
        ),
        Measure(
            "no_computer",
            N_("No computer"),
            N_("Households with no computer of any kind (the ACS counts smartphones and tablets as computers)."),
            "B28003_006",
            N_("Households without a computer"),
        ),
        Measure(
            "low_income",
            N_("Household income under $35,000"),
            N_("Households with an income below $35,000 a year (estimate only, no margin of error in our source)."),
            "B19001_002 … B19001_007",
            N_("Households with income under $35,000"),
        ),
    )
}


@dataclass(frozen=True)
class Columns:
    """The snapshot column names of one measure (README, Where the numbers come from: The snapshot),
    e.g. ``cols("no_subscription").pct``."""

    count: str
    moe: str
    pct: str
    pct_moe: str
    cv: str
    reliability: str  # added when the snapshot is read


@cache
def cols(measure: str) -> Columns:
    m = measure
    return Columns(m, f"{m}_moe", f"{m}_pct", f"{m}_pct_moe", f"{m}_cv", f"{m}_reliability")


GAP_MEASURES = ["no_subscription", "no_broadband", "no_internet_access", "cellular_only", "no_computer"]
"""The connectivity measures a user can map and rank (low income is context, not a gap)."""

Recipe = dict[str, tuple[tuple[str, int], ...]]

RECIPE_FULL: Recipe = {
    "households": (("B28002_001", 1),),
    "no_broadband": (("B28002_003", 1), ("B28002_012", 1), ("B28002_013", 1)),
    "no_subscription": (("B28002_012", 1), ("B28002_013", 1)),
    "no_internet_access": (("B28002_013", 1),),
    "cellular_only": (("B28002_006", 1),),
    "no_computer": (("B28003_006", 1),),
    "low_income": tuple((f"B19001_{i:03d}", 1) for i in range(2, 8)),
}
"""Tract tables B28002, B28003 and B19001 (ACS 2017-2021 and the Census API vintages)."""

RECIPE_2015_2019: Recipe = {
    "households": (("DP02_0001", 1),),
    "no_broadband": (("DP02_0001", 1), ("DP02_0153", -1)),
    "no_subscription": (("DP02_0001", 1), ("B28002_002", -1)),
    "no_internet_access": (("B28002_013", 1),),
    "no_computer": (("B28003_006", 1),),
}
"""ACS 2015-2019 as archived (profile DP02 + three B2800x lines, no MOEs): households and broadband
from the profile, with-subscription and no-access from B28002. Cellular-only and income are absent."""


@dataclass(frozen=True)
class Vintage:
    key: str  # file-name key, e.g. acs5_2017_2021
    label: str  # e.g. "ACS 2017-2021 5-year"
    tract_year: int  # census-tract geography (2010 or 2020), selects the CMAP crosswalk
    recipe: Recipe
    notes: tuple[str, ...] = field(default=())

    @property
    def missing_measures(self) -> list[str]:
        return [m for m in MEASURES if m not in self.recipe]

    @property
    def variables(self) -> list[str]:
        """The tract-level ACS lines the recipe uses (without the ``E``/``M`` suffix), sorted."""
        return sorted({variable for parts in self.recipe.values() for variable, _sign in parts})


def vintage_key(first_year: int, last_year: int) -> str:
    return f"acs5_{first_year}_{last_year}"


def api_vintage(year: int) -> Vintage:
    """A vintage fetched from the Census API: ACS 5-year ending in ``year`` (2020 tracts from 2020 on)."""
    if year < 2020:
        raise ValueError("the live refresh covers ACS 5-year vintages ending 2020 or later (2020 census tracts)")
    return Vintage(vintage_key(year - 4, year), f"ACS {year - 4}-{year} 5-year", 2020, RECIPE_FULL)


VINTAGE_2017_2021 = Vintage(
    "acs5_2017_2021",
    "ACS 2017-2021 5-year",
    2020,
    RECIPE_FULL,
    (N_("Household income brackets come without margins of error in our source."),),
)
VINTAGE_2015_2019 = Vintage(
    "acs5_2015_2019",
    "ACS 2015-2019 5-year",
    2010,
    RECIPE_2015_2019,
    (
        N_("No margins of error were archived for this vintage, so reliability and significance cannot be shown."),
        N_("Households and broadband come from the Data Profile (DP02); the other lines from B28002/B28003."),
    ),
)


def vintage_by_key(key: str) -> Vintage:
    """The :class:`Vintage` of a snapshot key: one of the two archived periods, or a Census API period."""
    known = {v.key: v for v in (VINTAGE_2017_2021, VINTAGE_2015_2019)}
    if key in known:
        return known[key]
    try:
        first, last = (int(part) for part in key.removeprefix("acs5_").split("_"))
    except ValueError as exc:
        raise ValueError(f"not a data period: {key}") from exc
    if key != vintage_key(first, last) or last - first != 4:
        raise ValueError(f"not a data period: {key}")
    return api_vintage(last)
