"""The one-page printable profile: always one page, user text printed exactly as typed."""

from __future__ import annotations

import io

import pandas as pd
from pypdf import PdfReader

from tests.support.snapshot import boundaries
from ui.printable import Profile, shorten

GEOJSON = boundaries()


def pages_and_text(profile: Profile) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(profile.pdf(GEOJSON)))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def a_profile(**changes) -> Profile:
    table = pd.DataFrame({"Measure": ["No Internet subscription"], "Households counted": ["2,679 ± 360"]})
    return Profile(title="Englewood: digital equity profile", subtitle="Community area 68", highlighted={68},
                   sentences=["Rank 2 of 77 (plausible 1–8)"], table=table, notes_heading="What residents said",
                   **changes)  # fmt: skip


def test_a_profile_with_the_longest_notes_and_a_long_table_still_prints_on_one_page():
    long_table = pd.DataFrame({"Community area": [f"Area {n}" for n in range(77)], "Share": ["29.4 % ± 3.5"] * 77})
    profile = a_profile(quotes=[shorten("word " * 5000)] * 3, themes="Themes raised most: cost (12).")
    profile.table = long_table
    pages, text = pages_and_text(profile)
    assert pages == 1 and "Englewood: digital equity profile" in text


def test_note_text_prints_exactly_as_typed_never_as_markup():
    typed = "<b>bold?</b> & <a href='https://example.org'>link</a> ñandú – “quoted”"
    pages, text = pages_and_text(a_profile(quotes=[typed]))
    assert pages == 1 and typed in text.replace("\n", " ")


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    assert shorten("short note") == "short note"
    cut = shorten("one two three four", limit=9)
    assert cut == "one two …"
