"""Compute the snapshot's tables from tract data: every measure per community area and for the city.

Counts are apportioned and summed first; shares are computed from the sums afterwards
(README, Where the numbers come from: Method).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.apportion import apportion, citywide_crosswalk
from data.geographies import COMMUNITY_AREA, Geography
from data.measures import MEASURES, Vintage, cols
from data.moe import coefficient_of_variation, moe_proportion
from data.snapshot import CITY_NAME, COLUMNS, columns


def measure_table(tracts: pd.DataFrame, crosswalk: pd.DataFrame, vintage: Vintage) -> pd.DataFrame:
    """Every measure of ``vintage`` per ``area_number`` of ``crosswalk``, unrounded, in snapshot columns."""
    households = apportion(tracts, crosswalk, vintage.recipe["households"])
    out = pd.DataFrame({"households": households["estimate"], "households_moe": households["moe"]})
    for key in MEASURES:
        c = cols(key)
        if key not in vintage.recipe:
            for column in c.stored:
                out[column] = np.nan
            continue
        counts = apportion(tracts, crosswalk, vintage.recipe[key])
        est, moe = counts["estimate"], counts["moe"]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(out["households"] > 0, est / out["households"], np.nan)
        out[c.count] = est
        out[c.moe] = moe
        out[c.pct] = share * 100
        out[c.pct_moe] = moe_proportion(est, out["households"], moe, out["households_moe"]) * 100
        out[c.cv] = coefficient_of_variation(est, moe)
    return out


def area_table(tracts, crosswalk, sides, vintage: Vintage) -> pd.DataFrame:
    """The 77-row community-area table of one vintage at full precision, in the snapshot's column order."""
    return place_rows(tracts, crosswalk, sides, vintage, COMMUNITY_AREA)


def place_rows(tracts, factors, places: pd.DataFrame, vintage: Vintage, geography: Geography) -> pd.DataFrame:
    """One row per place of ``geography`` (``places``: its number, name and group columns) at full precision, in
    the snapshot's column order; ``factors``: ``geoid, <number>, hh_pct``."""
    crosswalk = factors.rename(columns={geography.number: "area_number"})
    values = measure_table(tracts, crosswalk, vintage).rename_axis(geography.number).reset_index()
    return places.merge(values, on=geography.number, how="left", validate="one_to_one")[columns(geography)]


def citywide_table(tracts, crosswalk, vintage: Vintage) -> pd.DataFrame:
    """One row for the whole city; a split tract's MOE is counted once (its weights summed first)."""
    values = measure_table(tracts, citywide_crosswalk(crosswalk), vintage).reset_index()
    return values.assign(area_number=pd.NA, area_name=CITY_NAME, side="")[COLUMNS]


def tract_inputs(tracts, crosswalk, vintage: Vintage, number: str = "area_number") -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a selection's total needs, for the tracts with Chicago households only: their estimates and MOEs
    of the lines ``vintage`` uses, and their household factors per place (``number``: its column)."""
    factors = crosswalk.loc[crosswalk["hh_pct"] > 0, ["geoid", number, "hh_pct"]]
    factors = factors.sort_values(["geoid", number]).reset_index(drop=True)
    columns = [f"{v}{k}" for v in vintage.variables for k in "EM" if f"{v}{k}" in tracts.columns]
    chosen = tracts.loc[tracts["geoid"].isin(factors["geoid"]), ["geoid", *columns]]
    return chosen.sort_values("geoid").reset_index(drop=True), factors


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode()
