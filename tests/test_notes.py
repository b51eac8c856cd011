"""Council notes: accounts and roles, storage, search, uploads of every type, exports (never holding a password),
concurrency, and an import killed halfway."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from harness.postgres import fresh_database
from notes import accounts, accounts_cli, db, schema, store
from notes.export import export_json, notes_frame
from notes.places import AreaLookup
from notes.readers import UploadRejected
from notes.redact import find_contacts, redact
from notes.uploads import parse_upload, safe_file_name
from settings import REPO_ROOT
from tests.support.accounts import PASSWORD, staff_view, store_with_accounts
from tests.support.notes_files import REJECTED, make_docx, make_pdf
from ui.downloads import safe_csv_bytes
from ui.words import upload_refusal

NAMES = {68: "Englewood", 76: "O'Hare", 8: "Near North Side", 1: "Rogers Park"}
LOOKUP = AreaLookup(NAMES)
THEMES = list(schema.DEFAULT_THEMES)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def engine(request, tmp_path):
    """The same store tests on both back ends: a SQLite file, and a fresh database on a real PostgreSQL server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'notes.db'}"
    else:
        url = fresh_database(request.getfixturevalue("postgres_server"))
    engine = db.make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def staff(engine):
    accounts.create_account(engine, "alice", PASSWORD, "staff")
    return accounts.sign_in(engine, "alice", PASSWORD)


@pytest.fixture
def viewer(engine):
    accounts.create_account(engine, "victor", PASSWORD, "viewer")
    return accounts.sign_in(engine, "victor", PASSWORD)


def draft(title="Library meeting", body="Residents said plans cost too much.", **kw):
    return store.NoteDraft(title=title, body=body, **kw)


# ------------------------------------------------------------------ database and accounts


def test_fresh_database_has_no_account_and_the_default_codebook(engine):
    assert accounts.list_accounts(engine) == []
    assert store.theme_names(engine) == THEMES
    with engine.connect() as conn:
        assert db.current_version(conn) == len(db.MIGRATIONS)
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_schema_upgrade_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    db.make_engine(url)
    engine = db.make_engine(url)  # second start: nothing applied twice
    assert store.theme_names(engine) == THEMES


def test_passwords_are_hashed_never_stored(engine, staff):
    with engine.connect() as conn:
        stored = conn.execute(schema.accounts.select()).mappings().one()["password_hash"]
    assert PASSWORD not in stored and stored.startswith("$2")


def test_sign_in_rejects_wrong_password_without_saying_which_part_was_wrong(engine, staff):
    for username in ("alice", "nobody"):
        with pytest.raises(accounts.SignInFailed, match="^Wrong username or password.$"):
            accounts.sign_in(engine, username, "wrong password!")


@pytest.mark.slow
def test_repeated_failures_lock_the_account_for_a_while(engine, staff):
    now = accounts.utcnow()
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(engine, "alice", "wrong password!", now=now)
    with pytest.raises(accounts.SignInFailed, match="Too many failed attempts"):
        accounts.sign_in(engine, "alice", PASSWORD, now=now)  # even the right password waits
    later = now + dt.timedelta(seconds=accounts.LOCK_SECONDS + 1)
    assert accounts.sign_in(engine, "alice", PASSWORD, now=later).role == "staff"


def test_cli_reads_the_password_from_stdin(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("EQUITY_DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert accounts_cli.main(["add", "carol", "--role", "staff"]) == 0
    assert accounts.sign_in(db.make_engine(url), "carol", PASSWORD).role == "staff"
    assert PASSWORD not in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert accounts_cli.main(["add", "dave", "--role", "staff"]) == 1


@pytest.mark.parametrize("who", ["viewer", "expired", "nobody"])
def test_every_write_refuses_a_viewer_an_expired_session_and_no_session(engine, staff, viewer, who):
    [note_id] = store.add_notes(engine, staff, [draft()])
    session = {
        "viewer": viewer,
        "expired": accounts.Account("alice", "staff", accounts.utcnow() - dt.timedelta(seconds=1)),
        "nobody": None,
    }[who]
    writes = [
        lambda: store.add_notes(engine, session, [draft()]),
        lambda: store.update_note(engine, session, note_id, draft(title="changed")),
        lambda: store.delete_note(engine, session, note_id),
        lambda: store.restore_note(engine, session, note_id),
        lambda: store.add_theme(engine, session, "housing"),
    ]
    for write in writes:
        with pytest.raises(accounts.AccessDenied):
            write()
    assert len(staff_view(engine, include_deleted=True)) == 1
    assert staff_view(engine)[0].title == "Library meeting"


# ------------------------------------------------------------------ storing, searching, auditing


def test_add_edit_delete_restore_are_audited(engine, staff):
    [note_id] = store.add_notes(engine, staff, [draft(areas=[68], themes=["affordability"])])
    store.update_note(engine, staff, note_id, draft(title="Library meeting (edited)", areas=[68, 1]))
    store.delete_note(engine, staff, note_id)
    assert staff_view(engine) == []
    assert staff_view(engine, include_deleted=True)[0].deleted
    store.restore_note(engine, staff, note_id)
    note = staff_view(engine)[0]
    assert note.title == "Library meeting (edited)" and note.areas == (1, 68) and note.themes == ()
    log = store.audit_entries(engine)
    assert log["action"].tolist() == ["restore", "delete", "edit", "create"]
    assert set(log["username"]) == {"alice"}


def test_one_bad_draft_stores_nothing(engine, staff):
    with pytest.raises(store.NoteRejected, match="no text"):
        store.add_notes(engine, staff, [draft(), draft(title="second", body="   ")])
    assert len(staff_view(engine, include_deleted=True)) == 0


def test_full_text_search_filters_and_order(engine, staff):
    store.add_notes(engine, staff, [
        draft("Old", "Spanish-language help at the library", conversation_date=dt.date(2023, 5, 1), areas=[68],
              themes=["language access"]),
        draft("New", "Hotspots ran out; prices too high", conversation_date=dt.date(2024, 2, 1), areas=[68, 1],
              themes=["affordability"]),
        draft("Other", "Prices again", conversation_date=dt.date(2024, 1, 1), areas=[8]),
    ])  # fmt: skip
    assert [n.title for n in staff_view(engine)] == ["New", "Other", "Old"]
    assert [n.title for n in staff_view(engine, "price")] == ["New", "Other"]  # prefix match
    assert [n.title for n in staff_view(engine, "price", areas=[68])] == ["New"]
    assert [n.title for n in staff_view(engine, theme=["language access"])] == ["Old"]
    assert [n.title for n in staff_view(engine, date_from=dt.date(2024, 1, 15))] == ["New"]
    assert store.count_by_place(engine, staff) == {68: 2, 1: 1, 8: 1}
    assert store.count_by_place(engine) == {}  # signed out: none of these council-only notes is counted


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "NEAR(", "*", 'price" OR body:*', "'; DROP TABLE notes; --"])
def test_search_syntax_in_user_text_never_breaks_the_query(engine, staff, query):
    store.add_notes(engine, staff, [draft()])
    staff_view(engine, query)  # no exception
    assert len(staff_view(engine, include_deleted=True)) == 1


def test_exports_are_formula_safe_and_complete(engine, staff):
    store.add_notes(engine, staff, [draft('=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", areas=[76])])
    found = staff_view(engine)
    text = safe_csv_bytes(notes_frame(found, NAMES)).decode()
    assert "'=HYPERLINK" in text and "'+cmd" in text and "O'Hare" in text
    records = json.loads(export_json(found, NAMES))
    assert records[0]["title"].startswith("=HYPERLINK") and records[0]["areas"] == "O'Hare"


def test_a_csv_export_keeps_each_note_on_its_own_row_whatever_line_breaks_its_text_holds(engine, staff):
    texts = ["bare\rreturn", "new\nline", "both\r\nends", 'say "hi", then go', "plain"]
    store.add_notes(engine, staff, [draft(f"note {i}", text) for i, text in enumerate(texts)])
    exported = safe_csv_bytes(notes_frame(staff_view(engine), NAMES)).decode()
    rows = list(csv.DictReader(io.StringIO(exported, newline="")))
    assert sorted(row["text"] for row in rows) == sorted(texts)  # read back exactly, one row each
    table = pd.read_csv(io.StringIO(exported))  # ends a row at any line break outside quotes, as spreadsheets do
    assert len(table) == len(texts) and sorted(table["text"]) == sorted(texts)
    assert '"bare\rreturn"' in exported and '"new\nline"' in exported  # quoted, so not split there


def test_quotes_that_are_part_of_a_csv_cell_s_text_are_kept():
    rows = [("'Prices'", "'slow, pricey'"), ("'Speed'", "'fast'"), ("Cost", "she said \"too slow\", and 'pricey'")]
    out = io.StringIO()
    writer = csv.writer(out)  # as a spreadsheet saves it: '"' around cells holding a comma or a '"'
    writer.writerow(["title", "date", "areas", "themes", "text"])
    writer.writerows([title, "2024-03-01", "Englewood", "", text] for title, text in rows)
    drafts = parse_upload("quotes.csv", out.getvalue().encode(), LOOKUP, THEMES).drafts
    assert [(d.title, d.body) for d in drafts] == rows  # the sniffer took ' for quotes: 'Prices' lost them
    semicolons = b"title;date;areas;themes;text\nPrices;2024-03-01;Englewood;;'slow, pricey'\n"
    [kept] = parse_upload("semicolons.csv", semicolons, LOOKUP, THEMES).drafts
    assert kept.body == "'slow, pricey'"


def test_a_csv_row_split_by_a_comma_outside_double_quotes_is_refused_never_cut():
    data = b"title,date,areas,themes,text\nPrices,2024-03-01,Englewood,,'slow, pricey'\n"
    with pytest.raises(UploadRejected) as refused:
        parse_upload("commas.csv", data, LOOKUP, THEMES)
    said = upload_refusal(refused.value)
    assert "row 2" in said and "double quotes" in said and "“commas.csv”" in said


@pytest.mark.slow
def test_eight_writers_lose_and_duplicate_nothing(engine, staff):
    errors = []

    def writer(n: int):
        try:
            for i in range(250):
                store.add_notes(engine, staff, [draft(f"w{n}-{i}", f"note {i} from writer {n}")])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    titles = pd.read_sql("select title from notes", engine)["title"]
    assert len(titles) == 2000 and titles.is_unique


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


@pytest.mark.slow
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


# ------------------------------------------------------------------ uploads


def test_area_names_match_case_insensitively_and_by_number():
    found, unmatched = LOOKUP.match_all("englewood; OHARE, #8 | 1 ; Atlantis")
    assert found == [68, 76, 8, 1] and unmatched == ["Atlantis"]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("notes.txt", b"Meeting at Kelly Library\nPeople want cheaper plans.", "cheaper plans"),
        ("notes.md", "\ufeff# Heading\n*asterisks* stay text".encode(), "*asterisks*"),
        ("cp1252.txt", "Café con Wi-Fi – “gratis”".encode("cp1252"), "Café con Wi-Fi – “gratis”"),
        ("bom.txt", "\ufeffBOM text".encode("utf-8"), "BOM text"),
        ("notes.docx", make_docx("Facilitator summary", "Seniors need help."), "Seniors need help."),
        ("notes.pdf", make_pdf("Sticky notes: 12 votes for devices"), "12 votes for devices"),
    ],
)
def test_each_file_type_round_trips(engine, staff, name, data, expected):
    parsed = parse_upload(name, data, LOOKUP, THEMES)
    store.add_notes(engine, staff, parsed.drafts)
    [note] = staff_view(engine)
    assert expected in note.body and note.source_file == name


def test_csv_rows_become_notes_with_areas_themes_and_dates(engine, staff):
    data = (
        b"Title,Date,Areas,Themes,Text,Extra\n"
        b'"Row one",2024-03-15,"Englewood; 1",Affordability,"Multi\nline text"\n'
        b"Row two,03/16/2024,atlantis,devices; Unknown theme,Second\n"
    )
    parsed = parse_upload("batch.csv", data, LOOKUP, THEMES)
    assert parsed.unmatched_areas == ["atlantis"] and parsed.unmatched_themes == ["Unknown theme"]
    store.add_notes(engine, staff, parsed.drafts)
    notes = {n.title: n for n in staff_view(engine)}
    assert notes["Row one"].body == "Multi\nline text" and notes["Row one"].areas == (1, 68)
    assert notes["Row one"].conversation_date == dt.date(2024, 3, 15)
    assert notes["Row two"].themes == ("devices",) and notes["Row two"].areas == ()


@pytest.mark.parametrize("case", REJECTED, ids=list(REJECTED))
def test_bad_files_are_rejected_with_a_clear_message(case):
    name, data, message = REJECTED[case]
    with pytest.raises(UploadRejected) as refused:
        parse_upload(name, data, LOOKUP, THEMES)
    said = upload_refusal(refused.value)
    assert re.search(message, said) and f"“{name}”" in said, said


def test_path_like_file_names_are_reduced_to_a_name():
    assert safe_file_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_file_name("C:\\Users\\x\\notes.docx") == "notes.docx"
    parsed = parse_upload("../../etc/notes.txt", b"hello", LOOKUP, THEMES)
    assert parsed.drafts[0].source_file == "notes.txt"


def test_contacts_are_found_and_can_be_redacted():
    text = "Call Ana at (773) 555-0199 or 312.555.0142, mail ana.r@example.org."
    assert find_contacts(text) == ["ana.r@example.org", "(773) 555-0199", "312.555.0142"]
    cleaned = redact(text)
    assert "555" not in cleaned and "@" not in cleaned and "[phone removed]" in cleaned
    parsed = parse_upload("c.txt", text.encode(), LOOKUP, THEMES)
    assert parsed.contacts == ["ana.r@example.org", "(773) 555-0199", "312.555.0142"]


LONG_RUNS = {  # 200,000 characters each: unbroken runs that took a backtracking pattern minutes
    "digits": "7" * 200_000,
    "letters": "a" * 200_000,
    "e-mail-ish": "a" * 100_000 + "@" + "b" * 99_999,
    "at signs": "a@" * 100_000,
}


@pytest.mark.parametrize("case", LONG_RUNS, ids=list(LONG_RUNS))
def test_contact_finding_on_a_long_unbroken_run_takes_a_moment_and_finds_nothing(case):
    text = LONG_RUNS[case]
    started = time.process_time()
    assert find_contacts(text) == [] and redact(text) == text
    assert time.process_time() - started < 5  # generous: linear takes milliseconds, the old pattern minutes


def test_addresses_and_numbers_run_into_long_text_are_still_found_and_removed():
    text = "x" * 50_000 + " ana.r@example.org.. " + "9" * 50_000 + " (773) 555-0199 " + "@" * 50_000 + "b@c.d"
    assert find_contacts(text) == ["ana.r@example.org", "b@c.d", "(773) 555-0199"]
    cleaned = redact(text)
    assert "example" not in cleaned and "555" not in cleaned and cleaned.endswith("@[e-mail removed]")
    assert cleaned.count("[e-mail removed]") == 2 and cleaned.count("[phone removed]") == 1


def test_a_batch_suggests_areas_from_each_document_s_text_and_keeps_csv_rows_own():
    from notes.uploads import read_batch

    places = {"Englewood": (68,), "Near North Side": (8,), "Pilsen": (31,)}
    files = [
        ("summary.docx", make_docx("Summary", "Loaner laptops ran out in Pilsen. Call 312-555-0101.")),
        ("rows.csv", b"title,date,areas,themes,text\nRow,2024-01-02,Englewood,affordability,Too expensive\n"),
        ("broken.pdf", b"not a pdf"),
    ]
    batch = read_batch(files, LOOKUP, THEMES, places)
    by_title = {d.title: d for d in batch.drafts}
    assert by_title["Summary"].areas == [31] and by_title["Summary"].visibility == "council"
    assert by_title["Row"].areas == [68] and by_title["Row"].conversation_date == dt.date(2024, 1, 2)
    assert batch.contacts == ["312-555-0101"]
    assert len(batch.rejected) == 1 and "“broken.pdf”" in upload_refusal(batch.rejected[0])


def test_themes_are_suggested_from_the_codebook_s_keywords(engine):
    from notes.places import suggest_themes

    keywords = store.theme_keywords(engine)
    assert "afford" in keywords["affordability"]
    text = "Families said plans are not affordable; abuelas want classes en español."
    assert suggest_themes(text, keywords) == ["affordability", "digital skills", "language access"]
    assert suggest_themes("Nothing to see", keywords) == []


def test_renaming_and_merging_themes_retags_notes_in_one_audited_transaction(engine, staff):
    store.add_notes(engine, staff, [
        draft(title="A", themes=["devices", "technical support"]),
        draft(title="B", themes=["technical support"]),
    ])  # fmt: skip
    store.rename_theme(engine, staff, "devices", "devices and hardware")
    store.rename_theme(engine, staff, "technical support", "devices and hardware")  # a merge
    themes = store.theme_names(engine)
    assert "technical support" not in themes and "devices" not in themes and "devices and hardware" in themes
    assert {n.title: n.themes for n in staff_view(engine)} == {
        "A": ("devices and hardware",),
        "B": ("devices and hardware",),
    }
    assert store.audit_entries(engine)["action"][:2].tolist() == ["merge_theme", "rename_theme"]
    with pytest.raises(store.NoteRejected):
        store.rename_theme(engine, staff, "no such theme", "x")


def test_place_names_in_a_note_suggest_their_community_areas():
    from data.snapshot import read_place_names
    from notes.places import suggest_areas
    from settings import SNAPSHOT_DIR

    places = read_place_names(SNAPSHOT_DIR)
    assert suggest_areas("Met families in Pilsen and Little Village.", places) == [30, 31]
    assert suggest_areas("A West Englewood block club", places) == [67]  # not Englewood as well
    assert suggest_areas("Garfield Park library", places) == [26, 27]  # a neighborhood spanning two areas
    assert suggest_areas("Bronzeville history walk", places) == [35, 38]
    assert suggest_areas("a feedback loop and a uptown attitude", places) == []  # lowercase words are not places


# ------------------------------------------------------------------ uploads: titles, dates, the same file twice


def test_a_document_s_first_line_is_its_title_and_is_not_repeated_in_its_text():
    parsed = parse_upload(
        "pilsen.txt", b"Pilsen listening session\n\nResidents asked for cheaper plans.", LOOKUP, THEMES
    )
    assert parsed.drafts[0].title == "Pilsen listening session"
    assert parsed.drafts[0].body == "Residents asked for cheaper plans."


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("notes.txt", "Englewood meeting\nHeld on 12 October 2026 at the library."),
        ("notes.txt", "Reunión en La Villita\nFue el 12 de octubre de 2026."),
        ("notes.txt", "Austin session 10/12/2026\nSlow internet."),
        ("2026-10-12 south shore.txt", "South Shore\nSlow internet."),
        ("notes.txt", "Hegewisch\nOn October 12, 2026 residents said prices went up."),
    ],
)
def test_the_conversation_s_date_is_found_in_the_title_text_or_file_name(name, text):
    from notes.uploads import read_batch

    batch = read_batch([(name, text.encode())], LOOKUP, THEMES)
    assert batch.drafts[0].conversation_date == dt.date(2026, 10, 12)


def test_the_same_file_uploaded_again_is_recognised_and_the_audit_names_every_file(engine, staff):
    from notes.uploads import read_batch

    files = [("a.txt", b"Library hours\nToo short."), ("b.txt", b"Hotspots\nThey ran out.")]
    drafts = read_batch(files, LOOKUP, THEMES).drafts
    assert store.already_stored(engine, drafts) == [False, False]
    store.add_notes(engine, staff, drafts)
    again = read_batch(files + [("c.txt", b"New one\nFresh words.")], LOOKUP, THEMES).drafts
    assert store.already_stored(engine, again) == [True, True, False]
    assert store.audit_entries(engine)["detail"].iloc[0] == "2 notes from a.txt, b.txt"


def test_a_public_note_with_contact_details_is_stored_only_when_staff_confirm(engine, staff):
    public = draft(body="Write to ana@example.org or call 773-555-0142", visibility="public")
    with pytest.raises(store.NoteRejected) as refused:
        store.add_notes(engine, staff, [public])
    assert refused.value.reason == store.Rejection.PUBLIC_CONTACTS and "ana@example.org" in str(refused.value)
    [kept] = store.add_notes(engine, staff, [draft(body=public.body)])  # council-only: kept as typed
    with pytest.raises(store.NoteRejected):
        store.set_visibility(engine, staff, kept, "public")
    with pytest.raises(store.NoteRejected):
        store.update_note(engine, staff, kept, public)
    assert staff_view(engine)[0].visibility == "council"
    with pytest.raises(store.NoteRejected):  # confirming one of the two is not enough
        store.set_visibility(engine, staff, kept, "public", contacts_confirmed=["ana@example.org"])
    store.set_visibility(engine, staff, kept, "public", contacts_confirmed=["ana@example.org", "773-555-0142"])
    assert staff_view(engine)[0].visibility == "public"
    in_event = draft(title="Open", event="RSVP ana@example.org", visibility="public")  # an event is published too
    with pytest.raises(store.NoteRejected):
        store.add_notes(engine, staff, [in_event])


def test_signed_out_readers_see_only_the_themes_published_notes_raise(engine, staff, viewer):
    store.add_theme(engine, staff, "eviction threats")
    store.add_notes(engine, staff, [draft(themes=["eviction threats"]), draft("Open", themes=["devices"],
                                                                             visibility="public")])  # fmt: skip
    assert store.readable_themes(engine, None) == ["devices"]
    assert "eviction threats" in store.readable_themes(engine, viewer)


def test_the_notes_version_changes_with_any_change_even_an_administrators_sql(engine, staff):
    store.add_notes(engine, staff, [draft(areas=[68])])
    _council, before = store.audience_and_version(engine, None)
    with engine.begin() as conn:  # outside the app: no audit row
        conn.exec_driver_sql("UPDATE notes SET visibility = 'public'")
    _council, after = store.audience_and_version(engine, None)
    assert after != before and store.count_by_place(engine, None) == {68: 1}
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM note_areas")
    assert store.audience_and_version(engine, None)[1] != after
