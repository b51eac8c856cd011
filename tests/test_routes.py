"""The app's own addresses (ui.routes): a health check that says when the numbers or the notes database cannot be
served, and a sign-in cookie set by the server as HttpOnly, in exchange for a one-time ticket."""

from __future__ import annotations

import shutil
import threading
import time

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from settings import SNAPSHOT_DIR
from ui import routes


@pytest.fixture
def client():
    with TestClient(Starlette(routes=routes.ROUTES)) as test_client:
        yield test_client


@pytest.fixture
def notes_db(tmp_path, monkeypatch):
    monkeypatch.setenv("EQUITY_DATABASE_URL", f"sqlite:///{tmp_path / 'notes.db'}")


def test_the_health_check_answers_ok_when_the_numbers_and_the_notes_can_be_served(client, notes_db):
    answer = client.get(routes.HEALTH_PATH)
    assert (answer.status_code, answer.text) == (200, "ok")


def test_the_health_check_names_a_damaged_snapshot_without_a_path(client, notes_db, tmp_path, monkeypatch):
    damaged = shutil.copytree(SNAPSHOT_DIR, tmp_path / "snapshot")
    next(damaged.glob("*.csv")).write_text("place,households\n")
    monkeypatch.setenv("EQUITY_SNAPSHOT_DIR", str(damaged))
    answer = client.get(routes.HEALTH_PATH)
    assert answer.status_code == 503
    assert answer.text == "the snapshot of numbers is damaged or missing"  # no path, no file name, no traceback


def test_the_health_check_says_when_the_notes_database_does_not_answer(client, monkeypatch):
    monkeypatch.setenv("EQUITY_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=2")
    answer = client.get(routes.HEALTH_PATH)
    assert (answer.status_code, answer.text) == (503, "the notes database does not answer")


def test_a_hung_notes_database_is_reported_in_seconds_not_waited_for(client, notes_db, monkeypatch):
    released = threading.Event()
    monkeypatch.setattr(routes, "database_answers", lambda: released.wait(60))  # a database that never answers
    monkeypatch.setattr(routes, "HEALTH_SECONDS", 0.5)
    started = time.monotonic()
    try:
        answer = client.get(routes.HEALTH_PATH)
    finally:
        released.set()
    assert (answer.status_code, answer.text) == (503, "the notes database does not answer")
    assert time.monotonic() - started < 10


def test_a_ticket_buys_an_httponly_cookie_once(client):
    ticket = routes.cookie_ticket("the-token")
    answer = client.post(routes.COOKIE_PATH + "?secure=0", content=ticket)
    assert answer.status_code == 204
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("equity_session=the-token;")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie and "Secure" not in cookie
    again = client.post(routes.COOKIE_PATH, content=ticket)
    assert again.status_code == 400 and "set-cookie" not in again.headers


def test_over_https_the_cookie_is_secure_and_signing_out_clears_it(client):
    answer = client.post(routes.COOKIE_PATH + "?secure=1", content=routes.cookie_ticket("the-token"))
    assert "Secure" in answer.headers["set-cookie"]
    cleared = client.post(routes.COOKIE_PATH + "?secure=1", content=routes.cookie_ticket(""))
    assert cleared.status_code == 204
    assert 'equity_session="";' in cleared.headers["set-cookie"] and "Max-Age=0" in cleared.headers["set-cookie"]


def test_an_unknown_or_old_ticket_sets_nothing(client):
    old = routes.cookie_ticket("the-token", now=time.monotonic() - routes.TICKET_SECONDS - 1)
    for ticket in (old, "made-up", ""):
        answer = client.post(routes.COOKIE_PATH, content=ticket)
        assert answer.status_code == 400 and "set-cookie" not in answer.headers


def test_a_request_from_another_site_sets_nothing(client):
    ticket = routes.cookie_ticket("the-token")
    answer = client.post(routes.COOKIE_PATH, content=ticket, headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403 and "set-cookie" not in answer.headers
