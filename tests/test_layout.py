"""The layout holds: imports run one way (pages → ui → data, geo, notes; data → geo; every package → the top-level
settings and words, which import nothing of the project), the app never imports harness/, tests/ or bench/, and only
ui/ and pages/ use Streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from settings import REPO_ROOT

TOP_LEVEL = {"settings", "words"}  # allowed everywhere; they import nothing of the project
ALLOWED = {
    "data": {"data", "geo"} | TOP_LEVEL,  # the build simplifies boundaries with geo/
    "geo": {"geo"} | TOP_LEVEL,
    "notes": {"notes", "data.areas"} | TOP_LEVEL,  # the number of community areas only
    "ui": {"ui", "data", "geo", "notes"} | TOP_LEVEL,
    "harness": {"harness", "settings"},  # starts the app as a process; imports none of it
}
NOT_THE_APP = ("harness", "tests", "bench")
OWN = ("data", "geo", "notes", "ui", "pages", "settings", "words", "app", "harness", "tests", "bench")


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
    return sorted((REPO_ROOT / package).rglob("*.py"))


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


@pytest.mark.parametrize("package", ["app", *sorted(TOP_LEVEL), "data", "geo", "notes", "ui", "pages"])
def test_the_app_never_imports_the_harness_the_tests_or_the_bench(package):
    paths = [REPO_ROOT / f"{package}.py"] if (REPO_ROOT / f"{package}.py").is_file() else package_files(package)
    assert paths
    for path in paths:
        wrong = {m for m in imported_modules(path) if m.split(".")[0] in NOT_THE_APP}
        assert not wrong, f"{path.relative_to(REPO_ROOT)} imports {sorted(wrong)}"


@pytest.mark.parametrize("module", sorted(TOP_LEVEL))
def test_the_top_level_modules_import_nothing_of_the_project(module):
    path = REPO_ROOT / f"{module}.py"
    own = {m for m in imported_modules(path) if m.split(".")[0] in OWN}
    assert not own, f"{module}.py imports {sorted(own)}"


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


@pytest.mark.slow
@pytest.mark.parametrize("page", ["app.py", *(p.relative_to(REPO_ROOT).as_posix() for p in package_files("pages"))])
def test_showing_a_page_loads_no_heavy_library(page):
    """What a visitor's first page costs: no geometry stack, no scipy or scikit-learn, and the PDF and Excel
    writers only when someone downloads a file (each of these adds start-up time and memory to every process)."""
    out = subprocess.run([sys.executable, "-c", SHOW_PAGE, page, *HEAVY], cwd=REPO_ROOT, capture_output=True,
                         text=True, timeout=300, check=True)  # fmt: skip
    assert out.stdout.split() == []
