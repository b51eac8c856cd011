"""The sections of the Council notes page: browse (everyone), upload, type a note, codebook and audit log
(staff). User text is always shown as plain text; every write goes through the data layer's staff check."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from notes import store
from notes.accounts import AccessDenied, Account
from notes.export import export_json, notes_frame
from notes.places import AreaLookup
from notes.redact import redact_all
from notes.uploads import read_batch, typed_batch
from ui import auth
from ui.downloads import safe_csv_bytes
from ui.faults import database_problem
from ui.i18n import N_, _, ngettext, theme_words
from ui.logs import event
from ui.text import notice, plain
from ui.widgets import download, note_card
from ui.words import denial, rejection, unmatched_names, upload_refusal

PAGE_SIZE = 50  # notes per screen; the downloads hold the notes shown
AREAS, WARDS = "community_area", "ward"  # the geographies a note can name (``notes.store.PLACES``)


def attempt(engine, action, *args, kept: str = "") -> tuple[bool, object]:
    """Run a write as the signed-in account (the data layer refuses it unless the account is active staff).
    On a refusal or a database fault, say so and what the user still has (``kept``); returns (done, result)."""
    kept = kept or _("what you typed is still here.")
    try:
        result = True, action(engine, auth.account(), *args)
        event("notes written", action=getattr(action, "__name__", "write"))
        return result
    except AccessDenied as exc:
        event("notes write refused", action=getattr(action, "__name__", "write"), reason=exc.reason)
        notice("error", _("Nothing was saved; {kept}").format(kept=kept), denial(exc.reason))
    except store.NoteRejected as exc:
        event("notes write refused", action=getattr(action, "__name__", "write"), reason=exc.reason)
        notice("error", _("Nothing was saved; {kept}").format(kept=kept), rejection(exc))
    except SQLAlchemyError as exc:
        st.error(database_problem(exc) + " " + _("Nothing was saved; {kept}").format(kept=kept))
    return False, None


def write(engine, action, *args) -> None:
    """:func:`attempt` a write, then show the page again; on any refusal, what was typed stays."""
    done, _result = attempt(engine, action, *args)
    if done:
        st.rerun()


def edit_form(engine, note: store.Note, names: dict[str, dict[int, str]], themes: list[str]) -> None:
    areas, wards = names[AREAS], names[WARDS]
    with st.form(f"edit_{note.id}"):
        title = st.text_input(_("Title"), note.title, max_chars=store.MAX_TITLE)
        body = st.text_area(_("Text"), note.body, height=200)
        date = st.date_input(_("Date of the conversation"), note.conversation_date, format="YYYY-MM-DD")
        event = st.text_input(_("Event or session"), note.event)
        chosen_areas = st.multiselect(_("Community areas"), list(areas), list(note.areas), format_func=areas.get,
                                      placeholder=_("Choose areas"))  # fmt: skip
        chosen_wards = st.multiselect(_("Wards"), list(wards), list(note.wards), format_func=wards.get,
                                      placeholder=_("Choose wards"))  # fmt: skip
        chosen = st.multiselect(_("Themes"), themes, [t for t in note.themes if t in themes], format_func=theme_words,
                                placeholder=_("Choose themes"))  # fmt: skip
        visibility = visibility_picker(note.visibility, key=f"vis_{note.id}")
        contacts = store.contacts_in(note.title, note.body, note.event)
        shown = _("If it is public, anyone may read its contact details: {contacts}").format(
            contacts=", ".join(contacts)
        )
        confirmed = contacts if contacts and st.checkbox(shown, key=f"contacts_ok_{note.id}") else []
        if st.form_submit_button(_("Save changes")):
            draft = store.NoteDraft(title, body, date, event, chosen_areas, chosen, visibility=visibility,
                                    wards=chosen_wards)  # fmt: skip
            write(engine, store.update_note, note.id, draft, confirmed)


def visibility_picker(current: str = "council", key: str | None = None) -> str:
    """Council only (the default: signed-in viewer and staff accounts) or public (anyone)."""
    return st.radio(_("Who can read it"), list(VISIBILITY_WORDS), list(VISIBILITY_WORDS).index(current),
                    format_func=lambda v: _(VISIBILITY_WORDS[v]), horizontal=True, key=key)  # fmt: skip


def show_note(engine, note: store.Note, names: dict[str, dict[int, str]], themes: list[str], staff: bool) -> None:
    """One note as plain text, with staff controls."""
    with note_card(note, names[AREAS]):
        if note.source_file:
            plain(_("From {file}, added by {name}").format(file=note.source_file, name=note.created_by))
        if not staff:
            return
        edit_col, delete_col = st.columns([1, 6])
        if note.deleted:
            if delete_col.button(_("Restore"), key=f"restore_{note.id}"):
                write(engine, store.restore_note, note.id)
            return
        if delete_col.button(_("Delete"), key=f"delete_{note.id}"):
            write(engine, store.delete_note, note.id)
        if note.visibility == "public":
            if delete_col.button(_("Make council-only"), key=f"publish_{note.id}"):
                write(engine, store.set_visibility, note.id, "council")
        else:
            publish_control(engine, note, delete_col)
        with edit_col.popover(_("Edit")):
            edit_form(engine, note, names, themes)


def publish_control(engine, note: store.Note, where) -> None:
    """Publish a council-only note in one click; when its text still holds e-mail addresses or phone numbers,
    first name them and ask staff to confirm that anyone may read them."""
    contacts = store.contacts_in(note.title, note.body, note.event)
    asking = f"confirm_publish_{note.id}"
    if where.button(_("Publish (anyone can read it)"), key=f"publish_{note.id}"):
        if not contacts:
            write(engine, store.set_visibility, note.id, "public")
            return
        st.session_state[asking] = True
    if not st.session_state.get(asking):
        return
    notice("warning", _("Publishing lets anyone read these contact details in this note:"), ", ".join(contacts))
    yes, no = st.columns(2)
    if yes.button(_("Publish with these contact details"), key=f"publish_yes_{note.id}"):
        st.session_state.pop(asking)
        write(engine, store.set_visibility, note.id, "public", contacts)
    if no.button(_("Cancel"), key=f"publish_no_{note.id}"):
        st.session_state.pop(asking)
        st.rerun()


def seeded(param: str, known: dict[int, str]) -> list[int]:
    """Places a link names (``?area=68``, ``?ward=20``, several separated by commas), known ones only."""
    raw = st.query_params.get(param, "")
    listed = [int(n) for n in raw.split(",")] if re.fullmatch(r"[0-9]{1,2}(,[0-9]{1,2}){0,76}", raw) else []
    return [n for n in dict.fromkeys(listed) if n in known]


def browse_section(engine, names: dict[str, dict[int, str]], themes: list[str], account: Account | None) -> None:
    """Search and filter the notes the reader may see (public ones only when signed out), download what is
    shown, and page through them 50 at a time."""
    staff = auth.is_staff(account)
    if account is None:
        st.caption(_("Signed out, you see the notes staff have published. Council members sign in to read them all."))
    areas, wards = names[AREAS], names[WARDS]
    query = st.text_input(_("Search the notes"), placeholder=_("e.g. price, Spanish, library"))
    filters = st.columns(5)
    area_filter = filters[0].multiselect(_("Community area"), list(areas), seeded("area", areas),
                                         format_func=areas.get, placeholder=_("All areas"))  # fmt: skip
    ward_filter = filters[1].multiselect(_("Ward"), list(wards), seeded("ward", wards), format_func=wards.get,
                                         placeholder=_("All wards"))  # fmt: skip
    theme_filter = filters[2].multiselect(_("Theme"), themes, format_func=theme_words, placeholder=_("All themes"))
    date_from = filters[3].date_input(_("From"), None, format="YYYY-MM-DD")
    date_to = filters[4].date_input(_("To"), None, format="YYYY-MM-DD")
    show_deleted = staff and st.checkbox(_("Show deleted notes (to restore them)"))
    limit = st.session_state.setdefault("notes_shown", PAGE_SIZE)
    found = store.search(engine, query, area_filter, theme_filter, date_from, date_to, show_deleted, limit + 1,
                         account=account, wards=ward_filter)  # fmt: skip
    more = len(found) > limit
    found = found[:limit]
    shown = ngettext("{n} note, newest first.", "{n} notes, newest first.", len(found))
    st.write(shown.format(n=f"{len(found)}{'+' if more else ''}"))
    exports = st.columns(2)
    download(exports[0], _("Download these notes (CSV)"), lambda: safe_csv_bytes(notes_frame(found, areas)),
             "council_notes.csv", "text/csv", disabled=not found)  # fmt: skip
    download(exports[1], _("Download these notes (JSON)"), lambda: export_json(found, areas), "council_notes.json",
             "application/json", disabled=not found)  # fmt: skip
    for note in found:
        show_note(engine, note, names, themes, staff)
    if more and st.button(_("Show {n} more").format(n=PAGE_SIZE)):
        st.session_state["notes_shown"] = limit + PAGE_SIZE
        st.rerun()


VISIBILITY_WORDS = {"council": N_("Council only"), "public": N_("Public")}


def upload_problems(batch) -> None:
    """What staff should read first: files refused, and names that match no area or theme."""
    for unmatched in batch.warnings:
        notice(
            "warning", _("Some names in this upload match nothing and will be left out:"), unmatched_names(unmatched)
        )
    for refused in batch.rejected:  # the sentence names the file, so it is shown as plain text
        notice("error", _("A file was refused. Nothing from this file will be saved:"), upload_refusal(refused))


def details_editor(
    drafts: list[store.NoteDraft], names: dict[str, dict[int, str]], themes: list[str], key: str
) -> list:
    """Each note's details, editable one by one (areas and wards suggested from its text, council-only by
    default); the text column shows what will be stored. Returns the drafts with the details as edited."""
    by_name = {name: number for number, name in names[AREAS].items()}
    ward_by_name = {name: number for number, name in names[WARDS].items()}
    theme_by_words = {theme_words(theme): theme for theme in themes}  # the codebook in the reader's language
    words = {v: _(w) for v, w in VISIBILITY_WORDS.items()}
    table = pd.DataFrame(
        {
            "title": [d.title for d in drafts],
            "visibility": [words[d.visibility] for d in drafts],
            "areas": [[names[AREAS][a] for a in d.areas] for d in drafts],
            "wards": [[names[WARDS][w] for w in d.wards] for d in drafts],
            "themes": [[theme_words(t) for t in d.themes] for d in drafts],
            "date": [d.conversation_date for d in drafts],
            "event": [d.event for d in drafts],
            "text": [d.body[:300] for d in drafts],
            "file": [d.source_file for d in drafts],
        }
    )
    edited = st.data_editor(
        table, key=key, hide_index=True, width="stretch", num_rows="fixed", disabled=["text", "file"],
        column_config={
            "title": st.column_config.TextColumn(_("Title"), width="medium"),
            "visibility": st.column_config.SelectboxColumn(_("Who can read it"), options=list(words.values()),
                                                           required=True, width=125),
            "areas": st.column_config.MultiselectColumn(_("Community areas"), options=sorted(by_name), width="medium"),
            "wards": st.column_config.MultiselectColumn(_("Wards"), options=list(ward_by_name), width="small"),
            "themes": st.column_config.MultiselectColumn(_("Themes"), options=list(theme_by_words), width="medium"),
            "date": st.column_config.DateColumn(_("Date"), format="YYYY-MM-DD", width="small"),
            "event": st.column_config.TextColumn(_("Event"), width="small"),
            "text": st.column_config.TextColumn(_("Text as it will be stored"), width="large"),
            "file": st.column_config.TextColumn(_("File")),
        },
    )  # fmt: skip
    visibility = {w: v for v, w in words.items()}
    return [
        dataclasses.replace(
            draft,
            title=str(row["title"] or ""),
            conversation_date=_date(row["date"]),
            event=str(row["event"] or ""),
            areas=[by_name[n] for n in (row["areas"] or []) if n in by_name],
            wards=[ward_by_name[n] for n in (row["wards"] or []) if n in ward_by_name],
            themes=[theme_by_words[t] for t in (row["themes"] or []) if t in theme_by_words],
            visibility=visibility[row["visibility"]],
        )  # fmt: skip
        for draft, (_index, row) in zip(drafts, edited.iterrows(), strict=True)
    ]


def _date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def upload_section(engine, names: dict[str, dict[int, str]], themes: list[str], places: dict) -> None:
    """Upload files, then the preview every note goes through (:func:`preview_and_save`)."""
    st.subheader(_("Upload files"))
    st.caption(_(".txt, .md, .docx (Word), .pdf (with text) — one note per file — or .csv with the columns "
                 "title, date, areas, themes, text (one note per row). Up to 10 MB each."))  # fmt: skip
    generation = st.session_state.get("up_n", 0)
    # No `type=` filter: Streamlit would raise on other extensions; parse_upload explains instead.
    uploads = st.file_uploader(_("Files"), accept_multiple_files=True, key=f"up_{generation}")
    if uploads:
        files = [(u.name, u.getvalue()) for u in uploads]
        seen = st.session_state.setdefault("parsed_uploads", {})  # each file parsed once, not on every rerun
        batch = read_batch(files, AreaLookup(names[AREAS]), themes, places, seen, store.theme_keywords(engine))
        upload_problems(batch)
        preview_and_save(engine, batch, names, themes, f"details_{generation}", _("Save these notes"),
                         kept=_("the files and their details are still here."), on_saved=_new_uploader)  # fmt: skip
    if "saved_message" in st.session_state:
        st.success(st.session_state.pop("saved_message"))


def _new_uploader() -> None:
    st.session_state["up_n"] = st.session_state.get("up_n", 0) + 1  # a fresh uploader and table
    st.session_state.pop("parsed_uploads", None)


def preview_and_save(
    engine, batch, names, themes: list[str], key: str, save_label: str | None, kept: str, on_saved, save: bool = False
) -> None:
    """The one preview every note goes through before it is stored, typed or uploaded: contact details found
    (removed unless staff untick the box), notes stored already (left out unless staff untick), each note's
    details as suggested from its words (editable), warnings for notes with no area or no date, and an explicit
    confirmation before a public note keeps contact details. Then one transaction saves them all: on the button
    ``save_label`` under the preview, or, without one, when the caller says ``save`` (the typed note's form)."""
    drafts = without_those_stored(engine, with_contacts_choice(batch, key), key) if batch.drafts else []
    if batch.drafts and not drafts:
        st.info(_("Every one of these notes is stored already: there is nothing new to save."))
    if not drafts:
        return
    st.write(ngettext("**Preview: {n} note will be stored.** Check its details below.",
                      "**Preview: {n} notes will be stored.** Check each note's details below.",
                      len(drafts)).format(n=len(drafts)))  # fmt: skip
    drafts = details_editor(drafts, names, themes, key=key)
    warn_about_missing_areas(drafts)
    warn_about_missing_dates(drafts)
    contacts_confirmed = confirm_public_contacts(drafts, key)
    if (save_label and st.button(save_label, type="primary", key=f"save_{key}")) or save:
        done, ids = attempt(engine, store.add_notes, drafts, contacts_confirmed, kept=kept)
        if done:
            on_saved()
            st.session_state["saved_message"] = ngettext("Saved {n} note.", "Saved {n} notes.", len(ids)).format(
                n=len(ids)
            )
            st.rerun()


def confirm_public_contacts(drafts: list[store.NoteDraft], key: str) -> list[str]:
    """When a note to be published still holds e-mail addresses or phone numbers, name them and ask staff to
    confirm that anyone may read them (the store refuses such a note otherwise). Returns the contact details
    confirmed (none until the box is ticked)."""
    exposed = [(d.title, store.contacts_in(d.title, d.body, d.event)) for d in drafts if d.visibility == "public"]
    lines = [f"{title}: {', '.join(found)}" for title, found in exposed if found]
    if not lines:
        return []
    notice("warning", _("These public notes still hold contact details that anyone will be able to read:"),
           "\n".join(lines[:20]))  # fmt: skip
    ticked = st.checkbox(_("Publish them with these contact details"), value=False, key=f"confirm_{key}")
    return [contact for _title, found in exposed for contact in found] if ticked else []


def without_those_stored(engine, drafts: list[store.NoteDraft], key: str) -> list[store.NoteDraft]:
    """The drafts, less those already stored (the same file uploaded again) unless staff untick the box."""
    stored = store.already_stored(engine, drafts)
    if not any(stored):
        return drafts
    titles = [d.title for d, kept in zip(drafts, stored, strict=True) if kept]
    notice("warning", ngettext("{n} of these notes is stored already:", "{n} of these notes are stored already:",
                               len(titles)).format(n=len(titles)), "\n".join(titles[:20]))  # fmt: skip
    if st.checkbox(_("Leave out the notes already stored"), value=True, key=f"skip_{key}"):
        return [d for d, kept in zip(drafts, stored, strict=True) if not kept]
    return drafts


def warn_about_missing_dates(drafts: list[store.NoteDraft]) -> None:
    """Name the notes whose file gave no date of the conversation (a date filter would hide them)."""
    missing = [d.title for d in drafts if d.conversation_date is None]
    if missing:
        notice("warning", ngettext(
            "{n} note has no date of the conversation: none was found in its title, text or file name. Choose it "
            "in the table, or the date filter will leave it out.",
            "{n} notes have no date of the conversation: none was found in their titles, texts or file names. "
            "Choose them in the table, or the date filter will leave them out.", len(missing)).format(n=len(missing)),
            "\n".join(missing[:20]))  # fmt: skip


def with_contacts_choice(batch, key: str) -> list[store.NoteDraft]:
    """The drafts, with e-mail addresses and phone numbers removed unless staff untick the box."""
    drafts = copy.deepcopy(batch.drafts)
    if batch.contacts:
        notice("info", _("Contact details found in these notes:"), ", ".join(batch.contacts[:20]))
        if st.checkbox(_("Remove these e-mail addresses and phone numbers before saving"), value=True,
                       key=f"redact_{key}"):  # fmt: skip
            redact_all(drafts)
    return drafts


def warn_about_missing_areas(drafts: list[store.NoteDraft]) -> None:
    missing = [d.title for d in drafts if not d.areas]
    if missing:
        notice(
            "warning",
            ngettext(
                "{n} note names no community area, so it will not appear on the map. Choose areas in the table, "
                "or save it as it is.",
                "{n} notes name no community area, so they will not appear on the map. Choose areas in the table, "
                "or save them as they are.",
                len(missing),
            ).format(n=len(missing)),
            "\n".join(missing[:20]),
        )


DRAFT_FIELDS = ("title", "body", "date", "event", "areas", "wards", "themes", "visibility")
KEPT = "kept_note_draft"


def _draft_keys() -> dict[str, str]:
    """Widget keys of the note form; a new generation after each save gives an empty form."""
    generation = st.session_state.get("note_form_generation", 0)
    return {field: f"new_{field}_{generation}" for field in DRAFT_FIELDS}


def keep_draft() -> None:
    """When a session expires, keep what was typed in the note form until the user signs in again."""
    kept = {f: st.session_state[k] for f, k in _draft_keys().items() if k in st.session_state}
    if kept.get("title") or kept.get("body"):
        st.session_state[KEPT] = kept
        st.info(_("The note you were typing is kept: sign in again and it will be filled back in, ready to save."))


def typed_note_section(engine, names: dict[str, dict[int, str]], themes: list[str], places: dict) -> None:
    """Type a note, then see it in the same preview as an upload (:func:`preview_and_save`) before it is
    stored. What was typed stays in the form when a save is refused, and through an expired session."""
    st.subheader(_("Type a note"))
    keys = _draft_keys()
    for field, value in st.session_state.pop(KEPT, {}).items():  # a draft kept through an expired session
        st.session_state[keys[field]] = value
    st.session_state.setdefault(keys["date"], None)  # "not given" unless typed or found in the text
    with st.form("new_note"):
        title = st.text_input(_("Title"), max_chars=store.MAX_TITLE, key=keys["title"])
        body = st.text_area(_("Text"), height=180, key=keys["body"])
        cols = st.columns(2)
        date = cols[0].date_input(_("Date of the conversation"), format="YYYY-MM-DD", key=keys["date"])
        event = cols[1].text_input(_("Event or session"), key=keys["event"])
        areas = st.multiselect(_("Community areas"), list(names[AREAS]), format_func=names[AREAS].get,
                               key=keys["areas"], placeholder=_("Choose areas"))  # fmt: skip
        wards = st.multiselect(_("Wards"), list(names[WARDS]), format_func=names[WARDS].get, key=keys["wards"],
                               placeholder=_("Choose wards"))  # fmt: skip
        chosen = st.multiselect(_("Themes"), themes, key=keys["themes"], format_func=theme_words,
                                placeholder=_("Choose themes"))  # fmt: skip
        visibility = visibility_picker(key=keys["visibility"])
        sent = (title, body, date, event, tuple(areas), tuple(wards), tuple(chosen), visibility)
        previewed = st.session_state.get(PREVIEWED)  # (how many previews, the form's values in the latest)
        buttons = st.columns([1, 1, 3])
        preview = buttons[0].form_submit_button(_("Preview note"))
        save = bool(previewed) and buttons[1].form_submit_button(_("Save this note"), type="primary")
    if preview or (save and previewed[1] != sent):  # what is saved is always what the preview showed
        if save:
            st.session_state[CHANGED] = True
        st.session_state[PREVIEWED] = ((previewed[0] if previewed else 0) + 1, sent)
        st.rerun()  # the form shows its Save button from now on
    if st.session_state.pop(CHANGED, False):
        st.info(_("The note changed since its preview, so nothing was saved: check the preview below, then save."))
    if previewed:
        draft = store.NoteDraft(title, body, date, event, areas, chosen, visibility=visibility, wards=wards)
        batch = typed_batch(draft, places, store.theme_keywords(engine))
        key = f"typed_{keys['title']}_{previewed[0]}"
        preview_and_save(engine, batch, names, themes, key, None, kept="", on_saved=_new_note_form, save=save)


PREVIEWED = "typed_note_preview"  # (how many times the note form was previewed, the values it had then)
CHANGED = "typed_note_changed"  # Save was pressed on a form changed since its preview


def _new_note_form() -> None:
    """After a save: an empty form, no preview."""
    st.session_state["note_form_generation"] = st.session_state.get("note_form_generation", 0) + 1
    st.session_state.pop(PREVIEWED, None)


def codebook_section(engine, themes: list[str]) -> None:
    """The codebook: its themes (shown as typed), adding one, renaming one or merging it into another."""
    with st.expander(_("Codebook of themes")):
        plain(", ".join(theme_words(t) for t in themes))
        new_theme = st.text_input(_("New theme"))
        if st.button(_("Add theme")) and new_theme.strip():
            write(engine, store.add_theme, new_theme)
        st.caption(_("Rename a theme, or give it the name of another to merge them (its notes are re-tagged)."))
        old = st.selectbox(_("Theme"), themes, index=None, key="rename_from", placeholder=_("Choose a theme"),
                           format_func=theme_words)  # fmt: skip
        new = st.text_input(_("New name, or the theme to merge into"), key="rename_to")
        if st.button(_("Rename or merge")) and old and new.strip():
            write(engine, store.rename_theme, old, new)


def audit_columns() -> dict:
    """The audit log's column headings, in the reader's language."""
    return {"id": _("Change"), "at": _("When (UTC)"), "username": _("Who"), "action": _("What"),
            "note_id": _("Note"), "detail": _("Detail")}  # fmt: skip


def audit_section(engine) -> None:
    with st.expander(_("Audit log (latest 100 changes)")):
        st.dataframe(store.audit_entries(engine).rename(columns=audit_columns()), hide_index=True, width="stretch")
