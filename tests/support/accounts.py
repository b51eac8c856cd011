"""Test accounts: a notes database with one staff and one viewer account (test fixtures, not real people)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from notes import accounts, db
from settings import REPO_ROOT

PASSWORD = "correct horse battery"
STAFF, VIEWER = "alice", "victor"


def store_with_accounts(url: str):
    """A fresh notes database at ``url`` with the staff account ``alice`` and the viewer ``victor``."""
    engine = db.make_engine(url)
    accounts.create_account(engine, STAFF, PASSWORD, "staff")
    accounts.create_account(engine, VIEWER, PASSWORD, "viewer")
    return engine


def staff_view(engine, *args, **kwargs):
    """Search as the signed-in staff member ``alice`` sees it (every note, council-only ones too): for tests
    that check what was stored."""
    from notes import store

    session = accounts.Account(STAFF, "staff", accounts.utcnow() + dt.timedelta(minutes=5))
    return store.search(engine, *args, account=session, **kwargs)


def add_staff_with_the_command_line(database_url: str, name: str, password: str) -> None:
    """Create the staff account ``name`` with the README's command, exactly as an administrator runs it (the
    password typed on standard input, never echoed)."""
    result = subprocess.run(
        [sys.executable, "-m", "notes.accounts", "add", name, "--role", "staff"],
        input=password + "\n", text=True, capture_output=True, cwd=REPO_ROOT,
        env=os.environ | {"EQUITY_DATABASE_URL": database_url}, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert password not in result.stdout + result.stderr
