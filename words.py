"""Marking English words that the interface shows in the reader's language: ``N_``, for ``data/``, ``geo/`` and
``ui/`` alike (a top-level module, so ``geo/`` needs nothing of ``data/`` for it). Imports nothing."""


def N_(message: str) -> str:
    """Marks ``message`` for the message catalogue (``make i18n`` extracts it); the data keeps English and the
    interface translates it where it is shown (:mod:`ui.i18n`)."""
    return message
