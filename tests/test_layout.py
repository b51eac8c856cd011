"""The layout holds: imports run one way (pages → ui → data, geo, notes) and only ui/ and pages/ use Streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from data.paths import REPO_ROOT

ALLOWED = {
    "data": {"data", "geo"},  # the build simplifies boundaries with geo/
    "geo": {"geo", "data.words"},  # words marked for the interface's translation
    "notes": {"notes", "data.areas"},  # the number of community areas only
    "ui": {"ui", "data", "geo", "notes"},
}
OWN = ("data", "geo", "notes", "ui", "pages")


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def package_files(package: str):
    return sorted((REPO_ROOT / package).glob("*.py"))


@pytest.mark.parametrize("package", ["data", "geo", "notes"])
def test_subsystems_never_import_streamlit(package):
    for path in package_files(package):
        uses = {m for m in imported_modules(path) if m.split(".")[0] in ("streamlit", "streamlit_folium")}
        assert not uses, f"{path.relative_to(REPO_ROOT)} imports {sorted(uses)}"


@pytest.mark.parametrize("package", list(ALLOWED))
def test_imports_run_one_way(package):
    for path in package_files(package):
        own = {m for m in imported_modules(path) if m.split(".")[0] in OWN}
        wrong = {m for m in own if not any(m == a or m.startswith(a + ".") for a in ALLOWED[package])}
        # "from data import x" shows up as both "data" and "data.x": judge the longer name
        wrong = {m for m in wrong if not any(o.startswith(m + ".") for o in own)}
        assert not wrong, f"{path.relative_to(REPO_ROOT)} imports {sorted(wrong)}"


def test_the_build_and_the_notes_store_load_without_streamlit():
    code = (
        "import sys, data.build, data.refresh, data.selection, geo.maps, notes.schema, notes.db, notes.accounts,"
        " notes.accounts_cli, notes.store, notes.readers, notes.places, notes.redact, notes.uploads, notes.export;"
        "print('streamlit' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


HEAVY = ("geopandas", "pyproj", "scipy", "sklearn", "mapclassify", "altair", "reportlab", "openpyxl")
SHOW_PAGE = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120)
if sys.argv[1] != "app.py":
    at.switch_page(sys.argv[1])
at.run()
assert not at.exception, at.exception
print(" ".join(m for m in sys.argv[2:] if m in sys.modules))
"""


@pytest.mark.parametrize("page", ["app.py", *(p.relative_to(REPO_ROOT).as_posix() for p in package_files("pages"))])
def test_showing_a_page_loads_no_heavy_library(page):
    """What a visitor's first page costs: no geometry stack, no scipy or scikit-learn, and the PDF and Excel
    writers only when someone downloads a file (each of these adds start-up time and memory to every process)."""
    out = subprocess.run([sys.executable, "-c", SHOW_PAGE, page, *HEAVY], cwd=REPO_ROOT, capture_output=True,
                         text=True, timeout=300, check=True)  # fmt: skip
    assert out.stdout.split() == []
