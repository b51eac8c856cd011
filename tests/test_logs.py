"""The server's log: each line names the browser session it came from, and never holds what a user typed."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from ui import logs
from ui.faults import database_problem


def test_a_log_line_names_its_session_and_a_database_fault_only_its_kind(caplog):
    logs.tag_records_with_session()
    logs.LOGGER.propagate = True  # let pytest's capture see our lines too
    secret = "Mrs Lopez at 123 Main St cannot pay"  # as if a driver quoted a note's text in its error
    with caplog.at_level(logging.INFO, logger="equity"):
        database_problem(OperationalError("INSERT INTO notes …", {"body": secret}, Exception(secret)))
    [record] = [r for r in caplog.records if r.name == "equity"]
    line = logging.Formatter(logs.FORMAT).format(record)
    assert "session=-" in line and "notes database fault" in line and "error=Exception" in line
    assert secret not in line
