"""The geographies the numbers are published for: how each is named in the snapshot and how many places it has.

A geography is data, not a branch in the code: the pages read a :class:`data.place_table.PlaceTable` for a
(period, geography) and never ask which geography it is. Adding one (wards, ZIP codes) means a build step that
writes its files and an entry here, plus its words in :mod:`ui.words`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Geography:
    key: str  # as in a page's address (``geo=community_area``)
    table: str  # file prefix of its tables: ``<table>_<period>.csv``
    number: str  # the snapshot column that numbers its places
    name: str  # the snapshot column that names them
    count: int  # how many places it has
    boundaries: str  # the simplified boundaries in the snapshot
    factors: str  # file prefix of its tract × place household factors: ``<factors>_<period>.csv``
    group: str | None = None  # a column grouping its places (the City's nine sides), if any
    tract_years: tuple[int, ...] = (2010, 2020)  # the census-tract maps it has figures for


COMMUNITY_AREA = Geography(
    key="community_area",
    table="community_areas",
    number="area_number",
    name="area_name",
    count=77,
    boundaries="community_areas.geojson",
    factors="tract_areas",
    group="side",
)

WARD = Geography(  # the City Council's wards, 2023 map: households shared out from 2020 block groups (data.wards)
    key="ward",
    table="wards",
    number="ward_number",
    name="ward_name",
    count=50,
    boundaries="wards.geojson",
    factors="tract_wards",
    tract_years=(2020,),
)

GEOGRAPHIES = {g.key: g for g in (COMMUNITY_AREA, WARD)}
DEFAULT = COMMUNITY_AREA.key
