"""Council conversation notes: store, edit, soft-delete, restore and search.

Every write takes the caller's :class:`~notes.accounts.Account` and checks it with
:func:`~notes.accounts.require_staff` here, in the data layer, so no page or script can write without a
signed-in staff session. Every write is recorded in the audit log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data.areas import N_AREAS, N_WARDS
from notes.accounts import Account, active_account, require_staff, utcnow
from notes.drafts import MAX_BODY, MAX_TITLE, NoteDraft
from notes.redact import find_contacts
from notes.schema import audit_log, note_areas, note_themes, note_wards, notes, notes_version, themes

PLACES = {  # where a note's places are kept, by geography (the keys of data.geographies)
    "community_area": note_areas.c.area_number,
    "ward": note_wards.c.ward_number,
}

VISIBILITIES = ("council", "public")  # council: signed-in viewer and staff accounts; public: anyone


class Rejection(StrEnum):
    """Why a note or theme cannot be stored as it is, as a code (English here, for the command line and logs; the
    interface words it in the reader's language: ``ui.words``)."""

    THEME_NAME = "A theme needs a name."
    THEME_EXISTS = "The theme “{name}” already exists."
    NO_THEME = "There is no theme “{name}”."
    SAME_NAME = "Give the theme a different name."
    NO_TITLE = "Every note needs a title."
    NO_TEXT = "The note “{title}” has no text."
    LONG_TITLE = "Titles can have at most {limit} characters."
    LONG_TEXT = "A note can have at most {limit:,} characters; split long transcripts."
    AREA_NUMBER = "Community area numbers run from 1 to {limit}, not {number}."
    WARD_NUMBER = "Ward numbers run from 1 to {limit}, not {number}."
    VISIBILITY = "A note is either council-only or public."
    UNKNOWN_THEME = "Unknown theme “{name}”; add it to the codebook first."
    NOTHING = "There is nothing to save."
    NO_NOTE = "Note {number} does not exist."
    PUBLIC_CONTACTS = "“{title}” would be published with contact details in it: {contacts}."
    NUL = (
        "The text holds a null character (an invisible control character some converted files carry), which "
        "cannot be stored; remove it and try again."
    )


class NoteRejected(ValueError):
    """A note cannot be stored as it is: ``reason`` (a :class:`Rejection`) and its ``params``."""

    def __init__(self, reason: Rejection, **params):
        super().__init__(reason.value.format(**params))
        self.reason, self.params = reason, params


@dataclass(frozen=True)
class Note:
    id: int
    title: str
    body: str
    conversation_date: dt.date | None
    event: str
    areas: tuple[int, ...]
    themes: tuple[str, ...]
    source_file: str
    created_by: str
    created_at: dt.datetime
    deleted: bool
    visibility: str = "council"
    contacts_removed: bool = False
    wards: tuple[int, ...] = ()


def theme_names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(sa.select(themes.c.name).order_by(themes.c.id)).scalars())


def readable_themes(engine: Engine, account: Account | None) -> list[str]:
    """The codebook's themes ``account`` may see named: all of them for a signed-in, active account; for anyone
    else only the themes a published note raises (a theme's name alone can reveal a private topic)."""
    with engine.connect() as conn:
        query = sa.select(themes.c.name).order_by(themes.c.id)
        if not active_account(conn, account):
            published = (
                sa.select(note_themes.c.theme_id)
                .join(notes, notes.c.id == note_themes.c.note_id)
                .where(notes.c.visibility == "public", notes.c.deleted_at.is_(None))
            )
            query = query.where(themes.c.id.in_(published))
        return list(conn.execute(query).scalars())


def add_theme(engine: Engine, account: Account, name: str) -> None:
    """Add a theme to the codebook (staff only)."""
    name = " ".join(name.split()).lower()[:100]
    with engine.begin() as conn:
        require_staff(conn, account)
        if not name:
            raise NoteRejected(Rejection.THEME_NAME)
        if has_nul(name):
            raise NoteRejected(Rejection.NUL)
        if conn.execute(sa.select(themes.c.id).where(themes.c.name == name)).first():
            raise NoteRejected(Rejection.THEME_EXISTS, name=name)
        conn.execute(themes.insert().values(name=name))
        _audit(conn, account, "add_theme", None, name)


def theme_keywords(engine: Engine) -> dict[str, list[str]]:
    """Each codebook theme's keywords (used to suggest themes for uploaded notes)."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(themes.c.name, themes.c.keywords).order_by(themes.c.id))
        return {name: [w.strip() for w in words.split(",") if w.strip()] for name, words in rows}


def rename_theme(engine: Engine, account: Account, old: str, new: str) -> None:
    """Rename a theme, or merge it into an existing one (its notes re-tagged), in one transaction; audited."""
    new = " ".join(new.split()).lower()[:100]
    with engine.begin() as conn:
        require_staff(conn, account)
        ids = _theme_ids(conn)
        if old not in ids:
            raise NoteRejected(Rejection.NO_THEME, name=old)
        if not new or new == old:
            raise NoteRejected(Rejection.SAME_NAME)
        if has_nul(new):
            raise NoteRejected(Rejection.NUL)
        if new not in ids:
            conn.execute(themes.update().where(themes.c.id == ids[old]).values(name=new))
            _audit(conn, account, "rename_theme", None, f"{old} → {new}")
            return
        tagged = sa.select(note_themes.c.note_id).where(note_themes.c.theme_id == ids[new])
        conn.execute(
            note_themes.update()
            .where(note_themes.c.theme_id == ids[old], note_themes.c.note_id.not_in(tagged))
            .values(theme_id=ids[new])
        )
        conn.execute(note_themes.delete().where(note_themes.c.theme_id == ids[old]))
        conn.execute(themes.delete().where(themes.c.id == ids[old]))
        _audit(conn, account, "merge_theme", None, f"{old} → {new}")


def contacts_in(title: str, body: str, event: str = "") -> list[str]:
    """The e-mail addresses and phone numbers a note's title, text and event still hold."""
    return find_contacts(f"{title}\n{body}\n{event}")


def _check_publishing(title: str, body: str, event: str, visibility: str, confirmed: Collection[str]) -> None:
    """A public note may hold only the contact details staff were shown and confirmed (``confirmed``); one typed
    since, or never shown, is refused by name."""
    unconfirmed = [c for c in contacts_in(title, body, event) if c not in confirmed] if visibility == "public" else []
    if unconfirmed:
        raise NoteRejected(Rejection.PUBLIC_CONTACTS, title=title.strip()[:60], contacts=", ".join(unconfirmed[:5]))


def has_nul(*texts: str) -> bool:
    """Whether any of ``texts`` holds a NUL character, which PostgreSQL cannot store: such text is refused the same
    way on SQLite and PostgreSQL, before any SQL sees it."""
    return any("\x00" in text for text in texts)


def _validate(draft: NoteDraft, known_themes: dict[str, int], contacts_confirmed: Collection[str] = ()) -> None:
    if has_nul(draft.title, draft.body, draft.event, draft.source_file, *draft.themes):
        raise NoteRejected(Rejection.NUL)
    if not draft.title.strip():
        raise NoteRejected(Rejection.NO_TITLE)
    if not draft.body.strip():
        raise NoteRejected(Rejection.NO_TEXT, title=draft.title[:60])
    if len(draft.title) > MAX_TITLE:
        raise NoteRejected(Rejection.LONG_TITLE, limit=MAX_TITLE)
    if len(draft.body) > MAX_BODY:
        raise NoteRejected(Rejection.LONG_TEXT, limit=MAX_BODY)
    bad_areas = [a for a in draft.areas if not 1 <= int(a) <= N_AREAS]
    if bad_areas:
        raise NoteRejected(Rejection.AREA_NUMBER, limit=N_AREAS, number=bad_areas[0])
    bad_wards = [w for w in draft.wards if not 1 <= int(w) <= N_WARDS]
    if bad_wards:
        raise NoteRejected(Rejection.WARD_NUMBER, limit=N_WARDS, number=bad_wards[0])
    if draft.visibility not in VISIBILITIES:
        raise NoteRejected(Rejection.VISIBILITY)
    unknown = [t for t in draft.themes if t not in known_themes]
    if unknown:
        raise NoteRejected(Rejection.UNKNOWN_THEME, name=unknown[0])
    _check_publishing(draft.title, draft.body, draft.event, draft.visibility, contacts_confirmed)


def _audit(conn, account: Account, action: str, note_id: int | None, detail: str = "") -> None:
    conn.execute(
        audit_log.insert().values(at=utcnow(), username=account.username, action=action, note_id=note_id, detail=detail)
    )


def _theme_ids(conn) -> dict[str, int]:
    return {name: id_ for id_, name in conn.execute(sa.select(themes.c.id, themes.c.name))}


def _write_links(conn, note_id: int, draft: NoteDraft, theme_ids: dict[str, int]) -> None:
    for table in (note_areas, note_wards, note_themes):
        conn.execute(table.delete().where(table.c.note_id == note_id))
    if draft.areas:
        conn.execute(
            note_areas.insert(), [{"note_id": note_id, "area_number": int(a)} for a in sorted(set(draft.areas))]
        )
    if draft.wards:
        conn.execute(
            note_wards.insert(), [{"note_id": note_id, "ward_number": int(w)} for w in sorted(set(draft.wards))]
        )
    if draft.themes:
        conn.execute(
            note_themes.insert(), [{"note_id": note_id, "theme_id": theme_ids[t]} for t in sorted(set(draft.themes))]
        )


def add_notes(
    engine: Engine, account: Account, drafts: list[NoteDraft], contacts_confirmed: Collection[str] = ()
) -> list[int]:
    """Store every draft in one transaction: all of them or, on any problem, none. A public draft that still
    holds contact details is refused unless they are all in ``contacts_confirmed`` (shown to staff, who agreed)."""
    now = utcnow()
    ids = []
    with engine.begin() as conn:
        require_staff(conn, account)
        if not drafts:
            raise NoteRejected(Rejection.NOTHING)
        theme_ids = _theme_ids(conn)
        for draft in drafts:
            _validate(draft, theme_ids, contacts_confirmed)
        for draft in drafts:
            note_id = conn.execute(
                notes.insert().values(
                    title=draft.title.strip(), body=draft.body, conversation_date=draft.conversation_date,
                    event=draft.event.strip(), source_file=draft.source_file, created_by=account.username,
                    created_at=now, updated_at=now, visibility=draft.visibility,
                    contacts_removed=draft.contacts_removed,
                )
            ).inserted_primary_key[0]  # fmt: skip
            _write_links(conn, note_id, draft, theme_ids)
            ids.append(note_id)
        files = list(dict.fromkeys(d.source_file for d in drafts if d.source_file))
        detail = f"{len(ids)} note{'s' if len(ids) != 1 else ''}" + (f" from {', '.join(files)}" if files else "")
        _audit(conn, account, "create", ids[0] if len(ids) == 1 else None, detail)
    return ids


def already_stored(engine: Engine, drafts: list[NoteDraft]) -> list[bool]:
    """For each draft, whether a note with the same title and text is stored already (not deleted): an upload
    of the same file again."""
    titles = list({d.title.strip() for d in drafts if not has_nul(d.title, d.body)})  # those cannot be stored
    with engine.connect() as conn:
        stored = {
            (title, body)
            for title, body in conn.execute(
                sa.select(notes.c.title, notes.c.body).where(notes.c.title.in_(titles), notes.c.deleted_at.is_(None))
            )
        }
    return [(d.title.strip(), d.body) in stored for d in drafts]


def update_note(
    engine: Engine, account: Account, note_id: int, draft: NoteDraft, contacts_confirmed: Collection[str] = ()
) -> None:
    """Change a note's details (staff only, audited); public with contact details only when confirmed."""
    with engine.begin() as conn:
        require_staff(conn, account)
        theme_ids = _theme_ids(conn)
        _validate(draft, theme_ids, contacts_confirmed)
        changed = conn.execute(
            notes.update().where(notes.c.id == note_id).values(
                title=draft.title.strip(), body=draft.body, conversation_date=draft.conversation_date,
                event=draft.event.strip(), updated_at=utcnow(), visibility=draft.visibility,
            )
        ).rowcount  # fmt: skip
        if not changed:
            raise NoteRejected(Rejection.NO_NOTE, number=note_id)
        _write_links(conn, note_id, draft, theme_ids)
        _audit(conn, account, "edit", note_id)


def _set_deleted(engine: Engine, account: Account, note_id: int, deleted: bool) -> None:
    with engine.begin() as conn:
        require_staff(conn, account)
        changed = conn.execute(
            notes.update().where(notes.c.id == note_id).values(deleted_at=utcnow() if deleted else None)
        ).rowcount
        if not changed:
            raise NoteRejected(Rejection.NO_NOTE, number=note_id)
        _audit(conn, account, "delete" if deleted else "restore", note_id)


def set_visibility(
    engine: Engine, account: Account, note_id: int, visibility: str, contacts_confirmed: Collection[str] = ()
) -> None:
    """Publish a note (anyone may read it) or make it council-only again; staff only, audited. A note that holds
    contact details is published only when they are all in ``contacts_confirmed``."""
    if visibility not in VISIBILITIES:
        raise NoteRejected(Rejection.VISIBILITY)
    with engine.begin() as conn:
        require_staff(conn, account)
        row = conn.execute(sa.select(notes.c.title, notes.c.body, notes.c.event).where(notes.c.id == note_id)).first()
        if row is None:
            raise NoteRejected(Rejection.NO_NOTE, number=note_id)
        _check_publishing(row.title, row.body, row.event, visibility, contacts_confirmed)
        conn.execute(notes.update().where(notes.c.id == note_id).values(visibility=visibility))
        _audit(conn, account, "publish" if visibility == "public" else "unpublish", note_id)


def readable(conn, account: Account | None):
    """The SQL condition for the notes ``account`` may see: every note for a signed-in, active account (viewer or
    staff), public notes only for anyone else. Checked in the data layer on every read."""
    return sa.true() if active_account(conn, account) else notes.c.visibility == "public"


def delete_note(engine: Engine, account: Account, note_id: int) -> None:
    """Soft delete: hidden from browsing, kept for restore and the audit trail."""
    _set_deleted(engine, account, note_id, True)


def restore_note(engine: Engine, account: Account, note_id: int) -> None:
    _set_deleted(engine, account, note_id, False)


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word quoted (so punctuation cannot be read as query syntax), all required,
    the last one as a prefix."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)[:20]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def ts_query(text: str) -> str:
    """The PostgreSQL twin of :func:`fts_query`: word characters only (so nothing can be read as query
    syntax), all required, the last one as a prefix."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)[:20]
    return " & ".join(words[:-1] + [f"{words[-1]}:*"]) if words else ""


def search(
    engine: Engine,
    text: str = "",
    areas: list[int] | None = None,
    theme: list[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_deleted: bool = False,
    limit: int = 200,
    account: Account | None = None,
    wards: list[int] | None = None,
) -> list[Note]:
    """Notes matching every filter that ``account`` may see (see :func:`readable`), newest conversation first.
    Deleted notes are included only when asked for and the account is staff."""
    query = sa.select(notes.c.id)
    with engine.connect() as conn:
        now = active_account(conn, account)
        query = query.where(readable(conn, account))
    if not (include_deleted and now and now["role"] == "staff"):
        query = query.where(notes.c.deleted_at.is_(None))
    match = fts_query(text)
    if match:
        if engine.dialect.name == "sqlite":
            query = query.where(notes.c.id.in_(sa.text("SELECT rowid FROM notes_fts WHERE notes_fts MATCH :match")
                                                .bindparams(match=match)))  # fmt: skip
        else:  # PostgreSQL: the GIN-indexed tsvector column, same query (every word, the last as a prefix)
            query = query.where(sa.text("search @@ to_tsquery('simple', :tsquery)").bindparams(tsquery=ts_query(text)))
    if areas:
        query = query.where(notes.c.id.in_(sa.select(note_areas.c.note_id).where(note_areas.c.area_number.in_(areas))))
    if wards:
        query = query.where(notes.c.id.in_(sa.select(note_wards.c.note_id).where(note_wards.c.ward_number.in_(wards))))
    if theme:
        named = [t for t in theme if not has_nul(t)]  # no theme's name has a NUL (nor can PostgreSQL be sent one)
        query = query.where(
            notes.c.id.in_(
                sa.select(note_themes.c.note_id).join(themes, themes.c.id == note_themes.c.theme_id)
                .where(themes.c.name.in_(named))
            )
        )  # fmt: skip
    if date_from:
        query = query.where(notes.c.conversation_date >= date_from)
    if date_to:
        query = query.where(notes.c.conversation_date <= date_to)
    query = query.order_by(notes.c.conversation_date.desc().nulls_last(), notes.c.id.desc()).limit(limit)
    with engine.connect() as conn:
        ids = list(conn.execute(query).scalars())
        return _load(conn, ids)


SEARCH_BY = {"community_area": "areas", "ward": "wards"}  # the search filter of each geography's places


def notes_about(
    engine: Engine, geography: str, places: list[int], account: Account | None = None, limit: int = 3
) -> list[Note]:
    """The latest notes about any of ``places`` of ``geography`` that ``account`` may see."""
    return search(engine, limit=limit, account=account, **{SEARCH_BY[geography]: list(places)})


def _load(conn, ids: list[int]) -> list[Note]:
    if not ids:
        return []
    rows = {r["id"]: r for r in conn.execute(sa.select(notes).where(notes.c.id.in_(ids))).mappings()}
    area_map: dict[int, list[int]] = {}
    for note_id, area in conn.execute(sa.select(note_areas).where(note_areas.c.note_id.in_(ids))):
        area_map.setdefault(note_id, []).append(area)
    ward_map: dict[int, list[int]] = {}
    for note_id, ward in conn.execute(sa.select(note_wards).where(note_wards.c.note_id.in_(ids))):
        ward_map.setdefault(note_id, []).append(ward)
    theme_map: dict[int, list[str]] = {}
    joined = sa.select(note_themes.c.note_id, themes.c.name).join(themes, themes.c.id == note_themes.c.theme_id)
    for note_id, name in conn.execute(joined.where(note_themes.c.note_id.in_(ids))):
        theme_map.setdefault(note_id, []).append(name)
    return [
        Note(
            id=i,
            title=rows[i]["title"],
            body=rows[i]["body"],
            conversation_date=rows[i]["conversation_date"],
            event=rows[i]["event"],
            areas=tuple(sorted(area_map.get(i, []))),
            themes=tuple(sorted(theme_map.get(i, []))),
            source_file=rows[i]["source_file"],
            created_by=rows[i]["created_by"],
            created_at=rows[i]["created_at"],
            deleted=rows[i]["deleted_at"] is not None,
            visibility=rows[i]["visibility"],
            contacts_removed=bool(rows[i]["contacts_removed"]),
            wards=tuple(sorted(ward_map.get(i, []))),
        )
        for i in ids
    ]


def _with_theme(theme: str):
    """Notes tagged with the theme named ``theme``."""
    tagged = sa.select(note_themes.c.note_id).join(themes, themes.c.id == note_themes.c.theme_id)
    return notes.c.id.in_(tagged.where(themes.c.name == theme))


def count_by_place(
    engine: Engine, account: Account | None = None, theme: str | None = None, geography: str = "community_area"
) -> dict[int, int]:
    """Number of (not deleted) notes tagged to each place of ``geography`` (community areas or wards), counting
    only the notes ``account`` may see (and, with ``theme``, only the notes that raise it)."""
    place = PLACES[geography]
    with engine.connect() as conn:
        query = (
            sa.select(place, sa.func.count())
            .join(notes, notes.c.id == place.table.c.note_id)
            .where(notes.c.deleted_at.is_(None), readable(conn, account))
            .group_by(place)
        )
        if theme:
            query = query.where(_with_theme(theme))
        return dict(conn.execute(query).all())


def audience_and_version(engine: Engine, account: Account | None) -> tuple[bool, int]:
    """Whether ``account`` may read council-only notes (checked now, as every read is), and the notes' version,
    which the database counts up on every change to them, whoever makes it: together they say when counts read
    earlier are still right."""
    with engine.connect() as conn:
        version = conn.execute(sa.select(notes_version.c.version)).scalar() or 0
        return active_account(conn, account) is not None, int(version)


def top_themes(
    engine: Engine, places: list[int], account: Account | None = None, n: int = 5, geography: str = "community_area"
) -> list[tuple[str, int]]:
    """The themes the notes about any of ``places`` (of ``geography``) raise most (those ``account`` may see), with
    their note counts (a note about two of them counts once)."""
    place = PLACES[geography]
    with engine.connect() as conn:
        query = (
            sa.select(themes.c.name, sa.func.count(sa.distinct(notes.c.id)).label("n"))
            .select_from(notes)
            .join(place.table, place.table.c.note_id == notes.c.id)
            .join(note_themes, note_themes.c.note_id == notes.c.id)
            .join(themes, themes.c.id == note_themes.c.theme_id)
            .where(place.in_(list(places)), notes.c.deleted_at.is_(None), readable(conn, account))
            .group_by(themes.c.name)
            .order_by(sa.desc("n"), themes.c.name)
            .limit(n)
        )
        return [(name, count) for name, count in conn.execute(query)]


def audit_entries(engine: Engine, limit: int = 100) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).mappings().all()
    return pd.DataFrame(rows, columns=["id", "at", "username", "action", "note_id", "detail"])
