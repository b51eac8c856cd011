"""Shared fixtures. Synthetic data in tests is labelled as such; real figures come from ../shared/data."""

from __future__ import annotations

import pytest

from data.paths import raw_data_dir

RAW_PRESENT = (raw_data_dir() / "PROVENANCE.md").is_file()

needs_raw = pytest.mark.skipif(
    not RAW_PRESENT, reason=f"raw inputs not found at {raw_data_dir()} (set EQUITY_RAW_DATA to run this test)"
)


@pytest.fixture(autouse=True)
def scratch_database(tmp_path, monkeypatch):
    """Every test gets its own empty notes database unless it sets one itself."""
    monkeypatch.setenv("EQUITY_DATABASE_URL", f"sqlite:///{tmp_path / 'scratch.db'}")
