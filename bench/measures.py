"""The measurements behind ``python -m bench``. Each returns (ours, naive baseline) from the same run."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import statistics
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import folium
import sqlalchemy as sa

from data import apportion as apportion_module
from data import build, snapshot, tables
from data.moe import moe_sum
from data.raw import COMMUNITY_AREAS_FILE
from settings import REPO_ROOT, SNAPSHOT_DIR, raw_data_dir

MAIN = "acs5_2017_2021"


@contextmanager
def timer(out: list):
    start = time.perf_counter()
    yield
    out.append(time.perf_counter() - start)


# ------------------------------------------------------------------ build


def naive_apportion(tracts, crosswalk, parts):
    """Baseline: one Python pass per area (same maths, no vectorised group-by)."""
    import pandas as pd

    comps = apportion_module.components(tracts, crosswalk, parts)
    rows = {}
    for area in sorted(comps["area_number"].unique()):
        part = comps[comps["area_number"] == area]
        part = part[part["weight"] != 0]
        estimate = sum(w * e for w, e in zip(part["weight"], part["estimate"], strict=True))
        rows[area] = {"estimate": estimate, "moe": moe_sum(part["estimate"], part["moe"], part["weight"])}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("area_number")


def build_seconds(tmp: Path, repeats: int) -> tuple[float, float]:
    ours, naive = [], []
    for i in range(repeats):
        with timer(ours):
            build.build(tmp / f"ours{i}", log=lambda *_: None)
        with mock.patch.object(tables, "apportion", naive_apportion), timer(naive):
            build.build(tmp / f"naive{i}", log=lambda *_: None)
    return statistics.median(ours), statistics.median(naive)


# ------------------------------------------------------------------ rank ranges


def rank_ranges_seconds(repeats: int) -> tuple[float, float]:
    """Seconds to simulate one measure's plausible ranks for the 77 areas at the tract level (as the pages do, once
    per period, geography and measure for every visitor), next to drawing the areas' shares independently (the
    earlier method, which ignored that areas sharing a split tract move together)."""
    from data import analysis
    from data.geographies import COMMUNITY_AREA
    from data.place_table import read_place_table

    table = read_place_table(SNAPSHOT_DIR, MAIN, COMMUNITY_AREA, snapshot.read_manifest(SNAPSHOT_DIR))
    inputs, point = table.tract_inputs(), analysis.ranks(table.rows, "no_subscription")
    recipe = inputs.vintage.recipe
    ours, naive = [], []
    for _ in range(repeats):
        with timer(ours):
            analysis.tract_rank_ranges(point, inputs.tracts, inputs.crosswalk, recipe["no_subscription"],
                                       recipe["households"], inputs.number)  # fmt: skip
        with timer(naive):
            analysis.rank_ranges(table.rows, "no_subscription")
    return statistics.median(ours), statistics.median(naive)


# ------------------------------------------------------------------ map weight


def map_html_bytes() -> tuple[int, int]:
    from data.geographies import COMMUNITY_AREA
    from data.place_table import read_boundaries, read_place_table
    from geo import maps
    from ui import format as fmt
    from ui.prose import tooltip_lines

    table = read_place_table(SNAPSHOT_DIR, MAIN, COMMUNITY_AREA, snapshot.read_manifest(SNAPSHOT_DIR))
    areas, rows = snapshot.read_areas(MAIN, SNAPSHOT_DIR), table.rows
    ours = maps.choropleth_map(maps.areas_layer(
        read_boundaries(SNAPSHOT_DIR, COMMUNITY_AREA), rows, "no_subscription_pct",
        maps.classify(rows["no_subscription_pct"], "quantiles", 5, fmt.pct), tooltip_lines(rows, "no_subscription"),
        table.unreliable("no_subscription"), "legend",
    ))  # fmt: skip
    raw = json.loads((raw_data_dir() / COMMUNITY_AREAS_FILE).read_text())
    naive = folium.Map(location=maps.CHICAGO_CENTER, zoom_start=10)
    folium.Choropleth(
        geo_data=raw, data=areas.assign(area_numbe=areas["area_number"].astype(str)),
        columns=["area_numbe", "no_subscription_pct"], key_on="feature.properties.area_num_1", fill_color="YlOrRd",
    ).add_to(naive)  # fmt: skip
    return maps.map_html_bytes(ours), maps.map_html_bytes(naive)


# ------------------------------------------------------------------ server reruns

PAGES = {  # name: (page, its address)
    "Home": ("app.py", {}),
    "Map": ("pages/1_Map.py", {}),
    "Map by ward": ("pages/1_Map.py", {"geo": "ward"}),
    "Planner": ("pages/2_Planner.py", {}),
    "Planner by ward": ("pages/2_Planner.py", {"geo": "ward"}),
    "Council notes": ("pages/3_Council_notes.py", {}),
    "About the data": ("pages/4_About_the_data.py", {}),
}


def _rerun_times(at, repeats: int, between=None) -> list[float]:
    times = []
    for _ in range(repeats):
        if between:
            between()
        with timer(times):
            at.run()
    return times


def _app_test(page: str, query: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page != "app.py":
        at.switch_page(page)
    at.run()  # warm: the first run of a setting renders and caches
    return at


def page_rerun_seconds(repeats: int) -> dict[str, tuple[float, float, str]]:
    """Server time of a rerun with nothing changed, per page: ours next to a baseline measured in the same run.
    The Map's baseline is the naive page (bench/naive_map_page.py: raw boundaries, folium.Choropleth, no
    caching); the others' is the same page with every cache of the numbers cleared before each run."""
    from streamlit.testing.v1 import AppTest

    from ui.cache import clear_numbers

    results = {}
    for name, (page, query) in PAGES.items():
        at = _app_test(page, query)
        ours = _rerun_times(at, repeats)
        if name == "Map":
            naive_page = AppTest.from_file(str(REPO_ROOT / "bench" / "naive_map_page.py"), default_timeout=120)
            naive_page.run()
            results[name] = (median(ours), median(_rerun_times(naive_page, repeats)), "naive page, no caching")
        else:
            naive = _rerun_times(at, repeats, between=clear_numbers)
            results[name] = (median(ours), median(naive), "caches of the numbers cleared before each run")
    return results


def planner_selection_seconds(repeats: int) -> tuple[float, float]:
    """Planner rerun after a filter change to a selection seen before (ours), and the same with the caches of the
    numbers cleared (baseline): the small map keeps its frame and only its selection layer changes."""
    from ui.cache import clear_numbers

    at = _app_test("pages/2_Planner.py")
    sides = ["South Side", "Far Southeast Side"]
    for side in sides:  # each selection seen once
        at.multiselect(key="p_sides").set_value([side]).run()
    ours, naive = [], []
    for i in range(repeats):
        at.multiselect(key="p_sides").set_value([sides[i % 2]])
        with timer(ours):
            at.run()
        clear_numbers()
        at.multiselect(key="p_sides").set_value([sides[(i + 1) % 2]])
        with timer(naive):
            at.run()
    return median(ours), median(naive)


def median(values) -> float:
    return statistics.median(values)


# ------------------------------------------------------------------ in Chromium


def raw_boundaries_file(tmp: Path) -> Path:
    """The City's unsimplified boundaries with our properties, for the app to serve as a baseline."""
    import geopandas as gpd

    from data.raw import read_city_community_areas

    props = gpd.read_file(SNAPSHOT_DIR / snapshot.BOUNDARIES_NAME).drop(columns="geometry")
    raw = read_city_community_areas().merge(props, on="area_number")
    path = tmp / "raw_boundaries.geojson"
    path.write_text(raw.to_json())
    return path


# Chromium sends everything but loopback (which it never proxies) to a dead proxy: outside requests fail fast,
# as in an offline browser, while its HTTP cache keeps working (request interception would turn it off).
OFFLINE_ARGS = ["--proxy-server=http://127.0.0.1:9"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
FIRST, LATER = "server start → 77 areas drawn, first session", "page opened → 77 areas drawn, a later session"
CLICK, MEASURE, FILTER = (
    "map click → profile shown",
    "measure change → map recoloured",
    "planner filter change → table updated",
)
MEMORY_1, MEMORY_20 = "server memory after 1 session (its first map)", "server memory after 20 sessions"
MEMORY_TOUR = "server memory after the first session's 3 clicks, 3 measures and the Planner"
GROWTH = "memory growth per further session"


def browser_timings(tmp: Path, raw_boundaries: Path, starts: int = 3) -> dict[str, tuple[float, float, str]]:
    """Each row for our app and for the same app serving the City's unsimplified boundaries (the baseline):
    medians of ``starts`` server starts for the first session, of three clicks and three measure changes, of
    19 later sessions; memory after 1 and 20 sessions."""
    from playwright.sync_api import sync_playwright

    from harness.appserver import CHROMIUM, CHROMIUM_ARGS

    found: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *OFFLINE_ARGS])
        for label, env in (("ours", {}), ("naive", {"EQUITY_BOUNDARIES_FILE": str(raw_boundaries)})):
            firsts = [_first_session(browser, tmp / f"app_{label}_start{i}", env) for i in range(starts)]
            found.setdefault(FIRST, []).append(median(firsts))
            for name, value in _one_server(browser, tmp / f"app_{label}", env).items():
                found.setdefault(name, []).append(value)
        browser.close()
    units = {MEMORY_1: "MB", MEMORY_TOUR: "MB", MEMORY_20: "MB", GROWTH: "MB"}
    return {name: (v[0], v[1], units.get(name, "s")) for name, v in found.items()}


def _first_session(browser, work: Path, env: dict) -> float:
    """Seconds from starting the server to the first visitor's 77 areas drawn."""
    from harness.appserver import start_app, stop_app

    work.mkdir()
    started = time.perf_counter()
    proc, url = start_app(work, env)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        _open_map(context.new_page(), url)
        context.close()
        return time.perf_counter() - started
    finally:
        stop_app(proc)


CLICKED = ["Englewood", "Rogers Park", "Hegewisch"]
MEASURES_CHOSEN = ["No computer", "No broadband", "Cellular data plan only"]


def _one_server(browser, work: Path, env: dict) -> dict[str, float]:
    from harness.appserver import start_app, stop_app

    work.mkdir()
    proc, url = start_app(work, env)
    out = {}
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        _open_map(page, url)
        out[MEMORY_1] = _rss_mb(proc.pid)
        out[CLICK] = median([_click(page, name) for name in CLICKED])
        out[MEASURE] = median([_change_measure(page, name) for name in MEASURES_CHOSEN])
        out[FILTER] = _filter_planner(page, url)
        context.close()
        out[MEMORY_TOUR] = _rss_mb(proc.pid)  # the caches the first visitor filled stay for everyone
        later = []
        for _ in range(19):  # 19 more visitors, one after another, each leaving
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            opened = time.perf_counter()
            _open_map(context.new_page(), url)
            later.append(time.perf_counter() - opened)
            context.close()
        out[LATER] = median(later)
        out[MEMORY_20] = _rss_mb(proc.pid)
        out[GROWTH] = (out[MEMORY_20] - out[MEMORY_TOUR]) / 19
    finally:
        stop_app(proc)
    return out


# Every "until" below is checked by the page itself on each animation frame (Playwright's own retries wait
# 100, 250, 500, 1000 ms between checks, which would round every figure up to those steps).
AREAS_DRAWN = "document.querySelectorAll('path.leaflet-interactive').length >= 77"


def _open_map(page, url: str) -> None:
    page.goto(f"{url}/Map")
    frame = page.wait_for_selector(MAP_FRAME, timeout=120_000).content_frame()
    frame.wait_for_function(AREAS_DRAWN, polling="raf", timeout=120_000)


HEADING = "name => [...document.querySelectorAll('h1,h2,h3')].some(h => h.textContent.trim() === name)"


def _click(page, name: str) -> float:
    """From a click on the area ``name`` to its profile's heading."""
    lat, lon = _inside(name)
    frame = page.frame_locator(MAP_FRAME)
    xy = frame.locator("#map_div").evaluate(
        f"(el) => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }}"
    )
    clicked = time.perf_counter()
    frame.locator("#map_div").click(position={"x": xy[0], "y": xy[1]})
    page.wait_for_function(HEADING, arg=name, polling="raf", timeout=60_000)
    return time.perf_counter() - clicked


def _change_measure(page, measure: str) -> float:
    """From choosing another measure to the map's own title naming it (the recoloured map is drawn)."""
    from playwright.sync_api import Error as PlaywrightError

    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Measure").click()
    chosen = time.perf_counter()
    page.get_by_role("option", name=measure, exact=True).click()
    while time.perf_counter() - chosen < 60:  # the new map frame replaces the old one: look in every frame
        for frame in page.frames:
            try:
                title = frame.locator(".equity-title")
                if title.count() and measure in title.inner_text(timeout=200):
                    if frame.locator("path.leaflet-interactive").count() == 77:
                        return time.perf_counter() - chosen
            except PlaywrightError:  # a frame detached while we looked
                continue
        page.wait_for_timeout(20)
    raise TimeoutError("the map was not recoloured within 60 s")


def _filter_planner(page, url: str) -> float:
    page.goto(f"{url}/Planner")
    page.wait_for_function(HEADING, arg="77 of 77 community areas selected", polling="raf", timeout=60_000)
    box = page.get_by_test_id("stSidebar").get_by_label("Minimum %")
    box.fill("20")
    changed = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(f"() => !({HEADING})('77 of 77 community areas selected')", polling="raf", timeout=60_000)
    return time.perf_counter() - changed


def _rss_mb(pid: int) -> float:
    """Resident memory of the server process, in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _inside(name: str) -> tuple[float, float]:
    """A point inside the community area ``name`` (lat, lon)."""
    import geopandas as gpd

    areas = gpd.read_file(SNAPSHOT_DIR / snapshot.BOUNDARIES_NAME)
    point = areas.loc[areas["area_name"] == name, "geometry"].iloc[0].representative_point()
    return point.y, point.x


# ------------------------------------------------------------------ notes search

WORDS = [f"w{i:04d}" for i in range(3000)]  # synthetic vocabulary: a labelled bench fixture, not real notes


def notes_search_p95(tmp: Path, n: int, url: str | None = None) -> tuple[float, float]:
    """p95 of a one-word search over ``n`` notes on SQLite (or the database at ``url``), signed in."""
    from notes import accounts, db, store

    engine = db.make_engine(url or f"sqlite:///{tmp / 'bench_notes.db'}")
    accounts.create_account(engine, "bench", "bench password 123", "staff")
    session = accounts.sign_in(engine, "bench", "bench password 123")
    rng = random.Random(7)
    start = dt.date(2023, 1, 1)
    for batch in range(0, n, 2000):
        drafts = [
            store.NoteDraft(
                title=f"Synthetic bench note {i}",
                body=" ".join(rng.choices(WORDS, k=60)),
                conversation_date=start + dt.timedelta(days=i % 700),
                areas=[1 + i % 77],
            )
            for i in range(batch, min(batch + 2000, n))
        ]
        store.add_notes(engine, session, drafts)
    queries = rng.sample(WORDS, 60)
    ours, naive = [], []
    like = sa.text(
        "SELECT id FROM notes WHERE deleted_at IS NULL AND (title LIKE :p OR body LIKE :p)"
        " ORDER BY conversation_date DESC, id DESC LIMIT 200"  # the naive query, on either back end
    )
    with engine.connect() as conn:
        for word in queries:
            with timer(ours):
                store.search(engine, word, account=session)
            with timer(naive):
                conn.execute(like, {"p": f"%{word}%"}).all()
    return _p95(ours), _p95(naive)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def notes_search_p95_postgres(tmp: Path, n: int) -> tuple[float, float]:
    """:func:`notes_search_p95` on a throwaway PostgreSQL server (Debian's package, as in the tests)."""
    import shutil
    import tempfile

    from harness.postgres import start_postgres

    workdir = Path(tempfile.mkdtemp(prefix="equity-bench-pg-"))  # the server runs as `postgres`
    url, stop = start_postgres(workdir)
    try:
        return notes_search_p95(tmp, n, url)
    finally:
        stop()
        shutil.rmtree(workdir, ignore_errors=True)


# ------------------------------------------------------------------ uploads

OLD_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # the pattern before issue #25: quadratic on long words
OLD_PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


def contact_finding_seconds(ours_chars: int = 200_000, naive_chars: int = 20_000) -> tuple[float, float]:
    """Contact finding on an unbroken run of digits (a synthetic upload: a .txt of nothing but digits):
    ours on ``ours_chars`` characters, the old backtracking pattern on only ``naive_chars`` (ten times fewer
    by default; its time grows with the square of the length, so 200,000 would take minutes)."""
    from notes.redact import find_contacts

    ours, naive = [], []
    with timer(ours):
        find_contacts("7" * ours_chars)
    with timer(naive):
        OLD_EMAIL.findall("7" * naive_chars) + OLD_PHONE.findall("7" * naive_chars)
    return ours[0], naive[0]
