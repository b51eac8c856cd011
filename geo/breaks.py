"""Class breaks for the map legend: quantiles, Fisher-Jenks natural breaks and equal intervals.

These are numpy ports of mapclassify's ``Quantiles``, ``FisherJenks`` and ``EqualInterval`` (same arithmetic,
float32 where mapclassify uses it), so a page never imports mapclassify, which pulls in scipy and scikit-learn
(over a second per process start and tens of megabytes) to classify 77 numbers. mapclassify stays the reference:
``tests/test_breaks.py`` checks that every scheme gives mapclassify's breaks for every measure, period and
number of classes.
"""

from __future__ import annotations

import numpy as np


def quantiles(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` classes holding equal numbers of values (mapclassify ``Quantiles``, with
    scipy's ``scoreatpercentile`` interpolation)."""
    ordered = np.sort(np.asarray(values, dtype="f8"))
    step = 100.0 / k
    percents = np.arange(step, 100 + step, step)
    if percents[-1] > 100.0:
        percents[-1] = 100.0
    return np.unique(np.array([_score_at_percentile(ordered, p) for p in percents]))


def _score_at_percentile(ordered: np.ndarray, percent: float) -> float:
    """The value at ``percent`` of the sorted values, interpolated between neighbours as scipy does."""
    index = percent / 100.0 * (len(ordered) - 1)
    below = int(index)
    if below == index:
        return ordered[below]
    weights = np.array([below + 1 - index, index - below], float)
    return np.add.reduce(ordered[below : below + 2] * weights) / weights.sum()


def equal_interval(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` classes of equal width (mapclassify ``EqualInterval``)."""
    low, high = min(values), max(values)
    width = (high - low) * 1.0 / k
    cuts = np.arange(low + width, high + width, width)[:k]
    cuts[-1] = high
    return cuts


def fisher_jenks(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` classes that minimise the squared deviations within classes (mapclassify
    ``FisherJenks``: Jenks' dynamic programme in float32, here vectorised over its inner loops)."""
    ordered = np.sort(np.asarray(values, dtype="f8"))
    n = len(ordered)
    first = np.zeros((n + 1, k + 1), dtype=np.int32)  # where the last class of the best split starts
    cost = np.zeros((n + 1, k + 1), dtype=np.float32)  # its squared deviations
    first[1, 1:] = 1
    cost[2:, 1:] = np.inf
    as32 = ordered.astype(np.float32)
    for last in range(2, n + 1):
        tail = as32[:last][::-1]  # the values a class ending at ``last`` adds, nearest first
        s1 = np.cumsum(tail, dtype=np.float32)
        s2 = np.cumsum(tail * tail, dtype=np.float32)
        count = np.arange(1, last + 1, dtype=np.float32)
        spread = s2 - (s1 * s1) / count
        start = last - np.arange(1, last + 1) + 1  # i3 for m = 1 … last
        before = start - 1
        usable = before != 0
        if usable.any():
            candidates = spread[usable][:, None] + cost[before[usable], 1:k]  # one column per class count 2 … k
            best = candidates.min(axis=0)
            # the last m reaching the minimum wins, as in the original loop's ">=" update
            last_best = candidates.shape[0] - 1 - np.argmax((candidates == best)[::-1], axis=0)
            better = cost[last, 2:] >= best
            cost[last, 2:] = np.where(better, best, cost[last, 2:])
            first[last, 2:] = np.where(better, start[usable][last_best], first[last, 2:])
        first[last, 1] = 1
        cost[last, 1] = spread[-1]
    bounds = np.zeros(k + 1, dtype=ordered.dtype)
    bounds[k] = ordered[-1]
    bounds[0] = ordered[0]
    row = n
    for classes in range(k, 1, -1):
        pivot = first[row, classes]
        bounds[classes - 1] = ordered[int(pivot - 2)]
        row = int(pivot - 1)
    return np.delete(bounds, 0)


SCHEMES = {"quantiles": quantiles, "natural_breaks": fisher_jenks, "equal_interval": equal_interval}
