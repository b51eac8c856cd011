"""The About page's staff-only "add a newer ACS period" section."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from data.errors import AcsError, RawInputError
from notes.accounts import AccessDenied, check_staff
from ui import auth, cache
from ui.i18n import _
from ui.words import denial


def refresh_section() -> None:
    st.subheader(_("Add a newer ACS period (staff)"))
    st.write(_("Fetches the tract tables from the Census API and adds them as a new data period. If anything goes "
               "wrong, the dashboard keeps the data it has."))  # fmt: skip
    year = st.number_input(_("Last year of the 5-year period"), 2020, dt.date.today().year, dt.date.today().year - 2)
    if not st.button(_("Fetch from the Census API")):
        return
    from data.refresh import refresh  # the build's geometry libraries load only when a refresh runs

    engine, account = cache.notes_engine(), auth.account()
    with st.status(_("Fetching ACS {first}-{last} …").format(first=year - 4, last=year), expanded=True) as status:
        try:
            refresh(int(year), log=st.write, authorised=lambda: check_staff(engine, account))
        except AccessDenied as exc:
            status.update(label=_("The data was not updated"), state="error")
            st.error(denial(exc.reason) + " " + _("The dashboard keeps showing the data it already had."))
        except (AcsError, RawInputError, ValueError) as exc:
            status.update(label=_("The data was not updated"), state="error")
            st.error(f"{exc} " + _("The dashboard keeps showing the data it already had."))  # our own sentences
        else:
            status.update(label=_("ACS {first}-{last} added").format(first=year - 4, last=year), state="complete")
            cache.clear_numbers()
