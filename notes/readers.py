"""Reading the text out of one uploaded file: plain text (UTF-8 with or without BOM, UTF-16 with its BOM, or
Windows-1252), Word (.docx), PDF (its text layer) and CSV (one note draft a row, its areas and themes
matched to the dashboard's names). Zip expansion, PDF pages and CSV rows are limited; anything that cannot
be read raises :class:`UploadRejected`, whose message a staff member can act on."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from notes.places import AreaLookup, match_themes
from notes.store import MAX_BODY, MAX_TITLE, NoteDraft

MAX_CSV_ROWS = 2_000
MAX_UNZIPPED = 20 * 1024 * 1024
MAX_DOCUMENT_XML = 10 * 1024 * 1024  # the text of a Word file; parsing more than this takes seconds of CPU
MAX_PDF_PAGES = 500
MAX_ZIP_RATIO = 100
csv.field_size_limit(max(csv.field_size_limit(), MAX_BODY + 1))  # a CSV cell may hold a whole note
CSV_COLUMNS = ("title", "date", "areas", "themes", "text")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%Y/%m/%d")


class UploadRejected(ValueError):
    """The file cannot be used; the message says why in plain words."""


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
    raise UploadRejected(f"“{text[:40]}” is not a date we can read (use a real date such as 2024-03-15).")


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM optional), UTF-16 with its BOM, else Windows-1252; binary data is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _plain_text(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise UploadRejected("This file says it is UTF-16 text but is damaged; save it as UTF-8.") from exc
    if b"\x00" in data:
        raise UploadRejected("This file is not text (it looks like a program, image or other binary file).")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRejected("This file's text encoding is not UTF-8 or Windows-1252; save it as UTF-8 and try again.")
    return _plain_text(text)


def _plain_text(text: str) -> str:
    """``text`` with Unix line ends; refused when it is mostly control characters (a binary file)."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(3, len(text) // 100):
        raise UploadRejected("This file is not text (it looks like a program, image or other binary file).")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_docx(data: bytes) -> str:
    import docx  # python-docx

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UploadRejected("This .docx file is damaged or is not really a Word document.") from exc
    sizes = {m.filename: m.file_size for m in members}
    if "word/document.xml" not in sizes:
        raise UploadRejected("This archive is not a Word document (.docx).")
    unpacked = sum(sizes.values())
    packed = sum(m.compress_size for m in members) or 1
    too_big = sizes["word/document.xml"] > MAX_DOCUMENT_XML or unpacked > MAX_UNZIPPED
    if too_big or unpacked / packed > MAX_ZIP_RATIO:
        raise UploadRejected("This Word document expands to far more data than a document should; it was refused.")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for malformed parts
        raise UploadRejected("This Word document could not be opened (it may be damaged).") from exc
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
            raise UploadRejected("This PDF is password-protected; save an unprotected copy and upload that.")
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            raise UploadRejected(f"This PDF has {pages:,} pages; the limit is {MAX_PDF_PAGES}. Split it into parts.")
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except UploadRejected:
        raise
    except Exception as exc:
        raise UploadRejected("This PDF could not be read (it may be damaged or use a feature we cannot open).") from exc
    if not text.strip():
        raise UploadRejected("This PDF has no text layer (it is probably a scanned image); upload a text version.")
    return text


def read_csv_notes(text: str, areas: AreaLookup, known_themes: list[str], source: str) -> ParsedUpload:
    """One note per row; columns title, date, areas, themes, text (headers in any case, extra columns ignored)."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    col = _csv_columns(reader)
    parsed = ParsedUpload([])
    problems = []
    try:
        for line_no, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(parsed.drafts) >= MAX_CSV_ROWS:
                raise UploadRejected(
                    f"This CSV file has more than {MAX_CSV_ROWS:,} notes; split it into smaller files."
                )
            cells = {name: row[i].strip() if i < len(row) else "" for name, i in col.items()}
            try:
                parsed.drafts.append(_csv_draft(cells, areas, known_themes, source, parsed))
            except UploadRejected as exc:
                problems.append(f"row {line_no}: {exc}")
    except csv.Error as exc:
        raise UploadRejected(f"This CSV file is malformed near line {reader.line_num}: {exc}.") from exc
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise UploadRejected(f"Nothing was saved. Fix these rows and upload again: {shown}.")
    if not parsed.drafts:
        raise UploadRejected("This CSV file has a header row but no notes.")
    return parsed


def _csv_columns(reader) -> dict[str, int]:
    """Where each known column is, from the header row; UploadRejected when a required one is missing."""
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise UploadRejected("This CSV file is empty.") from exc
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise UploadRejected(
            f"This CSV file lacks the column(s) {', '.join(missing)}. The first row must name the columns "
            f"{', '.join(CSV_COLUMNS)} (and optionally event)."
        )
    return {name: header.index(name) for name in (*CSV_COLUMNS, "event") if name in header}


def _csv_draft(cells: dict[str, str], areas: AreaLookup, known_themes, source: str, parsed: ParsedUpload) -> NoteDraft:
    """One CSV row as a draft; names that match no area or theme are collected in ``parsed``."""
    date = parse_date(cells["date"])
    text = cells["text"]
    if not text:
        raise UploadRejected("the text column is empty")
    if len(text) > MAX_BODY:
        raise UploadRejected(f"the text is longer than {MAX_BODY:,} characters")
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
