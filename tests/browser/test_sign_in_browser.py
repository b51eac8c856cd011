"""Signing in as a person would, in Chromium: the City's sign-in against a real OpenID Connect provider started
here (harness/oidc, the certified oidc-provider package with test users), its role mapping, a reload that keeps
the sign-in, signing out; an unknown City user who reads only published notes; a council member who reads but
cannot write; and a local account whose reload keeps the sign-in and whose sign-out in one tab ends the other
tab's sign-in at its next action."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from harness.appserver import AppDidNotStart, free_port, start_app, stop_app
from harness.oidc import ProviderDidNotStart, start_provider, write_secrets
from tests.support.accounts import add_staff_with_the_command_line

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
STAFF_GROUP = "equity-staff"  # the group harness/oidc/provider.mjs puts staff@city.test in
ALLOW_LISTED = "listed@city.test"  # a test user in no group, on the app's allow-list
COUNCIL = "council@city.test"  # a test user in no group, on the app's council list


@pytest.fixture(scope="module")
def city_app(tmp_path_factory):
    """The app with the City's sign-in pointed at the local test provider (secrets made up for this run, in a
    temporary folder), staff by group and by allow-list."""
    workdir = tmp_path_factory.mktemp("city")
    port = free_port()
    try:
        provider, auth = start_provider(workdir, port)
    except ProviderDidNotStart as exc:
        pytest.fail(str(exc))
    secrets_file = write_secrets(workdir / "secrets.toml", auth)
    settings = {"EQUITY_CITY_STAFF_GROUP": STAFF_GROUP, "EQUITY_CITY_STAFF_EMAILS": ALLOW_LISTED,
                "EQUITY_CITY_COUNCIL_EMAILS": COUNCIL}  # fmt: skip
    try:
        app, url = start_app(workdir, settings, port=port, extra_args=("--secrets.files", str(secrets_file)))
    except AppDidNotStart as exc:
        stop_app(provider)
        pytest.fail(str(exc))
    yield SimpleNamespace(url=url, database_url=f"sqlite:///{workdir / 'notes.db'}")
    stop_app(app)
    stop_app(provider)


@pytest.fixture
def local_only(page):
    """A page that may reach this machine only (the app and the test provider)."""
    page.context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort())
    page.set_default_timeout(30_000)
    return page


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def city_sign_in(page, url: str, email: str) -> None:
    """Open the Council notes page, choose the City's sign-in and sign in at the provider as ``email``."""
    page.goto(f"{url}/Council_notes")
    sidebar(page).get_by_role("button", name="Sign in with your City account").click()
    page.wait_for_url("**/interaction/**")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill("test fixture: the provider takes any password")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/**")


def expect_staff(page, name: str) -> None:
    expect(sidebar(page)).to_contain_text("Signed in as staff:", timeout=60_000)
    expect(sidebar(page)).to_contain_text(name)
    expect(page.get_by_role("tab", name="Add notes")).to_be_visible()


@pytest.mark.parametrize("email", ["staff@city.test", ALLOW_LISTED])
def test_city_staff_sign_in_keep_it_on_reload_and_sign_out(local_only, city_app, email):
    page = local_only
    city_sign_in(page, city_app.url, email)
    page.goto(f"{city_app.url}/Council_notes")
    expect_staff(page, email)  # by the staff group, or by the allow-list
    page.reload()
    expect_staff(page, email)
    sidebar(page).get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/session/end**")  # the provider asks, as the City's would
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{city_app.url}/")
    expect(sidebar(page).get_by_role("button", name="Sign in with your City account")).to_be_visible()
    page.goto(f"{city_app.url}/Council_notes")
    expect(sidebar(page).get_by_role("button", name="Sign in with your City account")).to_be_visible()
    expect(page.get_by_role("tab", name="About adding notes")).to_be_visible()  # signed out: no staff form
    assert "Signed in" not in sidebar(page).inner_text()


def test_an_unknown_city_user_reads_only_what_everyone_reads(local_only, city_app):
    page = local_only
    city_sign_in(page, city_app.url, "visitor@city.test")
    page.goto(f"{city_app.url}/Council_notes")
    expect(sidebar(page)).to_contain_text("not on the Council's list", timeout=60_000)
    assert "Signed in" not in sidebar(page).inner_text()
    expect(page.get_by_text("Signed out, you see the notes staff have published.")).to_be_visible()
    assert page.get_by_role("tab", name="Add notes").count() == 0
    assert page.locator('input[type="file"]').count() == 0


def test_a_council_member_reads_but_cannot_write_and_signing_out_ends_the_other_tab(local_only, city_app):
    page = local_only
    city_sign_in(page, city_app.url, COUNCIL)
    page.goto(f"{city_app.url}/Council_notes")
    expect(sidebar(page)).to_contain_text("Signed in as a council member:", timeout=60_000)
    expect(sidebar(page)).to_contain_text(COUNCIL)
    expect(page.get_by_role("tab", name="About adding notes")).to_be_visible()
    assert page.get_by_role("tab", name="Add notes").count() == 0
    assert page.locator('input[type="file"]').count() == 0

    other = page.context.new_page()  # a second tab: signed in by Streamlit's identity cookie
    other.set_default_timeout(30_000)
    other.goto(f"{city_app.url}/Council_notes")
    expect(sidebar(other)).to_contain_text("Signed in as a council member:", timeout=60_000)
    sidebar(page).get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{city_app.url}/")
    sidebar(other).get_by_role("link", name="Home").click()  # the other tab's next action
    expect(other.get_by_text("You were signed out")).to_be_visible()
    expect(sidebar(other).get_by_role("button", name="Sign in with your City account")).to_be_visible()


def test_a_local_sign_in_survives_a_reload_and_signing_out_ends_it_in_the_other_tab(local_only, city_app):
    add_staff_with_the_command_line(city_app.database_url, "sam", PASSWORD)
    page = local_only
    page.goto(f"{city_app.url}/Council_notes")
    sidebar(page).get_by_role("textbox", name="Username").fill("sam")
    sidebar(page).get_by_role("textbox", name="Password").fill(PASSWORD)
    with page.expect_response(lambda r: r.url.split("?")[0].endswith("/equity/cookie")) as set_by_the_server:
        sidebar(page).get_by_role("button", name="Sign in", exact=True).click()
    expect_staff(page, "sam")
    assert set_by_the_server.value.status == 204
    cookie = next(c for c in page.context.cookies() if c["name"] == "equity_session")
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/" and cookie["httpOnly"]
    assert "equity_session" not in page.evaluate("document.cookie")  # no script on the page can read it
    assert cookie["value"] not in page.content()  # nor find the token in the page
    page.reload()
    expect_staff(page, "sam")

    other = page.context.new_page()  # a second tab of the same browser: signed in by the cookie
    other.set_default_timeout(30_000)
    other.goto(f"{city_app.url}/Council_notes")
    expect_staff(other, "sam")

    sidebar(page).get_by_role("button", name="Sign out").click()
    expect(sidebar(page).get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    sidebar(other).get_by_role("link", name="Home").click()  # the other tab's next action
    expect(other.get_by_text("You were signed out")).to_be_visible()
    expect(sidebar(other).get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    page.reload()
    expect(sidebar(page).get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    assert "Signed in" not in sidebar(page).inner_text()
