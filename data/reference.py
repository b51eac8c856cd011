"""Published figures we reconcile with, quoted in their sources' own words (never paraphrased here).

None of these sources names an ACS period or table. Which of our measures and periods each figure matches is
**our inference from the numbers** (see :data:`MATCHES`), and the pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from words import N_

CITY_PLAN_UNCONNECTED = 172_000  # "the remaining unconnected 172K households"


@dataclass(frozen=True)
class Quote:
    words: str  # exactly as published
    source: str  # who said it, where, when
    short: str  # the source in a table cell
    subject: str = ""  # what the words are said of, where the quote starts mid-sentence (ours, outside the quote)
    continues: bool = False  # the source's sentence goes on after the quoted words (shown with an ellipsis)


QUOTES = (
    Quote(
        "is now driving Chicago's approach to ensuring the remaining unconnected 172K households are connected to "
        "broadband, devices, and digital skills.",
        N_("City of Chicago, 2023, announcing its What Works Cities Gold certification."),
        N_("City of Chicago, 2023"),
        subject=N_("The Digital Equity Plan"),
    ),
    Quote(
        "recent studies have shown that over 15% of households (~172,000) still don't have internet at home and "
        "as many as 8% (~92,000) do not have access to a connected device",
        N_(
            'smartcitiesconnect.org ("Chicago calls for digital equity"), in its own words, reporting on the '
            "Digital Equity Plan."
        ),  # fmt: skip
        N_("smartcitiesconnect.org, on the Plan"),
        continues=True,
    ),
    Quote(
        "As many as 20% of Chicago households are without internet, and over 12% don't have computers.",
        N_("City of Chicago press release, 4 May 2022, launching the Digital Equity Council."),
        N_("City of Chicago, May 2022"),
    ),
)


@dataclass(frozen=True)
class Match:
    """A published figure next to the measure and period of ours that it matches (our inference)."""

    published: str  # the figure as the source words it
    source: int  # index into QUOTES
    measure: str
    vintage: str
    figure: float  # the number in the published words: a share in percent, or a count of households
    unit: str = "pct"  # "pct" (a share, compared with ours in percentage points) or "count" (households)


def city_plan_figure(vintage: str) -> int | None:
    """The City's 172K where it can be compared: only with the period it matches (our inference)."""
    return CITY_PLAN_UNCONNECTED if vintage == MATCHES[0].vintage else None


MATCHES = (
    Match("172K households", 0, "no_subscription", "acs5_2017_2021", 172_000, "count"),
    Match("over 15% of households (~172,000)", 1, "no_subscription", "acs5_2017_2021", 15),
    Match("as many as 8% (~92,000)", 1, "no_computer", "acs5_2017_2021", 8),
    Match("As many as 20% of Chicago households", 2, "no_subscription", "acs5_2015_2019", 20),
    Match("over 12% don't have computers", 2, "no_computer", "acs5_2015_2019", 12),
)


PANDEMIC_YEAR = 2020  # the ACS's data collection was disrupted by the COVID-19 pandemic this year

CENSUS_ON_2020 = Quote(
    "the ACS data collection operations were significantly impacted during the COVID-19 pandemic. These "
    "disruptions prevented us from collecting information from certain segments of the population.",
    N_(
        'U.S. Census Bureau, "Our Commitment to Quality: A Revised American Community Survey Estimation Methodology '
        'in the Complexity of a Pandemic", 17 March 2022, written for the ACS 2016-2020 5-year release: '
        "https://www.census.gov/newsroom/blogs/random-samplings/2022/03/acs-5year-estimation-methodology.html"
    ),
    N_("U.S. Census Bureau, March 2022"),
)
"""The Census Bureau's own words on its 2020 data collection (quoted, never paraphrased here)."""
