"""Questions the pages ask of the snapshot tables: ranks, comparisons with the city and with an earlier
period, which estimates are unreliable. Pure functions over a place table's rows (one row per place, indexed
by its number: :mod:`data.place_table`); the words that describe the answers live in :mod:`ui.prose`."""

from __future__ import annotations

from enum import Enum

import numpy as np
import pandas as pd

from data.measures import cols
from data.moe import UNRELIABLE, significantly_different, standard_error


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
