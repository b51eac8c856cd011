"""Running work on untrusted input (reading an uploaded file) in a worker process of its own, with limits on its
CPU time, its memory and its time by the clock, so that no input, whatever bug it finds in a parser, can stall
the server or the other visitors: the worker is stopped and the caller is told which limit was overrun.

Each worker is a fresh Python interpreter (``python -m notes.sandbox``: never a ``fork`` of the threaded
Streamlit server, and never a re-run of the page that asked, which ``multiprocessing`` does with the module it
finds as ``__main__``). It is given the work (a function importable by name) and its arguments, pickled; it
answers in JSON, so what comes back is plain data (never an object holding a file handle, and nothing a
worker subverted by a file could make the server run)."""

from __future__ import annotations

import json
import pickle
import resource
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import settings

ROOT = Path(__file__).resolve().parent.parent  # where ``notes`` is imported from, in the worker too


class Overrun(StrEnum):
    """Why a worker gave no answer."""

    CPU = "it used up its CPU time"
    MEMORY = "it ran out of its memory"
    WALL = "it took too long by the clock"
    CRASHED = "it died or raised an error"


class WorkerStopped(Exception):
    """The work gave no answer: ``overrun`` (an :class:`Overrun`) says why."""

    def __init__(self, overrun: Overrun):
        super().__init__(overrun.value)
        self.overrun = overrun


@dataclass(frozen=True)
class Limits:
    """A worker's budget for its work, counted from when it is ready (Python started and the work's module
    imported): seconds of CPU time, bytes of memory on top of what it holds then, and seconds by the clock
    (from the start, the whole worker) before it is killed whatever it is doing."""

    cpu_seconds: int
    memory_bytes: int
    wall_seconds: float


def run_limited(work, args: tuple, limits: Limits):
    """``work(*args)`` in a fresh worker process within ``limits``, and what it returns, which must be plain
    JSON data (lists come back for tuples).

    The worker's CPU time (``RLIMIT_CPU``) and address space (``RLIMIT_AS``) are limited by the kernel; the
    caller waits at most ``limits.wall_seconds`` and then kills it. Raises :class:`WorkerStopped` when it
    overran a limit, died, or raised any exception (which is not passed on: no traceback leaves the worker)."""
    request = pickle.dumps((work, args, limits))
    command = [sys.executable, "-m", "notes.sandbox"]
    if not WORKERS.acquire(timeout=limits.wall_seconds):  # the others' files take all the slots: this one waits
        raise WorkerStopped(Overrun.WALL)
    try:
        with subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, env=settings.worker_environment()) as worker:  # fmt: skip
            try:
                answer, _ = worker.communicate(request, timeout=limits.wall_seconds)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.communicate()
                raise WorkerStopped(Overrun.WALL) from None
    finally:
        WORKERS.release()
    if worker.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise WorkerStopped(Overrun.CPU)
    try:
        status, value = json.loads(answer)
    except ValueError:
        raise WorkerStopped(Overrun.CRASHED) from None
    if status != "ok":
        raise WorkerStopped(Overrun.MEMORY if status == "memory" else Overrun.CRASHED)
    return value


MAX_WORKERS = 2  # files read at once per server process: two workers at their memory limit stay under 1.5 GB
WORKERS = threading.BoundedSemaphore(MAX_WORKERS)


def _serve() -> None:
    """In the worker: read the request, set the limits, do the work, write ["ok", result] or why not."""
    work, args, limits = pickle.loads(sys.stdin.buffer.read())  # imports the work's module before the limits
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + max(1, int(limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU at the soft limit, SIGKILL a second on
    memory = _address_space() + int(limits.memory_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    answers, sys.stdout = sys.stdout, sys.stderr  # what the work prints must not garble the answer
    try:
        answer = json.dumps(["ok", work(*args)])
    except MemoryError:
        answer = json.dumps(["memory", None])
    except BaseException:  # any failure of the work is reported as such, never passed on
        answer = json.dumps(["crashed", None])
    answers.write(answer)
    answers.flush()


def _address_space() -> int:
    """The bytes of address space this process holds now (Linux ``/proc``; 0 where it cannot be read)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    _serve()
