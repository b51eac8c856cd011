"""One-page printable profiles for council meetings: what the page says (:class:`Profile`). The PDF itself is
laid out by :mod:`ui.profile_pdf` (ReportLab), imported only when someone clicks to download one."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Profile:
    """What one printed page says."""

    title: str
    subtitle: str
    highlighted: set[int]  # area numbers filled on the inset map
    sentences: list[str]  # beside the map
    table: pd.DataFrame  # every measure (or every chosen area), already formatted as text
    notes_heading: str = ""  # none: no notes section
    themes: str = ""
    quotes: list[str] = field(default_factory=list)  # notes the reader may see, as typed
    footnotes: list[str] = field(default_factory=list)

    def pdf(self, geojson: dict) -> bytes:
        """This profile as a one-page PDF (``geojson``: the 77 areas, for the inset map)."""
        from ui.profile_pdf import profile_pdf

        return profile_pdf(self, geojson)


def shorten(text: str, limit: int = 420) -> str:
    """A note cut to ``limit`` characters at a word boundary, marked with an ellipsis."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
