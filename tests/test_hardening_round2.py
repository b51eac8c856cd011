"""Hardening, second round, one test per class: hostile files, text shown exactly as typed, nothing typed is
lost, addresses that are junk, and database faults told in plain words. Files are built in the test run."""

from __future__ import annotations

import base64
import codecs
import datetime as dt
import io
import os
import sqlite3
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter
from streamlit.testing.v1 import AppTest

from data.paths import REPO_ROOT
from notes import accounts, store, uploads
from notes.places import AreaLookup
from notes.readers import UploadRejected
from notes.uploads import parse_upload, read_batch
from tests.support.accounts import PASSWORD, STAFF, staff_view, store_with_accounts
from tests.support.notes_files import make_docx, make_pdf
from ui.faults import database_problem

LOOKUP = AreaLookup({68: "Englewood", 1: "Rogers Park"})
PAGE = "pages/3_Council_notes.py"
TYPED_AS_IS = "See https://example.org/x and www.example.org or <http://example.net> :material/home: AT&amp;T $x^2$"


# ------------------------------------------------------------------ uploads


def pdf_with(writer_setup) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("Residents asked for hotspots"))))
    writer_setup(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_aes_encrypted_pdf_that_needs_no_password_is_read():
    data = pdf_with(lambda w: w.encrypt(user_password="", owner_password="owner", algorithm="AES-256"))
    [draft] = parse_upload("aes.pdf", data, LOOKUP, []).drafts
    assert "hotspots" in draft.body


def test_a_pdf_over_500_pages_is_refused_never_cut_silently():
    def pages(writer):
        for _ in range(500):
            writer.add_blank_page(612, 792)

    with pytest.raises(UploadRejected, match="has 501 pages; the limit is 500"):
        parse_upload("long.pdf", pdf_with(pages), LOOKUP, [])


def test_a_word_file_with_too_much_xml_is_refused_before_it_is_parsed():
    noise = base64.b64encode(os.urandom(8_000_000))  # 10.7 MB of text that hardly compresses
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + noise + b"</w:document>")
    with pytest.raises(UploadRejected, match="expands to far more data"):
        parse_upload("heavy.docx", out.getvalue(), LOOKUP, [])


def test_a_csv_cell_may_hold_a_note_up_to_the_documented_limit():
    body = "word " * 30_000  # 150,000 characters: over the csv module's default, under the note limit
    data = f"title,date,areas,themes,text\nLong one,2024-03-01,Englewood,,{body}\n".encode()
    [draft] = parse_upload("long.csv", data, LOOKUP, []).drafts
    assert draft.body == body.strip() and len(draft.body) < store.MAX_BODY


def test_a_300_character_name_is_judged_by_its_real_extension():
    name = "minutes-" + "x" * 300 + ".txt"
    [draft] = parse_upload(name, b"Library hours", LOOKUP, []).drafts
    assert draft.source_file.endswith(".txt") and len(draft.source_file) <= uploads.MAX_NAME


def test_utf16_text_with_a_bom_is_read():
    data = codecs.BOM_UTF16_LE + "Café de la esquina: señal débil".encode("utf-16-le")
    [draft] = parse_upload("notas.txt", data, LOOKUP, []).drafts
    assert draft.body == "Café de la esquina: señal débil"


def test_a_parser_crash_costs_one_file_and_each_file_is_parsed_once(monkeypatch):
    calls = []

    def crashing(data):
        calls.append(1)
        raise RuntimeError("bug in a parser")

    monkeypatch.setattr(uploads, "read_docx", crashing)
    files = [("bad.docx", make_docx("x")), ("good.txt", b"Library hours")]
    seen: dict = {}
    for _ in range(3):  # three reruns of the page
        batch = read_batch(files, LOOKUP, [], None, seen)
        assert [d.source_file for d in batch.drafts] == ["good.txt"]
        assert batch.rejected == ["“bad.docx”: this file could not be read."]
    assert len(calls) == 1


# ------------------------------------------------------------------ pages


@pytest.fixture
def engine(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'round2.db'}"
    monkeypatch.setenv("EQUITY_DATABASE_URL", url)
    return store_with_accounts(url)


def open_page(page: str = PAGE, query: dict | None = None, auth=None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if auth is not None:
        at.session_state["auth"] = auth
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_text(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success])


def test_links_icons_maths_and_entities_in_a_note_are_shown_exactly_as_typed(engine):
    staff = accounts.sign_in(engine, STAFF, PASSWORD)
    note = store.NoteDraft("AT&amp;T www.example.org", TYPED_AS_IS, event=":red[x]", visibility="public")
    store.add_notes(engine, staff, [note])
    at = open_page()
    plain = [t.value for t in at.text]
    assert TYPED_AS_IS in plain and "AT&amp;T www.example.org" in plain
    assert any(":red[x]" in t for t in plain)
    shown_as_markdown = markdown_text(at)
    assert "example" not in shown_as_markdown and "material" not in shown_as_markdown and "amp" not in shown_as_markdown


def typed(at: AppTest, field: str):
    """The new-note form's widget (the edit forms of saved notes have the same labels)."""
    widgets = at.text_area if field == "body" else at.text_input
    return next(w for w in widgets if (w.key or "").startswith(f"new_{field}_"))


def type_note(at: AppTest, title: str, body: str) -> AppTest:
    typed(at, "title").input(title)
    typed(at, "body").input(body)
    return at


def save_note(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Save note").click()
    return at.run()


def test_a_note_refused_for_a_missing_title_keeps_what_was_typed(engine):
    at = open_page(auth=accounts.sign_in(engine, STAFF, PASSWORD))
    at = save_note(type_note(at, "", "Three pages of what residents said"))
    assert any("Nothing was saved; what you typed is still here" in e.value for e in at.error)
    assert len(staff_view(engine, include_deleted=True)) == 0
    assert typed(at, "body").value == "Three pages of what residents said"


def test_a_note_typed_past_the_idle_timeout_is_kept_until_the_user_signs_in_and_saves(engine):
    at = open_page(auth=accounts.sign_in(engine, STAFF, PASSWORD))
    type_note(at, "Pilsen meeting", "Residents want Spanish-language help")
    at.session_state["auth"] = accounts.Session(STAFF, "staff", accounts.utcnow() - dt.timedelta(seconds=1))
    at = save_note(at)
    assert any("session expired" in w.value for w in at.warning)
    assert any("is kept" in i.value for i in at.info) and len(staff_view(engine, include_deleted=True)) == 0
    at.sidebar.text_input[0].input(STAFF)
    at.sidebar.text_input[1].input(PASSWORD)
    next(b for b in at.sidebar.button if b.label == "Sign in").click()
    at.run()
    assert typed(at, "body").value == "Residents want Spanish-language help"
    at = save_note(at)
    assert [n.title for n in staff_view(engine)] == ["Pilsen meeting"]
    assert typed(at, "body").value == ""  # emptied once saved


@pytest.mark.parametrize("area", ["²", "9" * 10_000, "-1", "68abc", "%00"])
def test_junk_in_the_address_is_ignored_without_a_traceback(engine, area):
    at = open_page(query={"area": area})
    assert at.title[0].value == "What residents told the Digital Equity Council"


def test_a_file_that_is_not_a_database_gets_a_sentence_and_the_map_keeps_working(tmp_path, monkeypatch):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database, " * 100)
    monkeypatch.setenv("EQUITY_DATABASE_URL", f"sqlite:///{path}")
    at = open_page()
    assert [e.value for e in at.error] == [
        "The notes database file is damaged or is not a database. Tell an administrator."
    ]
    assert str(path) not in markdown_text(at)
    the_map = open_page("pages/1_Map.py", query={})
    assert len(the_map.get("component_instance")) == 1
    assert any(len(table.value) == 77 for table in the_map.dataframe)  # the map and its table still work


def test_a_locked_database_says_busy_and_keeps_the_typed_note(engine, tmp_path):
    at = open_page(auth=accounts.sign_in(engine, STAFF, PASSWORD))
    type_note(at, "Austin meeting", "Slow Wi-Fi at the library")
    blocker = sqlite3.connect(tmp_path / "round2.db", timeout=1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        at = save_note(at)
    finally:
        blocker.rollback()
        blocker.close()
    assert any("busy" in e.value for e in at.error)
    assert typed(at, "body").value == "Slow Wi-Fi at the library"


def test_database_faults_are_told_in_words_a_staff_member_can_act_on():
    read_only = sqlite3.OperationalError("attempt to write a readonly database")
    assert "read-only" in database_problem(read_only) and "administrator" in database_problem(read_only)
    assert "Try again" in database_problem(OSError("No such file or directory: /srv/x"))
    assert "/srv" not in database_problem(OSError("No such file or directory: /srv/x"))
