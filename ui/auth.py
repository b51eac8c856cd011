"""Who is signed in. :func:`account` is the one way to ask, everywhere: it returns the signed-in
:class:`~notes.accounts.Account` (who, role, until when) or None, and nothing else reads the session key.
Pages only decide what to offer with it; the data layer checks it again on every write
(:func:`notes.accounts.require_staff`)."""

from __future__ import annotations

import streamlit as st

import settings
from notes.accounts import SESSION_MINUTES, Account, SignInFailed, revalidate, sign_in
from ui.i18n import _
from ui.text import plain
from ui.words import sign_in_failure

KEY = "account"  # the session-state key of the signed-in account: read and written here only


def account() -> Account | None:
    """The signed-in account of this browser session, as :func:`start` last checked it (None: signed out)."""
    return st.session_state.get(KEY)


def sign_in_as(signed_in: Account | None) -> None:
    """Make ``signed_in`` this browser session's account (None signs out)."""
    if signed_in is None:
        st.session_state.pop(KEY, None)
    else:
        st.session_state[KEY] = signed_in


def start(engine, on_expiry=None) -> Account | None:
    """The signed-in account with its idle timeout restarted and its current role; None, with a notice, once it
    has expired (then ``on_expiry()`` runs, e.g. to keep a half-typed note) or was disabled or removed."""
    current = account()
    if current is None:
        return None
    if not current.is_active():
        sign_in_as(None)
        st.warning(_("Your session expired after {minutes} minutes without activity. Sign in again to make "
                     "changes.").format(minutes=SESSION_MINUTES))  # fmt: skip
        if on_expiry:
            on_expiry()
        return None
    checked = revalidate(engine, current)
    if checked is None:
        sign_in_as(None)
        st.warning(_("Your account is no longer active, so you were signed out. Ask an administrator."))
        return None
    sign_in_as(checked.renewed())
    return account()


def client_from(connection: str | None, forwarded: str | None, proxies: int) -> str | None:
    """The address sign-in limits count a browser by. With ``proxies`` trusted proxies in front, each appending the
    address it saw to X-Forwarded-For, it is the ``proxies``-th address from the right: whatever stands left of it
    was sent by the browser and may be forged. With none, the connection's own address (None on localhost)."""
    hops = [hop.strip() for hop in (forwarded or "").split(",") if hop.strip()]
    if proxies <= 0 or not hops:
        return connection
    return hops[-proxies] if len(hops) >= proxies else hops[0]


def client_address() -> str | None:
    """This browser's address for the sign-in limits (:func:`client_from`, with ``EQUITY_TRUSTED_PROXIES``)."""
    proxies = settings.trusted_proxies()
    forwarded = st.context.headers.get("X-Forwarded-For") if proxies else None
    return client_from(_text(st.context.ip_address), _text(forwarded), proxies)


def _text(value) -> str | None:
    """``value`` when it is text (without a server, as in tests, Streamlit's context holds stand-ins)."""
    return value if isinstance(value, str) else None


def is_staff(signed_in: Account | None) -> bool:
    return signed_in is not None and signed_in.is_active() and signed_in.role == "staff"


def sign_in_sidebar(engine, signed_in: Account | None) -> None:
    """The sidebar's staff box: who is signed in and a sign-out button, or the sign-in form."""
    with st.sidebar:
        st.header(_("Signed in") if signed_in else _("Sign in"))
        if signed_in:
            st.caption(_("Signed in as staff:") if signed_in.role == "staff" else _("Signed in as a council member:"))
            plain(signed_in.username)
            if st.button(_("Sign out")):
                sign_in_as(None)
                st.rerun()
            return
        with st.form("sign_in"):
            username = st.text_input(_("Username"))
            password = st.text_input(_("Password"), type="password")
            if st.form_submit_button(_("Sign in")):
                try:
                    sign_in_as(sign_in(engine, username.strip(), password, client=client_address()))
                    st.rerun()
                except SignInFailed as exc:
                    st.error(sign_in_failure(exc.reason, **exc.params))
        st.caption(_("Council members sign in to read every council note; staff also add and publish them. "
                     "Signed out, you see the published ones."))  # fmt: skip
