"""Council notes: everyone can browse and search what residents said; signed-in staff add, upload,
edit, delete and restore notes. User text is always shown as plain text."""

import datetime as dt

import streamlit as st

from data import cache
from data import notes as store
from data.accounts import AccessDenied, SignInFailed, sign_in
from data.text import escape_markdown
from data.uploads import AreaLookup, read_batch, redact_all
from ui import components as ui

st.set_page_config(page_title="Council notes · Chicago digital equity map", page_icon="💬", layout="wide")
ui.sidebar_nav()
st.title("What residents told the Digital Equity Council")

PAGE_SIZE = 50  # notes per screen; the downloads hold the notes shown
engine = cache.notes_engine()
names = cache.area_names()
themes = store.theme_names(engine)

# ------------------------------------------------------------------ who is signed in (checked again on every write)
session = st.session_state.get("auth")
if session is not None and not session.is_active():
    st.session_state.pop("auth")
    session = None
    st.warning("Your session expired after 30 minutes without activity. Sign in again to make changes.")
elif session is not None:
    st.session_state["auth"] = session = session.renewed()

with st.sidebar:
    st.header("Staff")
    if session:
        st.write(f"Signed in as **{escape_markdown(session.username)}** ({session.role}).")
        if st.button("Sign out"):
            st.session_state.pop("auth")
            st.rerun()
    else:
        with st.form("sign_in"):
            username = st.text_input("Username")
            password = st.text_input("Password", type="password")
            if st.form_submit_button("Sign in"):
                try:
                    st.session_state["auth"] = sign_in(engine, username.strip(), password)
                    st.rerun()
                except SignInFailed as exc:
                    st.error(str(exc))
        st.caption("Only staff accounts can add or change notes. Anyone can read them.")

staff = session is not None and session.role == "staff"


def show_note(note: store.Note) -> None:
    """One note as plain text, with staff controls."""
    with ui.note_card(note, names):
        if note.source_file:
            st.caption(escape_markdown(f"From {note.source_file}, added by {note.created_by}"))
        if staff:
            edit_col, delete_col = st.columns([1, 6])
            if note.deleted:
                if delete_col.button("Restore", key=f"restore_{note.id}"):
                    write(store.restore_note, note.id)
            else:
                if delete_col.button("Delete", key=f"delete_{note.id}"):
                    write(store.delete_note, note.id)
                with edit_col.popover("Edit"):
                    edit_form(note)


def write(action, *args) -> None:
    """Run a write with the current session; the data layer refuses it unless the session is active staff."""
    try:
        action(engine, st.session_state.get("auth"), *args)
    except (AccessDenied, store.NoteRejected) as exc:
        st.error(escape_markdown(str(exc)))  # may quote a title or theme the user typed
        return
    st.rerun()


def edit_form(note: store.Note) -> None:
    with st.form(f"edit_{note.id}"):
        title = st.text_input("Title", note.title, max_chars=store.MAX_TITLE)
        body = st.text_area("Text", note.body, height=200)
        date = st.date_input("Date of the conversation", note.conversation_date, format="YYYY-MM-DD")
        event = st.text_input("Event or session", note.event)
        areas = st.multiselect("Community areas", list(names), list(note.areas), format_func=names.get)
        chosen = st.multiselect("Themes", themes, [t for t in note.themes if t in themes])
        if st.form_submit_button("Save changes"):
            write(store.update_note, note.id, store.NoteDraft(title, body, date, event, areas, chosen))


browse_tab, add_tab = st.tabs(["Browse notes", "Add notes"] if staff else ["Browse notes", "About adding notes"])

# ------------------------------------------------------------------ browsing (everyone)
with browse_tab:
    seeded_area = st.query_params.get("area")
    default_areas = [int(seeded_area)] if seeded_area and seeded_area.isdigit() and int(seeded_area) in names else []
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
    exports[0].download_button("Download these notes (CSV)", store.export_csv(found, names), "council_notes.csv",
                               "text/csv", disabled=not found)  # fmt: skip
    exports[1].download_button("Download these notes (JSON)", store.export_json(found, names), "council_notes.json",
                               "application/json", disabled=not found)  # fmt: skip
    for note in found:
        show_note(note)
    if more and st.button(f"Show {PAGE_SIZE} more"):
        st.session_state["notes_shown"] = limit + PAGE_SIZE
        st.rerun()

# ------------------------------------------------------------------ adding (staff only)
with add_tab:
    if not staff:
        st.write("Staff sign in (in the sidebar) to type or upload notes. Ask an administrator for an account.")
    else:
        st.subheader("Upload files")
        st.caption(".txt, .md, .docx (Word), .pdf (with text) — one note per file — or .csv with the columns "
                   "title, date, areas, themes, text (one note per row). Up to 10 MB each.")  # fmt: skip
        # No `type=` filter: Streamlit would raise on other extensions; parse_upload explains instead.
        uploads = st.file_uploader("Files", accept_multiple_files=True, key=f"up_{st.session_state.get('up_n', 0)}")
        st.caption("For .txt, .md, .docx and .pdf files, these details apply to every file:")
        details = st.columns(4)
        up_date = details[0].date_input("Date of the conversation", None, format="YYYY-MM-DD", key="up_date")
        up_event = details[1].text_input("Event or session", key="up_event")
        up_areas = details[2].multiselect("Community areas", list(names), format_func=names.get, key="up_areas")
        up_themes = details[3].multiselect("Themes", themes, key="up_themes")
        if uploads:
            details = store.NoteDraft("", "", up_date, up_event, up_areas, up_themes)
            files = [(upload.name, upload.getvalue()) for upload in uploads]
            batch = read_batch(files, AreaLookup(names), themes, details)
            for message in batch.warnings:
                st.warning(escape_markdown(message))
            for message in batch.rejected:
                st.error(escape_markdown(message) + " Nothing from this file will be saved.")
            drafts, contacts = batch.drafts, batch.contacts
            if drafts:
                st.write(f"**Preview: {len(drafts)} note(s) will be stored.**")
                st.dataframe(
                    [{"Title": d.title, "Date": d.conversation_date, "Areas": "; ".join(names[a] for a in d.areas),
                      "Themes": "; ".join(d.themes), "Text": d.body[:200], "File": d.source_file} for d in drafts],
                    hide_index=True, width="stretch",
                )  # fmt: skip
                remove_contacts = False
                if contacts:
                    st.info(escape_markdown("Contact details found: " + ", ".join(contacts[:20])))
                    remove_contacts = st.checkbox("Remove these e-mail addresses and phone numbers before saving",
                                                  value=True)  # fmt: skip
                if st.button("Save these notes", type="primary"):
                    if remove_contacts:
                        redact_all(drafts)
                    try:
                        ids = store.add_notes(engine, st.session_state.get("auth"), drafts)
                    except (AccessDenied, store.NoteRejected) as exc:
                        st.error(escape_markdown(str(exc)) + " Nothing was saved.")
                    else:
                        st.session_state["up_n"] = st.session_state.get("up_n", 0) + 1
                        st.session_state["saved_message"] = f"Saved {len(ids)} note(s)."
                        st.rerun()
        if "saved_message" in st.session_state:
            st.success(st.session_state.pop("saved_message"))

        st.subheader("Type a note")
        with st.form("new_note", clear_on_submit=True):
            title = st.text_input("Title", max_chars=store.MAX_TITLE)
            body = st.text_area("Text", height=180)
            cols = st.columns(2)
            date = cols[0].date_input("Date of the conversation", dt.date.today(), format="YYYY-MM-DD")
            event = cols[1].text_input("Event or session")
            areas = st.multiselect("Community areas", list(names), format_func=names.get)
            chosen = st.multiselect("Themes", themes)
            if st.form_submit_button("Save note"):
                write(store.add_notes, [store.NoteDraft(title, body, date, event, areas, chosen)])

        with st.expander("Codebook of themes"):
            st.write(", ".join(themes))
            new_theme = st.text_input("New theme")
            if st.button("Add theme") and new_theme.strip():
                write(store.add_theme, new_theme)
        with st.expander("Audit log (latest 100 changes)"):
            st.dataframe(store.audit_entries(engine), hide_index=True, width="stretch")
