"""Reading the text out of one uploaded file: plain text (UTF-8 with or without BOM, UTF-16 with its BOM, or
Windows-1252), Word (.docx), PDF (its text layer) and CSV (one note draft a row, its areas and themes
matched to the dashboard's names). Zip expansion, PDF pages and content, and CSV rows are limited; anything
that cannot be read raises :class:`UploadRejected` with a code (:class:`UploadProblem`) that ``ui.words`` words
in the reader's language. The CSV delimiter is chosen from the header row; the quote character is always ``"``."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum

from notes.drafts import MAX_BODY, MAX_TITLE, NoteDraft
from notes.places import AreaLookup, match_themes

MAX_CSV_ROWS = 2_000
MAX_UNZIPPED = 20 * 1024 * 1024
MAX_DOCUMENT_XML = 10 * 1024 * 1024  # the text of a Word file; parsing more than this takes seconds of CPU
MAX_PDF_PAGES = 500
MAX_PDF_CONTENT = 16 * 1024 * 1024  # the pages' drawing instructions, unpacked: text extraction reads ~5 MB/s
MAX_ZIP_RATIO = 100
csv.field_size_limit(max(csv.field_size_limit(), MAX_BODY + 1))  # a CSV cell may hold a whole note
CSV_COLUMNS = ("title", "date", "areas", "themes", "text")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%Y/%m/%d")


class UploadProblem(StrEnum):
    """Why a file, or one row of a CSV file, cannot be used, as a code (English here, for logs; the interface
    words it in the reader's language: ``ui.words.upload_refusal``). Parameters are named in braces."""

    WRONG_TYPE = "not one of the accepted types {accepted}"
    EMPTY = "empty"
    TOO_BIG = "{size} bytes, over the limit of {limit}"
    NOT_WORD = "named .docx but not a Word document"
    NOT_PDF = "named .pdf but not a PDF"
    HOLDS_PDF = "named {suffix} but holds a PDF"
    HOLDS_ZIP = "named {suffix} but holds a zip (Word) file"
    NO_TEXT = "no text"
    TEXT_TOO_LONG = "more than {limit} characters of text"
    UTF16_DAMAGED = "damaged UTF-16 text"
    NOT_TEXT = "not text (binary)"
    ENCODING = "text neither UTF-8 nor Windows-1252"
    DOCX_DAMAGED = "a damaged zip, or not a Word document"
    NOT_DOCX_ARCHIVE = "a zip archive that is not a Word document"
    EXPANDS = "a Word document that expands to far more data than a document should"
    DOCX_UNOPENABLE = "a Word document that cannot be opened"
    PDF_PASSWORD = "a password-protected PDF"
    PDF_PAGES = "a PDF of {pages} pages, over the limit of {limit}"
    PDF_CONTENT = "a PDF whose pages hold more than {limit} bytes of drawing instructions"
    PDF_UNREADABLE = "a PDF that cannot be read"
    PDF_NO_TEXT_LAYER = "a PDF with no text layer"
    CSV_EMPTY = "an empty CSV file"
    CSV_MISSING_COLUMNS = "a CSV file lacking the columns {missing}"
    CSV_TOO_MANY_ROWS = "a CSV file of more than {limit} notes"
    CSV_MALFORMED = "a CSV file malformed near line {line}"
    CSV_BAD_ROWS = "a CSV file with rows to fix: {rows}"
    CSV_NO_NOTES = "a CSV file with a header row but no notes"
    NOT_A_DATE = "{text!r} is not a date"  # a CSV row's
    TEXT_COLUMN_EMPTY = "the text column is empty"  # a CSV row's
    ROW_TEXT_TOO_LONG = "the text is longer than {limit} characters"  # a CSV row's
    EXTRA_CELLS = "{cells} cells where the header names {columns}"  # a CSV row's: a delimiter outside "…"
    UNREADABLE = "could not be read (the reader failed)"
    TOO_SLOW = "reading it took more than {seconds} seconds"
    TOO_MUCH_MEMORY = "reading it needed more than {megabytes} MB of memory"


class UploadRejected(ValueError):
    """A file (``file``, its name as shown) cannot be used: ``reason`` (an :class:`UploadProblem`) and its
    ``params`` (numbers and the words quoted from the file; :data:`UploadProblem.CSV_BAD_ROWS` has ``rows``, a
    list of (line number, row's problem, its params), and ``more``, how many more rows have problems)."""

    def __init__(self, reason: UploadProblem, file: str = "", **params):
        super().__init__(f"{file or 'upload'}: {_english(reason, params)}")
        self.reason, self.file, self.params = reason, file, params

    def naming(self, file: str) -> UploadRejected:
        """The same refusal, naming ``file``."""
        return UploadRejected(self.reason, file, **self.params)

    def as_data(self) -> tuple[str, str, dict]:
        """Plain data (to pass between processes): see :meth:`from_data`."""
        return self.reason.name, self.file, self.params

    @classmethod
    def from_data(cls, data: tuple[str, str, dict]) -> UploadRejected:
        reason, file, params = data
        return cls(UploadProblem[reason], file, **params)


def _english(reason: UploadProblem, params: dict) -> str:
    """The code's English description for logs, its parameters filled in where given."""
    try:
        return reason.value.format(**params)
    except (KeyError, IndexError, ValueError):
        return reason.value


@dataclass
class ParsedUpload:
    drafts: list[NoteDraft]
    unmatched_areas: list[str] = field(default_factory=list)
    unmatched_themes: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # e-mail addresses and phone numbers found


def parse_date(text: str) -> dt.date | None:
    """A date in one of the usual spellings; None when empty; UploadRejected when impossible."""
    text = " ".join((text or "").split())
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UploadRejected(UploadProblem.NOT_A_DATE, text=text[:40])


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM optional), UTF-16 with its BOM, else Windows-1252; binary data is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _plain_text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise UploadRejected(UploadProblem.UTF16_DAMAGED) from exc
    if b"\x00" in data:
        raise UploadRejected(UploadProblem.NOT_TEXT)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRejected(UploadProblem.ENCODING)
    return _plain_text(text)


def _plain_text(text: str) -> str:
    """``text`` with Unix line ends; refused when it is mostly control characters (a binary file)."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(3, len(text) // 100):
        raise UploadRejected(UploadProblem.NOT_TEXT)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_docx(data: bytes) -> str:
    import docx  # python-docx

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadRejected(UploadProblem.DOCX_DAMAGED) from exc
    sizes = {m.filename: m.file_size for m in members}
    if "word/document.xml" not in sizes:
        raise UploadRejected(UploadProblem.NOT_DOCX_ARCHIVE)
    unpacked = sum(sizes.values())
    packed = sum(m.compress_size for m in members) or 1
    too_big = sizes["word/document.xml"] > MAX_DOCUMENT_XML or unpacked > MAX_UNZIPPED
    if too_big or unpacked / packed > MAX_ZIP_RATIO:
        raise UploadRejected(UploadProblem.EXPANDS)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for malformed parts
        raise UploadRejected(UploadProblem.DOCX_UNOPENABLE) from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # encrypted with no password needed: read it
            raise UploadRejected(UploadProblem.PDF_PASSWORD)
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise UploadRejected(UploadProblem.PDF_PAGES, pages=pages, limit=MAX_PDF_PAGES)
        _check_pdf_content(reader.pages)
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except UploadRejected:
        raise
    except Exception as exc:
        raise UploadRejected(UploadProblem.PDF_UNREADABLE) from exc
    if not text.strip():
        raise UploadRejected(UploadProblem.PDF_NO_TEXT_LAYER)
    return text


def _check_pdf_content(pages) -> None:
    """Refuse a PDF whose pages' drawing instructions, unpacked, add up to more than :data:`MAX_PDF_CONTENT`
    bytes (a few pages of notes hold kilobytes; reading 60 MB of them took 12 s), before reading their text."""
    total = 0
    for page in pages:
        contents = page.get_contents()
        total += len(contents.get_data()) if contents is not None else 0
        if total > MAX_PDF_CONTENT:
            raise UploadRejected(UploadProblem.PDF_CONTENT, limit=MAX_PDF_CONTENT)


CSV_DELIMITERS = (",", ";", "\t")


def read_csv_notes(text: str, areas: AreaLookup, known_themes: list[str], source: str) -> ParsedUpload:
    """One note per row; columns title, date, areas, themes, text (headers in any case, extra columns ignored).
    Cells are quoted with ``"`` only: a ``'`` in a cell is part of its text ("'slow, pricey'" stays so)."""
    reader = csv.reader(io.StringIO(text), delimiter=csv_delimiter(text), quotechar='"', doublequote=True)
    col, width = _csv_columns(reader)
    parsed = ParsedUpload([])
    problems = []
    try:
        for line_no, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(parsed.drafts) >= MAX_CSV_ROWS:
                raise UploadRejected(UploadProblem.CSV_TOO_MANY_ROWS, limit=MAX_CSV_ROWS)
            cells = {name: row[i].strip() if i < len(row) else "" for name, i in col.items()}
            try:
                if any(cell.strip() for cell in row[width:]):  # a delimiter in a text not inside "…"
                    raise UploadRejected(UploadProblem.EXTRA_CELLS, cells=len(row), columns=width)
                parsed.drafts.append(_csv_draft(cells, areas, known_themes, source, parsed))
            except UploadRejected as exc:
                problems.append((line_no, exc.reason.name, exc.params))
    except csv.Error as exc:
        raise UploadRejected(UploadProblem.CSV_MALFORMED, line=reader.line_num) from exc
    if problems:
        raise UploadRejected(UploadProblem.CSV_BAD_ROWS, rows=problems[:5], more=max(0, len(problems) - 5))
    if not parsed.drafts:
        raise UploadRejected(UploadProblem.CSV_NO_NOTES)
    return parsed


def csv_delimiter(text: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the header row into the most known column
    names (then into the most columns); a comma when none does. Only the delimiter is guessed: the quote
    character is always ``"`` (a sniffer that also guessed it took the ``'`` of 'slow, pricey' for quotes)."""
    head = text[:4096]

    def score(delimiter: str) -> tuple[int, int]:
        try:
            header = next(csv.reader(io.StringIO(head), delimiter=delimiter, quotechar='"'), [])
        except csv.Error:
            return (0, 0)
        names = {h.strip().lower() for h in header}
        return (len(names & set(CSV_COLUMNS)), len(header))

    return max(CSV_DELIMITERS, key=score)


def _csv_columns(reader) -> tuple[dict[str, int], int]:
    """Where each known column is, from the header row, and how many columns it names; UploadRejected when a
    required one is missing."""
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise UploadRejected(UploadProblem.CSV_EMPTY) from exc
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise UploadRejected(UploadProblem.CSV_MISSING_COLUMNS, missing=missing, columns=list(CSV_COLUMNS))
    return {name: header.index(name) for name in (*CSV_COLUMNS, "event") if name in header}, len(header)


def _csv_draft(cells: dict[str, str], areas: AreaLookup, known_themes, source: str, parsed: ParsedUpload) -> NoteDraft:
    """One CSV row as a draft; names that match no area or theme are collected in ``parsed``."""
    date = parse_date(cells["date"])
    text = cells["text"]
    if not text:
        raise UploadRejected(UploadProblem.TEXT_COLUMN_EMPTY)
    if len(text) > MAX_BODY:
        raise UploadRejected(UploadProblem.ROW_TEXT_TOO_LONG, limit=MAX_BODY)
    area_numbers, unmatched = areas.match_all(cells["areas"])
    theme_list, unknown = match_themes(cells["themes"], known_themes)
    parsed.unmatched_areas += [u for u in unmatched if u not in parsed.unmatched_areas]
    parsed.unmatched_themes += [u for u in unknown if u not in parsed.unmatched_themes]
    title = cells["title"] or first_line(text)
    return NoteDraft(title[:MAX_TITLE], text, date, cells.get("event", ""), area_numbers, theme_list, source)


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())[:120]
    return ""


def title_and_body(text: str) -> tuple[str, str]:
    """A document's first line as the note's title and the rest as its text (the title is not repeated in the
    text), or the whole text when it is one line."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return "", text
    rest = "\n".join(lines[first + 1 :]).strip("\n")
    return first_line(lines[first]), rest if rest.strip() else text


MONTHS = {  # English and Spanish month names and their usual abbreviations
    **{m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"], start=1)},
    **{m: i for i, m in enumerate(["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                   "septiembre", "octubre", "noviembre", "diciembre"], start=1)},
    "setiembre": 9,
}  # fmt: skip
MONTHS |= {name[:3]: number for name, number in list(MONTHS.items())} | {"sept": 9}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = [  # (pattern, how its groups give year, month, day)
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), lambda g: (g[0], g[1], g[2])),  # 2026-10-12
    (re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)"), lambda g: (g[2], g[0], g[1])),  # 10/12/2026 (US)
    (re.compile(rf"(?<!\w)(\d{{1,2}})\s+(?:de\s+)?{_MONTH}\s+(?:de\s+|del\s+)?(\d{{4}})(?!\d)", re.I),
     lambda g: (g[2], g[1], g[0])),  # 12 October 2026, 12 de octubre de 2026
    (re.compile(rf"(?<!\w){_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I),
     lambda g: (g[2], g[0], g[1])),  # October 12, 2026
]  # fmt: skip


def find_date(*texts: str) -> dt.date | None:
    """The first real date written in ``texts`` (a title, a text, a file name), in English or Spanish forms:
    "2026-10-12", "10/12/2026", "12 October 2026", "October 12, 2026", "12 de octubre de 2026"."""
    for text in texts:
        for pattern, order in DATE_PATTERNS:
            for match in pattern.finditer(text or ""):
                year, month, day = order(match.groups())
                month = MONTHS[month.lower().rstrip(".")] if not str(month).isdigit() else int(month)
                try:
                    return dt.date(int(year), month, int(day))
                except ValueError:
                    continue
    return None
