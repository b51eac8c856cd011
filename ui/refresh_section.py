"""The About page's staff-only "add a newer ACS period" section."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data.errors import AcsError, RawInputError
from notes.accounts import AccessDenied, require_staff
from ui import cache
from ui.i18n import _


def refresh_as(engine, session, year: int, **kwargs):
    """:func:`data.refresh.refresh` for the app: only a signed-in staff session may change the data."""
    with engine.connect() as conn:
        require_staff(conn, session)
    from data.refresh import refresh  # the build's geometry libraries load only when a refresh runs

    return refresh(year, **kwargs)


def refresh_section() -> None:
    st.subheader(_("Add a newer ACS period (staff)"))
    st.write(_("Fetches the tract tables from the Census API and adds them as a new data period. If anything goes "
               "wrong, the dashboard keeps the data it has."))  # fmt: skip
    year = st.number_input(_("Last year of the 5-year period"), 2020, dt.date.today().year, dt.date.today().year - 2)
    if not st.button(_("Fetch from the Census API")):
        return
    with st.status(_("Fetching ACS {first}-{last} …").format(first=year - 4, last=year), expanded=True) as status:
        try:
            refresh_as(cache.notes_engine(), st.session_state.get("auth"), int(year), log=st.write)
        except (AcsError, RawInputError, ValueError, AccessDenied) as exc:
            status.update(label=_("The data was not updated"), state="error")
            st.error(f"{exc} " + _("The dashboard keeps showing the data it already had."))  # our own sentences
        else:
            status.update(label=_("ACS {first}-{last} added").format(first=year - 4, last=year), state="complete")
            st.cache_data.clear()
