"""Faults of the notes database, told in a sentence a staff member can act on: never a traceback or a path.
Every page keeps working for everyone else; what was typed stays in its form."""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ui.i18n import _
from ui.logs import event


def database_problem(exc: BaseException) -> str:
    """What went wrong with the notes database and what to do, from the driver's error (never shown itself)."""
    cause = getattr(exc, "orig", None) or exc
    event("notes database fault", error=type(cause).__name__)  # the kind only: a message can quote user text
    detail = str(cause).lower()
    if "locked" in detail or "busy" in detail:
        return _("The notes database is busy with another change. Try again in a moment.")
    if "readonly" in detail or "read-only" in detail:
        return _("The notes database is read-only on the server, so notes cannot be saved now. Tell an administrator.")
    if "not a database" in detail or "malformed" in detail:
        return _("The notes database file is damaged or is not a database. Tell an administrator.")
    return _("The notes database cannot be reached right now. Try again in a moment, or tell an administrator.")


@contextmanager
def notes_database(stop: bool = True):
    """Run page code that reads the notes; on a database fault show :func:`database_problem` and stop this
    page (``stop=False``: carry on with the rest of the page, e.g. the map without its notes)."""
    try:
        yield
    except (SQLAlchemyError, OSError) as exc:
        st.error(database_problem(exc))
        if stop:
            st.stop()
