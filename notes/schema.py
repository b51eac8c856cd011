"""The council-notes schema: the SQLAlchemy Core tables (accounts, sign-in limits and known clients, notes, their
areas and themes, the audit log, the schema version) and the seed data a new database starts with (the codebook's
themes and the keywords that suggest them). Creating and upgrading a database is in db.py."""

from __future__ import annotations

import sqlalchemy as sa

DEFAULT_THEMES = [
    "affordability", "devices", "digital skills", "availability and service quality",
    "trust and online safety", "language access", "technical support", "other",
]  # fmt: skip

DEFAULT_KEYWORDS = {  # words that suggest a theme for an uploaded note (staff confirm or change them)
    "affordability": "price, cost, afford, expensive, bill, cheap, discount",
    "devices": "laptop, computer, tablet, chromebook, device, printer",
    "digital skills": "skills, training, class, learn, teach, workshop",
    "availability and service quality": "slow, outage, speed, coverage, signal, provider, connection",
    "trust and online safety": "scam, privacy, safety, trust, fraud, password, hacked",
    "language access": "spanish, español, language, translation, translate, bilingual, interpreter",
    "technical support": "support, repair, setup, troubleshoot, tech help",
}

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

# Usernames are unique whatever their case (schema v8): "alice" and "Alice" are one account.
accounts_folded_name = sa.Index("accounts_username_folded", sa.func.lower(accounts.c.username), unique=True)

sign_in_limits = sa.Table(  # schema v8: failed sign-ins per name typed (account or not) and per client address
    "sign_in_limits",
    metadata,
    sa.Column("kind", sa.String(8), primary_key=True),  # "name" (case-folded) or "client" (an address)
    sa.Column("subject", sa.String(100), primary_key=True),
    sa.Column("failed_attempts", sa.Integer, nullable=False),
    sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.CheckConstraint("kind in ('name', 'client')", name="limit_kind_known"),
)
sa.Index("sign_in_limits_last_attempt", sign_in_limits.c.last_attempt_at)  # the oldest are forgotten first

known_clients = sa.Table(  # schema v8: the addresses each account signed in from (exempt from its name's lock)
    "known_clients",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),  # case-folded
    sa.Column("client", sa.String(100), primary_key=True),
    sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=False),
)

sign_in_sessions = sa.Table(  # schema v10: who is signed in in which browser, so a reload keeps the sign-in
    "sign_in_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # SHA-256 of the browser's token, never the token
    sa.Column("username", sa.String(254), nullable=False, index=True),  # a local account's name or a City e-mail
    sa.Column("kind", sa.String(8), nullable=False),  # local: an accounts row; city: the City's sign-in (OIDC)
    sa.Column("role", sa.String(16), nullable=False),  # city: from the sign-in's claims; local: read from accounts
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),  # the idle limit, moved on with each use
    sa.Column("ended_at", sa.DateTime(timezone=True)),  # signed out (kept, so the same sign-in cannot come back)
    sa.CheckConstraint("kind in ('local', 'city')", name="session_kind_known"),
    sa.CheckConstraint("role in ('staff', 'viewer')", name="session_role_known"),
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

note_wards = sa.Table(  # schema v7: the City Council wards a note is about
    "note_wards",
    metadata,
    sa.Column("note_id", sa.Integer, sa.ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("ward_number", sa.Integer, primary_key=True),
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

notes_version = sa.Table(  # schema v9: one row, counted up by triggers on every change to what readers see
    "notes_version",
    metadata,
    sa.Column("version", sa.BigInteger, nullable=False),
)

schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
