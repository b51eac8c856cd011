"""Running work on untrusted input (reading an uploaded file) in a worker process of its own, with limits on its
CPU time, its memory and its wall-clock time, so that no input, whatever bug it finds in a parser, can stall
the server or the other visitors: the worker is stopped and the caller is told which limit was overrun.

Workers are forked from a small server process that imports the parsers once (the ``forkserver`` start method:
never ``fork`` from the Streamlit server, whose threads may hold locks). The work and its arguments must be
picklable, and so must what it returns: plain data, never an object that holds a file handle."""

from __future__ import annotations

import multiprocessing
import resource
import signal
from dataclasses import dataclass
from enum import StrEnum

_PRELOADED = ["notes.uploads"]  # imported once by the fork server, so each worker starts in milliseconds


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
    """A worker's budget: seconds of CPU time, bytes of memory it may take on top of what it holds when it
    starts (Python and the parsers), and seconds by the clock before it is stopped whatever it is doing."""

    cpu_seconds: int
    memory_bytes: int
    wall_seconds: float


def run_limited(work, args: tuple, limits: Limits):
    """``work(*args)`` in a fresh worker process within ``limits``, and what it returns.

    The worker's CPU time (``RLIMIT_CPU``) and address space (``RLIMIT_AS``) are limited by the kernel; the
    caller waits at most ``limits.wall_seconds`` and then kills it. Raises :class:`WorkerStopped` when it
    overran a limit, died, or raised any exception (which is not passed on: no traceback leaves the worker)."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_worker, args=(sender, work, args, limits), daemon=True)
    worker.start()
    sender.close()  # the worker's end: when it dies, reading ours ends instead of waiting
    try:
        status, value = _answer(receiver, limits.wall_seconds)
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join()
        receiver.close()
    if status == "died":
        killed_by = -worker.exitcode if worker.exitcode and worker.exitcode < 0 else None
        status = "cpu" if killed_by in (signal.SIGXCPU, signal.SIGKILL) else "crashed"
    if status != "ok":
        raise WorkerStopped({"cpu": Overrun.CPU, "memory": Overrun.MEMORY, "wall": Overrun.WALL}.get(
            status, Overrun.CRASHED))  # fmt: skip
    return value


def _answer(receiver, wall_seconds: float) -> tuple[str, object]:
    """The worker's (status, value), ("wall", None) when none came in time, ("died", None) when it died first."""
    if not receiver.poll(wall_seconds):
        return "wall", None
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return "died", None


def _context():
    """The forkserver start method where there is one (Linux), else spawn; never fork."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(_PRELOADED)
    return context


def _worker(sender, work, args: tuple, limits: Limits) -> None:
    """In the worker: set the limits, do the work, send back ("ok", result) or why not."""
    cpu = max(1, int(limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # SIGXCPU at the soft limit, SIGKILL a second on
    memory = _address_space() + int(limits.memory_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        answer = ("ok", work(*args))
    except MemoryError:
        answer = ("memory", None)
    except BaseException:  # any failure of the work is reported as such, never passed on
        answer = ("crashed", None)
    try:
        sender.send(answer)
    except MemoryError:
        sender.send(("memory", None))
    finally:
        sender.close()


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
