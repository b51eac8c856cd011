"""Fixtures every test gets. Synthetic data in tests is labelled as such; real figures come from ../shared/data."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from harness.postgres import NoPostgres, start_postgres


@pytest.fixture(autouse=True)
def scratch_database(tmp_path, monkeypatch):
    """Every test gets its own empty notes database unless it sets one itself."""
    monkeypatch.setenv("EQUITY_DATABASE_URL", f"sqlite:///{tmp_path / 'scratch.db'}")


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole run (Debian's package, installed by `make test`)."""
    workdir = Path(tempfile.mkdtemp(prefix="equity-pg-"))  # not pytest's tmp folder: the server runs as `postgres`
    try:
        url, stop = start_postgres(workdir)
    except NoPostgres as exc:
        pytest.skip(str(exc))
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"PostgreSQL did not start: {exc.stderr}")
    yield url
    stop()
    shutil.rmtree(workdir, ignore_errors=True)
