"""The app's own two addresses beside Streamlit's, installed into its web server by :mod:`ui.serve`:

- ``/healthz``: what a proxy or a watchdog polls. ``ok`` (200) while this process can serve the pages: the
  snapshot of numbers is whole and the notes database answers within :data:`HEALTH_SECONDS`; otherwise 503 and
  one line saying which, never a path or an error's text.
- ``/equity/cookie``: sets or clears the local sign-in's cookie as an HttpOnly cookie, which no script on the
  page can read. The page holds only a one-time ticket for it (:func:`cookie_ticket`), valid for
  :data:`TICKET_SECONDS` and for this process (nginx keeps a browser on one process), never the token itself.
"""

from __future__ import annotations

import functools
import secrets
import threading
import time

import anyio
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

HEALTH_PATH = "/healthz"
COOKIE_PATH = "/equity/cookie"
COOKIE = "equity_session"  # the browser's cookie of a local sign-in (its token; notes.sessions keeps its hash)
HEALTH_SECONDS = 3.0  # the longest the notes database may take to answer a health check
TICKET_SECONDS = 60.0  # a ticket not used by then is forgotten
MAX_TICKETS = 10_000  # tickets kept at once: beyond, the oldest go first

_tickets: dict[str, tuple[str, float]] = {}  # ticket → (token, "" to clear the cookie; when it was made)
_tickets_lock = threading.Lock()


def cookie_ticket(token: str, now: float | None = None) -> str:
    """A one-time ticket the page exchanges at :data:`COOKIE_PATH` for a cookie holding ``token`` ("" clears it)."""
    now = time.monotonic() if now is None else now
    ticket = secrets.token_urlsafe(32)
    with _tickets_lock:
        for old in [t for t, (_, made) in _tickets.items() if now - made > TICKET_SECONDS]:
            del _tickets[old]
        while len(_tickets) >= MAX_TICKETS:
            del _tickets[next(iter(_tickets))]
        _tickets[ticket] = (token, now)
    return ticket


def _redeem(ticket: str, now: float) -> str | None:
    """The token a ticket stands for, once (None: unknown, used or too old)."""
    with _tickets_lock:
        token, made = _tickets.pop(ticket, (None, 0.0))
    return token if token is not None and now - made <= TICKET_SECONDS else None


async def _first_bytes(request: Request, limit: int) -> bytes:
    """At most ``limit`` bytes of the request's body, read no further (a ticket is 43 characters)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) >= limit:
            break
    return body[:limit]


async def set_cookie(request: Request) -> Response:
    """Exchange a ticket (the request's body) for the cookie: 204 with Set-Cookie, 400 for a ticket that is
    unknown, used or too old, 403 for a request the browser says came from another site. ``?secure=1``: the page
    was served over https, so the cookie is sent only there."""
    if request.headers.get("sec-fetch-site", "same-origin") != "same-origin":  # only the app's own page asks
        return PlainTextResponse("not from this site", status_code=403)
    ticket = (await _first_bytes(request, 100)).decode("ascii", errors="replace")
    token = _redeem(ticket, time.monotonic())
    if token is None:
        return PlainTextResponse("unknown or expired ticket", status_code=400)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    secure = request.query_params.get("secure") == "1"
    if token:
        response.set_cookie(COOKIE, token, path="/", httponly=True, samesite="strict", secure=secure)
    else:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=secure)
    return response


def snapshot_whole() -> bool:
    """Whether every file of the snapshot of numbers is there and unchanged (the pages' own check)."""
    from ui.cache import snapshot_problem

    return snapshot_problem() is None


@functools.lru_cache(maxsize=2)
def _engine(url: str):
    """An engine that keeps no connection open between checks (a check abandoned on a hung database holds at most
    one) and never upgrades the schema: that is the pages' work."""
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    return sa.create_engine(url, poolclass=NullPool)


def database_answers() -> None:
    """Ask the notes database for nothing (raises when it cannot answer)."""
    import sqlalchemy as sa

    from settings import database_url

    with _engine(database_url()).connect() as conn:
        conn.execute(sa.text("SELECT 1"))


async def problems() -> list[str]:
    """What keeps this process from serving the pages, one line each ([] when nothing does). Both checks run on
    worker threads, and the database's is abandoned after :data:`HEALTH_SECONDS`: a hung database never holds the
    server or the proxy polling it."""
    found = []
    if not await anyio.to_thread.run_sync(snapshot_whole):
        found.append("the snapshot of numbers is damaged or missing")
    try:
        with anyio.fail_after(HEALTH_SECONDS):
            await anyio.to_thread.run_sync(database_answers, abandon_on_cancel=True)
    except Exception:  # whatever the fault (a refused connection, a missing driver, a hang): the same one line
        found.append("the notes database does not answer")
    return found


async def health(request: Request) -> Response:
    """``ok``, or 503 with what is wrong."""
    found = await problems()
    if found:
        return PlainTextResponse("; ".join(found), status_code=503, headers={"Cache-Control": "no-store"})
    return PlainTextResponse("ok", headers={"Cache-Control": "no-store"})


ROUTES = [Route(HEALTH_PATH, health, methods=["GET", "HEAD"]), Route(COOKIE_PATH, set_cookie, methods=["POST"])]
