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
import math
import re
from dataclasses import dataclass, replace
from enum import StrEnum

import bcrypt
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from notes import sessions
from notes.schema import accounts, known_clients, sign_in_limits

ROLES = ("staff", "viewer")
SESSION_MINUTES = 30
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")  # compared case-folded: "Alice" signs in as "alice"

# Sign-in limits (README, "Accounts"): failures are counted per name typed and per client address, each lock
# lasts LOCK_SECONDS doubling with each further failure, never more than MAX_LOCK_SECONDS.
MAX_FAILURES = 5  # failures on one name before it is locked
CLIENT_FAILURES = 20  # failures from one address, on any names, before the address is locked
LOCK_SECONDS = 60
MAX_LOCK_SECONDS = 15 * 60
FORGET_AFTER = dt.timedelta(days=1)  # counts of addresses and of names that are no accounts, after the last try
MAX_LIMIT_ROWS = 10_000  # of such counts; the oldest beyond it are forgotten
KNOWN_CLIENT_DAYS = 90  # an address an account signed in from stays exempt from its name's lock this long
KNOWN_CLIENTS = 10  # per account, the most recent
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
    """The stored row of the account named ``username`` whatever its case; None for a name no account can have,
    which is never sent to the database (it may hold characters no database stores, such as NUL)."""
    if not USERNAME.fullmatch(username):
        return None
    named = sa.func.lower(accounts.c.username) == username.casefold()  # names are ASCII: casefold is lower
    return conn.execute(sa.select(accounts).where(named)).mappings().first()


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
    if not USERNAME.fullmatch(username):
        raise ValueError("Usernames are 2-64 letters, digits or . _ @ -")
    if role is not None and role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise ValueError(f"Passwords need at least {MIN_PASSWORD} characters.")


def create_account(engine: Engine, username: str, password: str, role: str) -> None:
    """A new account; its name is kept case-folded ("Alice" becomes "alice") and is unique whatever its case."""
    username = username.casefold()
    _validated(username, password, role)
    exists = ValueError(f"An account named {username} already exists.")
    try:
        with engine.begin() as conn:
            if _account(conn, username):
                raise exists
            conn.execute(
                accounts.insert().values(
                    username=username, password_hash=hash_password(password), role=role, created_at=utcnow(),
                    failed_attempts=0, disabled=False,
                )
            )  # fmt: skip
    except sa.exc.IntegrityError:  # created meanwhile by another process: the unique index refused it
        raise exists from None


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


# A constant bcrypt hash (of a random string nobody knows), checked for unknown names to keep timing even.
_DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5nI0V9wd0xEqN5f2pWcxq1UmJQ8eG6S"

UNKNOWN_CLIENT = "unknown"  # the address of every client whose address the server does not know (local use)
THRESHOLDS = {"name": MAX_FAILURES, "client": CLIENT_FAILURES}


def _name_key(username: str) -> str:
    """The name typed as the limits count it: case-folded, without NUL characters (no database stores them),
    at most 64 characters; for any name, an account's or not, so unknown names answer exactly like real ones."""
    return username.replace("\x00", "").casefold()[:64]


def _client_key(client: str | None) -> str:
    """The client's address as the limits count it (:data:`UNKNOWN_CLIENT` when the server does not know it)."""
    return (client or "").replace("\x00", "")[:100] or UNKNOWN_CLIENT


def lock_seconds(failures: int, threshold: int) -> int:
    """How long a name or address is locked after its ``failures``-th failure in a row: not at all below
    ``threshold``, then LOCK_SECONDS doubling with each further failure, never more than MAX_LOCK_SECONDS."""
    if failures < threshold:
        return 0
    return min(LOCK_SECONDS * 2 ** min(failures - threshold, 16), MAX_LOCK_SECONDS)


def _count(conn, keys: dict[str, str], failed: bool, now: dt.datetime) -> dict[str, tuple[int, dt.datetime | None]]:
    """Add one attempt (a failure or not) to the counts of its name and its address in one statement, which also
    holds both rows until the transaction ends (a row lock on PostgreSQL, the write lock on SQLite): simultaneous
    attempts are counted one after another, each seeing all those before it. Rows are taken in one order (kind,
    then subject), so two attempts never wait for each other in a circle. Returns each kind's count, this attempt
    included, and its lock as it stood before this attempt."""
    insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(sign_in_limits)
    rows = [{"kind": kind, "subject": keys[kind], "failed_attempts": int(failed), "last_attempt_at": now}
            for kind in sorted(keys)]  # fmt: skip
    counted = conn.execute(
        insert.values(rows)
        .on_conflict_do_update(
            index_elements=["kind", "subject"],
            set_={"failed_attempts": sign_in_limits.c.failed_attempts + int(failed), "last_attempt_at": now},
        )
        .returning(sign_in_limits.c.kind, sign_in_limits.c.failed_attempts, sign_in_limits.c.locked_until)
    )
    return {kind: (failures, _aware(until)) for kind, failures, until in counted}


def _lock(conn, keys: dict[str, str], counts: dict, now: dt.datetime) -> dict[str, dt.datetime | None]:
    """Lock each of the name and the address that has now failed too often (:func:`lock_seconds` from now);
    returns each kind's lock as it stands after this failure."""
    locks = {}
    for kind, (failures, until) in counts.items():
        seconds = lock_seconds(failures, THRESHOLDS[kind])
        locks[kind] = now + dt.timedelta(seconds=seconds) if seconds else until
        if seconds:
            row = (sign_in_limits.c.kind == kind) & (sign_in_limits.c.subject == keys[kind])
            conn.execute(sign_in_limits.update().where(row).values(locked_until=locks[kind]))
    return locks


def _known_client(conn, name: str, client: str, now: dt.datetime) -> bool:
    """Whether the account ``name`` signed in from ``client`` within KNOWN_CLIENT_DAYS."""
    if client == UNKNOWN_CLIENT:
        return False
    since = now - dt.timedelta(days=KNOWN_CLIENT_DAYS)
    query = sa.select(known_clients.c.client).where(
        known_clients.c.username == name, known_clients.c.client == client, known_clients.c.last_sign_in_at >= since
    )
    return conn.execute(query).first() is not None


def _attempt(conn, name: str, client: str, failed: bool, now: dt.datetime) -> int:
    """Count one sign-in attempt and check it against the locks in one atomic step (:func:`_count`); lock the
    name or the address if this failure was one too many. Returns the seconds this attempt has to wait (0: it was
    not locked out): for a lock on its address, or on its name unless the address is one the account signed in
    from (a stranger's guesses do not keep the account's owner out). Attempts refused by a lock count too."""
    keys = {"name": name, "client": client}
    before = _count(conn, keys, failed, now)
    exempt = _known_client(conn, name, client, now)
    holding = [kind for kind, (_, until) in before.items() if until and until > now and not (kind == "name" and exempt)]
    if failed:
        _lock(conn, keys, before, now)
    if not holding:
        return 0
    # the lock as it stood before this attempt, right password or wrong: a wait that grew only for a wrong one
    # would tell a guesser which of their guesses was right
    return math.ceil((max(before[kind][1] for kind in holding) - now).total_seconds())


def _remember_client(conn, name: str, client: str, now: dt.datetime) -> None:
    """Remember that ``name`` signed in from ``client`` (the KNOWN_CLIENTS most recent within KNOWN_CLIENT_DAYS)."""
    if client == UNKNOWN_CLIENT:
        return
    insert = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(known_clients)
    conn.execute(
        insert.values(username=name, client=client, last_sign_in_at=now).on_conflict_do_update(
            index_elements=["username", "client"], set_={"last_sign_in_at": now}
        )
    )
    mine = known_clients.c.username == name
    recent = sa.select(known_clients.c.client).where(mine).order_by(known_clients.c.last_sign_in_at.desc())
    conn.execute(
        known_clients.delete().where(
            mine,
            (known_clients.c.last_sign_in_at < now - dt.timedelta(days=KNOWN_CLIENT_DAYS))
            | known_clients.c.client.not_in(recent.limit(KNOWN_CLIENTS).scalar_subquery()),
        )
    )


def _forget_old_limits(engine: Engine, now: dt.datetime) -> None:
    """Keep the limits table bounded: the counts of addresses and of names that are no account are forgotten a
    day (FORGET_AFTER) after their last attempt, and beyond the MAX_LIMIT_ROWS most recent; an account's count
    stays until a sign-in succeeds or an administrator unlocks it. In a transaction of its own that skips rows
    another attempt holds, so it never waits for one (nor one for it)."""
    forgettable = (sign_in_limits.c.kind == "client") | sign_in_limits.c.subject.not_in(
        sa.select(sa.func.lower(accounts.c.username))
    )
    key = sa.tuple_(sign_in_limits.c.kind, sign_in_limits.c.subject)
    chosen = sa.select(sign_in_limits.c.kind, sign_in_limits.c.subject).where(forgettable)
    stale = chosen.where(sign_in_limits.c.last_attempt_at < now - FORGET_AFTER)
    beyond = chosen.order_by(sign_in_limits.c.last_attempt_at.desc()).offset(MAX_LIMIT_ROWS)
    with engine.begin() as conn:
        for rows in (stale, beyond):
            conn.execute(sign_in_limits.delete().where(key.in_(rows.with_for_update(skip_locked=True))))


def _clear_failures(conn, username: str) -> None:
    name = (sign_in_limits.c.kind == "name") & (sign_in_limits.c.subject == _name_key(username))
    conn.execute(sign_in_limits.delete().where(name))


def sign_in(
    engine: Engine, username: str, password: str, now: dt.datetime | None = None, client: str | None = None
) -> Account:
    """Check a username (whatever its case) and password from the address ``client`` (None: unknown); limit
    repeated failures per name and per address (:func:`_attempt`). Never says which of the two was wrong. The
    password is checked in every case (unknown name, locked name), so every answer takes as long, and an unknown
    name is limited like a real one."""
    now = now or utcnow()
    with engine.connect() as conn:
        row = _account(conn, username)
    correct = check_password(password, row["password_hash"] if row else _DUMMY_HASH) and row is not None
    name, address = _name_key(username), _client_key(client)
    with engine.begin() as conn:  # failures are committed before the error is raised
        wait = _attempt(conn, name, address, failed=not correct, now=now)
        if correct and not wait and not row["disabled"]:
            _clear_failures(conn, name)
            _remember_client(conn, name, address, now)
            conn.execute(accounts.update().where(accounts.c.id == row["id"]).values(last_sign_in_at=now))
    _forget_old_limits(engine, now)  # on every attempt, so its time says nothing of the password
    if wait:
        raise SignInFailed(SignInFailure.LOCKED, wait=wait)
    if not correct:
        raise SignInFailed(SignInFailure.WRONG)
    if row["disabled"]:
        raise SignInFailed(SignInFailure.DISABLED)
    return Account(row["username"], row["role"], now + dt.timedelta(minutes=SESSION_MINUTES))


# --------------------------------------------------------------------------- administration (see accounts_cli.py)


def list_accounts(engine: Engine) -> list[dict]:
    """Every account: name, role, disabled, locked until, last sign-in (never the password hash)."""
    query = (
        sa.select(
            accounts.c.username,
            accounts.c.role,
            accounts.c.disabled,
            sign_in_limits.c.locked_until,
            accounts.c.last_sign_in_at,
        )  # fmt: skip
        .outerjoin(
            sign_in_limits,
            (sign_in_limits.c.kind == "name") & (sign_in_limits.c.subject == sa.func.lower(accounts.c.username)),
        )
        .order_by(accounts.c.username)
    )
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _update(engine: Engine, username: str, unlock: bool = False, **values) -> None:
    """Change the account named ``username`` (whatever its case) and, with ``unlock``, clear its failures."""
    with engine.begin() as conn:
        row = _account(conn, username)
        if row is None:
            raise ValueError(f"There is no account named {username}.")
        if values:
            conn.execute(accounts.update().where(accounts.c.id == row["id"]).values(**values))
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
