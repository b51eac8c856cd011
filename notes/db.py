"""Database for council notes and accounts: SQLAlchemy Core, SQLite by default, PostgreSQL by URL.

Its URL is a setting (:func:`settings.database_url`): SQLAlchemy's, by default a git-ignored ``instance/equity.db``.
SQLite runs in WAL mode with foreign keys on and a busy timeout, and gets an FTS5 index for full-text
search. The schema (its tables are in schema.py) is versioned (``schema_version``) and upgrades itself on
first use.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.engine import Engine

import settings
from notes.schema import (
    DEFAULT_KEYWORDS,
    DEFAULT_THEMES,
    metadata,
    note_wards,
    schema_version,
    sign_in_sessions,
    sign_in_throttle,
    themes,
)

BUSY_SECONDS = 5  # how long a write waits for another writer before the page says "busy, try again"

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE notes_fts USING fts5(title, body, event, content='notes', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN"
    " INSERT INTO notes_fts(rowid, title, body, event) VALUES (new.id, new.title, new.body, new.event); END",
    "CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN"
    " INSERT INTO notes_fts(notes_fts, rowid, title, body, event) VALUES ('delete', old.id, old.title, old.body,"
    " old.event); END",
    "CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN"
    " INSERT INTO notes_fts(notes_fts, rowid, title, body, event) VALUES ('delete', old.id, old.title, old.body,"
    " old.event);"
    " INSERT INTO notes_fts(rowid, title, body, event) VALUES (new.id, new.title, new.body, new.event); END",
]


def _v1(conn: sa.Connection) -> None:
    """Tables, the FTS index (SQLite) and the default codebook."""
    metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            conn.exec_driver_sql(statement)
    conn.execute(themes.insert(), [{"name": name} for name in DEFAULT_THEMES])


def _v2(conn: sa.Connection) -> None:
    """Account administration: accounts can be disabled, and their last sign-in is kept."""
    existing = {c["name"] for c in sa.inspect(conn).get_columns("accounts")}
    if "disabled" not in existing:  # databases made by v1 (a new database has them from v1's create_all)
        conn.exec_driver_sql("ALTER TABLE accounts ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE")
    if "last_sign_in_at" not in existing:
        timestamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
        conn.exec_driver_sql(f"ALTER TABLE accounts ADD COLUMN last_sign_in_at {timestamp}")


def _v3(conn: sa.Connection) -> None:
    """Sign-in throttling by the name typed, so unknown names answer exactly like real ones."""
    metadata.create_all(conn, tables=[sign_in_throttle])


def _v4(conn: sa.Connection) -> None:
    """Private by default: every note is council-only (existing ones too) until staff publish it."""
    existing = {c["name"] for c in sa.inspect(conn).get_columns("notes")}
    if "visibility" not in existing:
        conn.exec_driver_sql("ALTER TABLE notes ADD COLUMN visibility VARCHAR(16) NOT NULL DEFAULT 'council'")
    if "contacts_removed" not in existing:
        conn.exec_driver_sql("ALTER TABLE notes ADD COLUMN contacts_removed BOOLEAN NOT NULL DEFAULT FALSE")


POSTGRES_FTS = [
    "ALTER TABLE notes ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', "
    "coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || coalesce(event, ''))) STORED",
    "CREATE INDEX notes_search ON notes USING GIN (search)",
]


def _v5(conn: sa.Connection) -> None:
    """Full-text search on PostgreSQL: a generated tsvector column with a GIN index (SQLite has FTS5)."""
    if conn.dialect.name == "postgresql":
        existing = {c["name"] for c in sa.inspect(conn).get_columns("notes")}
        if "search" not in existing:
            for statement in POSTGRES_FTS:
                conn.exec_driver_sql(statement)


def _v6(conn: sa.Connection) -> None:
    """Keywords kept with each codebook theme, to suggest themes for uploaded notes."""
    existing = {c["name"] for c in sa.inspect(conn).get_columns("themes")}
    if "keywords" not in existing:
        conn.exec_driver_sql("ALTER TABLE themes ADD COLUMN keywords TEXT NOT NULL DEFAULT ''")
    for name, words in DEFAULT_KEYWORDS.items():
        conn.execute(themes.update().where(themes.c.name == name, themes.c.keywords == "").values(keywords=words))


def _v7(conn: sa.Connection) -> None:
    """Notes can name City Council wards as well as community areas."""
    metadata.create_all(conn, tables=[note_wards])


def _v8(conn: sa.Connection) -> None:
    """Server-side sign-in sessions: a reload keeps the sign-in until the idle limit; signing out ends it everywhere."""
    metadata.create_all(conn, tables=[sign_in_sessions])


MIGRATIONS = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8]
"""Append a function to upgrade the schema; its position + 1 is the version it produces."""


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`settings.database_url`), with SQLite tuned for concurrent use and
    the schema upgraded."""
    url = url or settings.database_url()
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_SECONDS} if url.startswith("sqlite") else {})
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    upgrade(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def current_version(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def upgrade(engine: Engine) -> int:
    """Apply the migrations the database has not seen yet, each in its own transaction."""
    with engine.connect() as conn:
        version = current_version(conn)
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        with engine.begin() as conn:
            if current_version(conn) >= number:  # another process got there first
                continue
            migration(conn)
            conn.execute(schema_version.delete())
            conn.execute(schema_version.insert().values(version=number))
    return len(MIGRATIONS)
