"""How many visitors one app process (or several behind nginx) serves: simulated browsers speak Streamlit's
websocket protocol (bench.protocol), each opening a page with an address and then, every 2-4 s of "thinking",
changing a widget as a visitor does. Each rerun is checked for what a browser would show (the chosen area's
profile heading, the chosen measure, the page's title); a rerun that shows something else, raises, or takes
more than a minute counts as an error.

    python -m bench.capacity [--users 10,20,40] [--seconds 60] [--scenario map|planner|notes]
                             [--processes 1] [--env STREAMLIT_RUNNER_POST_SCRIPT_GC=false ...]

Scenarios: ``map`` opens the Map with an area, then mostly picks another area in the search box, sometimes
another measure, sometimes visits the Planner and comes back; ``planner`` changes the minimum share filter;
``notes`` searches the council notes for a word. One process uses a SQLite notes database; several run behind
nginx with one PostgreSQL database (deploy/local.py). Prints one Markdown row per number of users: users,
p50/p95/max seconds from the action to the finished rerun, reruns per second, errors, the server's CPU use (in
cores) and the load client's (it shares the machine: what it uses, the servers cannot), the server's memory
(total, and per session above the idle server) and the median kilobytes a browser receives per action (a big
message it has cached already comes as a reference).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.protocol import RerunFailed, Session

THINK_SECONDS = (2.0, 4.0)
WORDS = ("price", "library", "Spanish", "school", "cost", "phone", "internet", "seniors")
MAP_TITLE = "Where are Chicago's unconnected households?"
PLANNER_TITLE = "Planner: choose the areas an intervention should reach"
NOTES_TITLE = "What residents told the Digital Equity Council"


class WrongPage(RuntimeError):
    """A rerun finished but did not show what a browser should see."""


@dataclass
class Tally:
    seconds: list[float] = field(default_factory=list)
    kilobytes: list[float] = field(default_factory=list)  # received per action (a big message cached is a reference)
    errors: dict[str, int] = field(default_factory=dict)
    last_error: str = ""

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def expect(rerun, words: str) -> None:
    if not rerun.shows(words):
        raise WrongPage(words)


async def map_user(session: Session, rng: random.Random, act) -> None:
    """Open the Map on an area, then pick areas (80 %), change the measure (10 %) or visit the Planner (10 %)."""
    shown = await act(session.visit("Map", f"area={rng.randint(1, 77)}"), "Profile of")
    while True:
        await asyncio.sleep(rng.uniform(*THINK_SECONDS))
        roll = rng.random()
        if roll < 0.8:
            widget_id, box = shown.widgets["area"]
            name = rng.choice(list(box.options))
            shown = await act(session.change(widget_id, string_value=name), f"Profile of {name}")
        elif roll < 0.9:
            widget_id, box = shown.widgets["measure"]
            label = rng.choice(list(box.options))
            shown = await act(session.change(widget_id, string_value=label), label)
        else:
            await act(session.visit("Planner"), PLANNER_TITLE)
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            shown = await act(session.visit("Map"), MAP_TITLE)


async def planner_user(session: Session, rng: random.Random, act) -> None:
    """Open the Planner, then change the minimum share of households without the service."""
    shown = await act(session.visit("Planner"), PLANNER_TITLE)
    while True:
        await asyncio.sleep(rng.uniform(*THINK_SECONDS))
        widget_id, _ = shown.widgets["p_min_pct"]
        shown = await act(session.change(widget_id, double_value=float(rng.randint(0, 25))), PLANNER_TITLE)


async def notes_user(session: Session, rng: random.Random, act) -> None:
    """Open the council notes, then search them for a word."""
    shown = await act(session.visit("Council_notes"), NOTES_TITLE)
    while True:
        await asyncio.sleep(rng.uniform(*THINK_SECONDS))
        widget_id, _ = shown.widgets["Search the notes"]
        shown = await act(session.change(widget_id, string_value=rng.choice(WORDS)), NOTES_TITLE)


SCENARIOS = {"map": map_user, "planner": planner_user, "notes": notes_user}


async def simulate(urls: list[str], users: int, seconds: float, scenario: str, seed: int = 1) -> Tally:
    """``users`` simulated browsers for ``seconds`` (arriving over the first sixth), spread over ``urls``;
    times every action that starts in the last two thirds (after the arrivals' first pages are drawn)."""
    tally, measuring_from = Tally(), time.monotonic() + seconds / 3

    async def one(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        await asyncio.sleep(number * seconds / 6 / users)
        url = urls[number % len(urls)].replace("http", "ws", 1) + "/_stcore/stream"

        async def act(rerun, words: str):
            started = time.monotonic()
            try:
                shown = await rerun
                expect(shown, words)
            except (RerunFailed, WrongPage, TimeoutError, OSError) as exc:
                tally.error(type(exc).__name__)
                tally.last_error = f"{type(exc).__name__}: {exc}"
                raise
            if started >= measuring_from:
                tally.seconds.append(shown.seconds)
                tally.kilobytes.append(shown.bytes_received / 1000)
            return shown

        session = None
        try:
            session = await Session.open(url)
            await SCENARIOS[scenario](session, rng, act)
        except Exception as exc:  # any failure ends this user; it is counted
            if not isinstance(exc, (RerunFailed, WrongPage, TimeoutError)):
                tally.error(type(exc).__name__)
        finally:
            if session is not None:
                with contextlib.suppress(Exception):
                    await session.close()

    tasks = [asyncio.create_task(one(n)) for n in range(users)]
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return tally


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def measure(urls: list[str], pids: list[int], users: int, seconds: float, scenario: str) -> dict:
    idle = sum(rss_mb(pid) for pid in pids)
    cpu_before, started = sum(cpu_seconds(pid) for pid in pids), time.monotonic()
    client_before = time.process_time()
    tally = asyncio.run(simulate(urls, users, seconds, scenario))
    elapsed = time.monotonic() - started
    cpu = (sum(cpu_seconds(pid) for pid in pids) - cpu_before) / elapsed
    client_cpu = (time.process_time() - client_before) / elapsed
    rss = sum(rss_mb(pid) for pid in pids)
    times = tally.seconds
    return {
        "scenario": scenario, "processes": len(pids), "users": users,
        "p50": statistics.median(times) if times else float("nan"), "p95": percentile(times, 0.95),
        "max": max(times, default=float("nan")), "reruns_per_s": len(times) / (seconds * 2 / 3),
        "errors": sum(tally.errors.values()), "error_kinds": tally.errors, "cpu_cores": cpu, "client_cores": client_cpu,
        "rss_mb": rss, "mb_per_session": (rss - idle) / users, "last_error": tally.last_error,
        "kb_per_action": statistics.median(tally.kilobytes) if tally.kilobytes else float("nan"),
    }  # fmt: skip


HEADER = ("| scenario | processes | users | p50 s | p95 s | max s | reruns/s | errors | server CPU (cores) | "
          "load client CPU (cores) | server memory MB | MB per session | kB received per action (median) |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|")  # fmt: skip


def markdown_row(r: dict) -> str:
    errors = f"{r['errors']}" + (f" ({', '.join(f'{k} {v}' for k, v in r['error_kinds'].items())})" if r["errors"]
                                 else "")  # fmt: skip
    return (f"| {r['scenario']} | {r['processes']} | {r['users']} | {r['p50']:.2f} | {r['p95']:.2f} | "
            f"{r['max']:.2f} | {r['reruns_per_s']:.1f} | {errors} | {r['cpu_cores']:.2f} | {r['client_cores']:.2f} | "
            f"{r['rss_mb']:.0f} | "
            f"{r['mb_per_session']:.2f} | {r['kb_per_action']:.1f} |")  # fmt: skip


@contextlib.contextmanager
def servers(processes: int, workdir: Path, env: dict[str, str]):
    """One app process on SQLite (``processes == 1``), else ``processes`` behind nginx sharing PostgreSQL;
    yields the URLs to connect to and the app processes' ids."""
    if processes == 1:
        from harness.appserver import start_app, stop_app

        proc, url = start_app(workdir, env)
        try:
            yield [url], [proc.pid]
        finally:
            stop_app(proc)
        return
    from deploy.local import running_stack

    with running_stack(workdir, processes, env) as stack:
        yield [stack.url], stack.pids


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="10,20,40", help="numbers of simulated users, comma-separated")
    parser.add_argument("--seconds", type=float, default=60, help="length of each run")
    parser.add_argument("--scenario", choices=list(SCENARIOS), default="map")
    parser.add_argument("--processes", type=int, default=1, help="app processes (several: behind nginx)")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the app processes")
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)
    print(HEADER, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        with servers(args.processes, Path(tmp), env) as (urls, pids):
            asyncio.run(simulate(urls, 10, 30, args.scenario))  # warm the caches, as earlier visitors would have
            for users in (int(n) for n in args.users.split(",")):
                result = measure(urls, pids, users, args.seconds, args.scenario)
                print(markdown_row(result), flush=True)
                if result["last_error"]:
                    print(f"<!-- last error: {result['last_error']} -->", flush=True)
        first_traceback(Path(tmp))
    return 0


def first_traceback(workdir: Path) -> None:
    """The servers' first traceback, if any (a page that failed under load), for whoever runs the bench."""
    for log in sorted(workdir.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith("Traceback")), None)
        if start is not None:
            print(f"\n{log.name}:\n" + "\n".join(lines[max(0, start - 2) : start + 40]), flush=True)
            return


if __name__ == "__main__":
    raise SystemExit(main())
