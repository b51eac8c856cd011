"""Margins of error for derived ACS estimates (90 % level), after the Census Bureau's
*Understanding and Using ACS Data* handbook (2018/2020), chapter 8.

All functions are vectorised over numpy arrays / pandas Series where it makes sense and return
floats; a missing input gives NaN, never a made-up number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z90 = 1.645  # the ACS publishes 90 % margins of error

RELIABLE = "reliable"
CAUTION = "use with caution"
UNRELIABLE = "unreliable"
UNKNOWN = "no margin of error"


def grouped_moe_sum(components: pd.DataFrame, by) -> pd.DataFrame:
    """Weighted sums and their MOEs, one row per group.

    ``components`` has the grouping column(s) ``by`` and ``estimate``, ``moe``, ``weight``. For each
    group: estimate = Σ wᵢ·Eᵢ and MOE = √Σ(wᵢ·MOEᵢ)², where, if several components are zero
    estimates, only the largest of their weighted MOEs enters, once (handbook zero-estimate rule).
    Components with weight 0 do not count. A group with any missing contributing MOE gets NaN.
    """
    c = components.loc[components["weight"] != 0]
    weighted = c["weight"] * c["estimate"]
    wm = (c["weight"] * c["moe"]).abs()
    is_zero = c["estimate"] == 0
    keys = [c[k] for k in ([by] if isinstance(by, str) else by)]
    frame = pd.DataFrame(
        {
            "estimate": weighted,
            "nonzero_sq": (wm**2).where(~is_zero, 0.0),
            "zero_max": wm.where(is_zero, 0.0),
            "moe_missing": wm.isna(),
        }
    )
    g = frame.groupby(keys, sort=True)
    out = pd.DataFrame(
        {
            "estimate": g["estimate"].sum(min_count=1),
            "moe": np.sqrt(g["nonzero_sq"].sum() + g["zero_max"].max() ** 2),
        }
    )
    out.loc[g["moe_missing"].any(), "moe"] = np.nan
    return out


def moe_sum(estimates, moes, weights=None) -> float:
    """MOE of a (weighted) sum of ACS estimates: √Σ(wᵢ·MOEᵢ)², with the zero-estimate rule
    (see :func:`grouped_moe_sum`)."""
    est = np.asarray(estimates, dtype=float)
    frame = pd.DataFrame(
        {
            "group": 0,
            "estimate": est,
            "moe": np.asarray(moes, dtype=float),
            "weight": 1.0 if weights is None else np.asarray(weights, dtype=float),
        }
    )
    result = grouped_moe_sum(frame, "group")
    return float(result["moe"].iloc[0]) if len(result) else 0.0


def moe_proportion(x, y, moe_x, moe_y):
    """MOE of p = X / Y where X is a subset of Y (handbook formula).

    MOE_p = √(MOE_X² − p²·MOE_Y²) / Y; where the radicand is ≤ 0 the ratio formula
    √(MOE_X² + p²·MOE_Y²) / Y is used instead. Returns a fraction (0-1 scale); NaN where Y is 0.
    """
    x, y, mx, my = (np.asarray(v, dtype=float) for v in (x, y, moe_x, moe_y))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(y > 0, x / y, np.nan)
        radicand = mx**2 - p**2 * my**2
        radicand = np.where(radicand > 0, radicand, mx**2 + p**2 * my**2)
        out = np.sqrt(radicand) / np.where(y > 0, y, np.nan)
    return out if out.ndim else float(out)


def standard_error(moe):
    """SE = MOE / 1.645."""
    return np.asarray(moe, dtype=float) / Z90


def coefficient_of_variation(estimate, moe):
    """CV in percent: SE / estimate × 100. NaN where the estimate is 0 or missing."""
    est = np.asarray(estimate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(est > 0, standard_error(moe) / est * 100.0, np.nan)
    return out if out.ndim else float(out)


def reliability(cv) -> str | pd.Series:
    """Reliability class from a CV in percent: < 15 reliable, 15-30 use with caution, > 30 unreliable."""
    if isinstance(cv, pd.Series):
        return cv.map(reliability)
    if cv is None or pd.isna(cv):
        return UNKNOWN
    if cv < 15:
        return RELIABLE
    if cv <= 30:
        return CAUTION
    return UNRELIABLE


def z_difference(est1, moe1, est2, moe2):
    """Z = |E₁ − E₂| / √(SE₁² + SE₂²). NaN when a MOE is missing or both are zero."""
    se1, se2 = standard_error(moe1), standard_error(moe2)
    denom = np.sqrt(se1**2 + se2**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denom > 0, np.abs(np.asarray(est1, float) - np.asarray(est2, float)) / denom, np.nan)
    return out if out.ndim else float(out)


def significantly_different(est1, moe1, est2, moe2):
    """True / False at the 90 % level (Z > 1.645); None (scalar) or NaN-aware object array when untestable."""
    z = z_difference(est1, moe1, est2, moe2)
    if np.ndim(z) == 0:
        return None if np.isnan(z) else bool(z > Z90)
    return np.where(np.isnan(z), None, z > Z90)
