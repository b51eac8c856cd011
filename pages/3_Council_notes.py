"""Council notes: what residents told the Council. Council-only unless staff publish a note; signed-in staff
add, upload, edit, publish, delete and restore notes. User text is always shown as plain text."""

import streamlit as st

from notes import store
from ui import auth, cache, nav
from ui.faults import notes_database
from ui.i18n import _
from ui.sections import notes as sections

account = nav.start_page(_("Council notes · Chicago digital equity map"), "💬",
                         on_expiry=sections.keep_draft)  # fmt: skip
st.title(_("What residents told the Digital Equity Council"))

with notes_database():  # a database fault gets a plain sentence, never a traceback
    engine = cache.notes_engine()
    names = cache.names_of_places()  # community areas and wards, to tag and filter notes
    themes = store.readable_themes(engine, account)  # signed out: only the themes published notes raise
    staff = auth.is_staff(account)

    browse_tab, add_tab = st.tabs([_("Browse notes"), _("Add notes") if staff else _("About adding notes")])
    with browse_tab:
        sections.browse_section(engine, names, themes, account)
    with add_tab:
        if not staff:
            st.write(_("Staff sign in (in the sidebar) to type or upload notes. Ask an administrator for an account."))
        else:
            places = cache.place_names()  # area and neighbourhood names, to suggest each note's areas
            sections.upload_section(engine, names, themes, places)
            sections.typed_note_section(engine, names, themes, places)
            sections.codebook_section(engine, themes)
            sections.audit_section(engine)
