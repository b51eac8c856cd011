"""Tract → community-area apportionment with CMAP household factors.

Community-area count = Σ over tracts of (tract count × ``hh_pct``). Counts are summed first; rates
are computed afterwards from the sums. Margins of error follow the Census approximation for sums
(:func:`data.moe.grouped_moe_sum`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.moe import grouped_moe_sum

CITY_KEY = 0  # the "area number" used for the citywide row


def components(tracts: pd.DataFrame, crosswalk: pd.DataFrame, parts) -> pd.DataFrame:
    """Long table of the pieces that make up one measure in each area.

    Parameters
    ----------
    tracts : one row per tract, ``geoid`` and ACS columns ``<var>E`` (and ``<var>M`` where published).
    crosswalk : ``geoid, area_number, hh_pct``.
    parts : sequence of ``(variable, sign)``; the measure is Σ sign × variable.

    Returns
    -------
    DataFrame with ``area_number, geoid, variable, estimate, moe, weight`` (weight = sign × hh_pct).
    """
    joined = crosswalk.merge(tracts, on="geoid", how="left", validate="many_to_one")
    pieces = []
    for variable, sign in parts:
        moe_col = f"{variable}M"
        pieces.append(
            pd.DataFrame(
                {
                    "area_number": joined["area_number"],
                    "geoid": joined["geoid"],
                    "variable": variable,
                    "estimate": joined[f"{variable}E"],
                    "moe": joined[moe_col] if moe_col in joined else np.nan,
                    "weight": sign * joined["hh_pct"],
                }
            )
        )
    return pd.concat(pieces, ignore_index=True)


def citywide_crosswalk(crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Collapse the crosswalk (all of it, or the rows of a selection of areas) to one weight per tract, so a
    tract split between areas is counted once, as one estimate, for the whole city or the selection."""
    weights = crosswalk.groupby("geoid", as_index=False)["hh_pct"].sum()
    return weights.assign(area_number=CITY_KEY)


def apportion(tracts: pd.DataFrame, crosswalk: pd.DataFrame, parts) -> pd.DataFrame:
    """Estimate and MOE of one measure per area: DataFrame indexed by ``area_number``."""
    return grouped_moe_sum(components(tracts, crosswalk, parts), "area_number")
