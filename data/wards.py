"""Households by ward: a tract → ward household crosswalk made from 2020 block groups, and its error measured
where the truth is known.

The City Council's 50 wards (2023 map) are not made of census tracts, and the 2020 block household counts that
CMAP's community-area crosswalk and the ward map are built from are out of reach here. Block groups are the finest
geography with households that is: each block group's households (ACS 2017-2021, B28002_001) are shared among the
wards it overlaps by **land** area (intersection area ÷ ``ALAND20``: TIGER polygons along the lake include water),
renormalised where the shares add up to more than 1; summed per tract and divided by the tract's households they
give each tract's household factor per ward, used exactly like CMAP's factors for community areas.

The same method run on the 77 community areas and compared with CMAP's block-based factors measures its error
(:func:`validation`); the build records the figures and the About page states them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FEET_CRS = "EPSG:3435"  # NAD83 / Illinois East, US feet: areas in square feet
SQUARE_FEET_PER_M2 = 10.7639
SLIVER = 0.001  # a piece under 0.1 % of a block group's land is a sliver where two maps' lines differ


def land_shares(block_groups, zones, key: str) -> pd.DataFrame:
    """The share of each block group's land in each zone (``zones``: polygons with a ``key`` column):
    ``geoid_bg, <key>, share``, shares of one block group renormalised where they add up to more than 1. Slivers
    (under :data:`SLIVER` of its land, where the Census Bureau's and the City's lines differ by a few feet) give
    their share to the block group's other pieces, so each block group's total share is unchanged."""
    import geopandas as gpd  # only the build needs it

    pieces = gpd.overlay(
        block_groups[["geoid_bg", "land_m2", "geometry"]].to_crs(FEET_CRS),
        zones[[key, "geometry"]].to_crs(FEET_CRS),
        how="intersection",
        keep_geom_type=True,
    )
    land = pieces["land_m2"].where(pieces["land_m2"] > 0)
    share = (pieces.geometry.area / SQUARE_FEET_PER_M2 / land).fillna(0.0)
    total = share.groupby(pieces["geoid_bg"]).transform("sum")
    share = np.where(total > 1, share / total, share)
    out = pd.DataFrame({"geoid_bg": pieces["geoid_bg"], key: pieces[key].astype(int), "share": share})
    out = out.groupby(["geoid_bg", key], as_index=False)["share"].sum()
    total = out.groupby("geoid_bg")["share"].transform("sum")
    kept = out.loc[out["share"] >= SLIVER].copy()
    kept["share"] *= total.loc[kept.index] / kept.groupby("geoid_bg")["share"].transform("sum")
    return kept.reset_index(drop=True)


def tract_factors(shares: pd.DataFrame, households: pd.DataFrame, key: str) -> pd.DataFrame:
    """Each tract's household factor per zone (``geoid, <key>, hh_pct``): the households of its block groups in the
    zone over the tract's households (tracts without households get no factor)."""
    joined = shares.merge(households, on="geoid_bg", how="left", validate="many_to_one")
    joined["geoid"] = joined["geoid_bg"].str[:11]
    in_zone = (joined["households"] * joined["share"]).groupby([joined["geoid"], joined[key]]).sum()
    tract_households = households.groupby(households["geoid_bg"].str[:11])["households"].sum()
    factors = (in_zone / in_zone.index.get_level_values("geoid").map(tract_households)).rename("hh_pct")
    factors = factors.reset_index()
    factors = factors.loc[factors["hh_pct"] > 0]
    return factors.sort_values(["geoid", key]).reset_index(drop=True)


def zone_households(block_groups, households: pd.DataFrame, first, first_key: str, second, second_key: str):
    """Households in each pair of overlapping zones of two geographies (``<first_key>, <second_key>,
    households``), by the same land shares, e.g. the households of each ward in each community area."""
    import geopandas as gpd

    both = gpd.overlay(first[[first_key, "geometry"]], second[[second_key, "geometry"]].to_crs(first.crs),
                       how="intersection", keep_geom_type=True)  # fmt: skip
    both["pair"] = both[first_key].astype(int) * 1000 + both[second_key].astype(int)
    shares = land_shares(block_groups, both, "pair").merge(households, on="geoid_bg", validate="many_to_one")
    counts = (shares["households"] * shares["share"]).groupby(shares["pair"]).sum()
    return (
        pd.DataFrame(
            {first_key: counts.index // 1000, second_key: counts.index % 1000, "households": counts.to_numpy()}
        )
        .loc[lambda f: f["households"] > 0.5]
        .reset_index(drop=True)
    )


def _counts(factors: pd.DataFrame, tracts: pd.DataFrame, key: str) -> pd.DataFrame:
    """Households and households without an Internet subscription per zone (estimates only)."""
    joined = factors.merge(tracts, on="geoid", how="left", validate="many_to_one")
    weight = joined["hh_pct"]
    return pd.DataFrame(
        {
            "households": (joined["B28002_001E"] * weight).groupby(joined[key]).sum(),
            "no_subscription": ((joined["B28002_012E"] + joined["B28002_013E"]) * weight).groupby(joined[key]).sum(),
        }
    )


def validation(ours: pd.DataFrame, reference: pd.DataFrame, tracts: pd.DataFrame, key: str = "area_number") -> dict:
    """How far community-area figures from our block-group crosswalk (``ours``) fall from those from CMAP's
    block-based one (``reference``): for households and for households without an Internet subscription, the
    median, 90th percentile and largest absolute relative difference in percent, and the three areas furthest off."""
    mine, theirs = _counts(ours, tracts, key), _counts(reference, tracts, key)
    difference = ((mine / theirs - 1).abs() * 100).reindex(theirs.index)
    figures = {}
    for column in difference.columns:
        off = difference[column].sort_values(ascending=False)
        figures[column] = {
            "median_pct": round(float(off.median()), 3),
            "p90_pct": round(float(off.quantile(0.9)), 3),
            "max_pct": round(float(off.max()), 3),
            "worst": [[int(number), round(float(value), 2)] for number, value in off.head(3).items()],
        }
    return figures
