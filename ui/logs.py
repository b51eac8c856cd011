"""The server's log: one line per event an operator may need (a session opened, a write to the notes, a
refusal, a database fault), each tagged with the browser session it happened in, so the lines of one visitor can
be followed across a busy log (and, behind nginx, the process that served them: README, "Running it for a city").

Never logged: note text (titles, bodies, events), uploaded files' contents, passwords, usernames typed into the
sign-in form. Only codes, counts, ids and the names of our own functions go in.
"""

from __future__ import annotations

import logging

LOGGER = logging.getLogger("equity")
FORMAT = "%(asctime)s %(levelname)s session=%(session)s %(name)s: %(message)s"
"""The line format ``ui.serve`` gives Streamlit's logger (``--logger.messageFormat``)."""

_plain_factory = logging.getLogRecordFactory()


def session_tag() -> str:
    """A short id of the browser session running this thread ("-" outside a script run): the first 8 characters
    of Streamlit's session id, enough to tell sessions apart and useless to take one over."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id[:8] if ctx is not None else "-"


def _record_with_session(*args, **kwargs) -> logging.LogRecord:
    record = _plain_factory(*args, **kwargs)
    record.session = session_tag()
    return record


def tag_records_with_session() -> None:
    """Give every log record a ``session`` (:func:`session_tag`) for :data:`FORMAT`; ``ui.serve`` calls it once
    before Streamlit starts, and sends our logger's lines through Streamlit's (to standard error)."""
    logging.setLogRecordFactory(_record_with_session)
    LOGGER.setLevel(logging.INFO)
    if not LOGGER.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        LOGGER.addHandler(handler)
        LOGGER.propagate = False


def event(what: str, **codes: object) -> None:
    """Log one event: ``what`` is a fixed phrase of ours, ``codes`` are ids, counts and reason codes (never user
    text); e.g. ``event("note written", action="set_visibility", note=12)``."""
    details = " ".join(f"{key}={value}" for key, value in codes.items())
    LOGGER.info("%s %s", what, details)
