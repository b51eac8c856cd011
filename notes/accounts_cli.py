"""The account administration command line (run as ``python -m notes.accounts``; see README.md): add, list,
set-password, disable, enable, set-role and unlock, on the database named by ``EQUITY_DATABASE_URL``.
Passwords are read from standard input, never from the command line, and never echoed."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.engine import Engine

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
        print("(no accounts)")


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


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    engine = make_engine()
    actions = {
        "add": lambda: create_account(engine, args.name, read_password(), args.role),
        "list": lambda: print_accounts(engine),
        "set-password": lambda: set_password(engine, args.name, read_password()),
        "disable": lambda: set_disabled(engine, args.name, True),
        "enable": lambda: set_disabled(engine, args.name, False),
        "set-role": lambda: set_role(engine, args.name, getattr(args, "role", "")),
        "unlock": lambda: unlock(engine, args.name),
    }
    try:
        actions[args.command]()
    except ValueError as exc:
        print(f"Nothing changed: {exc}", file=sys.stderr)
        return 1
    if args.command != "list":
        print(f"Done: {args.command} {args.name}" + (f" ({args.role})" if args.command in ("add", "set-role") else "."))
    return 0
