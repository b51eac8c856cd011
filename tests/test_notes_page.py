"""AppTest: the council-notes page for a visitor, a viewer and a staff member."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from notes import accounts, store
from settings import REPO_ROOT
from tests.support.accounts import PASSWORD, staff_view, store_with_accounts
from ui import auth

PAGE = "pages/3_Council_notes.py"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'page.db'}"
    monkeypatch.setenv("EQUITY_DATABASE_URL", url)
    return store_with_accounts(url)


def open_page() -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.switch_page(PAGE)
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
    next(b for b in at.button if b.label == "Save note").click()
    at.run()
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
    assert at.warning and any("Atlantis" in t.value for t in at.text)
    assert any("773-555-0100" in t.value for t in at.text)  # the contact found, as plain text
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
    assert any(m.value.startswith("50+ note(s)") for m in at.markdown)
    next(b for b in at.button if b.label == "Show 50 more").click().run()
    assert any(m.value.startswith("60 note(s)") for m in at.markdown)


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
    assert not at.warning  # every note has an area
    next(b for b in at.button if b.label == "Save these notes").click().run()
    [note] = staff_view(engine)
    assert note.areas == (31, 68) and note.visibility == "council" and note.contacts_removed
    assert "Saved 1 note(s)." in [s.value for s in at.success]
