"""Who is signed in. :func:`account` is the one way to ask, everywhere: it returns the signed-in
:class:`~notes.accounts.Account` (who, role, until when) or None, and nothing else reads the session key.
Pages only decide what to offer with it; the data layer checks it again on every write
(:func:`notes.accounts.require_staff`), against its server-side sign-in session (notes.sessions).

Two kinds of account sign in here: the City's (OpenID Connect through Streamlit's ``st.login``, when the secrets
file has an ``[auth]`` section; the role comes from the ID token's claims on every run, notes.city) and the
installation's own (username and password, notes.accounts). Either way a reload keeps the sign-in until the idle
limit: a local sign-in through a cookie holding a random token (the database keeps only its hash), a City sign-in
through Streamlit's own identity cookie. Signing out ends every session of that person, in every tab and browser,
each at its next action."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import settings
from notes import city, sessions
from notes.accounts import SESSION_MINUTES, Account, SignInFailed, revalidate, sign_in
from ui import routes
from ui.i18n import _
from ui.text import plain
from ui.words import sign_in_failure

KEY = "account"  # the session-state key of the signed-in account: read and written here only
TOKEN = "session_token"  # the local sign-in's token, which the browser's cookie should hold ("" none)
COOKIE_SENT = "session_cookie"  # what the browser's cookie holds, as far as this session knows
NOTICED = "session_noticed"  # a sign-in already said to have ended in this browser session (said once)
COOKIE = routes.COOKIE  # the browser's cookie of a local sign-in: HttpOnly, Path=/, SameSite=Strict, Secure over https


def account() -> Account | None:
    """The signed-in account of this browser session, as :func:`start` last checked it (None: signed out)."""
    return st.session_state.get(KEY)


def sign_in_as(signed_in: Account | None) -> None:
    """Make ``signed_in`` this browser session's account (None signs out)."""
    if signed_in is None:
        st.session_state.pop(KEY, None)
        st.session_state.pop(TOKEN, None)
    else:
        st.session_state[KEY] = signed_in


def start(engine, on_expiry=None) -> Account | None:
    """The signed-in account with its idle timeout restarted and its current role, or the sign-in this browser
    brought with it (a reload); None, with a notice, once it has expired (then ``on_expiry()`` runs, e.g. to keep a
    half-typed note), was signed out elsewhere, or its account was disabled or removed."""
    st.session_state.setdefault(COOKIE_SENT, _browser_cookie())
    current = account()
    if current is None:
        _resume(engine)
    elif not current.is_active():
        sign_in_as(None)
        st.session_state[NOTICED] = current.session
        st.warning(_("Your session expired after {minutes} minutes without activity. Sign in again to make "
                     "changes.").format(minutes=SESSION_MINUTES))  # fmt: skip
        if on_expiry:
            on_expiry()
    else:
        checked = _checked(engine, current)
        sign_in_as(checked)
        if checked is None:
            st.session_state[NOTICED] = current.session
            st.warning(_("You were signed out: the sign-in was ended in another window or browser, or the "
                         "account is no longer active. Sign in again to make changes."))  # fmt: skip
            if on_expiry:
                on_expiry()
    _sync_cookie()
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


def _checked(engine, current: Account) -> Account | None:
    """``current`` renewed with its role as it is now; None when its session ended or its account went."""
    if current.session is None:  # an account made outside a sign-in (tests)
        checked = revalidate(engine, current)
        return checked.renewed() if checked else None
    claims = _city_claims()
    role = city.role(claims) if claims else None
    if claims and role is None and current.session == sessions.city_key(claims):  # taken off the City's lists
        return None
    session = sessions.resume(engine, current.session, role=role)
    return replace(current, role=session.role).renewed() if session else None


def _city_claims() -> dict | None:
    """The claims of this browser's City sign-in (Streamlit's identity cookie), or None."""
    if not city_sign_in_configured() or not st.user.is_logged_in:
        return None
    return st.user.to_dict()


def _resume(engine) -> None:
    """Sign this browser session in again from what the browser brought: a City sign-in (st.user) or the cookie
    of a local sign-in, while its server-side session is live; a notice (once) when it has ended."""
    claims = _city_claims()
    key = sessions.city_key(claims) if claims else None
    if key and st.session_state.get(NOTICED) != key:  # (one already ended here is not asked about again)
        role, name, since = city.role(claims), city.username(claims), city.signed_in_at(claims)
        if role is None:
            return  # signed in with the City but on none of its lists: the sidebar says so
        session = sessions.resume(engine, key, role=role) or (
            sessions.start_city(engine, key, name, role, since) if name else None
        )
        if session:
            sign_in_as(Account(session.username, session.role, session.expires_at, session=key))
            return
        _ended_once(key)
    token = _browser_cookie()
    if token and st.session_state.get(NOTICED) != sessions.token_hash(token):
        session = sessions.resume(engine, sessions.token_hash(token))
        if session and session.kind == "local":
            sign_in_as(Account(session.username, session.role, session.expires_at, session=session.key))
            st.session_state[TOKEN] = token
            return
        _ended_once(sessions.token_hash(token))


def _ended_once(key: str) -> None:
    if st.session_state.get(NOTICED) != key:
        st.session_state[NOTICED] = key
        st.info(_("Your sign-in has ended: you signed out, or it was unused for {minutes} minutes. Sign in again "
                  "to make changes.").format(minutes=SESSION_MINUTES))  # fmt: skip


def _browser_cookie() -> str:
    """The token the browser's cookie held when it opened this session ("" none)."""
    value = st.context.cookies.get(COOKIE, "")
    return value if isinstance(value, str) else ""  # no browser behind a session of the page tests (AppTest)


def _sync_cookie() -> None:
    """Make the browser's cookie hold this session's local token (or nothing) when that changes: a script of our
    own on the page hands the server a one-time ticket (ui.routes), which answers with the cookie, HttpOnly, so
    neither the token nor the cookie is ever readable by a script on the page."""
    slot = st.sidebar.empty()  # on every run, so the script's coming and going moves no other element
    wanted = st.session_state.get(TOKEN, "")
    if st.session_state.get(COOKIE_SENT, "") == wanted:
        return
    st.session_state[COOKIE_SENT] = wanted
    ticket = routes.cookie_ticket(wanted)  # URL-safe characters only
    slot.html(
        f"<script>fetch('{routes.COOKIE_PATH}?secure=' + (location.protocol === 'https:' ? '1' : '0'),"
        f" {{method: 'POST', body: '{ticket}', credentials: 'same-origin'}});</script>",
        unsafe_allow_javascript=True,
    )


def city_sign_in_configured() -> bool:
    """Whether the City's sign-in is set up: an ``[auth]`` section in the secrets file (README, Configuration)."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def sign_in_locally(engine, username: str, password: str, client: str | None) -> None:
    """Sign in with a local account from the browser at ``client`` (the sign-in limits count it) and start its
    server-side session (raises SignInFailed)."""
    signed_in = sign_in(engine, username, password, client=client)
    token, session = sessions.start_local(engine, signed_in.username, signed_in.role)
    sign_in_as(replace(signed_in, session=session.key, expires_at=session.expires_at))
    st.session_state[TOKEN] = token


def sign_out(engine) -> None:
    """Sign out here and everywhere: every session of this person ends (other tabs and browsers at their next
    action). A City sign-in also leaves Streamlit's identity cookie and the City's identity provider."""
    current = account()
    if current is not None and current.session is not None:
        sessions.end_everywhere(engine, current.session)
        st.session_state[NOTICED] = current.session  # ended here: no notice that it ended
    sign_in_as(None)
    if _city_claims():
        st.logout()  # the browser goes on to the provider's sign-out: nothing more to draw here
        st.stop()
    st.rerun()


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
                sign_out(engine)
            return
        claims = _city_claims()
        if claims and city.role(claims) is None:  # signed in with the City, but on none of its lists
            st.info(_("Your City account is not on the Council's list, so you see what everyone sees. Ask an "
                      "administrator to add it."))  # fmt: skip
            if st.button(_("Sign out of your City account")):
                st.logout()
        elif city_sign_in_configured() and st.button(_("Sign in with your City account"), type="primary"):
            st.login()
        with st.form("sign_in"):
            username = st.text_input(_("Username"))
            password = st.text_input(_("Password"), type="password")
            if st.form_submit_button(_("Sign in")):
                try:
                    sign_in_locally(engine, username.strip(), password, client_address())
                    st.rerun()
                except SignInFailed as exc:
                    st.error(sign_in_failure(exc.reason, **exc.params))
        st.caption(_("Council members sign in to read every council note; staff also add and publish them. "
                     "Signed out, you see the published ones."))  # fmt: skip
