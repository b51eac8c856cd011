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
    accounts,
    accounts_folded_name,
    known_clients,
    metadata,
    note_wards,
    notes_version,
    schema_version,
    sign_in_limits,
    sign_in_sessions,
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


_V3_METADATA = sa.MetaData()
V3_THROTTLE = sa.Table(  # schema v3 to v7 (v8 replaces it with schema.sign_in_limits)
    "sign_in_throttle",
    _V3_METADATA,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("failed_attempts", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
)


def _v3(conn: sa.Connection) -> None:
    """Sign-in throttling by the name typed, so unknown names answer exactly like real ones."""
    _V3_METADATA.create_all(conn, tables=[V3_THROTTLE])


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


def _rename_case_twins(conn: sa.Connection) -> None:
    """Before usernames become unique whatever their case: of accounts whose names differ only in case ("alice",
    "Alice"), the oldest keeps its name and each later one gets its name followed by "-" and its id ("Alice-7"),
    keeping its password, role and state, so nobody signs in to someone else's account."""
    rows = conn.execute(sa.select(accounts.c.id, accounts.c.username).order_by(accounts.c.id)).all()
    taken = {name.lower() for _, name in rows}
    seen = set()
    for id_, name in rows:
        if name.lower() not in seen:
            seen.add(name.lower())
            continue
        new, more = name, 0
        while new.lower() in taken:  # "-7", or if that is taken too "-7-1", "-7-2"...
            suffix = f"-{id_}" + (f"-{more}" if more else "")
            new, more = name[: 64 - len(suffix)] + suffix, more + 1
        taken.add(new.lower())
        conn.execute(accounts.update().where(accounts.c.id == id_).values(username=new))


def _v8(conn: sa.Connection) -> None:
    """Usernames unique whatever their case; sign-in limits per name typed and per client address, each lock at
    most 15 minutes, and the addresses each account signed in from. The v3 throttle is dropped: failed sign-ins
    counted before the upgrade are forgotten and their locks lifted (some ran for weeks)."""
    _rename_case_twins(conn)
    conn.exec_driver_sql(  # a new database has it from v1's create_all (SQLAlchemy cannot check an expression index)
        f"CREATE UNIQUE INDEX IF NOT EXISTS {accounts_folded_name.name} ON accounts (lower(username))"
    )
    V3_THROTTLE.drop(conn, checkfirst=True)
    metadata.create_all(conn, tables=[sign_in_limits, known_clients])


COUNTED_TABLES = ("notes", "note_areas", "note_wards", "note_themes", "themes")  # what note counts and menus read


def _v9(conn: sa.Connection) -> None:
    """A version of the notes that the database itself counts up on every change to them, whoever makes it
    (the app, a script, an administrator's SQL): the app's cached note counts are keyed on it."""
    metadata.create_all(conn, tables=[notes_version])
    conn.execute(notes_version.insert().values(version=0))
    bump = "UPDATE notes_version SET version = version + 1"
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"CREATE FUNCTION bump_notes_version() RETURNS trigger AS $$ BEGIN {bump}; RETURN NULL; END $$"
            " LANGUAGE plpgsql"
        )
        for table in COUNTED_TABLES:
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
                " FOR EACH STATEMENT EXECUTE FUNCTION bump_notes_version()"
            )
        return
    for table in COUNTED_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_{event.lower()}_version AFTER {event} ON {table} BEGIN {bump}; END"
            )


def _v10(conn: sa.Connection) -> None:
    """Server-side sign-in sessions: a reload keeps the sign-in until the idle limit; signing out ends it everywhere."""
    metadata.create_all(conn, tables=[sign_in_sessions])


MIGRATIONS = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10]
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


UPGRADE_LOCK = 77_2023  # PostgreSQL advisory lock held while a migration runs


def upgrade(engine: Engine) -> int:
    """Apply the migrations the database has not seen yet, each in its own transaction."""
    with engine.connect() as conn:
        version = current_version(conn)
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # replicas starting together upgrade one at a time
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
            if current_version(conn) >= number:  # another process got there first
                continue
            migration(conn)
            conn.execute(schema_version.delete())
            conn.execute(schema_version.insert().values(version=number))
    return len(MIGRATIONS)
