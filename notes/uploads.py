"""Staff uploads into note drafts: which files are accepted (.txt, .md, .docx, .pdf, .csv, checked by their
content, not their name, and by size), each file parsed once, and a batch of files read together with the
areas and themes each draft's words suggest and the contact details found, for staff to confirm.
One refused file costs only itself; nothing is stored by this module."""

from __future__ import annotations

import copy
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from notes.places import AreaLookup, suggest_areas, suggest_themes, suggest_wards
from notes.readers import (
    ParsedUpload,
    UploadRejected,
    decode_text,
    find_date,
    read_csv_notes,
    read_docx,
    read_pdf,
    title_and_body,
)
from notes.redact import find_contacts
from notes.store import MAX_BODY, MAX_TITLE, NoteDraft

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200
ACCEPTED = (".txt", ".md", ".docx", ".pdf", ".csv")


def safe_file_name(name: str) -> str:
    """The last part of a path, without control characters, at most 200 characters; a longer name is cut
    in its middle so that its real extension stays (a 300-character ``….txt`` is still a ``.txt``)."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip() or "upload"
    if len(cleaned) <= MAX_NAME:
        return cleaned
    suffix = PurePosixPath(cleaned).suffix[:20]
    return cleaned[: MAX_NAME - len(suffix) - 1] + "…" + suffix


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
            title, body = title_and_body(text)
            parsed = ParsedUpload([NoteDraft(title=(title or source)[:MAX_TITLE], body=body, source_file=source)])
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


def suggest_details(draft: NoteDraft, places: dict | None, keywords: dict | None) -> None:
    """Fill what a draft leaves empty from its own words: the areas its title and text name (``places``, see
    :func:`suggest_areas`), the wards (:func:`suggest_wards`), the themes its words suggest (``keywords``, see
    :func:`suggest_themes`) and the conversation's date (title, text or file name), for staff to confirm."""
    text = f"{draft.title}\n{draft.body}"
    if not draft.areas and places:
        draft.areas = suggest_areas(text, places)
    if not draft.themes and keywords:
        draft.themes = suggest_themes(text, keywords)
    if not draft.wards:
        draft.wards = suggest_wards(text)
    if draft.conversation_date is None:
        draft.conversation_date = find_date(draft.title, draft.body, draft.source_file)


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
    own, and what a draft leaves empty is suggested from its words (:func:`suggest_details`), for staff to
    confirm. One bad file is one refusal; the others go on. ``seen`` (see :func:`parse_once`) spares the page
    parsing the same file on every rerun."""
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
            suggest_details(draft, places, keywords)
        batch.drafts += parsed.drafts
        batch.contacts += [c for c in parsed.contacts if c not in batch.contacts]
    return batch
