"""The 77 community areas by number and name: the small surface the notes store uses from ``data``."""

from __future__ import annotations

import csv
from pathlib import Path

N_AREAS = 77


def area_names(areas_csv: Path) -> dict[int, str]:
    """``{area_number: area_name}`` from a snapshot community-area table (any vintage)."""
    with Path(areas_csv).open(newline="", encoding="utf-8") as handle:
        return {int(row["area_number"]): row["area_name"] for row in csv.DictReader(handle)}
