"""Staff upload a Word file carrying script; a signed-out visitor sees it as text and nothing runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.accounts import add_staff_with_the_command_line
from tests.support.notes_files import make_docx

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
SCRIPT = '<script>window.__pwned = 1; alert("pwned")</script>'
IMAGE = '<img src=x onerror="window.__pwned = 2">'


def create_staff_account(database_url: str, name: str) -> None:
    add_staff_with_the_command_line(database_url, name, PASSWORD)


def watch_for_script(page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def sign_in_on(page, url: str, name: str, role: str = "staff") -> None:
    """Open ``url`` and sign in as ``name`` from the sidebar."""
    page.goto(url)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("textbox", name="Username").fill(name)
    sidebar.get_by_role("textbox", name="Password").fill(PASSWORD)
    sidebar.get_by_role("button", name="Sign in").click()
    signed_in = "Signed in as staff:" if role == "staff" else "Signed in as a council member:"
    expect(sidebar).to_contain_text(signed_in, timeout=30_000)
    expect(sidebar).to_contain_text(name)


def test_uploaded_script_stays_text_for_a_signed_out_visitor(offline_page, app_server, browser):
    create_staff_account(app_server.database_url, "sam")
    page = offline_page
    dialogs = watch_for_script(page)
    sign_in_on(page, f"{app_server.url}/Council_notes", "sam")

    page.get_by_role("tab", name="Add notes").click()
    title = "Bronzeville conversation " + SCRIPT
    docx = make_docx(title, f"Residents said: {SCRIPT} {IMAGE} and asked for cheaper plans.")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "bronzeville.docx", "mimeType": "application/octet-stream", "buffer": docx}]
    )
    page.get_by_role("button", name="Save these notes").click(timeout=30_000)
    expect(page.get_by_text("Saved 1 note.")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Browse notes").click()
    page.get_by_role("button", name="Publish (anyone can read it)").click(timeout=30_000)
    expect(page.get_by_role("button", name="Make council-only")).to_be_visible(timeout=30_000)

    visitor = browser.new_context()
    visitor.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    other = visitor.new_page()
    dialogs += watch_for_script(other)
    other.goto(f"{app_server.url}/Council_notes")
    expect(other.get_by_text("Residents said:", exact=False)).to_be_visible(timeout=60_000)
    expect(other.get_by_text(SCRIPT, exact=False).first).to_be_visible()  # shown as characters
    assert other.locator('input[type="file"]').count() == 0  # no upload control when signed out
    assert other.evaluate("window.__pwned") is None and page.evaluate("window.__pwned") is None
    assert dialogs == []
    visitor.close()


def sign_in_as_staff(page, app_server, name: str) -> None:
    create_staff_account(app_server.database_url, name)
    sign_in_on(page, f"{app_server.url}/Council_notes", name)


def test_script_in_csv_area_names_and_file_names_never_runs_on_any_page(offline_page, app_server):
    page = offline_page
    dialogs = watch_for_script(page)
    sign_in_as_staff(page, app_server, "kim")
    page.get_by_role("tab", name="Add notes").click()
    marker = "<script>window.__pwned = 4</script>"
    unquoted_image = IMAGE.replace('"', "")
    csv = (
        "title,date,areas,themes,text\n"
        f'"Pilsen tally {marker}",2024-04-04,"Englewood; {marker}","{marker}",{unquoted_image} sticky notes\n'
    ).encode()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": '<img src=x onerror="window.__pwned=3">.csv', "mimeType": "text/csv", "buffer": csv}]
    )
    expect(page.get_by_text("match no community area", exact=False)).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Save these notes").click()
    expect(page.get_by_text("Saved 1 note.")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Browse notes").click()
    page.get_by_role("button", name="Publish (anyone can read it)").click(timeout=30_000)  # every page, signed out
    expect(page.get_by_role("button", name="Make council-only")).to_be_visible(timeout=30_000)

    for path in ["", "Map", "Planner", "Council_notes", "About_the_data"]:
        page.goto(f"{app_server.url}/{path}")
        page.get_by_role("heading").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        assert page.evaluate("window.__pwned") is None, path
    page.goto(f"{app_server.url}/Council_notes")
    expect(page.get_by_text("Pilsen tally <script>", exact=False)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("From <img src=x onerror=", exact=False)).to_be_visible()  # the file name, as text
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert PASSWORD not in app_server.log.read_text()  # the password never reaches the server log


LINKS_AND_ICONS = "Call www.example.org or https://example.org/help <http://example.net> :material/home: AT&amp;T"


def test_links_and_icons_in_a_note_are_plain_text_for_a_signed_out_visitor(offline_page, app_server):
    from notes import accounts, db, store

    engine = db.make_engine(app_server.database_url)
    create_staff_account(app_server.database_url, "lin")
    session = accounts.sign_in(engine, "lin", PASSWORD)
    store.add_notes(
        engine, session, [store.NoteDraft("Library visit", LINKS_AND_ICONS, areas=[68], visibility="public")]
    )
    page = offline_page
    page.goto(f"{app_server.url}/Council_notes")
    expect(page.get_by_text(LINKS_AND_ICONS, exact=True)).to_be_visible(timeout=30_000)
    main = page.get_by_test_id("stMain")
    assert main.locator("a[href*='example']").count() == 0  # no live link
    assert "AT&amp;T" in main.inner_text()  # no entity decoding


def test_an_upload_naming_places_reaches_the_map_for_council_members_and_stays_private(
    offline_page, app_server, browser
):
    """Staff upload a .txt naming Englewood and Pilsen with no area chosen: the preview suggests Englewood and
    Lower West Side; once saved, a signed-in viewer reads it on Englewood's profile (phone number removed); a
    signed-out visitor sees it nowhere until staff publish it."""
    from notes import accounts, db

    page = offline_page
    sign_in_as_staff(page, app_server, "pat")
    page.get_by_role("tab", name="Add notes").click()
    text = b"Englewood and Pilsen residents asked for hotspots. Call Ms. Ruiz at 773-555-0199."
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "hotspots.txt", "mimeType": "text/plain", "buffer": text}]
    )
    expect(page.get_by_text("Preview: 1 note will be stored.", exact=False)).to_be_visible(timeout=30_000)
    assert page.get_by_text("name no community area", exact=False).count() == 0  # areas were suggested
    page.get_by_role("button", name="Save these notes").click()
    expect(page.get_by_text("Saved 1 note.")).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Browse notes").click()
    expect(page.get_by_text("Lower West Side; Englewood", exact=False)).to_be_visible(timeout=30_000)

    accounts.create_account(db.make_engine(app_server.database_url), "val", PASSWORD, "viewer")
    council = browser.new_context(viewport={"width": 1400, "height": 1000})
    council.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    member = council.new_page()
    sign_in_on(member, f"{app_server.url}/Map", "val", role="viewer")
    area_list = member.get_by_role("combobox", name="Community area")
    area_list.click()
    area_list.fill("Englewood")
    member.get_by_role("option", name="Englewood", exact=True).click()
    note = member.get_by_text("Englewood and Pilsen residents asked for hotspots", exact=False).first
    expect(note).to_be_visible(timeout=30_000)
    expect(member.get_by_text("[phone removed]", exact=False).first).to_be_visible()
    council.close()

    visitor = browser.new_context(viewport={"width": 1400, "height": 1000})
    visitor.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    outsider = visitor.new_page()
    outsider.goto(f"{app_server.url}/Council_notes")
    expect(outsider.get_by_role("heading", name="What residents told the Digital Equity Council")).to_be_visible(
        timeout=60_000
    )
    expect(outsider.get_by_text("newest first", exact=False)).to_be_visible(timeout=30_000)
    assert outsider.get_by_text("asked for hotspots", exact=False).count() == 0
    visitor.close()


def test_a_typed_note_goes_through_the_preview_and_its_phone_number_never_reaches_a_visitor(
    offline_page, app_server, browser
):
    """Staff type a public note naming Englewood with a phone number: the preview names the number, suggests the
    area and shows the text as it will be stored; once saved, a signed-out visitor reads it without the number."""
    page = offline_page
    sign_in_as_staff(page, app_server, "tess")
    page.get_by_role("tab", name="Add notes").click()
    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Title").fill("Englewood library hours")
    form.get_by_role("textbox", name="Text").fill("Residents want later hours. Call 312-555-0100 to sign up.")
    form.get_by_text("Public", exact=True).click()
    form.get_by_role("button", name="Preview note").click()
    expect(page.get_by_text("Contact details found in these notes:")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("312-555-0100").first).to_be_visible()
    page.get_by_role("button", name="Save this note").click()
    expect(page.get_by_text("Saved 1 note.")).to_be_visible(timeout=30_000)

    visitor = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    visitor.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    outsider = visitor.new_page()
    outsider.goto(f"{app_server.url}/Council_notes")
    expect(outsider.get_by_text("Residents want later hours.", exact=False)).to_be_visible(timeout=60_000)
    expect(outsider.get_by_text("Englewood", exact=False).first).to_be_visible()
    assert "312-555-0100" not in outsider.get_by_test_id("stMain").inner_text()
    visitor.close()
