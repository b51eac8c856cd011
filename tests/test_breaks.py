"""Our class breaks are mapclassify's: every scheme, measure (share and count), period and number of classes."""

from __future__ import annotations

import mapclassify
import numpy as np
import pytest

from data import snapshot
from data.measures import GAP_MEASURES, cols
from geo import breaks
from settings import SNAPSHOT_DIR

REFERENCE = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,
    "equal_interval": mapclassify.EqualInterval,
}


def columns_to_classify():
    for vintage in snapshot.vintages_in(snapshot.read_manifest(SNAPSHOT_DIR)):
        areas = snapshot.read_areas(vintage, SNAPSHOT_DIR)
        for measure in GAP_MEASURES:
            for column in (cols(measure).pct, cols(measure).count):
                values = areas[column].dropna().to_numpy(dtype=float)
                if len(values):
                    yield f"{vintage}:{column}", values


@pytest.mark.parametrize("scheme", list(REFERENCE))
def test_breaks_are_mapclassify_s_for_every_measure_period_and_class_count(scheme):
    compared = 0
    for name, values in columns_to_classify():
        for k in range(3, 8):
            ours = breaks.SCHEMES[scheme](values, k)
            theirs = REFERENCE[scheme](values, k=k).bins
            np.testing.assert_array_equal(ours, theirs, err_msg=f"{scheme} {name} k={k}")
            compared += 1
    assert compared >= 90  # 2 periods × 5 measures × share and count × 5 class counts, less missing measures


@pytest.mark.parametrize("scheme", list(REFERENCE))
def test_breaks_match_on_ties_and_awkward_values(scheme):
    rng = np.random.default_rng(5)
    for values in (
        np.array([1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 10.0, 10.0]),
        rng.gamma(2.0, 3.0, 77),
        rng.integers(0, 9, 77) * 1.0,
    ):
        for k in range(3, 6):
            if len(np.unique(values)) >= k:
                np.testing.assert_array_equal(breaks.SCHEMES[scheme](values, k), REFERENCE[scheme](values, k=k).bins)
