"""Small domain exceptions. Each carries a sentence that can be shown to a person as it is."""

from __future__ import annotations


class RawInputError(ValueError):
    """A raw input file is missing, malformed or fails a check. Names the file and the problem."""

    def __init__(self, file: str, problem: str):
        self.file = str(file)
        self.problem = problem
        super().__init__(f"{self.file}: {problem}")


class BuildCheckError(RuntimeError):
    """The build's own consistency checks failed; nothing was written."""


class AcsError(RuntimeError):
    """The Census API could not give usable data. ``url`` has no API key in it."""

    def __init__(self, message: str, url: str = "", status: int | None = None):
        self.url = url
        self.status = status
        where = f" ({url}" + (f", HTTP {status}" if status is not None else "") + ")" if url else ""
        super().__init__(message + where)


class SnapshotDamaged(RuntimeError):
    """A snapshot file is missing or differs from what the build recorded; names the file, never a server path."""

    def __init__(self, file: str, problem: str):
        self.file = file
        super().__init__(
            f"The data file {file} {problem}. Rebuild the data with `make build`, or restore the committed "
            "files with `git checkout data/snapshot`."
        )
