"""A note before it is stored (typed, or read from an upload) and the limits on its size: what the upload
workers need of the notes store, without the database libraries (so a worker starts in a fraction of a second)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MAX_TITLE = 300
MAX_BODY = 200_000


@dataclass
class NoteDraft:
    title: str
    body: str
    conversation_date: dt.date | None = None
    event: str = ""
    areas: list[int] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    source_file: str = ""
    visibility: str = "council"  # council-only until staff publish it
    contacts_removed: bool = False
    wards: list[int] = field(default_factory=list)  # the City Council wards it is about
