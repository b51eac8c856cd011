"""A click on the map as a person makes it (real mouse input at the window sizes people have, a finger on a phone),
and the map by ward: each opens its place's profile the first time and writes it into the address."""

from __future__ import annotations

import json

import pytest
import shapely.geometry
from playwright.sync_api import expect
from pypdf import PdfReader

from settings import SNAPSHOT_DIR

pytestmark = pytest.mark.browser
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
OUTLINE = 'path[stroke="#000000"][stroke-width="4"]'  # the chosen area's outline
DESKTOPS = [(1280, 720), (1366, 768), (1440, 900), (1536, 864), (1920, 1080)]


def point_in(boundaries: str, number_key: str, number: int) -> tuple[float, float]:
    """A point inside a place (lat, lon), from the snapshot's boundaries."""
    features = json.loads((SNAPSHOT_DIR / boundaries).read_text())["features"]
    feature = next(f for f in features if f["properties"][number_key] == number)
    point = shapely.geometry.shape(feature["geometry"]).representative_point()
    return point.y, point.x


ENGLEWOOD = point_in("community_areas.geojson", "area_number", 68)
AUSTIN = point_in("community_areas.geojson", "area_number", 25)
WARD_20 = point_in("wards.geojson", "ward_number", 20)


def open_map(page, url: str, places: int):
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.leaflet-interactive")).to_have_count(places, timeout=60_000)
    return frame


def on_screen(page, frame, lat_lon) -> tuple[float, float]:
    """Where a point of the map is on the screen, after scrolling the page (with the mouse wheel, as a person
    does) until it is in view; the map frame may still be partly below the fold."""
    height = page.viewport_size["height"]
    for _ in range(10):
        xy = frame.locator("#map_div").evaluate(
            f"() => {{ const p = window.map.latLngToContainerPoint([{lat_lon[0]}, {lat_lon[1]}]); return [p.x, p.y]; }}"
        )
        box = page.locator(MAP_FRAME).bounding_box()
        x, y = box["x"] + xy[0], box["y"] + xy[1]
        if 60 < y < height - 40:
            return x, y
        main = page.get_by_test_id("stMain").bounding_box()
        right_of_map = box["x"] + box["width"] + 10
        beside = right_of_map if right_of_map < main["x"] + main["width"] - 10 else box["x"] - 6
        page.mouse.move(beside, height / 2)  # beside the map, in the page: a wheel over the map would zoom it
        page.mouse.wheel(0, y - height / 2)
        page.wait_for_timeout(300)  # the page settles after the wheel (no state to wait on: scrolling is instant)
    raise AssertionError("the place never came into view")


def click(page, frame, lat_lon) -> None:
    """Move the mouse over the place and click it once, with real mouse input."""
    x, y = on_screen(page, frame, lat_lon)
    page.mouse.move(x, y, steps=4)
    page.mouse.click(x, y)


@pytest.mark.parametrize(("width", "height"), DESKTOPS)
def test_a_mouse_click_opens_the_area_the_first_time_at_every_common_desktop_size(browser, app_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        frame = open_map(page, f"{app_url}/Map", 77)
        for point, name, number in ((ENGLEWOOD, "Englewood", 68), (AUSTIN, "Austin", 25)):
            click(page, frame, point)  # once: the profile must open the first time
            expect(page.get_by_role("heading", name=f"Profile of {name}")).to_be_visible(timeout=15_000)
            page.wait_for_url(f"**area={number}**", timeout=15_000)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("address", "places", "point", "heading", "written"),
    [
        ("/Map", 77, ENGLEWOOD, "Profile of Englewood", "area=68"),
        ("/Map?geo=ward&lang=es", 50, WARD_20, "Perfil de Distrito 20", "ward=20"),
    ],
)
def test_a_tap_on_a_phone_opens_the_place(browser, app_url, address, places, point, heading, written):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        frame = open_map(page, f"{app_url}{address}", places)
        x, y = on_screen(page, frame, point)
        page.touchscreen.tap(x, y)
        expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=15_000)
        page.wait_for_url(f"**{written}**", timeout=15_000)
    finally:
        context.close()


def test_a_mouse_click_on_a_ward_at_1440_opens_its_profile_and_writes_it_into_the_address(browser, app_url):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        frame = open_map(page, f"{app_url}/Map?geo=ward", 50)
        click(page, frame, WARD_20)
        expect(page.get_by_role("heading", name="Profile of Ward 20")).to_be_visible(timeout=15_000)
        expect(page.get_by_text("Ward 20 covers these community areas")).to_contain_text("Woodlawn")
        page.wait_for_url("**ward=20**", timeout=15_000)
        assert "geo=ward" in page.url
    finally:
        context.close()


def test_the_search_box_finds_a_ward_by_its_number(offline_page, app_url):
    page = offline_page
    open_map(page, f"{app_url}/Map?geo=ward", 50)
    page.get_by_role("combobox", name="Find a ward").fill("20")
    page.get_by_role("option", name="Ward 20", exact=True).click()
    expect(page.get_by_role("heading", name="Profile of Ward 20")).to_be_visible(timeout=30_000)
    page.wait_for_url("**ward=20**", timeout=30_000)


@pytest.mark.parametrize(("language", "title"), [("en", "Ward 20: digital equity profile"),
                                                 ("es", "Distrito 20: perfil de equidad digital")])  # fmt: skip
def test_a_ward_s_printable_profile_is_one_page_in_both_languages(offline_page, app_url, language, title):
    page = offline_page
    page.goto(f"{app_url}/Map?geo=ward&ward=20&lang={language}")
    button = "Printable one-page profile (PDF)" if language == "en" else "Perfil imprimible de una página (PDF)"
    expect(page.get_by_role("button", name=button)).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)  # the page has finished running
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=button).click()
    pdf = PdfReader(download.value.path())
    assert len(pdf.pages) == 1 and title in pdf.pages[0].extract_text()


def test_a_tooltip_near_the_top_of_a_zoomed_map_stays_inside_the_frame(browser, app_url):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        frame = open_map(page, f"{app_url}/Map?area=68", 77)  # zoomed to Englewood: its neighbours fill the frame
        expect(frame.locator(OUTLINE)).to_have_count(1, timeout=30_000)  # outlined and zoomed in the same step
        page.locator(MAP_FRAME).scroll_into_view_if_needed()
        box = page.locator(MAP_FRAME).bounding_box()
        for x in (0.3, 0.5, 0.7):  # just under the frame's top edge, where an area's name used to sit above it
            page.mouse.move(box["x"] + box["width"] * x, box["y"] + 12, steps=3)
            tip = frame.locator(".leaflet-tooltip").last
            expect(tip).to_be_visible(timeout=5_000)
            shown = tip.bounding_box()
            assert shown["y"] >= box["y"] - 1 and shown["y"] + shown["height"] <= box["y"] + box["height"] + 1
            assert shown["x"] >= box["x"] - 1 and shown["x"] + shown["width"] <= box["x"] + box["width"] + 1
    finally:
        context.close()


def test_on_a_phone_choosing_a_page_closes_the_sidebar(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/Map")
        page.get_by_test_id("stExpandSidebarButton").tap(timeout=60_000)
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_have_attribute("data-collapsed", "false")
        link = sidebar.get_by_role("link", name="Planner")
        box = link.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(page.get_by_role("heading", name="Planner", exact=False).first).to_be_visible(timeout=30_000)
        expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=10_000)
    finally:
        context.close()
