"""About the data: sources, vintages, method, margins of error and reliability, definitions, refresh."""

import streamlit as st

from data.measures import MEASURES
from data.reference import CENSUS_ON_2020
from ui import auth, cache, nav
from ui.i18n import _
from ui.sections.refresh import refresh_section
from ui.words import (
    boundaries_method,
    includes_pandemic_year,
    pandemic_note,
    period_label,
    period_notes,
    release,
    ward_method_check,
)

account = nav.start_page(_("About the data · Chicago digital equity map"), "📖")
st.title(_("About the data"))

st.header(_("Sources"))
st.markdown(
    _("""
* **American Community Survey (ACS) 5-year estimates**, U.S. Census Bureau: table
  [B28002](https://data.census.gov/table/ACSDT5Y2021.B28002) *Presence and types of Internet subscriptions in
  household*,
  [B28003](https://data.census.gov/table/ACSDT5Y2021.B28003) *Presence of a computer and type of Internet subscription*,
  and the household income brackets of [B19001](https://data.census.gov/table/ACSDT5Y2021.B19001), by census tract.
* **Tract → community-area crosswalk**, Chicago Metropolitan Agency for Planning (CMAP),
  [cmapgeo](https://github.com/CMAP-REPOS/cmapgeo): the share of each tract's households living in each community area.
* **Community-area boundaries**, City of Chicago Data Portal,
  [Boundaries - Community Areas](https://data.cityofchicago.org/d/cauq-8yn6); the nine "sides" follow the City's
  customary grouping.
""")
)

st.header(_("Data periods in this dashboard"))
for key in cache.vintages():  # newest first
    entry = cache.period_entry(key)
    with st.container(border=True):
        st.subheader(period_label(key))
        st.write(release(entry))
        st.write(
            _("Census tracts of {year}, joined with the CMAP {year} crosswalk.").format(year=entry["tract_year"])
            + " "
            + (_("Margins of error: yes.") if entry["has_moe"] else _("Margins of error: **not available**."))
        )
        if entry["missing_measures"]:
            missing = ", ".join(_(MEASURES[m].label) for m in entry["missing_measures"])
            st.write(_("Not available for this period: {measures}").format(measures=missing))
        for note in period_notes(entry):
            st.write("• " + note)
        if includes_pandemic_year(key):
            lead, reading = pandemic_note(key)
            st.write("• " + lead)
            st.markdown(f"> “{CENSUS_ON_2020.words}”")
            st.caption(_(CENSUS_ON_2020.source))
            st.write(reading)
        st.caption(_("Built from: {files}").format(files="; ".join(s["file"] for s in entry["sources"])))

st.header(_("What each measure means"))
st.table(
    {
        _("Measure"): [_(m.label) for m in MEASURES.values()],
        _("In plain words"): [_(m.plain) for m in MEASURES.values()],
        _("ACS table line (the Census Bureau's own words, in English)"): [m.source for m in MEASURES.values()],
    }
)
st.write(_("The universe is households (occupied housing units). Shares are out of all households in the area."))

st.header(_("From census tracts to community areas"))
st.markdown(
    _("""
The ACS publishes these tables for census tracts, not for community areas. For each tract we take CMAP's
**household factor**: the share of the tract's households that live in each community area (from the decennial
census blocks). A community area's count is the sum, over its tracts, of *tract count × household factor*.
We add up **counts** first and compute shares afterwards; we never average tract percentages and never weight by
land area. ACS 2020 and later use the 2020 tracts and crosswalk; ACS 2015-2019 uses the 2010 ones.
""")
)

st.header(_("From census tracts to wards"))
st.markdown(
    _("""
The City Council's 50 wards (the 2023 map) are not made of census tracts, and CMAP's household factors exist for
community areas only. So we make the same kind of factor for wards from the **2020 block groups**, the finest
geography with household counts we can reach: each block group's households (ACS 2017-2021) are shared among the
wards it overlaps by *land* area (block groups along the lake include water), and summed per tract. Ward figures
then follow exactly the community-area method, margins of error included. Wards need the 2020 tracts, so ACS
2015-2019 has no ward figures.
""")
)  # fmt: skip
wards = cache.manifest().get("wards")
if wards:
    st.write(ward_method_check(wards["validation"], cache.place_table(cache.main_vintage()).names()))

st.header(_("Margins of error and reliability"))
st.markdown(
    _("""
Every ACS figure is an estimate from a sample. The **margin of error (±)** gives the range within which the true
value lies with 90 % confidence. We carry the Census Bureau's published margins through every step with the
formulas of its ACS handbook (chapter 8):

* a sum of estimates: the square root of the sum of the squared margins (each scaled by its household factor);
  where several pieces are zero estimates, only the largest of their margins is counted, once;
* a share *p = X / Y*: √(MOE_X² − p²·MOE_Y²) / Y, or with a plus sign where the expression under the root is
  not positive.

The **coefficient of variation (CV)** = (margin ÷ 1.645) ÷ estimate. We call an estimate **reliable** when its CV is
under 15 %, **use with caution** from 15 % to 30 %, and **unreliable** over 30 %; unreliable areas are hatched on
the map.
Two estimates are **significantly different** when |difference| ÷ √(SE₁² + SE₂²) is above 1.645 (90 % level).
This test treats the two estimates as independent, so a place is **compared with the rest of the city**, not with
the whole city that contains it: the rest is added up from the census tracts like the city, each tract counted
with its households outside the place, so the two share no households. A place is above the city exactly when it
is above the rest of it. (A tract split between the place and the rest still gives both its answers; that makes
the test cautious, never too eager.)

The **plausible ranks** come from 10,000 simulations: in each, every census tract's estimates are drawn again from
their margins of error, added up into places with the household factors, and the places ranked. Two places that
share a split tract share its draw, as they share its survey answers. The range is where the middle 90 % of a
place's simulated ranks fall (it always includes the rank shown).
These are the Census Bureau's approximations; exact margins would need the ACS replicate weights.
""")
)

st.header(_("How the data was built and refreshed"))
st.markdown(
    _("""
`python -m data.build` reads the raw public inputs, checks them (77 areas, no row cut short, every Chicago tract
present with every estimate a number and not a Census special value, household factors of a tract adding up to at
most 1, B28002 lines adding up), and writes the tables and simplified boundaries under `data/snapshot/`, with a checksum
of each file that the dashboard checks before showing anything. The build is deterministic and writes each file
atomically; a damaged input stops it, named, and leaves the data as it was.

`python -m data.refresh --year 2023` adds a newer ACS 5-year period from the live Census API (set `CENSUS_API_KEY`
for higher rate limits). A failed or incomplete answer leaves the existing data untouched.
""")
)
boundaries = cache.manifest().get("boundaries", {})
if boundaries:
    st.caption(_("Boundaries: {method}.").format(method=boundaries_method(boundaries)))

if auth.is_staff(account):
    refresh_section()
