"""The sections of the Council notes page: browse (everyone), upload, type a note, codebook and audit log
(staff). User text is always shown as plain text; every write goes through the data layer's staff check."""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from notes import store
from notes.accounts import AccessDenied
from notes.export import export_json, notes_frame
from notes.uploads import AreaLookup, read_batch, redact_all
from ui.downloads import safe_csv_bytes
from ui.faults import database_problem
from ui.text import notice, plain
from ui.widgets import note_card

PAGE_SIZE = 50  # notes per screen; the downloads hold the notes shown


def write(engine, action, *args, new_form: bool = False) -> None:
    """Run a write with the current session; the data layer refuses it unless the session is active staff.
    On success (``new_form``) the note form starts empty; on any refusal it keeps what was typed."""
    try:
        action(engine, st.session_state.get("auth"), *args)
    except (AccessDenied, store.NoteRejected) as exc:
        notice("error", "That change was not saved; what you typed is still here.", str(exc))
        return
    except SQLAlchemyError as exc:
        st.error(database_problem(exc) + " What you typed is still here.")
        return
    if new_form:
        st.session_state["note_form_generation"] = st.session_state.get("note_form_generation", 0) + 1
    st.rerun()


def edit_form(engine, note: store.Note, names: dict[int, str], themes: list[str]) -> None:
    with st.form(f"edit_{note.id}"):
        title = st.text_input("Title", note.title, max_chars=store.MAX_TITLE)
        body = st.text_area("Text", note.body, height=200)
        date = st.date_input("Date of the conversation", note.conversation_date, format="YYYY-MM-DD")
        event = st.text_input("Event or session", note.event)
        areas = st.multiselect("Community areas", list(names), list(note.areas), format_func=names.get)
        chosen = st.multiselect("Themes", themes, [t for t in note.themes if t in themes])
        if st.form_submit_button("Save changes"):
            write(engine, store.update_note, note.id, store.NoteDraft(title, body, date, event, areas, chosen))


def show_note(engine, note: store.Note, names: dict[int, str], themes: list[str], staff: bool) -> None:
    """One note as plain text, with staff controls."""
    with note_card(note, names):
        if note.source_file:
            plain(f"From {note.source_file}, added by {note.created_by}")
        if not staff:
            return
        edit_col, delete_col = st.columns([1, 6])
        if note.deleted:
            if delete_col.button("Restore", key=f"restore_{note.id}"):
                write(engine, store.restore_note, note.id)
            return
        if delete_col.button("Delete", key=f"delete_{note.id}"):
            write(engine, store.delete_note, note.id)
        with edit_col.popover("Edit"):
            edit_form(engine, note, names, themes)


def browse_section(engine, names: dict[int, str], themes: list[str], staff: bool) -> None:
    """Search and filter the notes, download what is shown, and page through them 50 at a time."""
    seeded = st.query_params.get("area", "")
    default_areas = [int(seeded)] if re.fullmatch(r"[0-9]{1,2}", seeded) and int(seeded) in names else []
    query = st.text_input("Search the notes", placeholder="e.g. price, Spanish, library")
    filters = st.columns(4)
    area_filter = filters[0].multiselect("Community area", list(names), default_areas, format_func=names.get)
    theme_filter = filters[1].multiselect("Theme", themes)
    date_from = filters[2].date_input("From", None, format="YYYY-MM-DD")
    date_to = filters[3].date_input("To", None, format="YYYY-MM-DD")
    show_deleted = staff and st.checkbox("Show deleted notes (to restore them)")
    limit = st.session_state.setdefault("notes_shown", PAGE_SIZE)
    found = store.search(engine, query, area_filter, theme_filter, date_from, date_to, show_deleted, limit + 1)
    more = len(found) > limit
    found = found[:limit]
    st.write(f"{len(found)}{'+' if more else ''} note(s), newest first.")
    exports = st.columns(2)
    exports[0].download_button("Download these notes (CSV)", safe_csv_bytes(notes_frame(found, names)),
                               "council_notes.csv", "text/csv", disabled=not found)  # fmt: skip
    exports[1].download_button("Download these notes (JSON)", export_json(found, names), "council_notes.json",
                               "application/json", disabled=not found)  # fmt: skip
    for note in found:
        show_note(engine, note, names, themes, staff)
    if more and st.button(f"Show {PAGE_SIZE} more"):
        st.session_state["notes_shown"] = limit + PAGE_SIZE
        st.rerun()


def upload_details(names: dict[int, str], themes: list[str]) -> store.NoteDraft:
    """The date, event, areas and themes the form applies to every uploaded document."""
    st.caption("For .txt, .md, .docx and .pdf files, these details apply to every file:")
    details = st.columns(4)
    date = details[0].date_input("Date of the conversation", None, format="YYYY-MM-DD", key="up_date")
    event = details[1].text_input("Event or session", key="up_event")
    areas = details[2].multiselect("Community areas", list(names), format_func=names.get, key="up_areas")
    chosen = details[3].multiselect("Themes", themes, key="up_themes")
    return store.NoteDraft("", "", date, event, areas, chosen)


def upload_preview(batch, names: dict[int, str]) -> None:
    """What the upload would store, and what staff should read first (refusals, unmatched names)."""
    for message in batch.warnings:
        notice("warning", "Some names in this upload match nothing and will be left out:", message)
    for message in batch.rejected:
        notice("error", "A file was refused. Nothing from this file will be saved:", message)
    if batch.drafts:
        st.write(f"**Preview: {len(batch.drafts)} note(s) will be stored.**")
        st.dataframe(
            [{"Title": d.title, "Date": d.conversation_date, "Areas": "; ".join(names[a] for a in d.areas),
              "Themes": "; ".join(d.themes), "Text": d.body[:200], "File": d.source_file} for d in batch.drafts],
            hide_index=True, width="stretch",
        )  # fmt: skip


def upload_section(engine, names: dict[int, str], themes: list[str]) -> None:
    """Upload files, preview them, optionally remove contact details, and save them in one transaction."""
    st.subheader("Upload files")
    st.caption(".txt, .md, .docx (Word), .pdf (with text) — one note per file — or .csv with the columns "
               "title, date, areas, themes, text (one note per row). Up to 10 MB each.")  # fmt: skip
    # No `type=` filter: Streamlit would raise on other extensions; parse_upload explains instead.
    uploads = st.file_uploader("Files", accept_multiple_files=True, key=f"up_{st.session_state.get('up_n', 0)}")
    details = upload_details(names, themes)
    if uploads:
        files = [(u.name, u.getvalue()) for u in uploads]
        seen = st.session_state.setdefault("parsed_uploads", {})  # each file parsed once, not on every rerun
        batch = read_batch(files, AreaLookup(names), themes, details, seen)
        upload_preview(batch, names)
        if batch.drafts:
            save_upload(engine, batch)
    if "saved_message" in st.session_state:
        st.success(st.session_state.pop("saved_message"))


def save_upload(engine, batch) -> None:
    remove_contacts = False
    if batch.contacts:
        notice("info", "Contact details found in these notes:", ", ".join(batch.contacts[:20]))
        remove_contacts = st.checkbox("Remove these e-mail addresses and phone numbers before saving", value=True)
    if not st.button("Save these notes", type="primary"):
        return
    if remove_contacts:
        redact_all(batch.drafts)
    try:
        ids = store.add_notes(engine, st.session_state.get("auth"), batch.drafts)
    except (AccessDenied, store.NoteRejected) as exc:
        notice("error", "Nothing was saved:", str(exc))
        return
    except SQLAlchemyError as exc:
        st.error(database_problem(exc) + " Nothing was saved; the files are still here.")
        return
    st.session_state["up_n"] = st.session_state.get("up_n", 0) + 1
    st.session_state.pop("parsed_uploads", None)
    st.session_state["saved_message"] = f"Saved {len(ids)} note(s)."
    st.rerun()


DRAFT_FIELDS = ("title", "body", "date", "event", "areas", "themes")
KEPT = "kept_note_draft"


def _draft_keys() -> dict[str, str]:
    """Widget keys of the note form; a new generation after each save gives an empty form."""
    generation = st.session_state.get("note_form_generation", 0)
    return {field: f"new_{field}_{generation}" for field in DRAFT_FIELDS}


def keep_draft() -> None:
    """When a session expires, keep what was typed in the note form until the user signs in again."""
    kept = {f: st.session_state[k] for f, k in _draft_keys().items() if k in st.session_state}
    if kept.get("title") or kept.get("body"):
        st.session_state[KEPT] = kept
        st.info("The note you were typing is kept: sign in again and it will be filled back in, ready to save.")


def typed_note_section(engine, names: dict[int, str], themes: list[str]) -> None:
    """Type a note. What was typed stays in the form when a save is refused, and through an expired session."""
    st.subheader("Type a note")
    keys = _draft_keys()
    for field, value in st.session_state.pop(KEPT, {}).items():  # a draft kept through an expired session
        st.session_state[keys[field]] = value
    st.session_state.setdefault(keys["date"], dt.date.today())
    with st.form("new_note"):
        title = st.text_input("Title", max_chars=store.MAX_TITLE, key=keys["title"])
        body = st.text_area("Text", height=180, key=keys["body"])
        cols = st.columns(2)
        date = cols[0].date_input("Date of the conversation", format="YYYY-MM-DD", key=keys["date"])
        event = cols[1].text_input("Event or session", key=keys["event"])
        areas = st.multiselect("Community areas", list(names), format_func=names.get, key=keys["areas"])
        chosen = st.multiselect("Themes", themes, key=keys["themes"])
        if st.form_submit_button("Save note"):
            draft = store.NoteDraft(title, body, date, event, areas, chosen)
            write(engine, store.add_notes, [draft], new_form=True)


def codebook_section(engine, themes: list[str]) -> None:
    with st.expander("Codebook of themes"):
        st.write(", ".join(themes))
        new_theme = st.text_input("New theme")
        if st.button("Add theme") and new_theme.strip():
            write(engine, store.add_theme, new_theme)


def audit_section(engine) -> None:
    with st.expander("Audit log (latest 100 changes)"):
        st.dataframe(store.audit_entries(engine), hide_index=True, width="stretch")
