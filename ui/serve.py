"""Start the app: ``python -m ui.serve [options of streamlit run]`` is ``streamlit run app.py [options]``, plus
the libraries the pages need loaded in the background while the first visitor's browser loads Streamlit's
frontend (so the first map appears sooner after a server start), and log lines tagged with the browser session
they come from (ui.logs). ``make run``, the deploy recipe (deploy/) and the tests use it.

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


def main() -> None:
    from ui import logs

    logs.tag_records_with_session()
    threading.Thread(target=_load_libraries, name="load-libraries", daemon=True).start()
    sys.argv = ["streamlit", "run", "app.py", "--logger.messageFormat", logs.FORMAT, *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
