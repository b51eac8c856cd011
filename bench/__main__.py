"""Print a table of the dashboard's speed and weight, each next to a naive baseline measured in the same run.

Rows: snapshot build; plausible ranks of one measure; map HTML bytes; server time of a rerun of each page and of
the Planner for a selection seen before; in Chromium (outside requests sent to a dead proxy, so the HTTP cache works
as in a real browser): server start → 77 areas drawn in the first session and in later ones, map click → profile,
measure change → recoloured, planner filter → table, server memory after 1 and 20 sessions and the growth per
session; notes full-text search p95 at 100,000 notes; contact finding in a 200,000-digit upload. Baselines: a
per-area Python loop for the build; area-level draws for the ranks; the raw City boundaries with
``folium.Choropleth`` (bench/naive_map_page.py for the Map rerun); reruns with the data cache cleared; the app
serving unsimplified boundaries; ``LIKE`` scans; the old e-mail pattern on a tenth as many digits.

    python -m bench [--quick]      (--quick: 10,000 notes instead of 100,000, fewer repeats)
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

from bench import measures

ROWS = []


def row(name: str, ours: float, baseline: float | None, unit: str, note: str = "") -> None:
    ratio = f"{baseline / ours:,.1f}×" if baseline and ours else "–"
    ROWS.append((name, ours, baseline, unit, ratio, note))
    fmt = (lambda v: f"{v:,.0f}") if unit in ("bytes", "kB") else (lambda v: f"{v:,.1f}") if unit == "MB" else (
        lambda v: f"{v:,.3f}")  # fmt: skip
    base = fmt(baseline) if baseline is not None else "–"
    print(f"| {name} | {fmt(ours)} {unit} | {base} {unit if baseline is not None else ''} | {ratio} | {note} |",
          flush=True)  # fmt: skip


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 notes and fewer repeats")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium rows")
    parser.add_argument("--only-search", action="store_true", help="only the notes-search rows")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 5
    notes_n = 10_000 if args.quick else 100_000
    random.seed(1)
    print("| what | ours | naive baseline | baseline ÷ ours | baseline is |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.only_search:
            page_and_build_rows(tmp, repeats, browser=not args.no_browser)
        ours, naive = measures.contact_finding_seconds()
        row("contacts found in a 200,000-digit upload", ours, naive, "s", "old pattern on 20,000 digits only")
        ours, naive = measures.notes_search_p95(tmp, notes_n)
        row(f"notes full-text search p95 at {notes_n:,} notes, SQLite", ours, naive, "s", "LIKE '%word%' scan")
        ours, naive = measures.notes_search_p95_postgres(tmp, notes_n)
        row(f"notes full-text search p95 at {notes_n:,} notes, PostgreSQL", ours, naive, "s", "LIKE scan")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(
        [dict(zip(["what", "ours", "baseline", "unit", "ratio", "baseline_is"], r, strict=True)) for r in ROWS],
        indent=1))  # fmt: skip
    print(f"\nmedians of {repeats} runs unless a p95 is named; saved to bench/results/latest.json")
    return 0


def page_and_build_rows(tmp: Path, repeats: int, browser: bool) -> None:
    ours, naive = measures.build_seconds(tmp, repeats)
    row("snapshot build (both periods, wards and boundaries)", ours, naive, "s", "per-area Python loop for the tables")
    ours, naive = measures.rank_ranges_seconds(repeats)
    row("plausible ranks of one measure, 77 areas, 10,000 tract-level draws", ours, naive, "s",
        "area-level draws (ignore shared tracts)")  # fmt: skip
    ours, naive = measures.map_html_bytes()
    row("map HTML sent by st_folium", ours / 1000, naive / 1000, "kB", "raw City boundaries, folium.Choropleth")
    for page, (ours, naive, baseline) in measures.page_rerun_seconds(repeats).items():
        row(f"server time of a rerun: {page}", ours, naive, "s", baseline)
    ours, naive = measures.planner_selection_seconds(repeats)
    row("Planner rerun, a selection seen before", ours, naive, "s", "data cache cleared before each run")
    if browser:
        raw = measures.raw_boundaries_file(tmp)
        for name, (ours, naive, unit) in measures.browser_timings(tmp, raw).items():
            row(name, ours, naive, unit, "app serving unsimplified boundaries")


if __name__ == "__main__":
    raise SystemExit(main())
