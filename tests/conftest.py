"""Fixtures every test gets. Synthetic data in tests is labelled as such; real figures come from ../shared/data."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def scratch_database(tmp_path, monkeypatch):
    """Every test gets its own empty notes database unless it sets one itself."""
    monkeypatch.setenv("EQUITY_DATABASE_URL", f"sqlite:///{tmp_path / 'scratch.db'}")
