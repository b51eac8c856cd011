"""The Planner in Chromium: shared links, filters kept across pages, downloads and the small map."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from data.snapshot import COLUMNS
from geo.maps import OTHER_AREAS

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


def download(page, button: str) -> Path:
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)  # the page has finished running
    with page.expect_download(timeout=60_000) as started:
        page.get_by_role("button", name=button).click()
    return Path(started.value.path())


SHOWN = ["Period", "Community area", "Share of households (%)", "± share (points)", "Rank of 77", "Plausible ranks",
         "Compared with the city", "Households without an Internet subscription", "± households", "All households",
         "Reliability", "CV (%)", "Side"]  # fmt: skip


def test_the_exports_carry_the_columns_on_screen_and_excel_names_what_the_table_is(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/Planner?side=Far%20Southeast%20Side")
    expect(page.get_by_role("heading", name="12 of 77 community areas selected")).to_be_visible(timeout=60_000)
    table = pd.read_csv(download(page, "Table (CSV)"))
    assert list(table.columns) == SHOWN and len(table) == 12
    assert set(table["Period"]) == {"ACS 2017-2021 5-year"}
    counted = "Households without an Internet subscription"
    assert table[counted].dtype == "int64" and (table["Share of households (%)"] * 10).round(6).mod(1).eq(0).all()
    sheet = openpyxl.load_workbook(io.BytesIO(download(page, "Table (Excel)").read_bytes())).active
    block = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(1, 8)}
    assert block["Period"] == "ACS 2017-2021 5-year" and "American Community Survey" in block["Source"]
    assert block["Measure"].startswith("No Internet subscription") and "margin of error" in block["Method"]
    assert " ± " in block[counted] and "in the selection" in block[counted]  # the selection's total ± MOE
    assert "side=Far+Southeast+Side" in block["Filters (the Planner's address)"]
    header_row = len(block) + 2
    assert [sheet.cell(header_row, c).value for c in range(1, len(SHOWN) + 1)] == SHOWN
    assert sheet.max_row == header_row + 12
    assert sheet.freeze_panes == f"C{header_row + 1}"  # headings and names stay in view
    assert sheet.cell(header_row + 1, SHOWN.index(counted) + 1).number_format == "#,##0"
    raw = pd.read_csv(download(page, "All snapshot columns (CSV)"))
    assert list(raw.columns) == COLUMNS and len(raw) == 12
    pdf = PdfReader(download(page, "Printable one-page summary (PDF)"))
    text = pdf.pages[0].extract_text()
    assert len(pdf.pages) == 1 and "12 community areas chosen in the Planner" in text
    assert "Filters: sides: Far Southeast Side" in " ".join(text.split())  # in words, not an address


def test_the_small_map_colours_the_chosen_areas_and_greys_the_others(offline_page, app_url):
    page = offline_page
    page.goto(f"{app_url}/Planner?side=Far%20Southeast%20Side")
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    expect(frame.locator("path.leaflet-interactive")).to_have_count(77 + 12, timeout=60_000)
    fills = frame.locator("path.leaflet-interactive").evaluate_all("ps => ps.map(p => p.getAttribute('fill'))")
    assert fills.count(OTHER_AREAS) == 77  # every area grey underneath
    assert len([f for f in fills if f != OTHER_AREAS]) == 12 and len(set(fills)) > 2  # the chosen, by class
