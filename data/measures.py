"""What each measure means and how each vintage computes it from ACS lines.

A *recipe* lists, for each measure, the tract-level ACS variables (without the ``E``/``M`` suffix)
and the sign with which each enters the sum. Community-area values are Σ sign × weight × estimate;
MOEs use the same components (see :func:`data.apportion.apportion`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
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
                "Households that pay no provider for Internet service at home: some can still get online at home "
                'without paying (the ACS\'s "access without a subscription", for example a free service in their '
                "building), the others have no Internet access at home. This is the definition behind the City's "
                '"172K".'
            ),
            "B28002_012 (access without a subscription) + B28002_013 (no Internet access)",
            N_("Households without an Internet subscription"),
        ),
        Measure(
            "no_internet_access",
            N_("No Internet access at home"),
            N_(
                "Households where no one can get online at home, paid or free (the ACS asks about access at this "
                "house; people may still go online elsewhere)."
            ),
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
    """The snapshot column names of one measure, e.g. ``cols("no_subscription").pct``: the one naming rule for
    measure columns (count, its MOE, share and its MOE in percent, CV in percent; reliability is added when the
    snapshot is read)."""

    count: str
    moe: str
    pct: str
    pct_moe: str
    cv: str
    reliability: str

    @property
    def stored(self) -> tuple[str, str, str, str, str]:
        """The columns the snapshot stores, in the contract's order (reliability is derived, not stored)."""
        return (self.count, self.moe, self.pct, self.pct_moe, self.cv)


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


class PeriodNote(StrEnum):
    """What the About page says about a period, as a code (the interface words it in the reader's language)."""

    INCOME_WITHOUT_MOE = "income_without_moe"  # household income brackets come without MOEs in our source
    NO_MOE_ARCHIVED = "no_moe_archived"  # no MOEs were archived: reliability and significance cannot be shown
    PROFILE_LINES = "profile_lines"  # households and broadband from the Data Profile (DP02)


def period_years(key: str) -> tuple[int, int]:
    """The first and last year of an ACS 5-year period key such as ``acs5_2017_2021`` (the one parser of period
    keys); ValueError for anything else."""
    try:
        first, last = (int(part) for part in key.removeprefix("acs5_").split("_"))
    except ValueError as exc:
        raise ValueError(f"not a data period: {key!r}") from exc
    if key != vintage_key(first, last) or last - first != 4:
        raise ValueError(f"not a data period: {key!r}")
    return first, last


def periods_overlap(first: str, second: str) -> bool:
    """Whether two period keys share a year (``acs5_2017_2021`` and ``acs5_2019_2023`` share 2019-2021)."""
    (a_first, a_last), (b_first, b_last) = period_years(first), period_years(second)
    return a_first <= b_last and b_first <= a_last


@dataclass(frozen=True)
class Vintage:
    key: str  # file-name key, e.g. acs5_2017_2021
    tract_year: int  # census-tract geography (2010 or 2020), selects the CMAP crosswalk
    recipe: Recipe
    notes: tuple[PeriodNote, ...] = field(default=())

    @property
    def first_year(self) -> int:
        return period_years(self.key)[0]

    @property
    def last_year(self) -> int:
        return period_years(self.key)[1]

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def label(self) -> str:
        """'ACS 2017-2021 5-year' (in English, for logs; the interface words it in the reader's language)."""
        return f"ACS {self.first_year}-{self.last_year} 5-year"

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
    return Vintage(vintage_key(year - 4, year), 2020, RECIPE_FULL)


VINTAGE_2017_2021 = Vintage("acs5_2017_2021", 2020, RECIPE_FULL, (PeriodNote.INCOME_WITHOUT_MOE,))
VINTAGE_2015_2019 = Vintage(
    "acs5_2015_2019", 2010, RECIPE_2015_2019, (PeriodNote.NO_MOE_ARCHIVED, PeriodNote.PROFILE_LINES)
)


def vintage_by_key(key: str) -> Vintage:
    """The :class:`Vintage` of a snapshot key: one of the two archived periods, or a Census API period."""
    known = {v.key: v for v in (VINTAGE_2017_2021, VINTAGE_2015_2019)}
    if key in known:
        return known[key]
    return api_vintage(period_years(key)[1])
