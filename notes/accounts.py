"""Staff and viewer accounts: bcrypt-hashed passwords, sign-in throttling, expiring sessions, and the
server-side check every write goes through. No account exists until someone creates one:

    python -m notes.accounts add NAME --role staff      (the password is read from standard input)
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import re
import sys
from dataclasses import dataclass

import bcrypt
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from notes.db import accounts, make_engine

ROLES = ("staff", "viewer")
SESSION_MINUTES = 30
MAX_FAILURES = 5  # then the account is locked for LOCK_SECONDS, doubling with each further failure
LOCK_SECONDS = 60
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")


class AccessDenied(PermissionError):
    """The signed-in session may not do this (wrong role, expired, or not signed in)."""


class SignInFailed(ValueError):
    """Wrong username or password, or too many attempts; the message is safe to show."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Session:
    username: str
    role: str
    expires_at: dt.datetime

    def is_active(self, now: dt.datetime | None = None) -> bool:
        return (now or utcnow()) < self.expires_at

    def renewed(self, now: dt.datetime | None = None) -> Session:
        """The same session with its idle timeout restarted."""
        return Session(self.username, self.role, (now or utcnow()) + dt.timedelta(minutes=SESSION_MINUTES))


def require_staff(session: Session | None, now: dt.datetime | None = None) -> Session:
    """The check behind every write: a signed-in, unexpired staff session, or AccessDenied."""
    if session is None:
        raise AccessDenied("Sign in with a staff account to change notes.")
    if not session.is_active(now):
        raise AccessDenied("Your session has expired. Sign in again.")
    if session.role != "staff":
        raise AccessDenied("Your account can read notes but not change them. Ask for a staff account.")
    return session


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def create_account(engine: Engine, username: str, password: str, role: str) -> None:
    if not USERNAME.match(username):
        raise ValueError("Usernames are 2-64 letters, digits or . _ @ -")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"Passwords need at least {MIN_PASSWORD} characters.")
    with engine.begin() as conn:
        exists = conn.execute(sa.select(accounts.c.id).where(accounts.c.username == username)).first()
        if exists:
            raise ValueError(f"An account named {username} already exists.")
        conn.execute(
            accounts.insert().values(
                username=username, password_hash=hash_password(password), role=role, created_at=utcnow(),
                failed_attempts=0,
            )
        )  # fmt: skip


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


_DUMMY_HASH = hash_password("not a real password, used to keep timing even")


def sign_in(engine: Engine, username: str, password: str, now: dt.datetime | None = None) -> Session:
    """Check a username and password; throttle repeated failures. Never says which of the two was wrong."""
    now = now or utcnow()
    failure = None
    with engine.begin() as conn:  # failures are committed before the error is raised
        row = conn.execute(sa.select(accounts).where(accounts.c.username == username)).mappings().first()
        if row is None:
            bcrypt.checkpw(password.encode(), _DUMMY_HASH.encode())
            failure = "Wrong username or password."
        elif (locked_until := _aware(row["locked_until"])) and now < locked_until:
            wait = int((locked_until - now).total_seconds()) + 1
            failure = f"Too many failed attempts. Try again in {wait} seconds."
        elif not bcrypt.checkpw(password.encode(), row["password_hash"].encode()):
            failures = row["failed_attempts"] + 1
            lock = None
            if failures >= MAX_FAILURES:
                lock = now + dt.timedelta(seconds=LOCK_SECONDS * 2 ** (failures - MAX_FAILURES))
            conn.execute(
                accounts.update().where(accounts.c.id == row["id"]).values(failed_attempts=failures, locked_until=lock)
            )
            failure = "Wrong username or password."
        else:
            conn.execute(
                accounts.update().where(accounts.c.id == row["id"]).values(failed_attempts=0, locked_until=None)
            )
    if failure:
        raise SignInFailed(failure)
    return Session(username, row["role"], now + dt.timedelta(minutes=SESSION_MINUTES))


def count_accounts(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(accounts)).scalar_one()


def read_password(stream=None) -> str:
    """The password from the terminal (hidden) or, when piped, the first line of standard input."""
    stream = stream or sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise ValueError("The two passwords differ.")
        return first
    return stream.readline().rstrip("\r\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Manage dashboard accounts (database from EQUITY_DATABASE_URL).")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create an account; the password is read from standard input")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    args = parser.parse_args(argv)
    try:
        create_account(make_engine(), args.name, read_password(), args.role)
    except ValueError as exc:
        print(f"Account not created: {exc}", file=sys.stderr)
        return 1
    print(f"Created {args.role} account {args.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
