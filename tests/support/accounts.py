"""Test accounts: a notes database with one staff and one viewer account (test fixtures, not real people)."""

from __future__ import annotations

import datetime as dt

from notes import accounts, db

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
