"""Questions the pages ask of the snapshot tables: ranks, comparisons with the city and with an earlier
period, which estimates are unreliable. Pure functions over a place table's rows (one row per place, indexed
by its number: :mod:`data.place_table`); the words that describe the answers live in :mod:`ui.prose`."""

from __future__ import annotations

from enum import Enum

import numpy as np
import pandas as pd

from data.apportion import apportion
from data.measures import cols
from data.moe import UNRELIABLE, moe_proportion, significantly_different, standard_error


class Significance(Enum):
    """The outcome of a 90 % test of the difference between an estimate and a reference."""

    HIGHER = "higher"
    LOWER = "lower"
    NOT_DIFFERENT = "not different"
    UNTESTABLE = "untestable"  # a margin of error is missing
    OVERLAPPING = "overlapping"  # two 5-year periods that share years: no test is made (Census Bureau guidance)


def compare(estimate, moe, reference, reference_moe) -> Significance:
    """Is ``estimate`` significantly higher or lower than ``reference`` at the 90 % level?"""
    significant = significantly_different(estimate, moe, reference, reference_moe)
    if significant is None:
        return Significance.UNTESTABLE
    if not significant:
        return Significance.NOT_DIFFERENT
    return Significance.HIGHER if estimate > reference else Significance.LOWER


def compare_with_city(rows: pd.DataFrame, city: pd.Series, measure: str) -> pd.Series:
    """Each row's share compared with the city's share (a Series of :class:`Significance`)."""
    c = cols(measure)
    return pd.Series(
        [compare(p, m, city[c.pct], city[c.pct_moe]) for p, m in zip(rows[c.pct], rows[c.pct_moe], strict=True)],
        index=rows.index,
        dtype=object,
    )


def compare_with_rest_of_city(rows: pd.DataFrame, rest: pd.DataFrame, measure: str) -> pd.Series:
    """Each row's share compared with the share in the rest of the city (``rest``: :func:`rest_of_city`), a Series
    of :class:`Significance`. A place is significantly above the city exactly when it is above the rest of it,
    and the two estimates share no households (the whole city, which contains the place, would not be
    independent of it)."""
    c = cols(measure)
    rest = rest.reindex(rows.index)
    pairs = zip(rows[c.pct], rows[c.pct_moe], rest["pct"], rest["pct_moe"], strict=True)
    return pd.Series([compare(p, m, r, rm) for p, m, r, rm in pairs], index=rows.index, dtype=object)


def _weights(crosswalk: pd.DataFrame, number: str) -> pd.DataFrame:
    """The household factors as a tract × place matrix (0 where a tract has no households in a place)."""
    return crosswalk.pivot_table(index="geoid", columns=number, values="hh_pct", aggfunc="sum", fill_value=0.0)


def rest_of_city(tracts: pd.DataFrame, crosswalk: pd.DataFrame, parts, household_parts, number: str) -> pd.DataFrame:
    """For each place, the share of the measure (``parts``, out of ``household_parts``) in the rest of the city:
    columns ``pct`` and ``pct_moe`` (percent), by place number. Computed from the tracts like the citywide total,
    each tract weighted by the city's household factor minus the place's (a tract split between the place and the
    rest counts in the rest with the households that are not the place's, as one estimate)."""
    matrix = _weights(crosswalk, number)
    rest = matrix.sum(axis=1).to_numpy()[:, None] - matrix.to_numpy()
    long = pd.DataFrame(rest, index=matrix.index, columns=matrix.columns).stack().rename("hh_pct").reset_index()
    long = long.rename(columns={number: "area_number"}).loc[lambda f: f["hh_pct"] > 1e-12]
    count, households = apportion(tracts, long, parts), apportion(tracts, long, household_parts)
    share = count["estimate"] / households["estimate"]
    share_moe = moe_proportion(count["estimate"], households["estimate"], count["moe"], households["moe"])
    return pd.DataFrame({"pct": share * 100, "pct_moe": np.asarray(share_moe) * 100}, index=count.index)


def ranks(rows: pd.DataFrame, measure: str) -> pd.Series:
    """Rank among the places (1 = largest share of households without the service), by place number."""
    return rows[cols(measure).pct].rank(ascending=False, method="min").astype("Int64")


def unreliable_mask(rows: pd.DataFrame, measure: str) -> pd.Series:
    """True where the count's CV is above 30 % (to hatch on the map), by place number."""
    return rows[cols(measure).reliability].eq(UNRELIABLE)


def change(new: pd.DataFrame, old: pd.DataFrame, measure: str, overlapping: bool = False) -> pd.DataFrame | None:
    """Each place's share in both periods and the change in points, indexed by place number, with the
    :class:`Significance` of the change; None when the older period lacks the measure. When the two periods
    share years (``overlapping``), the change is given without a test: every place's significance is
    :attr:`Significance.OVERLAPPING`, never a verdict the Census Bureau advises against."""
    c = cols(measure)
    if old[c.pct].isna().all():
        return None
    earlier = old[[c.pct, c.pct_moe]].add_suffix("_old")
    both = new[[c.pct, c.pct_moe]].join(earlier)
    pairs = zip(both[c.pct], both[c.pct_moe], both[f"{c.pct}_old"], both[f"{c.pct_moe}_old"], strict=True)
    return pd.DataFrame(
        {
            "old_pct": both[f"{c.pct}_old"],
            "new_pct": both[c.pct],
            "change": both[c.pct] - both[f"{c.pct}_old"],
            "significance": [
                Significance.OVERLAPPING if overlapping else compare(n, nm, o, om) for n, nm, o, om in pairs
            ],
        },
        index=both.index,
    )


def rank_ranges(rows: pd.DataFrame, measure: str, draws: int = 10_000, seed: int = 77) -> pd.DataFrame:
    """Each area's plausible ranks: a 90 % interval of its rank when every area's share is drawn again from
    its estimate and standard error (normal, ``draws`` times, fixed ``seed``, so the answer is deterministic).
    Columns ``rank`` (the point rank), ``low`` and ``high``, by area number; low/high missing where a margin of
    error is missing. The interval always contains the point rank."""
    c = cols(measure)
    indexed = rows
    point = ranks(rows, measure)
    shares = indexed[c.pct].to_numpy(float)
    errors = standard_error(indexed[c.pct_moe].to_numpy(float))
    out = pd.DataFrame({"rank": point, "low": pd.NA, "high": pd.NA}, index=indexed.index).astype("Int64")
    if np.isnan(shares).any() or np.isnan(errors).any():
        return out
    rng = np.random.default_rng(seed)
    simulated = shares + errors * rng.standard_normal((draws, len(shares)))
    order = np.argsort(-simulated, axis=1)
    simulated_ranks = np.empty_like(order)
    np.put_along_axis(simulated_ranks, order, np.arange(1, len(shares) + 1), axis=1)
    low = np.percentile(simulated_ranks, 5, axis=0, method="lower")
    high = np.percentile(simulated_ranks, 95, axis=0, method="higher")
    out["low"] = np.minimum(low, point.to_numpy(int))
    out["high"] = np.maximum(high, point.to_numpy(int))
    return out


def tract_rank_ranges(
    point: pd.Series,
    tracts: pd.DataFrame,
    crosswalk: pd.DataFrame,
    parts,
    household_parts,
    number: str,
    draws: int = 10_000,
    seed: int = 77,
) -> pd.DataFrame:
    """Each place's plausible ranks, drawn where the sampling happens: at the tract level. In each of ``draws``
    draws (fixed ``seed``, so the answer is deterministic) every tract's count of the measure is drawn once (normal,
    standard error = MOE / 1.645; a tract's MOE from its lines by the handbook's sum rule); places are then summed
    with the household factors, so two places sharing a split tract move together, as they do in the survey, and
    each place's share is its drawn count over its estimated households (as the handbook's ratio MOE treats the
    denominator's error as small next to the count's: slightly wider, never narrower, than the share's published
    MOE implies); shares are ranked (1 = largest). Columns ``rank`` (``point``, the published ranks), ``low`` and
    ``high`` (a 90 % interval that always contains the point rank), by place number; low/high missing where a margin
    of error is missing."""
    out = pd.DataFrame({"rank": point, "low": pd.NA, "high": pd.NA}, index=point.index).astype("Int64")
    matrix = _weights(crosswalk, number).reindex(columns=point.index, fill_value=0.0)
    count, households = (_per_tract(tracts, matrix.index, p) for p in (parts, household_parts))
    if count.isna().any(axis=None) or households.isna().any(axis=None):
        return out
    weights, rng = matrix.to_numpy(), np.random.default_rng(seed)
    centre, se = count["estimate"].to_numpy(), standard_error(count["moe"].to_numpy())
    place_households = households["estimate"].to_numpy() @ weights
    split = (weights > 0).sum(axis=1) > 1  # tracts shared by two places or more: drawn one by one
    whole = weights[~split]  # a tract in one place only adds an independent normal: drawn summed, per place
    mean, spread = centre[~split] @ whole, np.sqrt((se[~split] ** 2) @ whole**2)
    simulated = np.empty((draws, len(point)), dtype=np.int32)
    for start in range(0, draws, 1_000):
        n = min(1_000, draws - start)
        counts = (
            mean
            + spread * rng.standard_normal((n, len(mean)))
            + (centre[split] + se[split] * rng.standard_normal((n, int(split.sum())))) @ weights[split]
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            simulated[start : start + n] = _ranks_of(counts / place_households)
    low = np.percentile(simulated, 5, axis=0, method="lower")
    high = np.percentile(simulated, 95, axis=0, method="higher")
    out["low"] = np.minimum(low, point.to_numpy(int))
    out["high"] = np.maximum(high, point.to_numpy(int))
    return out


def _per_tract(tracts: pd.DataFrame, geoids: pd.Index, parts) -> pd.DataFrame:
    """Each tract's estimate of Σ sign × line and its MOE (the handbook's sum rule), in ``geoids`` order."""
    itself = pd.DataFrame({"geoid": geoids, "area_number": geoids, "hh_pct": 1.0})
    return apportion(tracts, itself, parts).reindex(geoids)


def _ranks_of(shares: np.ndarray) -> np.ndarray:
    """Rank of each column within each row (1 = largest)."""
    order = np.argsort(-shares, axis=1)
    ranked = np.empty_like(order)
    np.put_along_axis(ranked, order, np.arange(1, shares.shape[1] + 1), axis=1)
    return ranked
