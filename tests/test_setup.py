"""Set-up and safe defaults: the server listens on this machine only and shows no tracebacks, and a missing
map library is explained (or installed) instead of leaving a blank frame."""

from __future__ import annotations

import tomllib

from streamlit.testing.v1 import AppTest

from geo import leaflet
from settings import REPO_ROOT

CONFIG = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())


def test_the_server_listens_on_localhost_and_hides_error_details():
    assert CONFIG["server"]["address"] == "127.0.0.1"
    assert CONFIG["client"]["showErrorDetails"] == "none"
    assert CONFIG["server"]["enableStaticServing"] is True and CONFIG["server"]["headless"] is True


def test_make_run_takes_a_host_only_when_asked():
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "$(if $(HOST),--server.address $(HOST))" in makefile and "\nHOST ?=\n" in makefile


def test_the_lock_files_pin_every_package_with_hashes():
    for name in ("requirements.lock", "requirements-dev.lock"):
        text = (REPO_ROOT / name).read_text()
        pins = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
        assert pins and all("==" in line for line in pins), name
        assert text.count("--hash=sha256:") >= len(pins), name


def open_map() -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/1_Map.py")
    return at.run()


def test_the_app_copies_leaflet_itself_when_a_bare_install_left_it_out(tmp_path, monkeypatch):
    monkeypatch.setattr(leaflet, "STATIC_LEAFLET", tmp_path / "leaflet")
    at = open_map()
    assert leaflet.installed(tmp_path / "leaflet")
    assert not at.error and len(at.get("component_instance")) == 1


def test_without_leaflet_the_map_page_says_what_to_run(tmp_path, monkeypatch):
    monkeypatch.setattr(leaflet, "STATIC_LEAFLET", tmp_path / "leaflet")
    monkeypatch.setattr(leaflet, "PACKAGE", "no_such_leaflet_package")
    at = open_map()
    assert not at.exception
    assert any("make run" in e.value for e in at.error)
    assert len(at.get("component_instance")) == 0  # no empty map frame
    assert len(at.dataframe) == 1  # the rest of the page still works
