"""Database for council notes and accounts: SQLAlchemy Core, SQLite by default, PostgreSQL by URL.

Its URL is a setting (:func:`settings.database_url`): SQLAlchemy's, by default a git-ignored ``instance/equity.db``.
SQLite runs in WAL mode with foreign keys on and a busy timeout, and gets an FTS5 index for full-text
search. The schema is versioned (``schema_version``) and upgrades itself on first use.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.engine import Engine

import settings

DEFAULT_THEMES = [
    "affordability", "devices", "digital skills", "availability and service quality",
    "trust and online safety", "language access", "technical support", "other",
]  # fmt: skip

BUSY_SECONDS = 5  # how long a write waits for another writer before the page says "busy, try again"

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("failed_attempts", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False, server_default=sa.false()),  # schema v2
    sa.Column("last_sign_in_at", sa.DateTime(timezone=True)),  # schema v2
    sa.CheckConstraint("role in ('staff', 'viewer')", name="role_known"),
)

sign_in_throttle = sa.Table(  # schema v3: failed sign-ins per name typed, whether or not the account exists
    "sign_in_throttle",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("failed_attempts", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
)

notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("conversation_date", sa.Date),
    sa.Column("event", sa.String(300), nullable=False, default=""),
    sa.Column("source_file", sa.String(300), nullable=False, default=""),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
    # schema v4: council-only unless staff publish it; whether e-mail addresses and phone numbers were removed
    sa.Column("visibility", sa.String(16), nullable=False, default="council", server_default="council"),
    sa.Column("contacts_removed", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    sa.CheckConstraint("visibility in ('council', 'public')", name="visibility_known"),
)

themes = sa.Table(
    "themes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("keywords", sa.Text, nullable=False, default="", server_default=""),  # schema v6, comma-separated
)

note_areas = sa.Table(
    "note_areas",
    metadata,
    sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_number", sa.Integer, primary_key=True),
    sa.CheckConstraint("area_number between 1 and 77", name="area_known"),
)

note_themes = sa.Table(
    "note_themes",
    metadata,
    sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("theme_id", sa.Integer, sa.ForeignKey("themes.id"), primary_key=True),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("note_id", sa.Integer),
    sa.Column("detail", sa.Text, nullable=False, default=""),
)

schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))

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


DEFAULT_KEYWORDS = {  # words that suggest a theme for an uploaded note (staff confirm or change them)
    "affordability": "price, cost, afford, expensive, bill, cheap, discount",
    "devices": "laptop, computer, tablet, chromebook, device, printer",
    "digital skills": "skills, training, class, learn, teach, workshop",
    "availability and service quality": "slow, outage, speed, coverage, signal, provider, connection",
    "trust and online safety": "scam, privacy, safety, trust, fraud, password, hacked",
    "language access": "spanish, español, language, translation, translate, bilingual, interpreter",
    "technical support": "support, repair, setup, troubleshoot, tech help",
}


def _v6(conn: sa.Connection) -> None:
    """Keywords kept with each codebook theme, to suggest themes for uploaded notes."""
    existing = {c["name"] for c in sa.inspect(conn).get_columns("themes")}
    if "keywords" not in existing:
        conn.exec_driver_sql("ALTER TABLE themes ADD COLUMN keywords TEXT NOT NULL DEFAULT ''")
    for name, words in DEFAULT_KEYWORDS.items():
        conn.execute(themes.update().where(themes.c.name == name, themes.c.keywords == "").values(keywords=words))


MIGRATIONS = [_v1, _v2, _v3, _v4, _v5, _v6]
"""Append a function to upgrade the schema; its position + 1 is the version it produces."""


database_url = settings.database_url
"""The notes database's URL (``EQUITY_DATABASE_URL``, see :func:`settings.database_url`); ui.cache reads it here."""


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`database_url`), with SQLite tuned for concurrent use, schema upgraded."""
    url = url or database_url()
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
