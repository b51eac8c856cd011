"""Staff uploads into note drafts: which files are accepted (.txt, .md, .docx, .pdf, .csv, checked by their
content, not their name, and by size), each file read once in a worker process of its own within a budget of
CPU time, memory and time by the clock (:mod:`notes.sandbox`), and a batch of files read together with the
areas, wards, themes and dates each draft's words suggest and the contact details found, for staff to confirm.
One refused file costs only itself, and no file can stall the server; nothing is stored by this module.
Refusals are codes (:class:`~notes.readers.UploadRejected`), worded for the reader by ``ui.words``."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath, PureWindowsPath

from notes.drafts import MAX_BODY, MAX_TITLE, NoteDraft
from notes.places import AreaLookup, suggest_areas, suggest_themes, suggest_wards
from notes.readers import (
    ParsedUpload,
    UploadProblem,
    UploadRejected,
    decode_text,
    find_date,
    read_csv_notes,
    read_docx,
    read_pdf,
    title_and_body,
)
from notes.redact import find_contacts
from notes.sandbox import Limits, Overrun, WorkerStopped, run_limited

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200
ACCEPTED = (".txt", ".md", ".docx", ".pdf", ".csv")
CPU_SECONDS = 10  # each file's budget in its worker process: seconds of CPU time,
MEMORY_MB = 512  # megabytes of memory on top of the worker's own Python and parsers,
WALL_SECONDS = 15  # and seconds by the clock, after which the worker is killed whatever it is doing
LIMITS = Limits(CPU_SECONDS, MEMORY_MB * 1024 * 1024, WALL_SECONDS)


def safe_file_name(name: str) -> str:
    """The last part of a path, without control characters, at most 200 characters; a longer name is cut
    in its middle so that its real extension stays (a 300-character ``….txt`` is still a ``.txt``)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip() or "upload"
    if len(cleaned) <= MAX_NAME:
        return cleaned
    suffix = PurePosixPath(cleaned).suffix[:20]
    return cleaned[: MAX_NAME - len(suffix) - 1] + "…" + suffix


def check_upload(name: str, data: bytes) -> tuple[str, str]:
    """The checks that need no parsing (type, size, what the first bytes say the file is), made in the server
    process before any worker starts: the file's name as shown and its extension, or UploadRejected."""
    source = safe_file_name(name)
    suffix = PurePosixPath(source.lower()).suffix
    if suffix not in ACCEPTED:
        raise UploadRejected(UploadProblem.WRONG_TYPE, source, accepted=list(ACCEPTED))
    if not data:
        raise UploadRejected(UploadProblem.EMPTY, source)
    if len(data) > MAX_BYTES:
        raise UploadRejected(UploadProblem.TOO_BIG, source, size=len(data), limit=MAX_BYTES)
    is_zip, is_pdf = data[:4] == b"PK\x03\x04", data[:5] == b"%PDF-"
    if suffix == ".docx" and not is_zip:
        raise UploadRejected(UploadProblem.NOT_WORD, source)
    if suffix == ".pdf" and not is_pdf:
        raise UploadRejected(UploadProblem.NOT_PDF, source)
    if suffix in (".txt", ".md", ".csv") and (is_zip or is_pdf):
        raise UploadRejected(UploadProblem.HOLDS_PDF if is_pdf else UploadProblem.HOLDS_ZIP, source, suffix=suffix)
    return source, suffix


def read_upload(
    source: str,
    suffix: str,
    data: bytes,
    areas: AreaLookup,
    known_themes: list[str],
    places: dict | None = None,
    keywords: dict | None = None,
) -> ParsedUpload:
    """Everything done with a file's content, in the process that calls it (:func:`parse_upload` calls it in a
    worker): its text read into drafts (areas and themes from a CSV's columns), the contact details found, and
    for each draft the areas (``places``, see :func:`suggest_areas`), wards, themes (``keywords``, see
    :func:`suggest_themes`) and date its words suggest where it names none. Raises UploadRejected."""
    if suffix == ".csv":
        parsed = read_csv_notes(decode_text(data), areas, known_themes, source)
    else:
        text = read_docx(data) if suffix == ".docx" else read_pdf(data) if suffix == ".pdf" else decode_text(data)
        if not text.strip():
            raise UploadRejected(UploadProblem.NO_TEXT)
        if len(text) > MAX_BODY:
            raise UploadRejected(UploadProblem.TEXT_TOO_LONG, limit=MAX_BODY)
        title, body = title_and_body(text)
        parsed = ParsedUpload([NoteDraft(title=(title or source)[:MAX_TITLE], body=body, source_file=source)])
    parsed.contacts = list(dict.fromkeys(c for d in parsed.drafts for c in find_contacts(d.body)))
    for draft in parsed.drafts:
        suggest_details(draft, places, keywords)
    return parsed


def suggest_details(draft: NoteDraft, places: dict | None, keywords: dict | None) -> None:
    """Fill in what ``draft``'s title and text suggest where it has none: areas, themes, wards, date."""
    words = f"{draft.title}\n{draft.body}"
    if not draft.areas and places:
        draft.areas = suggest_areas(words, places)
    if not draft.themes and keywords:
        draft.themes = suggest_themes(words, keywords)
    if not draft.wards:
        draft.wards = suggest_wards(words)
    if draft.conversation_date is None:
        draft.conversation_date = find_date(draft.title, draft.body, draft.source_file)


def read_in_worker(*args) -> list:
    """:func:`read_upload` as a worker runs it, answering in plain JSON data: ["parsed", the drafts and what was
    found, see :func:`_plain`] or ["refused", the refusal's code, file and parameters]."""
    try:
        return ["parsed", _plain(read_upload(*args))]
    except UploadRejected as exc:
        return ["refused", list(exc.as_data())]


def _plain(parsed: ParsedUpload) -> dict:
    """``parsed`` as JSON data (dates as ISO text): :func:`_parsed` makes it again."""
    drafts = [dataclasses.asdict(d) for d in parsed.drafts]
    for draft in drafts:
        draft["conversation_date"] = draft["conversation_date"] and draft["conversation_date"].isoformat()
    return dataclasses.asdict(parsed) | {"drafts": drafts}


def _parsed(plain: dict) -> ParsedUpload:
    """The ParsedUpload a worker sent as plain data (:func:`_plain`)."""
    drafts = [
        NoteDraft(**d | {"conversation_date": d["conversation_date"] and dt.date.fromisoformat(d["conversation_date"])})
        for d in plain["drafts"]
    ]
    return ParsedUpload(drafts, plain["unmatched_areas"], plain["unmatched_themes"], plain["contacts"])


WORKER = read_in_worker  # what each worker runs (a test swaps in a parser that crashes)


def parse_upload(
    name: str,
    data: bytes,
    areas: AreaLookup,
    known_themes: list[str],
    places: dict | None = None,
    keywords: dict | None = None,
) -> ParsedUpload:
    """Read one uploaded file into note drafts (see :func:`read_upload`) in a worker process within
    :data:`LIMITS`. Raises UploadRejected naming the file: why it was refused, or that reading it took too
    long or too much memory, or failed (a parser's bug costs this file only)."""
    source, suffix = check_upload(name, data)
    try:
        kind, value = run_limited(WORKER, (source, suffix, data, areas, known_themes, places, keywords), LIMITS)
    except WorkerStopped as stopped:
        raise _overrun(stopped.overrun, source) from None
    if kind == "refused":
        raise UploadRejected.from_data(value).naming(source)
    return _parsed(value)


def _overrun(overrun: Overrun, source: str) -> UploadRejected:
    """The refusal of a file whose worker gave no answer, with the limit it overran."""
    if overrun is Overrun.MEMORY:
        return UploadRejected(UploadProblem.TOO_MUCH_MEMORY, source, megabytes=LIMITS.memory_bytes // 1024**2)
    if overrun in (Overrun.CPU, Overrun.WALL):
        seconds = LIMITS.cpu_seconds if overrun is Overrun.CPU else LIMITS.wall_seconds
        return UploadRejected(UploadProblem.TOO_SLOW, source, seconds=int(seconds))
    return UploadRejected(UploadProblem.UNREADABLE, source)


class Unmatched(StrEnum):
    """Names in a CSV file that will be left out, as a code (worded by ``ui.words.unmatched_names``)."""

    AREAS = "area names that match no community area"
    THEMES = "themes that are not in the codebook"


@dataclass(frozen=True)
class UnmatchedNames:
    """The names of one kind in one file that match nothing (shown to staff exactly as written)."""

    kind: Unmatched
    file: str
    names: list[str]


@dataclass
class UploadBatch:
    """Everything one upload (several files) would store, and what the staff member should see first."""

    drafts: list[NoteDraft] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    rejected: list[UploadRejected] = field(default_factory=list)  # one per refused file, naming it
    warnings: list[UnmatchedNames] = field(default_factory=list)  # unmatched area names and themes, per file


def parse_once(
    name: str,
    data: bytes,
    areas: AreaLookup,
    known_themes: list[str],
    seen: dict,
    places: dict | None = None,
    keywords: dict | None = None,
) -> ParsedUpload:
    """:func:`parse_upload`, but each file (by name, content and what it is matched against) is parsed once:
    ``seen`` keeps the result (or the refusal) for the page's next reruns, which get a fresh copy to change."""
    against = repr((areas.names, known_themes, places, keywords)).encode()
    key = hashlib.sha256(name.encode() + b"\0" + data + b"\0" + against).hexdigest()
    if key not in seen:
        try:
            seen[key] = parse_upload(name, data, areas, known_themes, places, keywords)
        except UploadRejected as exc:
            seen[key] = exc
        except Exception:  # a fault outside the worker (starting it) must cost one file, never the batch
            seen[key] = UploadRejected(UploadProblem.UNREADABLE, safe_file_name(name))
    if isinstance(seen[key], UploadRejected):
        raise seen[key]
    return copy.deepcopy(seen[key])


def typed_batch(draft: NoteDraft, places: dict | None = None, keywords: dict | None = None) -> UploadBatch:
    """A typed note as a batch of one, through the same suggestions and contact finding as an uploaded file, so
    that staff see the same preview before it is stored."""
    draft = copy.deepcopy(draft)
    suggest_details(draft, places, keywords)
    return UploadBatch(drafts=[draft], contacts=find_contacts(f"{draft.title}\n{draft.body}"))


def read_batch(
    files,
    areas: AreaLookup,
    known_themes: list[str],
    places: dict | None = None,
    seen: dict | None = None,
    keywords: dict | None = None,
) -> UploadBatch:
    """Parse ``files`` (name, bytes) into one batch of drafts, each with its own details: CSV rows keep their
    own; any draft without areas, wards, themes or a date gets those its words suggest (:func:`read_upload`),
    for staff to confirm. One bad file is one refusal; the others go on. ``seen`` (see :func:`parse_once`)
    spares the page parsing the same file on every rerun."""
    batch = UploadBatch()
    seen = {} if seen is None else seen
    for name, data in files:
        try:
            parsed = parse_once(name, data, areas, known_themes, seen, places, keywords)
        except UploadRejected as exc:
            batch.rejected.append(exc)
            continue
        source = safe_file_name(name)
        if parsed.unmatched_areas:
            batch.warnings.append(UnmatchedNames(Unmatched.AREAS, source, parsed.unmatched_areas))
        if parsed.unmatched_themes:
            batch.warnings.append(UnmatchedNames(Unmatched.THEMES, source, parsed.unmatched_themes))
        batch.drafts += parsed.drafts
        batch.contacts += [c for c in parsed.contacts if c not in batch.contacts]
    return batch
