"""A planner's shared link, opened in Chromium, restores the filters it carries."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_shared_link_restores_its_filters(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/Planner?side=Far%20Southeast%20Side&measure=no_broadband&min_pct=15")
    expect(page.get_by_role("heading", name="of 77 community areas selected")).to_be_visible(timeout=60_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Far Southeast Side")
    expect(sidebar.get_by_role("combobox", name="Measure")).to_have_value("No broadband")
    expect(sidebar.get_by_label("Minimum %")).to_have_value("15.00")
    heading = page.get_by_role("heading", name="of 77 community areas selected").inner_text()
    assert int(heading.split()[0]) <= 12
    # changing a filter rewrites the address, so the link can be shared again
    sidebar.get_by_label("Minimum %").fill("20")
    sidebar.get_by_label("Minimum %").press("Enter")
    page.wait_for_url("**min_pct=20**", timeout=30_000)
    assert "side=Far+Southeast+Side" in page.url or "side=Far%20Southeast%20Side" in page.url
    assert page.blocked_requests == []


def test_filters_are_the_same_after_visiting_another_page_and_coming_back(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/Planner?side=South%20Side&min_pct=20")
    heading = page.get_by_role("heading", name="of 77 community areas selected")
    expect(heading).to_be_visible(timeout=60_000)
    before = heading.inner_text()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", name="Chicago digital equity map")).to_be_visible(timeout=60_000)
    sidebar.get_by_role("link", name="Planner").click()
    expect(heading).to_have_text(before, timeout=60_000)
    expect(sidebar.get_by_label("Minimum %")).to_have_value("20.00")
    expect(sidebar).to_contain_text("South Side")
    assert "min_pct=20" in page.url and "max_pct" not in page.url  # an empty bound stays out of the address
