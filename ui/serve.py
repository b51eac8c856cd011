"""Start the app: ``python -m ui.serve [options of streamlit run]`` is ``streamlit run app.py [options]``, plus
the libraries the pages need loaded in the background while the first visitor's browser loads Streamlit's
frontend (so the first map appears sooner after a server start), and log lines tagged with the browser session
they come from (ui.logs), page runs taken in turns (:func:`take_turns`), and the app's own addresses: a health
check and the sign-in cookie (:func:`add_routes`). ``make run``, the deploy recipe
(deploy/) and the tests use it.

Only libraries that know nothing of Streamlit are loaded early: a Streamlit component (streamlit-folium) must
be declared by the running app, so our ``ui`` modules wait for the first page."""

from __future__ import annotations

import sys
import threading

from streamlit.web import cli

LIBRARIES = ("pandas", "sqlalchemy", "folium", "folium.plugins", "shapely", "babel.numbers", "geo.maps",
             "data.analysis", "notes.store")  # fmt: skip


def _load_libraries() -> None:
    import importlib

    for name in LIBRARIES:
        importlib.import_module(name)
    importlib.import_module("babel.numbers").format_decimal(0, locale="en_US")  # loads the locale's data


SCRIPT_SLOTS = 2  # page runs at once in one process (measured: bench/capacity.py, README "Running it for a city")
TURN_WAIT_SECONDS = 2.0  # the longest a page run waits for a slot before it runs anyway


def take_turns(slots: int = SCRIPT_SLOTS, wait: float = TURN_WAIT_SECONDS) -> None:
    """Let at most ``slots`` page runs execute at once; the others wait their turn (at most ``wait`` seconds, so a
    slow run, an upload being read, say, never holds anyone back for longer). Streamlit gives every browser session
    a thread of its own: forty of them running at once share one interpreter lock, and the switching between them
    cost more than the pages (at 40 simulated users: 8.9 page runs a second and 2.8 s p95 without turns, 12.2 and
    0.56 s with two slots). Wraps Streamlit's ``ScriptRunner._run_script``, the one place every run passes."""
    from streamlit.runtime.scriptrunner import script_runner

    gate = threading.BoundedSemaphore(slots)
    run = script_runner.ScriptRunner._run_script

    def in_turn(self, rerun_data):
        got = gate.acquire(timeout=wait)
        try:
            return run(self, rerun_data)
        finally:
            if got:
                gate.release()

    script_runner.ScriptRunner._run_script = in_turn


def add_routes() -> None:
    """Serve the app's own addresses (:mod:`ui.routes`: the health check, the sign-in cookie) from Streamlit's web
    server, before its own. Wraps Streamlit's ``create_streamlit_routes``, which builds the server's routes."""
    from streamlit.web.server.starlette import starlette_app

    from ui.routes import ROUTES

    streamlit_routes = starlette_app.create_streamlit_routes
    starlette_app.create_streamlit_routes = lambda runtime: [*ROUTES, *streamlit_routes(runtime)]


def main() -> None:
    from ui import logs

    logs.tag_records_with_session()
    take_turns()
    add_routes()
    threading.Thread(target=_load_libraries, name="load-libraries", daemon=True).start()
    sys.argv = ["streamlit", "run", "app.py", "--logger.messageFormat", logs.FORMAT, *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
