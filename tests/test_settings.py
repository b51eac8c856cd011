"""Settings: settings.py is the only module of the app that reads the environment, it reads a variable when
asked (so a test can set one for itself), and the README's Configuration table lists every variable it reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import settings
from settings import REPO_ROOT

VARIABLE = re.compile(r"\b(?:EQUITY_[A-Z_]+|CENSUS_API_KEY)\b")
APP = ["app.py", "settings.py", "words.py", "data", "geo", "notes", "ui", "pages"]
"""The app's code. Not here: tests/, bench/, scripts/ and harness/, which set variables for the processes they
start."""


def python_files(*names: str) -> list[Path]:
    found = []
    for name in names:
        path = REPO_ROOT / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.is_file() else []
    return found


def variables_read() -> set[str]:
    """The variable names settings.py reads: its string constants that are variable names."""
    tree = ast.parse((REPO_ROOT / "settings.py").read_text())
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and VARIABLE.fullmatch(node.value)
    }


def readme_table() -> set[str]:
    """The variables in the README's Configuration table (its rows start with | `NAME` |)."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))


def test_every_variable_settings_reads_is_in_the_readme():
    read = variables_read()
    assert read >= {"EQUITY_RAW_DATA", "EQUITY_SNAPSHOT_DIR", "EQUITY_DATABASE_URL", "CENSUS_API_KEY"}
    assert read - readme_table() == set(), "add these to the README's Configuration table"
    assert readme_table() - read == set(), "the README lists variables that settings.py does not read"


def test_the_code_names_no_variable_that_settings_does_not_read():
    """A variable named in a message, a docstring, a test or the bench is one that settings.py reads
    (a misspelt or retired name fails here)."""
    read = variables_read()
    for path in python_files(*APP, "tests", "bench", "scripts", "harness"):
        unknown = set(VARIABLE.findall(path.read_text())) - read
        assert not unknown, f"{path.relative_to(REPO_ROOT)} names {sorted(unknown)}"


def reads_environment(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv"):
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                found.append(f"line {node.lineno}: os.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"line {node.lineno}: from os import {a.name}" for a in node.names if a.name != "path"]
    return found


@pytest.mark.parametrize("path", python_files(*APP), ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_only_settings_reads_the_environment(path):
    if path.name == "settings.py" and path.parent == REPO_ROOT:
        assert reads_environment(path)
    else:
        assert reads_environment(path) == [], "read the setting through settings.py"


def test_settings_read_the_environment_when_asked(monkeypatch, tmp_path):
    for name in variables_read():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(settings, "REPO_ROOT", tmp_path)  # no .streamlit/secrets.toml there
    assert settings.snapshot_dir() == settings.SNAPSHOT_DIR
    assert settings.map_tiles() is None
    assert settings.boundaries_file() is None
    assert settings.census_api_key() is None
    assert settings.database_url().startswith("sqlite:///") and settings.database_url().endswith("equity.db")

    monkeypatch.setenv("EQUITY_RAW_DATA", str(tmp_path / "raw"))
    monkeypatch.setenv("EQUITY_SNAPSHOT_DIR", str(tmp_path / "snap"))
    monkeypatch.setenv("EQUITY_DATABASE_URL", "sqlite:///notes.db")
    monkeypatch.setenv("EQUITY_MAP_TILES", "CartoDB positron")
    monkeypatch.setenv("EQUITY_BOUNDARIES_FILE", str(tmp_path / "areas.geojson"))
    monkeypatch.setenv("CENSUS_API_KEY", "k")
    assert settings.raw_data_dir() == tmp_path / "raw"
    assert settings.snapshot_dir() == tmp_path / "snap"
    assert settings.database_url() == "sqlite:///notes.db"
    assert settings.map_tiles() == "CartoDB positron"
    assert settings.boundaries_file() == tmp_path / "areas.geojson"
    assert settings.census_api_key() == "k"

    monkeypatch.setenv("EQUITY_MAP_TILES", "")  # empty is unset (the app server harness turns tiles off so)
    assert settings.map_tiles() is None
