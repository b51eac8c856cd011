"""Place names people use for parts of Chicago, each with the community areas it points to: the 77 community
areas themselves, the City's 98 neighborhoods overlaid on them (``neighborhood_to_community_area.csv``), and a
few common names that file lacks (``data/place_names_extra.csv``, each row citing its source). The build writes
the result to the snapshot as ``place_names.csv``; the notes store uses it to suggest a note's areas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data import raw
from data.errors import RawInputError

NEIGHBORHOODS_FILE = "neighborhood_to_community_area.csv"
EXTRA_FILE = Path(__file__).resolve().parent / "place_names_extra.csv"
COLUMNS = ["name", "area_numbers", "source"]


def _neighborhood_names(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per neighborhood name ("Little Italy, UIC" gives two), with every area it overlaps."""
    rows = []
    for neighborhood, group in frame.groupby("neighborhood", sort=True):
        areas = ";".join(str(a) for a in sorted(group["area_number"].astype(int)))
        for name in str(neighborhood).split(","):
            rows.append({"name": name.strip(), "area_numbers": areas, "source": "City of Chicago neighborhoods"})
    return pd.DataFrame(rows, columns=COLUMNS)


def place_names(sides: pd.DataFrame) -> pd.DataFrame:
    """Every name → its area numbers (``;``-separated). A community area's own name wins over a neighborhood of
    the same name (the "Englewood" neighborhood spans two areas; the Englewood community area is one)."""
    neighborhoods = raw._read_csv(NEIGHBORHOODS_FILE)
    raw.require_columns(neighborhoods, ["neighborhood", "area_number"], NEIGHBORHOODS_FILE)
    try:
        extra = pd.read_csv(EXTRA_FILE, dtype=str)
    except (OSError, pd.errors.ParserError) as exc:
        raise RawInputError(EXTRA_FILE.name, f"cannot be read ({exc})") from exc
    areas = pd.DataFrame(
        {"name": sides["area_name"], "area_numbers": sides["area_number"].astype(str), "source": "community area"}
    )
    combined = pd.concat([areas, extra[COLUMNS], _neighborhood_names(neighborhoods)], ignore_index=True)
    combined = combined.loc[combined["name"].str.strip() != ""]
    return combined.drop_duplicates("name", keep="first").sort_values("name").reset_index(drop=True)
