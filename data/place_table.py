"""One period's numbers for one geography, read once and asked many questions.

A :class:`PlaceTable` carries what every page asks of a (period, geography): the places' rows (indexed by the
place's number, with a ``name`` column whatever the geography calls it), the citywide row, the earlier period to
compare with, and — computed on first use and kept — each measure's rank ranges, comparison with the city and
change since the earlier period. The interface keeps one per (snapshot, period, geography) for every visitor,
so nothing here is recomputed per page view. Treat it as read-only: its frames are shared.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data import analysis, snapshot
from data.geographies import Geography
from data.measures import Vintage, cols, periods_overlap, vintage_by_key
from data.selection import TractInputs

NUMBER, NAME = "number", "name"  # what the place table calls a place's number and name, in every geography


@dataclass(frozen=True, eq=False)
class PlaceTable:
    geography: Geography
    vintage: Vintage
    rows: pd.DataFrame  # one row per place, indexed by NUMBER, in number order
    city: pd.Series
    has_moe: bool
    earlier: PlaceTable | None = None  # the newest earlier period, to compare with
    folder: Path | None = None  # where the tract inputs are read from, on first use
    _memo: dict = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def _kept(self, key, compute):
        """``compute()`` once per ``key`` for the table's lifetime (shared by every visitor)."""
        if key not in self._memo:
            value = compute()
            with self._lock:
                self._memo.setdefault(key, value)
        return self._memo[key]

    @property
    def key(self) -> str:
        return self.vintage.key

    def named(self, names: dict[int, str]) -> PlaceTable:
        """The same table with its places called ``names`` (e.g. "Distrito 20" for a Spanish reader)."""
        rows = self.rows.assign(**{NAME: self.rows.index.map(names)})
        earlier = self.earlier.named(names) if self.earlier else None
        return dataclasses.replace(self, rows=rows, earlier=earlier)

    def names(self) -> dict[int, str]:
        """``{number: name}`` in number order."""
        return self._kept("names", lambda: {int(n): str(v) for n, v in self.rows[NAME].items()})

    def row(self, number: int) -> pd.Series:
        return self.rows.loc[number]

    def lacks(self, measure: str) -> bool:
        """True when this period has no figures for ``measure``."""
        return bool(self.rows[measure].isna().all())

    def ranking(self, measure: str) -> pd.DataFrame:
        """Each place's rank (1 = largest share) with its plausible range, simulated at the tract level
        (:func:`data.analysis.tract_rank_ranges`); a table without tract inputs (a test's) draws the places'
        shares instead (:func:`data.analysis.rank_ranges`)."""

        def compute():
            if self.folder is None:
                return analysis.rank_ranges(self.rows, measure)
            inputs = self.tract_inputs()
            recipe = inputs.vintage.recipe
            return analysis.tract_rank_ranges(analysis.ranks(self.rows, measure), inputs.tracts, inputs.crosswalk,
                                              recipe[measure], recipe["households"], inputs.number)  # fmt: skip

        return self._kept(("ranking", measure), compute)

    def versus_city(self, measure: str) -> pd.Series:
        """Each place's share compared with the share in the rest of the city (a Series of
        :class:`data.analysis.Significance`): higher than the rest is higher than the city, and the rest shares no
        households with the place (:func:`data.analysis.rest_of_city`). A table without tract inputs (a test's)
        compares with the whole city, as if independent of the place."""

        def compute():
            if self.folder is None:
                return analysis.compare_with_city(self.rows, self.city, measure)
            return analysis.compare_with_rest_of_city(self.rows, self.rest_of_city(measure), measure)

        return self._kept(("city", measure), compute)

    def rest_of_city(self, measure: str) -> pd.DataFrame:
        """For each place, the share of ``measure`` in the rest of the city ± its MOE (``pct``, ``pct_moe``)."""

        def compute():
            inputs = self.tract_inputs()
            recipe = inputs.vintage.recipe
            return analysis.rest_of_city(inputs.tracts, inputs.crosswalk, recipe[measure], recipe["households"],
                                         inputs.number)  # fmt: skip

        return self._kept(("rest", measure), compute)

    def change(self, measure: str) -> pd.DataFrame | None:
        """Each place's share in the earlier period and now, and the change; None without an earlier period or
        when it lacks the measure."""
        if self.earlier is None:
            return None
        overlapping = self.overlaps_earlier()
        return self._kept(
            ("change", measure), lambda: analysis.change(self.rows, self.earlier.rows, measure, overlapping)
        )

    def overlaps_earlier(self) -> bool:
        """Whether this period and the earlier one it is compared with share years (no test is then made)."""
        return self.earlier is not None and periods_overlap(self.key, self.earlier.key)

    def unreliable(self, measure: str) -> pd.Series:
        """True where the count's CV is above 30 % (to hatch on the map), by place number."""
        return self._kept(("unreliable", measure), lambda: analysis.unreliable_mask(self.rows, measure))

    def least_connected(self, measure: str, n: int) -> pd.DataFrame:
        """The ``n`` places with the largest share of households without the service."""
        return self.rows.nlargest(n, cols(measure).pct)

    def tract_inputs(self) -> TractInputs:
        """The tract-level inputs a selection's total and MOE need (read on first use)."""

        def read():
            tracts, factors = snapshot.read_tract_inputs(self.vintage.key, self.folder, self.geography)
            return TractInputs(tracts, factors, self.vintage, self.geography.number)

        return self._kept("tracts", read)

    def overlaps(self, number: int) -> pd.Series:
        """The places of the other geography that share households with place ``number`` (a ward's community areas,
        a community area's wards): their share of its households in percent, largest first, by their number."""

        def read():
            pairs = snapshot.read_overlaps(self.folder)
            other = next(c for c in pairs.columns if c not in (self.geography.number, "households"))
            return pairs.rename(columns={self.geography.number: NUMBER, other: "other"})

        def share_of(number: int) -> pd.Series:
            pairs = self._kept("overlaps", read)
            mine = pairs.loc[pairs[NUMBER] == number].set_index("other")["households"]
            return (mine / mine.sum() * 100).sort_values(ascending=False)

        return self._kept(("overlaps", number), lambda: share_of(number))

    def snapshot_columns(self, rows: pd.DataFrame) -> pd.DataFrame:
        """``rows`` of this table in the snapshot's own columns and names (for the raw downloads)."""
        named = rows.rename(columns={NAME: self.geography.name}).rename_axis(self.geography.number).reset_index()
        return named[snapshot.columns(self.geography)]


def indexed(frame: pd.DataFrame, geography: Geography) -> pd.DataFrame:
    """A snapshot table indexed by place number, with its name column called ``name``."""
    return frame.rename(columns={geography.number: NUMBER, geography.name: NAME}).set_index(NUMBER).sort_index()


def periods_with(manifest: dict, geography: Geography) -> list[str]:
    """The periods that have figures for ``geography``, newest first."""
    return [v for v in snapshot.vintages_in(manifest) if geography in snapshot.geographies_of(manifest["vintages"][v])]


def read_place_table(folder: Path, vintage: str, geography: Geography, manifest: dict) -> PlaceTable:
    """The place table of ``vintage`` for ``geography`` from the snapshot in ``folder``, with the newest earlier
    period that has figures for the same geography."""
    entry = manifest["vintages"][vintage]
    earlier_key = snapshot.earlier_vintage(periods_with(manifest, geography), vintage)
    return PlaceTable(
        geography=geography,
        vintage=vintage_by_key(vintage),
        rows=indexed(snapshot.read_areas(vintage, folder, geography), geography),
        city=snapshot.read_citywide(vintage, folder),
        has_moe=bool(entry.get("has_moe")),
        earlier=read_place_table(folder, earlier_key, geography, manifest) if earlier_key else None,
        folder=Path(folder),
    )


def read_boundaries(folder: Path, geography: Geography) -> dict:
    """The simplified boundaries as GeoJSON, each feature's properties ``number`` and ``name`` (and the group)."""
    path = Path(folder) / geography.boundaries
    return boundaries_of(json.loads(path.read_text(encoding="utf-8")), geography)


def boundaries_of(geojson: dict, geography: Geography) -> dict:
    """``geojson``'s features with their properties named the place table's way (``number``, ``name``)."""
    renamed = {geography.number: NUMBER, geography.name: NAME}
    features = [
        {**f, "properties": {renamed.get(k, k): v for k, v in f["properties"].items()}} for f in geojson["features"]
    ]
    return {**geojson, "features": features}
