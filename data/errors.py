"""Small domain exceptions. Each carries a sentence that can be shown to a person as it is."""

from __future__ import annotations

from enum import StrEnum


class RawProblem(StrEnum):
    """What is wrong with a raw input file, as a code (its value is the English sentence for the command line)."""

    ROW_CUT_SHORT = "line {line} has {fields} of the header's {expected} fields (the file is cut short or damaged)"
    NO_FINAL_LINE_BREAK = "does not end with a line break, so its last line may be cut short"


class RawInputError(ValueError):
    """A raw input file is missing, malformed or fails a check. Names the file and the problem: an English sentence,
    or a :class:`RawProblem` code with its ``params`` (then ``reason`` is the code, else None)."""

    def __init__(self, file: str, problem: str, **params):
        self.file = str(file)
        self.reason = problem if isinstance(problem, RawProblem) else None
        self.params = params
        self.problem = problem.value.format(**params) if self.reason else problem
        super().__init__(f"{self.file}: {self.problem}")


class BuildCheckError(RuntimeError):
    """The build's own consistency checks failed; nothing was written."""


class AcsError(RuntimeError):
    """The Census API could not give usable data. ``url`` has no API key in it."""

    def __init__(self, message: str, url: str = "", status: int | None = None):
        self.url = url
        self.status = status
        where = f" ({url}" + (f", HTTP {status}" if status is not None else "") + ")" if url else ""
        super().__init__(message + where)


class SnapshotProblem(StrEnum):
    """What is wrong with a snapshot file, as a code (the interface words it in the reader's language)."""

    NO_PERIOD = "is missing or lists no data period"
    UNREADABLE = "cannot be read (it is cut short or is not the build's JSON)"
    BAD_PERIOD = "names a data period that is not one: {period}"
    UNLISTED = "has no checksum in the manifest (it was removed)"
    MISSING = "is missing"
    CHANGED = "does not match the checksum the build recorded (it is damaged or was edited)"
    SHORT = "does not have one row for each of its {count} places"


class SnapshotDamaged(RuntimeError):
    """A snapshot file is missing or differs from what the build recorded: the ``file`` (never a server path), the
    ``problem`` (a :class:`SnapshotProblem`) and its ``params``; the message is English, for the command line."""

    def __init__(self, file: str, problem: SnapshotProblem, **params):
        self.file, self.problem, self.params = file, problem, params
        super().__init__(
            f"The data file {file} {problem.value.format(**params)}. Rebuild the data with `make build`, or restore "
            "the committed files with `git checkout data/snapshot`."
        )
