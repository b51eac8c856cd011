"""The map as a person sees it in Chromium, with the internet out of reach."""

from __future__ import annotations

import re
import time

import geopandas as gpd
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from pypdf import PdfReader

from data import snapshot
from settings import SNAPSHOT_DIR

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def open_map(page, app_url):
    page.goto(f"{app_url}/Map")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(77, timeout=60_000)
    return frame


def area_fills(frame) -> list[str]:
    return frame.locator("path.leaflet-interactive").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")


def test_map_draws_77_areas_with_leaflet_served_locally(offline_page, app_url):
    frame = open_map(offline_page, app_url)
    expect(frame.locator(".equity-title")).to_contain_text("No Internet subscription")
    assert offline_page.blocked_requests == []


@pytest.mark.parametrize("width", [1440, 390])
def test_the_legend_covers_no_area_at_any_width(offline_page, app_url, width):
    offline_page.set_viewport_size({"width": width, "height": 900})
    frame = open_map(offline_page, app_url)
    box = offline_page.locator(MAP_FRAME).bounding_box()
    legend = offline_page.locator(".st-key-map_legend")
    legend.wait_for(timeout=30_000)
    drawn = legend.bounding_box()
    assert drawn["y"] >= box["y"] + box["height"] - 1  # below the map frame, never over it
    assert frame.locator(".equity-legend, .legend, .info.legend").count() == 0  # nothing drawn over the areas


def test_clicking_englewood_opens_its_profile(offline_page, app_url):
    frame = open_map(offline_page, app_url)
    areas = gpd.read_file(SNAPSHOT_DIR / snapshot.BOUNDARIES_NAME)
    point = areas.loc[areas["area_name"] == "Englewood", "geometry"].iloc[0].representative_point()
    xy = frame.locator("#map_div").evaluate(
        f"(el) => {{ const p = window.map.latLngToContainerPoint([{point.y}, {point.x}]); return [p.x, p.y]; }}"
    )
    frame.locator("#map_div").click(position={"x": xy[0], "y": xy[1]})
    expect(offline_page.get_by_role("heading", name="Englewood", exact=True)).to_be_visible(timeout=30_000)
    expect(offline_page.get_by_test_id("stTableStyledTable")).to_contain_text("2,679 ± 36029.4 % ± 3.5 points")
    offline_page.wait_for_url("**area=68**", timeout=30_000)  # the click is in the address, ready to share
    outline = frame.locator('path[stroke="#000000"][stroke-width="4"]')
    expect(outline).to_have_count(1, timeout=30_000)  # the chosen area, outlined more strongly than any other
    widths = frame.locator("path.leaflet-interactive").evaluate_all(
        "ps => ps.map(p => Number(p.getAttribute('stroke-width')))"
    )
    assert max(widths) < 4


def map_frame_showing(page, legend_text: str, timeout_s: float = 30):
    """The map frame whose legend names ``legend_text`` (Streamlit may keep the old map for a moment)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            legend = frame.locator(".equity-title")
            try:
                if legend.count() and legend_text in legend.inner_text(timeout=500):
                    if frame.locator("path.leaflet-interactive").count() == 77:
                        return frame
            except PlaywrightError:  # a frame detached while we looked
                continue
        page.wait_for_timeout(200)
    raise AssertionError(f"no map with a legend naming {legend_text!r} within {timeout_s} s")


def test_switching_the_measure_recolours_the_map(offline_page, app_url):
    frame = open_map(offline_page, app_url)
    before = area_fills(frame)
    offline_page.get_by_label(re.compile("^Measure")).first.click()
    offline_page.get_by_role("option", name="No computer").click()
    recoloured = map_frame_showing(offline_page, "No computer")
    assert area_fills(recoloured) != before


def test_a_map_address_opens_with_its_measure_and_area_and_survives_a_visit_elsewhere(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/Map?measure=no_computer&area=68")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".equity-title")).to_contain_text("No computer", timeout=60_000)
    expect(page.get_by_role("heading", name="Profile of Englewood")).to_be_visible(timeout=30_000)
    expect(frame.locator('path[stroke="#000000"][stroke-width="4"]')).to_have_count(1, timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Planner").click()
    expect(page.get_by_role("heading", name="of 77 community areas selected")).to_be_visible(timeout=60_000)
    sidebar.get_by_role("link", name="Map").click()
    expect(page.get_by_role("heading", name="Profile of Englewood")).to_be_visible(timeout=60_000)
    expect(page.frame_locator(MAP_FRAME).locator(".equity-title")).to_contain_text("No computer", timeout=60_000)
    assert "measure=no_computer" in page.url and "area=68" in page.url


def map_view(page):
    """The map's own frame, to read Leaflet's state (``window.map``) inside it."""
    return page.locator(MAP_FRAME).element_handle().content_frame()


def test_the_search_box_finds_an_area_and_zooms_the_map_to_it(offline_page, app_url):
    page = offline_page
    open_map(page, app_url)
    leaflet = map_view(page)
    city_zoom = leaflet.evaluate("window.map.getZoom()")
    page.get_by_role("combobox", name="Find a community area").fill("Hegew")
    page.get_by_role("option", name="Hegewisch").click()
    expect(page.get_by_role("heading", name="Profile of Hegewisch")).to_be_visible(timeout=30_000)
    leaflet.wait_for_function(f"window.map.getZoom() > {city_zoom}", timeout=30_000)
    assert leaflet.evaluate("window.map.getBounds().contains([41.66, -87.55])")  # Hegewisch is in view
    outline = page.frame_locator(MAP_FRAME).locator('path[stroke="#000000"][stroke-width="4"]')
    expect(outline).to_have_count(1, timeout=30_000)


@pytest.mark.parametrize("size", [{"width": 1280, "height": 720}, {"width": 390, "height": 844}])
def test_a_shared_link_opens_the_map_zoomed_on_its_area(browser, app_url, size):
    context = browser.new_context(viewport=size, has_touch=size["width"] < 500)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/Map?area=68")  # Englewood
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator('path[stroke="#000000"][stroke-width="4"]')).to_have_count(1, timeout=60_000)
        leaflet = map_view(page)
        leaflet.wait_for_function("window.map.getZoom() === 12", timeout=30_000)  # not the whole city (10.5)
        assert leaflet.evaluate("window.map.getBounds().contains([41.775, -87.642])")  # Englewood in the middle
        assert not leaflet.evaluate("window.map.getBounds().contains([41.97, -87.66])")  # Uptown is not
    finally:
        context.close()


def test_area_names_can_be_shown_on_the_map(offline_page, app_url):
    frame = open_map(offline_page, app_url)
    expect(frame.locator(".area-label")).to_have_count(0)
    offline_page.get_by_test_id("stSidebar").get_by_text("Area names on the map").click()
    expect(frame.locator(".area-label")).to_have_count(77, timeout=30_000)
    expect(frame.locator(".area-label", has_text="Hegewisch")).to_be_visible()
    expect(frame.locator("path.leaflet-interactive")).to_have_count(77)  # the same map: names are a layer over it


def test_on_a_phone_a_tooltip_stays_inside_the_map_and_closes_after_the_tap(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        frame = open_map(page, app_url)
        box = page.locator(MAP_FRAME).bounding_box()
        areas = gpd.read_file(SNAPSHOT_DIR / snapshot.BOUNDARIES_NAME)
        for name in ("Austin", "South Shore"):  # one at the map's left edge, one at its right
            point = areas.loc[areas["area_name"] == name, "geometry"].iloc[0].representative_point()
            xy = frame.locator("#map_div").evaluate(
                f"(el) => {{ const p = window.map.latLngToContainerPoint([{point.y}, {point.x}]); return [p.x, p.y]; }}"
            )
            frame.locator("#map_div").tap(position={"x": xy[0], "y": xy[1]})
            tooltip = frame.locator(".leaflet-tooltip")
            expect(tooltip).to_contain_text(name, timeout=30_000)
            drawn = tooltip.bounding_box()
            assert drawn["x"] >= box["x"] and drawn["x"] + drawn["width"] <= box["x"] + box["width"]
            expect(tooltip).to_have_count(0, timeout=15_000)  # closed by itself after the tap
    finally:
        context.close()


def test_the_printable_profile_is_one_page(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/Map?area=68")
    expect(page.get_by_role("heading", name="Profile of Englewood")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)  # the page has finished running
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Printable one-page profile (PDF)").click()
    pdf = PdfReader(download.value.path())
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "Englewood: digital equity profile" in text and "29.4 % ± 3.5 points" in text


@pytest.mark.parametrize("width", [1440, 390])
def test_the_profile_fits_the_screen_a_table_on_a_desktop_cards_on_a_phone(offline_page, app_url, width):
    page = offline_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{app_url}/Map?area=68")
    expect(page.get_by_role("heading", name="Profile of Englewood")).to_be_visible(timeout=60_000)
    shown, hidden = (".st-key-wide_profile", ".st-key-phone_profile")[:: 1 if width > 640 else -1]
    expect(page.locator(hidden)).to_be_hidden()
    profile = page.locator(shown)
    expect(profile).to_contain_text("significantly higher than the city")
    box = profile.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # nothing cut at the screen's edge
    if width < 640:
        assert profile.evaluate("el => el.scrollWidth <= el.clientWidth")  # and no sideways scrolling


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_a_table_s_toolbar_covers_none_of_the_words_above_it(browser, app_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=width < 500)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/Map")
        heading = page.get_by_role("heading", name="All 77 community areas")
        heading.scroll_into_view_if_needed(timeout=60_000)
        table = page.locator(".st-key-area_table [data-testid='stDataFrame']")
        box = table.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)  # the toolbar shows while the mouse is over it
        toolbar = page.locator(".st-key-area_table [data-testid='stElementToolbar']")
        expect(toolbar).to_be_visible(timeout=10_000)
        words_end = heading.evaluate("h => { const r = document.createRange(); r.selectNodeContents(h); "
                                     "return r.getBoundingClientRect().bottom; }")  # fmt: skip
        assert toolbar.bounding_box()["y"] >= words_end  # below the heading's last line of words
    finally:
        context.close()
