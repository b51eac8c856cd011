"""Council notes: everyone can browse and search what residents said; signed-in staff add, upload,
edit, delete and restore notes. User text is always shown as plain text."""

import streamlit as st

from notes import store
from ui import auth, cache, nav
from ui import notes_sections as sections
from ui.faults import notes_database

nav.start_page("Council notes · Chicago digital equity map", "💬")
st.title("What residents told the Digital Equity Council")

with notes_database():  # a database fault gets a plain sentence, never a traceback
    engine = cache.notes_engine()
    names = cache.area_names()
    themes = store.theme_names(engine)
    session = auth.current_session(engine, on_expiry=sections.keep_draft)
    auth.sign_in_sidebar(engine, session)
    staff = auth.is_staff(session)

    browse_tab, add_tab = st.tabs(["Browse notes", "Add notes"] if staff else ["Browse notes", "About adding notes"])
    with browse_tab:
        sections.browse_section(engine, names, themes, staff)
    with add_tab:
        if not staff:
            st.write("Staff sign in (in the sidebar) to type or upload notes. Ask an administrator for an account.")
        else:
            sections.upload_section(engine, names, themes)
            sections.typed_note_section(engine, names, themes)
            sections.codebook_section(engine, themes)
            sections.audit_section(engine)
