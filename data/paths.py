"""Where things live. Every path is relative to the repository root or set by an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_DIR = REPO_ROOT / "data" / "snapshot"


def raw_data_dir() -> Path:
    """The folder of raw public inputs: ``$EQUITY_RAW_DATA`` or ``../shared/data`` beside the repository."""
    override = os.environ.get("EQUITY_RAW_DATA")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "data"


def snapshot_dir() -> Path:
    """The processed snapshot folder: ``$EQUITY_SNAPSHOT_DIR`` (tests) or ``data/snapshot``."""
    override = os.environ.get("EQUITY_SNAPSHOT_DIR")
    return Path(override) if override else SNAPSHOT_DIR
