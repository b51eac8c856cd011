"""Staff and viewer accounts: bcrypt-hashed passwords, sign-in throttling, expiring sessions, and the
server-side check every write goes through. No account exists until someone creates one with the command line
(its code is in accounts_cli.py):

    python -m notes.accounts add NAME --role staff      (the password is read from standard input)
    python -m notes.accounts list | set-password NAME | disable NAME | enable NAME | set-role NAME ROLE | unlock NAME
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace
from enum import StrEnum

import bcrypt
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from notes import sessions
from notes.schema import accounts, sign_in_throttle

ROLES = ("staff", "viewer")
SESSION_MINUTES = 30
MAX_FAILURES = 5  # then the account is locked for LOCK_SECONDS, doubling with each further failure
LOCK_SECONDS = 60
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
WRONG = "Wrong username or password."


class Denial(StrEnum):
    """Why a write was refused, as a code (the interface words it: ``ui.words``)."""

    NOT_SIGNED_IN = "not_signed_in"
    EXPIRED = "expired"
    INACTIVE = "inactive"  # the account was disabled or removed
    READ_ONLY = "read_only"  # a viewer account


class AccessDenied(PermissionError):
    """The signed-in account may not do this: ``reason`` (a :class:`Denial`); the message is English, for the
    command line and logs."""

    ENGLISH = {
        Denial.NOT_SIGNED_IN: "Sign in with a staff account to change notes.",
        Denial.EXPIRED: "Your session has expired. Sign in again.",
        Denial.INACTIVE: "Your account is no longer active. Ask an administrator.",
        Denial.READ_ONLY: "Your account can read notes but not change them. Ask for a staff account.",
    }

    def __init__(self, reason: Denial):
        super().__init__(self.ENGLISH[reason])
        self.reason = reason


class SignInFailure(StrEnum):
    """Why a sign-in failed, as a code: the interface words it in the reader's language (``ui.words``)."""

    WRONG = "wrong"  # wrong username or password (never which)
    LOCKED = "locked"  # too many failed attempts: ``wait`` seconds to go
    DISABLED = "disabled"


class SignInFailed(ValueError):
    """A sign-in failed: ``reason`` (a :class:`SignInFailure`) and its ``params``; the message, in English for
    the command line and logs, is safe to show."""

    ENGLISH = {
        SignInFailure.WRONG: WRONG,
        SignInFailure.LOCKED: "Too many failed attempts. Try again in {wait} seconds.",
        SignInFailure.DISABLED: "This account is disabled. Ask an administrator.",
    }

    def __init__(self, reason: SignInFailure, **params):
        super().__init__(self.ENGLISH[reason].format(**params))
        self.reason, self.params = reason, params


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Account:
    """Who is signed in, with which role, until when (the idle limit): the one value every layer passes on.
    ``session`` is the key of its server-side sign-in session (notes.sessions), set for every sign-in in the app:
    writes are then checked against that session (ended by signing out anywhere) instead of the account alone."""

    username: str
    role: str
    expires_at: dt.datetime
    session: str | None = None

    def is_active(self, now: dt.datetime | None = None) -> bool:
        return (now or utcnow()) < self.expires_at

    def renewed(self, now: dt.datetime | None = None) -> Account:
        """The same account with its idle timeout restarted."""
        return replace(self, expires_at=(now or utcnow()) + dt.timedelta(minutes=SESSION_MINUTES))


def _account(conn, username: str):
    return conn.execute(sa.select(accounts).where(accounts.c.username == username)).mappings().first()


def _vouching(conn, account: Account, now: dt.datetime | None = None):
    """The stored row that vouches for ``account`` now: its live sign-in session's (a City sign-in has no
    accounts row), or for an account made outside a sign-in (tests, scripts) its accounts row; None if none."""
    if account.session is not None:
        return sessions.vouching_row(conn, account.session, now)
    return _account(conn, account.username)


def require_staff(conn, account: Account | None, now: dt.datetime | None = None) -> Account:
    """The check behind every write: a signed-in, unexpired account that still exists, is enabled
    and has the staff role *now* (read from the database in the writer's transaction), or AccessDenied."""
    if account is None:
        raise AccessDenied(Denial.NOT_SIGNED_IN)
    if not account.is_active(now):
        raise AccessDenied(Denial.EXPIRED)
    row = _vouching(conn, account, now)
    if row is None or row["disabled"]:
        raise AccessDenied(Denial.INACTIVE)
    if row["role"] != "staff":
        raise AccessDenied(Denial.READ_ONLY)
    return account


def check_staff(engine: Engine, account: Account | None) -> Account:
    """:func:`require_staff` in a connection of its own (for writes outside the notes store: a data refresh)."""
    with engine.connect() as conn:
        return require_staff(conn, account)


def active_account(conn, account: Account | None) -> dict | None:
    """The stored row of ``account`` as it is now, if it is unexpired and enabled."""
    if account is None or not account.is_active():
        return None
    row = _vouching(conn, account)
    return None if row is None or row["disabled"] else dict(row)


def revalidate(engine: Engine, account: Account) -> Account | None:
    """``account`` with its current role; None when the account was disabled or deleted."""
    with engine.connect() as conn:
        row = _vouching(conn, account)
    if row is None or row["disabled"]:
        return None
    return replace(account, role=row["role"])


def _secret(password: str) -> bytes:
    """The bytes bcrypt sees: the password itself, or for one longer than bcrypt's 72 bytes, its SHA-256
    (base64), so every character counts and no length fails."""
    raw = password.encode()
    return raw if len(raw) <= 72 else base64.b64encode(hashlib.sha256(raw).digest())


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_secret(password), bcrypt.gensalt()).decode()


def check_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(_secret(password), password_hash.encode())


def _validated(username: str, password: str | None = None, role: str | None = None) -> None:
    if not USERNAME.match(username):
        raise ValueError("Usernames are 2-64 letters, digits or . _ @ -")
    if role is not None and role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise ValueError(f"Passwords need at least {MIN_PASSWORD} characters.")


def create_account(engine: Engine, username: str, password: str, role: str) -> None:
    _validated(username, password, role)
    with engine.begin() as conn:
        if _account(conn, username):
            raise ValueError(f"An account named {username} already exists.")
        conn.execute(
            accounts.insert().values(
                username=username, password_hash=hash_password(password), role=role, created_at=utcnow(),
                failed_attempts=0, disabled=False,
            )
        )  # fmt: skip


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


# A constant bcrypt hash (of a random string nobody knows), checked for unknown names to keep timing even.
_DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5nI0V9wd0xEqN5f2pWcxq1UmJQ8eG6S"


def _throttle_key(username: str) -> str:
    return username[:64]


def _locked_until(conn, username: str) -> dt.datetime | None:
    query = sa.select(sign_in_throttle.c.locked_until).where(sign_in_throttle.c.username == _throttle_key(username))
    return _aware(conn.execute(query).scalar())


def _record_failure(conn, username: str, now: dt.datetime) -> None:
    """Count a failed attempt for the name typed, atomically in the database (an upsert that adds one, so
    simultaneous guesses all count), and lock the name once the count reaches MAX_FAILURES. Unknown names
    are counted and locked exactly like real ones, so the answers tell nothing about which names exist."""
    insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(sign_in_throttle)
    key = _throttle_key(username)
    failures = conn.execute(
        insert.values(username=key, failed_attempts=1)
        .on_conflict_do_update(
            index_elements=["username"], set_={"failed_attempts": sign_in_throttle.c.failed_attempts + 1}
        )
        .returning(sign_in_throttle.c.failed_attempts)
    ).scalar_one()
    if failures >= MAX_FAILURES:
        lock = now + dt.timedelta(seconds=LOCK_SECONDS * 2 ** min(failures - MAX_FAILURES, 16))
        conn.execute(sign_in_throttle.update().where(sign_in_throttle.c.username == key).values(locked_until=lock))


def _clear_failures(conn, username: str) -> None:
    conn.execute(sign_in_throttle.delete().where(sign_in_throttle.c.username == _throttle_key(username)))


def sign_in(engine: Engine, username: str, password: str, now: dt.datetime | None = None) -> Account:
    """Check a username and password; throttle repeated failures. Never says which of the two was wrong.
    The password is checked in every case (unknown name, locked name), so every answer takes as long, and
    an unknown name is throttled like a real one."""
    now = now or utcnow()
    with engine.connect() as conn:
        row = _account(conn, username)
        locked_until = _locked_until(conn, username)
    correct = check_password(password, row["password_hash"] if row else _DUMMY_HASH)
    failure = None
    with engine.begin() as conn:  # failures are committed before the error is raised
        if locked_until and now < locked_until:
            wait = int((locked_until - now).total_seconds()) + 1
            failure = (SignInFailure.LOCKED, {"wait": wait})
        elif row is None or not correct:
            _record_failure(conn, username, now)
            failure = (SignInFailure.WRONG, {})
        elif row["disabled"]:
            failure = (SignInFailure.DISABLED, {})
        else:
            _clear_failures(conn, username)
            conn.execute(accounts.update().where(accounts.c.id == row["id"]).values(last_sign_in_at=now))
    if failure:
        raise SignInFailed(failure[0], **failure[1])
    return Account(username, row["role"], now + dt.timedelta(minutes=SESSION_MINUTES))


# --------------------------------------------------------------------------- administration (see accounts_cli.py)


def list_accounts(engine: Engine) -> list[dict]:
    """Every account: name, role, disabled, locked until, last sign-in (never the password hash)."""
    query = (
        sa.select(
            accounts.c.username,
            accounts.c.role,
            accounts.c.disabled,
            sign_in_throttle.c.locked_until,
            accounts.c.last_sign_in_at,
        )  # fmt: skip
        .outerjoin(sign_in_throttle, sign_in_throttle.c.username == accounts.c.username)
        .order_by(accounts.c.username)
    )
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _update(engine: Engine, username: str, unlock: bool = False, **values) -> None:
    with engine.begin() as conn:
        query = accounts.update().where(accounts.c.username == username)
        if not conn.execute(query.values(**values) if values else query.values(username=username)).rowcount:
            raise ValueError(f"There is no account named {username}.")
        if unlock:
            _clear_failures(conn, username)


def set_password(engine: Engine, username: str, password: str) -> None:
    """A new password; the account is unlocked too."""
    _validated(username, password)
    _update(engine, username, unlock=True, password_hash=hash_password(password))


def set_disabled(engine: Engine, username: str, disabled: bool) -> None:
    _update(engine, username, disabled=disabled)


def set_role(engine: Engine, username: str, role: str) -> None:
    _validated(username, role=role)
    _update(engine, username, role=role)


def unlock(engine: Engine, username: str) -> None:
    _update(engine, username, unlock=True)


if __name__ == "__main__":  # the documented command, python -m notes.accounts
    import sys

    from notes.accounts_cli import main

    sys.exit(main())
