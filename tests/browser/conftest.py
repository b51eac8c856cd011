"""Browser-test harness: `streamlit run app.py` on a free port, Debian's Chromium driven by Playwright,
and every request to a host other than 127.0.0.1 blocked (so a CDN dependency fails loudly)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from harness.appserver import CHROMIUM, CHROMIUM_ARGS, AppDidNotStart, start_app, stop_app


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The running app: ``url`` and the ``database_url`` of its own temporary notes database."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup-dev` (installs Debian's chromium)")
    workdir = tmp_path_factory.mktemp("app")
    try:
        proc, url = start_app(workdir)
    except AppDidNotStart as exc:
        pytest.fail(str(exc))
    yield SimpleNamespace(url=url, database_url=f"sqlite:///{workdir / 'notes.db'}", log=workdir / "streamlit.log")
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
