"""Marker for tests that read the raw public inputs in ../shared/data."""

from __future__ import annotations

import pytest

from settings import raw_data_dir

RAW_PRESENT = (raw_data_dir() / "PROVENANCE.md").is_file()

needs_raw = pytest.mark.skipif(
    not RAW_PRESENT, reason=f"raw inputs not found at {raw_data_dir()} (set EQUITY_RAW_DATA to run this test)"
)
