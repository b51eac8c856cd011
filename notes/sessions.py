"""Server-side sign-in sessions: one row per sign-in in a browser, so a reload keeps the sign-in until the idle limit
and signing out ends it everywhere (every browser and tab of that person), for both kinds of account:

- ``local``: an account of this installation (notes.accounts). The browser holds a random token in a cookie;
  the database holds only its SHA-256, so a copy of the database signs nobody in.
- ``city``: the City's sign-in (OpenID Connect, through Streamlit's ``st.login``). Streamlit's own signed identity
  cookie carries the sign-in; its key here is a hash of the ID token's issuer, subject, issue time and nonce
  (:func:`city_key`), which differ for each sign-in, and the role is re-read from its claims on each use.

Each row lasts until ``expires_at`` (the idle limit, moved on at each use) or until it is ended. Ended and expired
rows are kept for a while (:data:`KEEP_DAYS`) so that the same City sign-in cannot be picked up again by a reload.
Knows nothing of Streamlit; the interface (ui/auth.py) keeps the cookie and asks here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from notes.schema import accounts, sign_in_sessions

IDLE_MINUTES = 30  # the idle limit (notes.accounts.SESSION_MINUTES is the same number)
KEEP_DAYS = 31  # ended and expired rows are deleted after this (Streamlit's identity cookie lasts 30 days)
SLIDE_SECONDS = 30  # the expiry is written again only when it would move by more than this (not on every click)
KINDS = ("local", "city")


@dataclass(frozen=True)
class Session:
    """A live sign-in: whose, which kind, which role now, until when."""

    key: str  # the token's hash (local) or the City sign-in's key (city)
    username: str
    kind: str
    role: str
    expires_at: dt.datetime


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def new_token() -> str:
    """A random, unguessable token for a browser's cookie (URL-safe characters only)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def city_key(claims: dict) -> str | None:
    """The key of one City sign-in: a hash of the ID token's issuer, subject, issue time and nonce (a new sign-in
    has a new one); None when the claims lack a subject or an issue time."""
    if not claims.get("sub") or not claims.get("iat"):
        return None
    parts = [str(claims.get(name, "")) for name in ("iss", "sub", "iat", "nonce")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _expiry(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(minutes=IDLE_MINUTES)


def start_local(engine: Engine, username: str, role: str, now: dt.datetime | None = None) -> tuple[str, Session]:
    """A new session for a local account that has just signed in: the token for the browser's cookie (never
    stored) and the session."""
    now = now or utcnow()
    token = new_token()
    session = Session(token_hash(token), username, "local", role, _expiry(now))
    _insert(engine, session, now)
    return token, session


def start_city(engine: Engine, key: str, username: str, role: str, signed_in_at: dt.datetime | None,
               now: dt.datetime | None = None) -> Session | None:  # fmt: skip
    """The session of a City sign-in seen for the first time, made now; None when this sign-in was seen before
    (it ended or expired: a reload must not bring it back) or is older than the idle limit (``signed_in_at``,
    the ID token's issue time: nothing kept it alive since)."""
    now = now or utcnow()
    if signed_in_at is None or now - signed_in_at > dt.timedelta(minutes=IDLE_MINUTES):
        return None
    with engine.connect() as conn:
        seen = conn.execute(sa.select(sign_in_sessions.c.token_hash).where(sign_in_sessions.c.token_hash == key))
        if seen.first() is not None:
            return None
    session = Session(key, username, "city", role, _expiry(now))
    try:
        _insert(engine, session, now)
    except sa.exc.IntegrityError:  # another tab of the same browser started it at the same moment
        return resume(engine, key, role=role, now=now)
    return session


def _insert(engine: Engine, session: Session, now: dt.datetime) -> None:
    with engine.begin() as conn:
        conn.execute(
            sign_in_sessions.insert().values(
                token_hash=session.key, username=session.username, kind=session.kind, role=session.role,
                created_at=now, expires_at=session.expires_at,
            )
        )  # fmt: skip
        _forget_old(conn, now)


def _forget_old(conn, now: dt.datetime) -> None:
    """Delete rows that ended or expired more than KEEP_DAYS ago."""
    cutoff = now - dt.timedelta(days=KEEP_DAYS)
    conn.execute(sign_in_sessions.delete().where(sign_in_sessions.c.expires_at < cutoff))


def live(conn, key: str, now: dt.datetime | None = None) -> Session | None:
    """The session ``key`` if it is live now: not ended, not past its idle limit, and for a local account, the
    account still exists and is enabled (its role is read from the account)."""
    now = now or utcnow()
    s = sign_in_sessions
    row = (
        conn.execute(
            sa.select(s, accounts.c.role.label("account_role"), accounts.c.disabled)
            .outerjoin(accounts, sa.and_(s.c.kind == "local", accounts.c.username == s.c.username))
            .where(s.c.token_hash == key)
        )
        .mappings()
        .first()
    )
    if row is None or row["ended_at"] is not None or _aware(row["expires_at"]) <= now:
        return None
    role = row["role"]
    if row["kind"] == "local":
        if row["account_role"] is None or row["disabled"]:
            return None
        role = row["account_role"]
    return Session(key, row["username"], row["kind"], role, _aware(row["expires_at"]))


def resume(engine: Engine, key: str, role: str | None = None, now: dt.datetime | None = None) -> Session | None:
    """The live session ``key`` with its idle limit moved on (and, for a City sign-in, its ``role`` as the claims
    say now); None when it has ended, expired or its account was disabled or removed."""
    now = now or utcnow()
    with engine.begin() as conn:
        session = live(conn, key, now)
        if session is None:
            return None
        values = {}
        if _expiry(now) - session.expires_at > dt.timedelta(seconds=SLIDE_SECONDS):
            values["expires_at"] = _expiry(now)
        if role is not None and session.kind == "city" and role != session.role:
            values["role"] = role
        if values:
            conn.execute(sign_in_sessions.update().where(sign_in_sessions.c.token_hash == key).values(**values))
    return Session(key, session.username, session.kind, values.get("role", session.role),
                   values.get("expires_at", session.expires_at))  # fmt: skip


def end_everywhere(engine: Engine, key: str, now: dt.datetime | None = None) -> int:
    """Sign the person of session ``key`` out of every browser: end all their sessions of that kind of account
    (``key``'s too). Returns how many were still going."""
    now = now or utcnow()
    s = sign_in_sessions
    with engine.begin() as conn:
        row = conn.execute(sa.select(s.c.username, s.c.kind).where(s.c.token_hash == key)).first()
        if row is None:
            return 0
        ended = conn.execute(
            s.update().where(s.c.username == row.username, s.c.kind == row.kind, s.c.ended_at.is_(None))
            .values(ended_at=now)
        )  # fmt: skip
        return ended.rowcount


def vouching_row(conn, key: str, now: dt.datetime | None = None) -> dict | None:
    """For the data layer's check of a write (notes.accounts.require_staff): the live session ``key`` as an
    account row (username, role, disabled), or None when it has ended or expired."""
    session = live(conn, key, now)
    if session is None:
        return None
    return {"username": session.username, "role": session.role, "disabled": False, "kind": session.kind}
