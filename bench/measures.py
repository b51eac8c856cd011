"""The measurements behind ``python -m bench``. Each returns (ours, naive baseline) from the same run."""

from __future__ import annotations

import datetime as dt
import json
import random
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
from data.paths import REPO_ROOT, SNAPSHOT_DIR, raw_data_dir
from data.raw import COMMUNITY_AREAS_FILE

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


# ------------------------------------------------------------------ map weight


def map_html_bytes() -> tuple[int, int]:
    from data.analysis import unreliable_mask
    from geo import maps
    from ui import format as fmt
    from ui.prose import tooltip_lines

    areas = snapshot.read_areas(MAIN, SNAPSHOT_DIR)
    geojson = json.loads((SNAPSHOT_DIR / snapshot.BOUNDARIES_NAME).read_text())
    indexed = areas.set_index("area_number")
    ours = maps.choropleth_map(
        geojson, indexed, "no_subscription_pct", maps.classify(areas["no_subscription_pct"], "quantiles", 5, fmt.pct),
        tooltip_lines(areas, "no_subscription"), unreliable_mask(areas, "no_subscription"), "legend",
    )  # fmt: skip
    raw = json.loads((raw_data_dir() / COMMUNITY_AREAS_FILE).read_text())
    naive = folium.Map(location=maps.CHICAGO_CENTER, zoom_start=10)
    folium.Choropleth(
        geo_data=raw, data=areas.assign(area_numbe=areas["area_number"].astype(str)),
        columns=["area_numbe", "no_subscription_pct"], key_on="feature.properties.area_num_1", fill_color="YlOrRd",
    ).add_to(naive)  # fmt: skip
    return maps.map_html_bytes(ours), maps.map_html_bytes(naive)


# ------------------------------------------------------------------ server reruns

PAGES = {
    "Home": "app.py",
    "Map": "pages/1_Map.py",
    "Planner": "pages/2_Planner.py",
    "Council notes": "pages/3_Council_notes.py",
    "About the data": "pages/4_About_the_data.py",
}


def page_rerun_seconds(repeats: int) -> dict[str, tuple[float, float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    results = {}
    for name, page in PAGES.items():
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
        if page != "app.py":
            at.switch_page(page)
        at.run()  # warm
        ours, naive = [], []
        for _ in range(repeats):
            with timer(ours):
                at.run()
            st.cache_data.clear()
            with timer(naive):
                at.run()
        results[name] = (statistics.median(ours), statistics.median(naive))
    return results


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


def browser_timings(tmp: Path, raw_boundaries: Path) -> dict[str, tuple[float, float]]:
    from playwright.sync_api import expect, sync_playwright

    from tests.support.appserver import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app

    englewood = _englewood_point()
    names = ["process start → 77 polygons visible in Chromium", "map click → profile shown",
             "planner filter change → table updated"]  # fmt: skip
    found: dict[str, list[float]] = {n: [] for n in names}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, env in (("ours", {}), ("naive", {"EQUITY_BOUNDARIES_FILE": str(raw_boundaries)})):
            work = tmp / f"app_{label}"
            work.mkdir()
            started = time.perf_counter()
            proc, url = start_app(work, env)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.route(
                    "**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort()
                )
                page.goto(f"{url}/Map")
                frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
                expect(frame.locator("path.leaflet-interactive")).to_have_count(77, timeout=120_000)
                found[names[0]].append(time.perf_counter() - started)

                xy = frame.locator("#map_div").evaluate(
                    f"(el) => {{ const p = window.map.latLngToContainerPoint([{englewood[0]}, {englewood[1]}]);"
                    " return [p.x, p.y]; }"
                )
                clicked = time.perf_counter()
                frame.locator("#map_div").click(position={"x": xy[0], "y": xy[1]})
                expect(page.get_by_role("heading", name="Englewood", exact=True)).to_be_visible(timeout=60_000)
                found[names[1]].append(time.perf_counter() - clicked)

                page.goto(f"{url}/Planner")
                heading = page.get_by_role("heading", name="of 77 community areas selected")
                expect(heading).to_contain_text("77 of 77", timeout=60_000)
                box = page.get_by_test_id("stSidebar").get_by_label("Minimum %")
                box.fill("20")
                changed = time.perf_counter()
                box.press("Enter")
                expect(heading).not_to_contain_text("77 of 77", timeout=60_000)
                found[names[2]].append(time.perf_counter() - changed)
                page.close()
            finally:
                stop_app(proc)
        browser.close()
    return {n: (v[0], v[1]) for n, v in found.items()}


def _englewood_point() -> tuple[float, float]:
    import geopandas as gpd

    areas = gpd.read_file(SNAPSHOT_DIR / snapshot.BOUNDARIES_NAME)
    point = areas.loc[areas["area_name"] == "Englewood", "geometry"].iloc[0].representative_point()
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
                store.search(engine, word, reader=session)
            with timer(naive):
                conn.execute(like, {"p": f"%{word}%"}).all()
    return _p95(ours), _p95(naive)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def notes_search_p95_postgres(tmp: Path, n: int) -> tuple[float, float]:
    """:func:`notes_search_p95` on a throwaway PostgreSQL server (Debian's package, as in the tests)."""
    import shutil
    import tempfile

    from tests.support.postgres import start_postgres

    workdir = Path(tempfile.mkdtemp(prefix="equity-bench-pg-"))  # the server runs as `postgres`
    url, stop = start_postgres(workdir)
    try:
        return notes_search_p95(tmp, n, url)
    finally:
        stop()
        shutil.rmtree(workdir, ignore_errors=True)
