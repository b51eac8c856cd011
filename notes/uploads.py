"""Reading staff uploads into note drafts: .txt, .md, .docx, .pdf (text layer) and .csv (one note a row).

Files are checked by their content, not their name; size and zip expansion are limited; text may be
UTF-8 (with or without BOM) or Windows-1252. Anything that cannot be read becomes an
:class:`UploadRejected` whose message a staff member can act on; nothing is stored by this module.
"""

from __future__ import annotations

import codecs
import copy
import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from notes.store import MAX_BODY, MAX_TITLE, NoteDraft

MAX_BYTES = 10 * 1024 * 1024
MAX_CSV_ROWS = 2_000
MAX_UNZIPPED = 20 * 1024 * 1024
MAX_DOCUMENT_XML = 10 * 1024 * 1024  # the text of a Word file; parsing more than this takes seconds of CPU
MAX_PDF_PAGES = 500
MAX_NAME = 200
MAX_ZIP_RATIO = 100
csv.field_size_limit(max(csv.field_size_limit(), MAX_BODY + 1))  # a CSV cell may hold a whole note
ACCEPTED = (".txt", ".md", ".docx", ".pdf", ".csv")
CSV_COLUMNS = ("title", "date", "areas", "themes", "text")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%Y/%m/%d")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


class UploadRejected(ValueError):
    """The file cannot be used; the message says why in plain words."""


@dataclass
class ParsedUpload:
    drafts: list[NoteDraft]
    unmatched_areas: list[str] = field(default_factory=list)
    unmatched_themes: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # e-mail addresses and phone numbers found


def safe_file_name(name: str) -> str:
    """The last part of a path, without control characters, at most 200 characters; a longer name is cut
    in its middle so that its real extension stays (a 300-character ``….txt`` is still a ``.txt``)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip() or "upload"
    if len(cleaned) <= MAX_NAME:
        return cleaned
    suffix = PurePosixPath(cleaned).suffix[:20]
    return cleaned[: MAX_NAME - len(suffix) - 1] + "…" + suffix


# ----------------------------------------------------------------------------- matching names


class AreaLookup:
    """Community areas by number or by name, ignoring case, punctuation and spacing (O'Hare = OHARE)."""

    def __init__(self, names: dict[int, str]):
        self.names = names
        self._by_key = {self.key(name): number for number, name in names.items()}

    @staticmethod
    def key(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    def match(self, token: str) -> int | None:
        token = token.strip().lstrip("#")
        if token.isdigit():
            number = int(token)
            return number if number in self.names else None
        return self._by_key.get(self.key(token))

    def match_all(self, text: str) -> tuple[list[int], list[str]]:
        """Area numbers found in a ``;``/``,``/``|``-separated list, and the names that matched nothing."""
        found, unmatched = [], []
        for token in re.split(r"[;,|\n]", text or ""):
            if not token.strip():
                continue
            number = self.match(token)
            if number is None:
                unmatched.append(token.strip()[:80])
            elif number not in found:
                found.append(number)
        return found, unmatched


def match_themes(text: str, known: list[str]) -> tuple[list[str], list[str]]:
    lookup = {t.lower(): t for t in known}
    found, unmatched = [], []
    for token in re.split(r"[;,|\n]", text or ""):
        name = " ".join(token.split()).lower()
        if not name:
            continue
        if name in lookup:
            if lookup[name] not in found:
                found.append(lookup[name])
        else:
            unmatched.append(token.strip()[:80])
    return found, unmatched


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


# ----------------------------------------------------------------------------- contact details


def find_contacts(text: str) -> list[str]:
    """E-mail addresses and phone numbers in ``text``, in order, without repeats."""
    found = EMAIL.findall(text) + PHONE.findall(text)
    return list(dict.fromkeys(s.strip() for s in found))


def redact(text: str) -> str:
    return PHONE.sub("[phone removed]", EMAIL.sub("[e-mail removed]", text))


# ----------------------------------------------------------------------------- reading content


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


def parse_upload(name: str, data: bytes, areas: AreaLookup, known_themes: list[str]) -> ParsedUpload:
    """Read one uploaded file into note drafts (areas/themes from a CSV's columns; for a single document
    they are chosen on the form). Raises UploadRejected with the reason."""
    source = safe_file_name(name)
    suffix = PurePosixPath(source.lower()).suffix
    if suffix not in ACCEPTED:
        raise UploadRejected(f"“{source}”: we accept {', '.join(ACCEPTED)} files.")
    if not data:
        raise UploadRejected(f"“{source}” is empty.")
    if len(data) > MAX_BYTES:
        raise UploadRejected(f"“{source}” is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB.")
    is_zip, is_pdf = data[:4] == b"PK\x03\x04", data[:5] == b"%PDF-"
    if suffix == ".docx" and not is_zip:
        raise UploadRejected(f"“{source}” is named .docx but is not a Word document.")
    if suffix == ".pdf" and not is_pdf:
        raise UploadRejected(f"“{source}” is named .pdf but is not a PDF.")
    if suffix in (".txt", ".md", ".csv") and (is_zip or is_pdf):
        raise UploadRejected(f"“{source}” is named {suffix} but holds a {'PDF' if is_pdf else 'zip/Word'} file.")
    try:
        if suffix == ".csv":
            parsed = read_csv_notes(decode_text(data), areas, known_themes, source)
        else:
            text = read_docx(data) if suffix == ".docx" else read_pdf(data) if suffix == ".pdf" else decode_text(data)
            if not text.strip():
                raise UploadRejected("it has no text")
            if len(text) > MAX_BODY:
                raise UploadRejected(f"it has more than {MAX_BODY:,} characters of text; split it into parts")
            title = first_line(text) or source
            parsed = ParsedUpload([NoteDraft(title=title[:MAX_TITLE], body=text, source_file=source)])
    except UploadRejected as exc:
        message = str(exc)
        raise UploadRejected(message if message.startswith("“") else f"“{source}”: {message}") from None
    parsed.contacts = list(dict.fromkeys(c for d in parsed.drafts for c in find_contacts(d.body)))
    return parsed


@dataclass
class UploadBatch:
    """Everything one upload (several files) would store, and what the staff member should see first."""

    drafts: list[NoteDraft] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one sentence per refused file
    warnings: list[str] = field(default_factory=list)  # unmatched area names and themes, per file


def parse_once(name: str, data: bytes, areas: AreaLookup, known_themes: list[str], seen: dict) -> ParsedUpload:
    """:func:`parse_upload`, but each file (by name and content hash) is parsed once: ``seen`` keeps the result
    (or the refusal) for the page's next reruns, which get a fresh copy to change."""
    key = hashlib.sha256(name.encode() + b"\0" + data).hexdigest()
    if key not in seen:
        try:
            seen[key] = parse_upload(name, data, areas, known_themes)
        except UploadRejected as exc:
            seen[key] = exc
        except Exception:  # a parser bug must cost one file, never the batch or the page
            seen[key] = UploadRejected(f"“{safe_file_name(name)}”: this file could not be read.")
    if isinstance(seen[key], UploadRejected):
        raise seen[key]
    return copy.deepcopy(seen[key])


def suggest_areas(text: str, places: dict[str, tuple[int, ...]]) -> list[int]:
    """The community areas a text names, from ``places`` (name → area numbers, see ``data/places.py``): whole
    words written with a capital letter, longest names first, so "West Englewood" is not also "Englewood";
    a neighborhood that spans two areas names both."""
    text = text.replace("\u2019", "'")  # O’Hare is O'Hare
    taken = [False] * len(text)
    found: set[int] = set()
    for name in sorted(places, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
            start, end = match.span()
            if text[start].isupper() and not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.update(places[name])
    return sorted(found)


def suggest_themes(text: str, keywords: dict[str, list[str]]) -> list[str]:
    """The codebook themes whose keywords appear in ``text`` (a keyword matches the start of a word:
    "afford" matches "affordable")."""
    lowered = text.lower()
    return [
        theme
        for theme, words in keywords.items()
        if any(re.search(rf"(?<!\w){re.escape(w.lower())}", lowered) for w in words)
    ]


def read_batch(
    files,
    areas: AreaLookup,
    known_themes: list[str],
    places: dict | None = None,
    seen: dict | None = None,
    keywords: dict | None = None,
) -> UploadBatch:
    """Parse ``files`` (name, bytes) into one batch of drafts, each with its own details: CSV rows keep their
    own; any draft without areas gets the ones its title and text name (``places``, see :func:`suggest_areas`),
    and any without themes the ones its words suggest (``keywords``, see :func:`suggest_themes`), for staff to
    confirm. One bad file is one refusal; the others go on. ``seen`` (see :func:`parse_once`) spares
    the page parsing the same file on every rerun."""
    batch = UploadBatch()
    seen = {} if seen is None else seen
    for name, data in files:
        try:
            parsed = parse_once(name, data, areas, known_themes, seen)
        except UploadRejected as exc:
            batch.rejected.append(str(exc))
            continue
        source = safe_file_name(name)
        if parsed.unmatched_areas:
            batch.warnings.append(f"{source}: these area names match no community area and will be left out: "
                                  + ", ".join(parsed.unmatched_areas))  # fmt: skip
        if parsed.unmatched_themes:
            batch.warnings.append(f"{source}: these themes are not in the codebook and will be left out: "
                                  + ", ".join(parsed.unmatched_themes))  # fmt: skip
        for draft in parsed.drafts:
            if not draft.areas and places:
                draft.areas = suggest_areas(f"{draft.title}\n{draft.body}", places)
            if not draft.themes and keywords:
                draft.themes = suggest_themes(f"{draft.title}\n{draft.body}", keywords)
        batch.drafts += parsed.drafts
        batch.contacts += [c for c in parsed.contacts if c not in batch.contacts]
    return batch


def redact_all(drafts: list[NoteDraft]) -> None:
    """Remove e-mail addresses and phone numbers from every draft's title and text (and say so on the note)."""
    for draft in drafts:
        draft.title, draft.body = redact(draft.title), redact(draft.body)
        draft.contacts_removed = True
