"""WCAG 2.1 AA as axe-core checks it, in Chromium: every page in English and Spanish (the map's frame included),
and the Map used with the keyboard alone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
AXE = Axe()
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
PAGES = ["", "Map", "Planner", "Council_notes", "About_the_data", "Map?geo=ward&ward=20", "Planner?geo=ward"]
AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, "iframes": False}


def serious_violations(target) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations in a page or frame, as 'rule: element'."""
    target.evaluate(AXE.axe_script)
    result = target.evaluate("options => axe.run(document, options)", AA)
    return [
        f"{v['id']}: {node['html'][:160]} {node.get('failureSummary', '')[:160]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


def open_settled(page, url: str) -> None:
    """Open a page and wait until it has drawn (its title, and on the Map the 77 areas)."""
    page.goto(url)
    expect(page.locator("[data-testid=stMain] h1")).to_be_visible(timeout=60_000)
    if "/Map" in url:
        frame = page.frame_locator(MAP_FRAME)
        places = 50 if "geo=ward" in url else 77
        expect(frame.locator("path.leaflet-interactive")).to_have_count(places, timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)  # the run has finished
    page.wait_for_function(  # and the page's own style sheet and language are in place
        "lang => document.documentElement.lang === lang && [...document.querySelectorAll('style')]"
        ".some(s => s.textContent.includes('stCaptionContainer'))",
        arg="es" if "lang=es" in url else "en", timeout=60_000,
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violation(offline_page, app_url, path, language):
    page = offline_page
    open_settled(page, f"{app_url}/{path}{'&' if '?' in path else '?'}lang={language}")
    assert page.evaluate("document.documentElement.lang") == language
    found = serious_violations(page)
    for frame in page.frames[1:]:  # the map's own frame
        if "streamlit_folium" in frame.url:
            found += [f"map frame: {v}" for v in serious_violations(frame)]
    assert found == []


def test_a_keyboard_alone_finds_an_area_and_reads_its_profile(offline_page, app_url):
    page = offline_page
    open_settled(page, f"{app_url}/Map")
    search = page.get_by_role("combobox", name="Find a community area")
    for _ in range(80):  # Tab through the sidebar and the map to the search box
        page.keyboard.press("Tab")
        if search.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the search box")
    ring = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert ring == ["solid", "3px"]  # the focus is visible
    page.keyboard.type("Englew")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Profile of Englewood")).to_be_visible(timeout=30_000)
    profile = page.locator(".st-key-wide_profile")
    expect(profile).to_contain_text("significantly higher than the city")
    page.keyboard.press("Tab")  # and the keyboard carries on past the search box, towards the profile's links
    assert page.evaluate("document.activeElement !== document.body")


def test_the_map_has_a_text_alternative(offline_page, app_url):
    page = offline_page
    open_settled(page, f"{app_url}/Map?lang=es")
    summary = page.get_by_text("En palabras: lo más alto en", exact=False)
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("West Englewood")  # the highest share, ACS 2017-2021
    expect(page.frame_locator(MAP_FRAME).locator(".equity-title")).to_contain_text("Sin suscripción a Internet")
