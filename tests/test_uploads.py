"""Uploads: odd and hostile files, each built in the test run. Through the real Council-notes page, every bad
file gets a clear sentence, nothing is stored and the page keeps serving, and markup in a CSV stays text;
through the parser, the documented limits hold, a parser crash costs one file only, and every file is read in a
worker process within a budget of CPU time, memory and time: a file that overruns it is refused in words naming it,
and the server's own process stays free."""

from __future__ import annotations

import base64
import codecs
import io
import os
import re
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from notes import store, uploads
from notes.places import AreaLookup
from notes.readers import UploadRejected
from notes.sandbox import Limits
from notes.uploads import parse_upload, read_batch
from tests.support import workers
from tests.support.accounts import staff_view
from tests.support.notes_files import REJECTED, make_docx, make_pdf, zip_bomb
from tests.support.pages import staff_page
from ui.words import upload_refusal

pytestmark = pytest.mark.slow  # uploads through the page in AppTest

LOOKUP = AreaLookup({68: "Englewood", 1: "Rogers Park"})
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
    shown = errors  # the file's name and the reason, in the same box, as a literal block
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
    assert any("<script>" in w.value for w in at.warning)  # the unmatched area and theme, as a literal block
    next(b for b in at.button if b.label == "Save these notes").click().run()
    [note] = staff_view(engine)
    assert note.title == f"{payload} title" and note.body == f"{payload} text" and note.event == f"{payload} event"
    markdown = " ".join(m.value for m in [*at.markdown, *at.caption, *at.error, *at.warning])
    assert "<script>" not in markdown and "script" not in markdown  # user text never goes through Markdown
    assert f"{payload} text" in [t.value for t in at.text]  # shown exactly as typed


# ------------------------------------------------------------------ the parser, file by file


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

    assert "has 501 pages; the limit is 500" in refusal("long.pdf", pdf_with(pages))


def test_a_word_file_with_too_much_xml_is_refused_before_it_is_parsed():
    noise = base64.b64encode(os.urandom(8_000_000))  # 10.7 MB of text that hardly compresses
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + noise + b"</w:document>")
    assert "expands to far more data" in refusal("heavy.docx", out.getvalue())


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
    started = []
    real = uploads.run_limited
    monkeypatch.setattr(uploads, "run_limited", lambda work, args, limits: started.append(args[0]) or real(
        work, args, limits))  # fmt: skip
    monkeypatch.setattr(uploads, "WORKER", workers.crash_on_word)
    files = [("bad.docx", make_docx("x")), ("good.txt", b"Library hours")]
    seen: dict = {}
    for _ in range(3):  # three reruns of the page
        batch = read_batch(files, LOOKUP, [], None, seen)
        assert [d.source_file for d in batch.drafts] == ["good.txt"]
        assert [upload_refusal(r) for r in batch.rejected] == ["“bad.docx”: this file could not be read."]
    assert started == ["bad.docx", "good.txt"]


def refusal(name: str, data: bytes) -> str:
    """The sentence a staff member reads when ``name`` is refused (the test fails if it is accepted)."""
    with pytest.raises(UploadRejected) as refused:
        parse_upload(name, data, LOOKUP, [])
    return upload_refusal(refused.value)


# ------------------------------------------------------------------ the worker's budget


def pdf_of_text_operators(megabytes: int) -> bytes:
    """A synthetic one-page PDF whose page draws ``megabytes`` MB of text, compressed (a few hundred kB)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf("Residents asked for hotspots"))))
    line = b"BT /F1 12 Tf 72 720 Td (Residents asked for hotspots and cheaper plans) Tj ET\n"
    stream = DecodedStreamObject()
    stream.set_data(line * (megabytes * 1_000_000 // len(line)))
    page = writer.pages[0]
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def timed_parse(name: str, data: bytes):
    """(drafts or the refusal's sentence, seconds by the clock, seconds of this process's own CPU)."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        result = parse_upload(name, data, LOOKUP, []).drafts
    except UploadRejected as exc:
        result = upload_refusal(exc)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def test_a_pdf_of_60_mb_of_text_operators_is_refused_for_it_within_the_budget():
    data = pdf_of_text_operators(60)
    assert len(data) < uploads.MAX_BYTES  # under the size limit: it is the unpacked pages that are huge
    said, seconds, _cpu = timed_parse("operators.pdf", data)
    assert "“operators.pdf”" in said and "drawing instructions" in said, said
    assert seconds < uploads.WALL_SECONDS  # took 12.5 s to be refused before, for its text's length


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("digits.txt", b"7" * 150_000),
        ("cell.csv", b"title,date,areas,themes,text\nLong,2024-03-01,Englewood,," + b"x" * 150_000 + b"\n"),
        ("mail.txt", b"a" * 75_000 + b"@" + b"b" * 74_999),
    ],
    ids=["150,000 digits", "a CSV cell of 150,000 letters", "an @ inside 150,000 letters"],
)
def test_a_long_unbroken_run_is_read_within_the_budget_and_the_server_stays_free(name, data):
    drafts, seconds, cpu = timed_parse(name, data)
    assert [len(d.body) for d in drafts] == [150_000]  # took 97 to 173 s of the server's CPU before
    assert seconds < uploads.WALL_SECONDS and cpu < seconds


SMALL = Limits(cpu_seconds=1, memory_bytes=64 * 1024 * 1024, wall_seconds=5)
MISBEHAVING = {  # a parser that ... : what the staff member reads
    "loops for ever": (workers.spin, "took more than 1 second to read and was stopped"),
    "takes ever more memory": (workers.hog_memory, "needed more than 64 MB of memory to read and was stopped"),
    "waits for ever": (workers.stuck, "took more than 5 seconds to read and was stopped"),
    "dies": (workers.die, "this file could not be read"),
}


@pytest.mark.parametrize("case", MISBEHAVING, ids=list(MISBEHAVING))
def test_a_parser_that_overruns_its_budget_is_stopped_and_the_file_refused_in_words(case, monkeypatch):
    work, words = MISBEHAVING[case]
    monkeypatch.setattr(uploads, "LIMITS", SMALL)
    monkeypatch.setattr(uploads, "WORKER", work)
    before = set(children_of_this_process())  # servers other tests of the session started stay
    said, seconds, cpu = timed_parse("minutes.docx", make_docx("Residents asked for hotspots"))
    assert said.startswith("“minutes.docx”") and words in said, said
    assert seconds < SMALL.wall_seconds + 2 and cpu < 0.5  # the server process waited; the worker worked
    assert set(children_of_this_process()) <= before  # and the worker is gone


def children_of_this_process() -> list[str]:
    """The process ids of this process's children (Linux)."""
    return Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split()


def test_a_worker_sees_none_of_the_server_s_secrets(monkeypatch):
    from notes.sandbox import run_limited

    monkeypatch.setenv("EQUITY_DATABASE_URL", "postgresql://equity:secret@db/equity")
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "not for workers")
    seen = run_limited(workers.environment, (), SMALL)
    assert "EQUITY_DATABASE_URL" not in seen and "STREAMLIT_SERVER_COOKIE_SECRET" not in seen and "PATH" in seen
