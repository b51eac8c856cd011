"""Browser-test harness: `streamlit run app.py` on a free port, Debian's Chromium driven by Playwright,
and every request to a host other than 127.0.0.1 blocked (so a CDN dependency fails loudly)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from data.paths import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(workdir: Path, extra_env: dict | None = None) -> tuple[subprocess.Popen, str, Path]:
    """Start the app and wait until its health endpoint answers; fail with the server's output otherwise."""
    port = free_port()
    log = workdir / "streamlit.log"
    env = os.environ | {"EQUITY_DATABASE_URL": f"sqlite:///{workdir / 'notes.db'}", "EQUITY_MAP_TILES": ""}
    env |= extra_env or {}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if requests.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                return proc, url, log
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop_app(proc)
    pytest.fail(f"streamlit did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


def stop_app(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The running app: ``url`` and the ``database_url`` of its own temporary notes database."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup-dev` (installs Debian's chromium)")
    workdir = tmp_path_factory.mktemp("app")
    proc, url, _ = start_app(workdir)
    yield SimpleNamespace(url=url, database_url=f"sqlite:///{workdir / 'notes.db'}")
    stop_app(proc)


@pytest.fixture(scope="session")
def app_url(app_server):
    return app_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture
def offline_page(page):
    """A page on which every non-local request is aborted and recorded in ``page.blocked_requests``."""
    page.blocked_requests = []

    def only_local(route):
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            page.blocked_requests.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_local)
    page.set_default_timeout(30_000)
    return page
