"""Start and stop `streamlit run app.py` on a free local port (used by the browser tests and the bench)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from settings import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
STARTUP_SECONDS = 90


class AppDidNotStart(RuntimeError):
    """The server exited or never answered; the message holds its output."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(workdir: Path, extra_env: dict | None = None, port: int | None = None,
              extra_args: tuple[str, ...] = ()) -> tuple[subprocess.Popen, str]:  # fmt: skip
    """Start the app with its own notes database in ``workdir`` and wait until its health endpoint answers
    (on ``port``, default a free one; ``extra_args`` are more options of ``streamlit run``)."""
    port = port or free_port()
    log = workdir / "streamlit.log"
    env = os.environ | {"EQUITY_DATABASE_URL": f"sqlite:///{workdir / 'notes.db'}", "EQUITY_MAP_TILES": ""}
    env |= extra_env or {}
    command = [sys.executable, "-m", "ui.serve", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", *extra_args]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AppDidNotStart(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if requests.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(0.1)
    stop_app(proc)
    raise AppDidNotStart(f"streamlit did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


def stop_app(proc: subprocess.Popen) -> None:
    """Stop the server and everything it started, by process group."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
