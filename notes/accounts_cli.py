"""The account administration command line (run as ``python -m notes.accounts``; see README.md): add, list,
set-password, disable, enable, set-role and unlock, on the database named by ``EQUITY_DATABASE_URL``.
Passwords are read from standard input, never from the command line, and never echoed. Every command answers in
a sentence, a refusal or a database fault too (exit status 1), never with a traceback."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from notes.accounts import (
    ROLES,
    _aware,
    create_account,
    list_accounts,
    set_disabled,
    set_password,
    set_role,
    unlock,
    utcnow,
)
from notes.db import make_engine


def read_password(stream=None) -> str:
    """The password from the terminal (hidden, asked twice) or, when piped, the first line of standard input."""
    stream = stream or sys.stdin
    if stream.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != first:
            raise ValueError("The two passwords differ.")
        return first
    return stream.readline().rstrip("\r\n")


def _when(value) -> str:
    return _aware(value).strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def print_accounts(engine: Engine) -> None:
    rows = list_accounts(engine)
    print(f"{'name':<24} {'role':<7} {'disabled':<8} {'locked until':<20} last sign-in")
    for r in rows:
        locked = _when(r["locked_until"]) if r["locked_until"] and _aware(r["locked_until"]) > utcnow() else "-"
        print(f"{r['username']:<24} {r['role']:<7} {'yes' if r['disabled'] else 'no':<8} {locked:<20} "
              f"{_when(r['last_sign_in_at'])}")  # fmt: skip
    if not rows:
        print("There are no accounts yet: add one with `python -m notes.accounts add NAME --role staff`.")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Manage dashboard accounts (database from EQUITY_DATABASE_URL).")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create an account; the password is read from standard input")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    sub.add_parser("list", help="name, role, disabled, locked until, last sign-in")
    for verb, text in (("set-password", "new password from standard input (never echoed); also unlocks"),
                       ("disable", "the account can no longer sign in or write"), ("enable", "undo disable"),
                       ("unlock", "clear failed sign-ins and the lock")):  # fmt: skip
        sub.add_parser(verb, help=text).add_argument("name")
    role = sub.add_parser("set-role", help="staff or viewer")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    return parser


DONE = {
    "add": "Created the {role} account {name}.",
    "set-password": "Changed the password of {name}; the account is unlocked too.",
    "disable": "Disabled {name}: it can no longer sign in or write.",
    "enable": "Enabled {name}.",
    "set-role": "{name} is now a {role} account.",
    "unlock": "Unlocked {name}: its failed sign-ins are cleared.",
}
DATABASE_FAULT = (
    "The accounts database (EQUITY_DATABASE_URL) cannot be read or written, so nothing was done: it may be "
    "damaged, not a database, locked by another program or unreachable. Restore it from a backup or check the setting."
)


def _run(action) -> tuple[int, str | None]:
    """Run ``action``; the exit status and the sentence for standard error (None when it worked)."""
    try:
        action()
    except ValueError as exc:
        return 1, f"Nothing changed: {exc}"
    except (SQLAlchemyError, OSError):
        return 1, DATABASE_FAULT
    except (EOFError, KeyboardInterrupt):
        return 1, "Nothing changed: no password was given."
    return 0, None


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    engine = None

    def opened() -> Engine:
        nonlocal engine
        engine = engine or make_engine()
        return engine

    actions = {
        "add": lambda: create_account(opened(), args.name, read_password(), args.role),
        "list": lambda: print_accounts(opened()),
        "set-password": lambda: set_password(opened(), args.name, read_password()),
        "disable": lambda: set_disabled(opened(), args.name, True),
        "enable": lambda: set_disabled(opened(), args.name, False),
        "set-role": lambda: set_role(opened(), args.name, getattr(args, "role", "")),
        "unlock": lambda: unlock(opened(), args.name),
    }
    code, problem = _run(actions[args.command])
    if problem:
        print(problem, file=sys.stderr)
    elif args.command != "list":
        print(DONE[args.command].format(name=args.name.casefold(), role=getattr(args, "role", "")))
    return code
