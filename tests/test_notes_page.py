"""AppTest: the council-notes page for a visitor, a viewer and a staff member; text shown exactly as typed,
nothing typed lost (a refused note, an expired session, a locked database), junk in the address, and
database faults told in plain words."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from notes import accounts, store
from settings import REPO_ROOT
from tests.support.accounts import PASSWORD, STAFF, staff_view, store_with_accounts
from ui import auth
from ui.faults import database_problem

pytestmark = pytest.mark.slow  # the notes page in AppTest

PAGE = "pages/3_Council_notes.py"
TYPED_AS_IS = "See https://example.org/x and www.example.org or <http://example.net> :material/home: AT&amp;T $x^2$"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'page.db'}"
    monkeypatch.setenv("EQUITY_DATABASE_URL", url)
    return store_with_accounts(url)


def open_page(page: str = PAGE, query: dict | None = None, account=None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if account is not None:
        at.session_state[auth.KEY] = account
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.sidebar.text_input[0].input(username)
    at.sidebar.text_input[1].input(password)
    next(b for b in at.sidebar.button if b.label == "Sign in").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.caption, *at.text])


def markdown_text(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info, *at.success])


def test_visitors_can_browse_but_see_no_upload_control(engine):
    session = accounts.sign_in(engine, "alice", PASSWORD)
    store.add_notes(engine, session, [
        store.NoteDraft("Kelly Library", "People want *cheaper* plans", areas=[68], visibility="public"),
        store.NoteDraft("Council-only notes", "Residents' own words", areas=[68]),
    ])  # fmt: skip
    at = open_page()
    assert "Kelly Library" in texts(at) and "Council-only notes" not in texts(at)
    assert "People want *cheaper* plans" in [t.value for t in at.text]  # as typed, never as Markdown
    assert not at.get("file_uploader")
    assert [t.label for t in at.tabs] == ["Browse notes", "About adding notes"]


def test_wrong_password_shows_a_message_and_no_staff_tools(engine):
    at = sign_in(open_page(), "alice", "not the password")
    assert any("Wrong username or password" in e.value for e in at.error)
    assert not at.get("file_uploader")


def test_a_viewer_account_gets_no_staff_tools(engine):
    at = sign_in(open_page(), "victor")
    assert "Signed in as a council member:" in texts(at)
    assert not at.get("file_uploader")


def test_staff_type_a_note_council_members_read_it_and_visitors_once_published(engine):
    at = sign_in(open_page(), "alice")
    assert at.get("file_uploader")
    form_inputs = {t.label: t for t in at.text_input}
    form_inputs["Title"].input("Hegewisch listening session")
    at.text_area[0].input("Bus riders asked for <b>free</b> Wi-Fi")
    at = save_note(at)
    assert not at.exception
    [note] = staff_view(engine)
    assert note.title == "Hegewisch listening session" and note.created_by == "alice"
    assert note.visibility == "council"  # private by default
    assert "Hegewisch listening session" not in texts(open_page())  # a signed-out visitor sees nothing of it
    viewer = sign_in(open_page(), "victor")
    assert "Bus riders asked for <b>free</b> Wi-Fi" in [t.value for t in viewer.text]
    next(b for b in at.button if b.label.startswith("Publish")).click().run()
    assert "Bus riders asked for <b>free</b> Wi-Fi" in [t.value for t in open_page().text]
    assert staff_view(engine)[0].visibility == "public" and store.audit_entries(engine)["action"][0] == "publish"


def test_staff_upload_preview_then_save_in_one_go(engine):
    at = sign_in(open_page(), "alice")
    csv = b"title,date,areas,themes,text\nOne,2024-01-02,Englewood,devices,Call 773-555-0100\nTwo,,Atlantis,,Second\n"
    at.get("file_uploader")[0].upload("batch.csv", csv, "text/csv").run()
    assert any("Atlantis" in w.value for w in at.warning)  # the name matching no area, in the warning's box
    assert any("773-555-0100" in i.value for i in at.info)  # the contact found, quoted in the notice
    next(b for b in at.button if b.label == "Save these notes").click()
    at.run()
    saved = {n.title: n for n in staff_view(engine)}
    assert set(saved) == {"One", "Two"}
    assert "[phone removed]" in saved["One"].body


def test_notes_are_shown_fifty_at_a_time(engine):
    session = accounts.sign_in(engine, "alice", PASSWORD)
    drafts = [store.NoteDraft(f"Note {i:02d}", "text", areas=[1], visibility="public") for i in range(60)]
    store.add_notes(engine, session, drafts)
    at = open_page()
    assert any(m.value.startswith("50+ notes") for m in at.markdown)
    next(b for b in at.button if b.label == "Show 50 more").click().run()
    assert any(m.value.startswith("60 notes") for m in at.markdown)


def test_staff_delete_restore_and_sign_out_on_the_page(engine):
    session = accounts.sign_in(engine, "alice", PASSWORD)
    store.add_notes(engine, session, [store.NoteDraft("Austin town hall", "Wi-Fi at the library is slow")])
    at = sign_in(open_page(), "alice")
    next(b for b in at.button if b.label == "Delete").click().run()
    assert "Austin town hall" not in texts(at) and staff_view(engine) == []
    at.checkbox[0].check().run()  # "Show deleted notes"
    assert "Deleted note" in texts(at)
    next(b for b in at.button if b.label == "Restore").click().run()
    assert [n.title for n in staff_view(engine)] == ["Austin town hall"]
    assert list(store.audit_entries(engine)["action"][:2]) == ["restore", "delete"]
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert not at.get("file_uploader") and not [b for b in at.button if b.label == "Delete"]


def test_an_expired_session_is_signed_out_with_a_notice(engine):
    import datetime as dt

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.session_state[auth.KEY] = accounts.Account("alice", "staff", accounts.utcnow() - dt.timedelta(seconds=1))
    at.switch_page(PAGE)
    at.run()
    assert any("session expired" in w.value for w in at.warning)
    assert not at.get("file_uploader")


def test_an_upload_naming_places_previews_their_areas_council_only_and_redacted(engine):
    at = sign_in(open_page(), "alice")
    text = b"Englewood and Pilsen residents asked for hotspots. Call 773-555-0199."
    at.get("file_uploader")[0].upload("hotspots.txt", text, "text/plain").run()
    preview = at.dataframe[0].value  # the preview table (data editor), before the audit log
    assert sorted(preview["areas"][0]) == ["Englewood", "Lower West Side"]
    assert preview["visibility"][0] == "Council only"
    stored = preview["text"][0]
    assert "[phone removed]" in stored and "555" not in stored
    assert not [w for w in at.warning if "community area" in w.value]  # every note has an area
    next(b for b in at.button if b.label == "Save these notes").click().run()
    [note] = staff_view(engine)
    assert note.areas == (31, 68) and note.visibility == "council" and note.contacts_removed
    assert "Saved 1 note." in [s.value for s in at.success]


# ------------------------------------------------------------------ text as typed, nothing typed lost, faults


def test_links_icons_maths_and_entities_in_a_note_are_shown_exactly_as_typed(engine):
    staff = accounts.sign_in(engine, STAFF, PASSWORD)
    note = store.NoteDraft("AT&amp;T www.example.org", TYPED_AS_IS, event=":red[x]", visibility="public")
    store.add_notes(engine, staff, [note])
    at = open_page()
    plain = [t.value for t in at.text]
    assert TYPED_AS_IS in plain and "AT&amp;T www.example.org" in plain
    assert any(":red[x]" in t for t in plain)
    shown_as_markdown = markdown_text(at)
    assert "example" not in shown_as_markdown and "material" not in shown_as_markdown and "amp" not in shown_as_markdown


def typed(at: AppTest, field: str):
    """The new-note form's widget (the edit forms of saved notes have the same labels)."""
    widgets = at.text_area if field == "body" else at.text_input
    return next(w for w in widgets if (w.key or "").startswith(f"new_{field}_"))


def type_note(at: AppTest, title: str, body: str) -> AppTest:
    typed(at, "title").input(title)
    typed(at, "body").input(body)
    return at


def preview_note(at: AppTest) -> AppTest:
    """Send the note form: the note appears in the preview every note goes through."""
    next(b for b in at.button if b.label == "Preview note").click()
    return at.run()


def save_note(at: AppTest) -> AppTest:
    """Preview the typed note, then save it from the preview (when the preview is shown: a session that expired
    shows no staff tools)."""
    at = preview_note(at)
    save = [b for b in at.button if b.label == "Save this note"]
    if save:
        save[0].click()
        at.run()
    return at


def test_a_typed_note_gets_the_uploads_preview_suggestions_and_contact_removal(engine):
    at = open_page(account=accounts.sign_in(engine, STAFF, PASSWORD))
    type_note(at, "Englewood library hours", "Met on 12 October 2026. Residents asked for later hours. "
                                             "Call 312-555-0100 for the sign-up list.")  # fmt: skip
    next(r for r in at.radio if (r.key or "").startswith("new_visibility_")).set_value("public")
    at = preview_note(at)
    assert any("312-555-0100" in i.value for i in at.info)  # the contact found, named before anything is stored
    preview = at.dataframe[0].value
    assert list(preview["areas"][0]) == ["Englewood"] and preview["date"][0] == dt.date(2026, 10, 12)
    assert "[phone removed]" in preview["text"][0] and staff_view(engine) == []  # nothing stored before Save
    next(b for b in at.button if b.label == "Save this note").click().run()
    [note] = staff_view(engine)
    assert note.areas == (68,) and note.contacts_removed and "555" not in note.body
    visitor = open_page()
    assert "Englewood library hours" in texts(visitor) and "312-555-0100" not in texts(visitor)


def test_a_note_changed_after_its_preview_is_previewed_again_never_saved_unseen(engine):
    at = preview_note(type_note(open_page(account=accounts.sign_in(engine, STAFF, PASSWORD)), "Austin", "Slow Wi-Fi"))
    typed(at, "body").input("Slow Wi-Fi; call 773-555-0142")  # changed after the preview
    next(b for b in at.button if b.label == "Save this note").click().run()
    assert staff_view(engine) == [] and any("changed since its preview" in i.value for i in at.info)
    assert any("773-555-0142" in i.value for i in at.info)  # the new preview names the new phone number
    next(b for b in at.button if b.label == "Save this note").click().run()
    [note] = staff_view(engine)
    assert note.body == "Slow Wi-Fi; call [phone removed]"


def test_a_typed_note_naming_no_place_or_date_is_warned_about_before_it_is_saved(engine):
    at = preview_note(type_note(open_page(account=accounts.sign_in(engine, STAFF, PASSWORD)), "Notes", "Wi-Fi"))
    warnings = " ".join(w.value for w in at.warning)
    assert "names no community area" in warnings and "no date of the conversation" in warnings


def test_a_public_note_keeping_contact_details_needs_an_explicit_confirmation(engine):
    at = open_page(account=accounts.sign_in(engine, STAFF, PASSWORD))
    type_note(at, "Pilsen follow-up", "Write to ana@example.org")
    next(r for r in at.radio if (r.key or "").startswith("new_visibility_")).set_value("public")
    at = preview_note(at)
    next(c for c in at.checkbox if c.label.startswith("Remove these")).uncheck().run()
    assert any("anyone will be able to read" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Save this note").click().run()
    assert staff_view(engine) == [] and any("ana@example.org" in e.value for e in at.error)
    next(c for c in at.checkbox if c.label == "Publish them with these contact details").check().run()
    next(b for b in at.button if b.label == "Save this note").click().run()
    assert [n.visibility for n in staff_view(engine)] == ["public"]


def test_publishing_a_note_with_contact_details_names_them_and_waits_for_a_yes(engine):
    staff = accounts.sign_in(engine, STAFF, PASSWORD)
    store.add_notes(engine, staff, [store.NoteDraft("Austin tenants", "Call 773-555-0142 about the hotspots")])
    at = open_page(account=staff)
    next(b for b in at.button if b.label.startswith("Publish")).click().run()
    assert any("773-555-0142" in w.value for w in at.warning) and staff_view(engine)[0].visibility == "council"
    next(b for b in at.button if b.label == "Cancel").click().run()
    assert not any("773-555-0142" in w.value for w in at.warning)
    next(b for b in at.button if b.label.startswith("Publish")).click().run()
    next(b for b in at.button if b.label == "Publish with these contact details").click().run()
    assert staff_view(engine)[0].visibility == "public"


def test_signed_out_menus_name_only_the_themes_published_notes_raise(engine):
    staff = accounts.sign_in(engine, STAFF, PASSWORD)
    store.add_theme(engine, staff, "eviction threats")
    store.add_notes(engine, staff, [
        store.NoteDraft("Private", "text", areas=[68], themes=["eviction threats"]),
        store.NoteDraft("Public", "text", areas=[68], themes=["devices"], visibility="public"),
    ])  # fmt: skip
    for page in (PAGE, "pages/1_Map.py", "pages/2_Planner.py"):
        at = open_page(page)
        options = " ".join(o for w in [*at.multiselect, *at.selectbox] for o in w.options)
        assert "devices" in options and "eviction threats" not in options, page
    signed_in = open_page(account=staff)
    assert "eviction threats" in [o for w in signed_in.multiselect for o in w.options]


def test_a_note_refused_for_a_missing_title_keeps_what_was_typed(engine):
    at = open_page(account=accounts.sign_in(engine, STAFF, PASSWORD))
    at = save_note(type_note(at, "", "Three pages of what residents said"))
    assert any("Nothing was saved; what you typed is still here" in e.value for e in at.error)
    assert len(staff_view(engine, include_deleted=True)) == 0
    assert typed(at, "body").value == "Three pages of what residents said"


def test_a_note_typed_past_the_idle_timeout_is_kept_until_the_user_signs_in_and_saves(engine):
    at = open_page(account=accounts.sign_in(engine, STAFF, PASSWORD))
    type_note(at, "Pilsen meeting", "Residents want Spanish-language help")
    at.session_state[auth.KEY] = accounts.Account(STAFF, "staff", accounts.utcnow() - dt.timedelta(seconds=1))
    at = save_note(at)
    assert any("session expired" in w.value for w in at.warning)
    assert any("is kept" in i.value for i in at.info) and len(staff_view(engine, include_deleted=True)) == 0
    at.sidebar.text_input[0].input(STAFF)
    at.sidebar.text_input[1].input(PASSWORD)
    next(b for b in at.sidebar.button if b.label == "Sign in").click()
    at.run()
    assert typed(at, "body").value == "Residents want Spanish-language help"
    at = save_note(at)
    assert [n.title for n in staff_view(engine)] == ["Pilsen meeting"]
    assert typed(at, "body").value == ""  # emptied once saved


@pytest.mark.parametrize("area", ["²", "9" * 10_000, "-1", "68abc", "%00"])
def test_junk_in_the_address_is_ignored_without_a_traceback(engine, area):
    at = open_page(query={"area": area})
    assert at.title[0].value == "What residents told the Digital Equity Council"


def test_a_file_that_is_not_a_database_gets_a_sentence_and_the_map_keeps_working(tmp_path, monkeypatch):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database, " * 100)
    monkeypatch.setenv("EQUITY_DATABASE_URL", f"sqlite:///{path}")
    at = open_page()
    assert [e.value for e in at.error] == [
        "The notes database file is damaged or is not a database. Tell an administrator."
    ]
    assert str(path) not in markdown_text(at)
    the_map = open_page("pages/1_Map.py", query={})
    assert len(the_map.get("component_instance")) == 1
    assert any(len(table.value) == 77 for table in the_map.dataframe)  # the map and its table still work


def test_a_locked_database_says_busy_and_keeps_the_typed_note(engine, tmp_path):
    at = open_page(account=accounts.sign_in(engine, STAFF, PASSWORD))
    type_note(at, "Austin meeting", "Slow Wi-Fi at the library")
    blocker = sqlite3.connect(tmp_path / "page.db", timeout=1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        at = save_note(at)
    finally:
        blocker.rollback()
        blocker.close()
    assert any("busy" in e.value for e in at.error)
    assert typed(at, "body").value == "Slow Wi-Fi at the library"


def test_database_faults_are_told_in_words_a_staff_member_can_act_on():
    read_only = sqlite3.OperationalError("attempt to write a readonly database")
    assert "read-only" in database_problem(read_only) and "administrator" in database_problem(read_only)
    assert "Try again" in database_problem(OSError("No such file or directory: /srv/x"))
    assert "/srv" not in database_problem(OSError("No such file or directory: /srv/x"))
