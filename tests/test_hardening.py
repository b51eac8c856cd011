"""Hardening: odd files through the real upload page, Census API faults in the app, a crash in the middle
of an import, and secrets that must never leak."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from data.errors import AcsError
from data.paths import REPO_ROOT, SNAPSHOT_DIR
from notes import accounts, db, store
from notes.export import export_json, notes_frame
from tests.support.accounts import PASSWORD, staff_view, store_with_accounts
from tests.support.notes_files import REJECTED, zip_bomb
from ui.downloads import safe_csv_bytes

EXTRA_BAD_FILES = {
    "invalid utf-8": ("bad.txt", b"caf\xc3(\x81\x8d\x90 broken", "encoding"),
    "nul bytes in text": ("nul.md", b"hello\x00world", "not text"),
    "50 MB file": ("huge.txt", b"a" * (50 * 1024 * 1024), "limit is 10 MB"),
    "whitespace only": ("blank.md", b"   \n\t\n", "no text"),
    "damaged pdf": ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer <<>>\n%%EOF", "could not be read"),
    "docx without text": ("empty.docx", None, "no text"),
    "csv 100,000 rows": (
        "big.csv",
        b"title,date,areas,themes,text\n" + b"t,2024-01-01,1,,x\n" * 100_000,
        "more than 2,000",
    ),  # fmt: skip
    "csv impossible month": ("x.csv", b"title,date,areas,themes,text\na,13/45/2024,,,b\n", "not a date"),
    "zip bomb named docx": ("bomb.docx", zip_bomb(), "expands"),
    "executable named txt": ("tool.txt", b"\x7fELF\x02\x01\x01" + bytes(200), "not text"),
    "pdf named txt": ("notes.txt", b"%PDF-1.7 ...", "holds a PDF"),
    "docx named csv": ("notes.csv", b"PK\x03\x04rest", "holds a zip"),
    "script file name, wrong type": ("<script>alert(1)</script>.html", b"<script>alert(1)</script>", "we accept"),
    "path-like name, wrong type": ("../../etc/passwd", b"root:x:0:0", "we accept"),
}


def bad_files():
    from tests.support.notes_files import make_docx

    cases = {k: v for k, v in REJECTED.items()} | EXTRA_BAD_FILES
    name, _, message = cases["docx without text"]
    cases["docx without text"] = (name, make_docx(""), message)
    return cases


BAD_FILES = bad_files()


def staff_page(tmp_path, monkeypatch, page: str = "pages/3_Council_notes.py") -> tuple[AppTest, object]:
    """``page`` opened by the signed-in staff member ``alice``, with a database of its own."""
    url = f"sqlite:///{tmp_path / 'hard.db'}"
    monkeypatch.setenv("EQUITY_DATABASE_URL", url)
    engine = store_with_accounts(url)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.session_state["auth"] = accounts.sign_in(engine, "alice", PASSWORD)
    at.switch_page(page)
    at.run()
    return at, engine


def test_there_are_at_least_29_odd_files():
    assert len(BAD_FILES) >= 29


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_odd_files_get_a_clear_message_store_nothing_and_the_page_keeps_serving(case, tmp_path, monkeypatch):
    name, data, message = BAD_FILES[case]
    at, engine = staff_page(tmp_path, monkeypatch)
    at.get("file_uploader")[0].upload(name, data, "application/octet-stream").run()
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert "Nothing from this file will be saved" in errors
    shown = " ".join(t.value for t in at.text)  # the file's name and the reason, as plain text
    assert re.search(message, shown), shown
    assert not [b for b in at.button if b.label == "Save these notes"]
    assert len(staff_view(engine, include_deleted=True)) == 0
    assert at.title[0].value == "What residents told the Digital Equity Council"


def test_markup_in_every_csv_field_is_stored_verbatim_and_shown_as_text(tmp_path, monkeypatch):
    at, engine = staff_page(tmp_path, monkeypatch)
    payload = "<script>window.x=1</script><img src=x onerror=alert(1)>"
    csv = (
        "title,date,areas,themes,text,event\n"
        f'"{payload} title",2024-05-01,"Englewood; {payload}","devices; {payload}","{payload} text",'
        f'"{payload} event"\n'
    ).encode()
    at.get("file_uploader")[0].upload("markup.csv", csv, "text/csv").run()
    assert any("<script>" in t.value for t in at.text)  # the unmatched area and theme, listed as plain text
    next(b for b in at.button if b.label == "Save these notes").click().run()
    [note] = staff_view(engine)
    assert note.title == f"{payload} title" and note.body == f"{payload} text" and note.event == f"{payload} event"
    markdown = " ".join(m.value for m in [*at.markdown, *at.caption, *at.error, *at.warning])
    assert "<script>" not in markdown and "script" not in markdown  # user text never goes through Markdown
    assert f"{payload} text" in [t.value for t in at.text]  # shown exactly as typed


def test_a_census_api_failure_shows_a_notice_and_the_last_snapshot_keeps_serving(tmp_path, monkeypatch):
    snapshot_copy = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot_copy)
    monkeypatch.setenv("EQUITY_SNAPSHOT_DIR", str(snapshot_copy))
    before = {p.name: p.read_bytes() for p in snapshot_copy.iterdir()}

    def failing_fetch(year, **_):
        raise AcsError("The Census API did not answer within 30 seconds.", "https://api.census.gov/data/2023/acs/acs5")

    monkeypatch.setattr("data.refresh.fetch_cook_tracts", failing_fetch)
    at, _ = staff_page(tmp_path, monkeypatch, "pages/4_About_the_data.py")
    next(b for b in at.button if b.label == "Fetch from the Census API").click().run()
    assert not at.exception
    notice = " ".join(e.value for e in at.error)
    assert "did not answer" in notice and "keeps showing the data it already had" in notice
    assert {p.name: p.read_bytes() for p in snapshot_copy.iterdir()} == before
    at.switch_page("app.py")
    at.run()
    assert at.metric[0].value == "171,879"  # still serving the last good snapshot


def test_a_viewer_cannot_trigger_a_refresh(tmp_path):
    from ui.refresh_section import refresh_as

    engine = store_with_accounts(f"sqlite:///{tmp_path / 'r.db'}")
    with pytest.raises(accounts.AccessDenied):
        refresh_as(engine, accounts.Session("victor", "viewer", accounts.utcnow() + dt.timedelta(minutes=5)), 2023)
    with pytest.raises(accounts.AccessDenied):
        refresh_as(engine, None, 2023)


IMPORTER = """
import os, signal, sys, datetime as dt
import sqlalchemy as sa
from notes import accounts, db, store
engine = db.make_engine(sys.argv[1])
session = accounts.sign_in(engine, "alice", sys.argv[2])
drafts = [store.NoteDraft(f"row {i}", "text " * 50, dt.date(2024, 1, 1), areas=[1 + i % 77]) for i in range(2000)]
store.add_notes(engine, session, drafts)  # the first import commits
inserted = 0

@sa.event.listens_for(engine, "after_cursor_execute")
def die_halfway(conn, cursor, statement, *args):
    global inserted
    if statement.startswith("INSERT INTO notes "):
        inserted += 1
        if inserted == 1000:  # inside the open transaction of the second import
            os.kill(os.getpid(), signal.SIGKILL)

store.add_notes(engine, session, drafts)
"""


COUNTS = ("select count(*) from notes", "select count(*) from note_areas", "select count(*) from notes_fts")


def test_a_process_killed_inside_an_import_transaction_leaves_exactly_the_notes_before_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    store_with_accounts(url).dispose()
    result = subprocess.run([sys.executable, "-c", IMPORTER, url, PASSWORD], cwd=REPO_ROOT, capture_output=True,
                            env=os.environ | {"PYTHONPATH": str(REPO_ROOT)}, check=False, timeout=300)  # fmt: skip
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    with sqlite3.connect(tmp_path / "crash.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = [conn.execute(query).fetchone()[0] for query in COUNTS]
    assert counts == [2000, 2000, 2000]  # the first import whole, nothing of the second
    assert len(staff_view(db.make_engine(url), "text", limit=5)) == 5


def test_passwords_never_reach_the_audit_log_or_exports(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    accounts.create_account(engine, "alice", PASSWORD, "staff")
    session = accounts.sign_in(engine, "alice", PASSWORD)
    store.add_notes(engine, session, [store.NoteDraft("t", "b", areas=[1])])
    found = staff_view(engine)
    for blob in (safe_csv_bytes(notes_frame(found, {})), export_json(found, {}),
                 store.audit_entries(engine).to_csv().encode()):  # fmt: skip
        assert PASSWORD.encode() not in blob
