"""Two app processes behind nginx sharing one PostgreSQL notes database (deploy/local.py), driven as browsers
drive them (Streamlit's websocket protocol, bench.protocol): what a city's server must get right."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
import requests

from bench.protocol import Session
from notes import accounts, db, store
from tests.support.accounts import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.deploy]

NOTES_PAGE = "Council_notes"  # the page's address


@pytest.fixture(scope="module")
def stack():
    from deploy.local import NGINX, running_stack
    from harness.postgres import NoPostgres

    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (make setup-dev installs it)")
    workdir = Path(tempfile.mkdtemp(prefix="equity-deploy-"))  # not pytest's tmp folder: PostgreSQL runs as `postgres`
    try:
        with running_stack(workdir, replicas=2) as running:
            yield running
    except NoPostgres as exc:
        pytest.skip(str(exc))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def ws(url: str) -> str:
    return url.replace("http", "ws", 1) + "/_stcore/stream"


def run(coroutine):
    """Run ``coroutine`` to its end in a thread of its own, with its own event loop: the browser tests' Playwright
    keeps an event loop running in this thread when they run in the same session."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


async def page_texts(url: str, page: str, cookie: str | None = None) -> list[str]:
    session = await Session.open(ws(url), {"Cookie": f"equity_route={cookie}"} if cookie else None)
    try:
        return (await session.visit(page)).texts
    finally:
        await session.close()


async def fail_sign_ins(url: str, times: int, password: str = "not the password") -> list[str]:
    """Type a wrong password ``times`` times in the sidebar's sign-in form of one process; the last run's texts."""
    session = await Session.open(ws(url))
    try:
        shown = await session.visit("")
        for _ in range(times):
            session.set(shown.widgets["Username"][0], string_value="carol")
            session.set(shown.widgets["Password"][0], string_value=password)
            shown = await session.press(shown.widgets["Sign in"][0])
        return shown.texts
    finally:
        await session.close()


def answering_process(url: str, cookie: str) -> str:
    return requests.get(url + "/", cookies={"equity_route": cookie}, timeout=10).headers["X-Upstream"]


def test_the_proxy_answers_a_health_check_and_keeps_a_browser_on_one_process(stack):
    assert requests.get(stack.url + "/healthz", timeout=10).text == "ok"
    first = requests.get(stack.url + "/", timeout=10)
    cookie = first.cookies["equity_route"]
    assert {answering_process(stack.url, cookie) for _ in range(5)} == {first.headers["X-Upstream"]}
    processes = {answering_process(stack.url, f"browser{n}") for n in range(20)}
    assert len(processes) == 2  # different browsers are spread over both processes


def test_a_note_published_through_one_process_is_read_through_the_other(stack):
    engine = db.make_engine(stack.database_url)
    accounts.create_account(engine, "dora", PASSWORD, "staff")
    staff = accounts.sign_in(engine, "dora", PASSWORD)
    [note] = store.add_notes(engine, staff, [store.NoteDraft("Library hotspots run out", "Waiting lists",
                                                             dt.date(2024, 5, 2), "", [68], ["devices"])])  # fmt: skip
    before = run(page_texts(stack.replica_urls[1], NOTES_PAGE))
    assert "Library hotspots run out" not in before  # council-only: a signed-out reader does not see it
    store.set_visibility(engine, staff, note, "public")
    engine.dispose()
    for url in stack.replica_urls:
        texts = run(page_texts(url, NOTES_PAGE))
        assert "Library hotspots run out" in texts, "|".join(texts[12:])


def test_failed_sign_ins_count_across_both_processes(stack):
    engine = db.make_engine(stack.database_url)
    accounts.create_account(engine, "carol", PASSWORD, "staff")
    engine.dispose()
    first, second = stack.replica_urls
    run(fail_sign_ins(first, accounts.MAX_FAILURES - 2))
    run(fail_sign_ins(second, 2))
    texts = run(fail_sign_ins(first, 1, password=PASSWORD))  # the right password, but locked now
    assert any("Too many failed attempts" in text for text in texts)


def test_a_stopped_process_loses_no_note_and_its_visitors_go_to_the_other(stack):
    from deploy.local import stop_process

    engine = db.make_engine(stack.database_url)
    accounts.create_account(engine, "erin", PASSWORD, "staff")
    staff = accounts.sign_in(engine, "erin", PASSWORD)
    cookie = next(c for c in (f"visitor{n}" for n in range(50)) if answering_process(stack.url, c).endswith(
        stack.replica_urls[0].rsplit(":", 1)[1]))  # fmt: skip
    [note] = store.add_notes(engine, staff, [store.NoteDraft("Saved before the crash", "Kept", dt.date(2024, 6, 1))])
    store.set_visibility(engine, staff, note, "public")
    engine.dispose()
    stop_process(stack.replicas[0])
    other = stack.replica_urls[1].rsplit(":", 1)[1]
    assert answering_process(stack.url, cookie).endswith(other)  # the same browser, now on the other process
    assert answering_process(stack.url, "a-new-visitor").endswith(other)
    assert "Saved before the crash" in run(page_texts(stack.url, NOTES_PAGE, cookie))
