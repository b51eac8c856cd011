"""Who is signed in: one staff check for every page, and the sign-in form. The data layer checks again
on every write (:func:`notes.accounts.require_staff`); this only decides what a page offers."""

from __future__ import annotations

import streamlit as st

from notes.accounts import Session, SignInFailed, revalidate, sign_in
from ui.i18n import N_, _
from ui.text import plain

SIGN_IN_MESSAGES = (  # what notes.accounts.sign_in may answer, listed here for the Spanish catalogue
    N_("Wrong username or password."),
    N_("Too many failed attempts. Try again in {wait} seconds."),
    N_("This account is disabled. Ask an administrator."),
)


def current_session(engine, on_expiry=None) -> Session | None:
    """The signed-in session with its idle timeout restarted and its account's current role; None, with a
    notice, once it has expired (then ``on_expiry()`` runs, e.g. to keep a half-typed note) or its account was
    disabled or removed."""
    session = st.session_state.get("auth")
    if session is None:
        return None
    if not session.is_active():
        st.session_state.pop("auth")
        st.warning(_("Your session expired after 30 minutes without activity. Sign in again to make changes."))
        if on_expiry:
            on_expiry()
        return None
    current = revalidate(engine, session)
    if current is None:
        st.session_state.pop("auth")
        st.warning(_("Your account is no longer active, so you were signed out. Ask an administrator."))
        return None
    st.session_state["auth"] = session = current.renewed()
    return session


def is_staff(session: Session | None) -> bool:
    return session is not None and session.is_active() and session.role == "staff"


def sign_in_sidebar(engine, session: Session | None) -> None:
    """The sidebar's staff box: who is signed in and a sign-out button, or the sign-in form."""
    with st.sidebar:
        st.header(_("Sign in"))
        if session:
            st.caption(_("Signed in as staff:") if session.role == "staff" else _("Signed in as a council member:"))
            plain(session.username)
            if st.button(_("Sign out")):
                st.session_state.pop("auth")
                st.rerun()
            return
        with st.form("sign_in"):
            username = st.text_input(_("Username"))
            password = st.text_input(_("Password"), type="password")
            if st.form_submit_button(_("Sign in")):
                try:
                    st.session_state["auth"] = sign_in(engine, username.strip(), password)
                    st.rerun()
                except SignInFailed as exc:
                    st.error(_(exc.template).format(**exc.params))
        st.caption(_("Council members sign in to read every council note; staff also add and publish them. "
                     "Signed out, you see the published ones."))  # fmt: skip
