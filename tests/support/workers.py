"""Work for the upload worker's tests (importable by name, as a worker process needs): each misbehaves in one way."""

from __future__ import annotations

import os


def answer(value):
    """Behaves: returns plain data."""
    return {"value": value, "pid": os.getpid()}


def spin(*args):
    """Never returns, burning CPU (a parser in an endless loop)."""
    n = 0
    while True:
        n += 1


def hog_memory(*args):
    """Holds ever more memory (a parser expanding a bomb)."""
    held = []
    while True:
        held.append(bytearray(64 * 1024 * 1024))


def stuck(*args):
    """Waits for ever without using CPU (a parser blocked on something that never comes)."""
    read_end, _write_end = os.pipe()
    os.read(read_end, 1)


def crash(*args):
    """Raises (a bug in a parser)."""
    raise RuntimeError("bug in a parser")


def die(*args):
    """Ends its process at once, without a word."""
    os._exit(3)


def crash_on_word(source, suffix, *rest):
    """The real reading, except that Word files crash it (a bug in one parser)."""
    from notes.uploads import read_in_worker

    if suffix == ".docx":
        raise RuntimeError("bug in the Word parser")
    return read_in_worker(source, suffix, *rest)


def environment(*args):
    """The names of the environment variables the worker sees."""
    return sorted(os.environ)
