"""Notes as downloads: a table (the page turns it into a formula-safe CSV, each text holding a line break or a
bare carriage return in double quotes: ``ui.downloads.safe_csv_bytes``) and JSON."""

from __future__ import annotations

import json

import pandas as pd

from notes.store import Note


def notes_frame(found: list[Note], area_names: dict[int, str]) -> pd.DataFrame:
    """The notes as a table for export (area names spelled out)."""
    return pd.DataFrame(
        {
            "id": [n.id for n in found],
            "title": [n.title for n in found],
            "conversation_date": [n.conversation_date.isoformat() if n.conversation_date else "" for n in found],
            "event": [n.event for n in found],
            "areas": ["; ".join(area_names.get(a, str(a)) for a in n.areas) for n in found],
            "wards": ["; ".join(str(w) for w in n.wards) for n in found],  # ward numbers
            "themes": ["; ".join(n.themes) for n in found],
            "text": [n.body for n in found],
            "source_file": [n.source_file for n in found],
            "created_by": [n.created_by for n in found],
            "created_at": [n.created_at.isoformat() if n.created_at else "" for n in found],
            "visibility": [n.visibility for n in found],
            "contacts_removed": ["yes" if n.contacts_removed else "no" for n in found],
        }
    )


def export_json(found: list[Note], area_names: dict[int, str]) -> bytes:
    records = notes_frame(found, area_names).to_dict("records")
    return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
