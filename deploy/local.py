"""Several app processes behind nginx, sharing one PostgreSQL notes database, on this machine: what a city's
server runs (README, "Running it for a city"), started with one command for trying it and for the tests.

    python -m deploy.local [--replicas 2] [--port 8080]    start PostgreSQL, the replicas and nginx; Ctrl-C stops
    python -m deploy.local nginx-site --listen 80 --ports 8501,8502,8503
                                                         print the nginx site for a server (deploy/README.md)

PostgreSQL is a throwaway server in a temporary folder (harness.postgres); a city's server uses its own
(``EQUITY_DATABASE_URL``). The schema is upgraded once before the replicas start, so they never race to create it.
Streamlit's settings for many visitors (no garbage collection after every rerun, no file watcher) are in
.streamlit/config.toml, which every process reads.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from harness.appserver import free_port
from settings import REPO_ROOT

DEPLOY = Path(__file__).resolve().parent
NGINX = "/usr/sbin/nginx"
STARTUP_SECONDS = 90


class StackDidNotStart(RuntimeError):
    """A part did not start; the message holds its log."""


def site_config(listen: str, ports: list[int]) -> str:
    """The nginx site (deploy/nginx-site.conf.template) for app processes on these local ports."""
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in ports)
    return string.Template((DEPLOY / "nginx-site.conf.template").read_text()).safe_substitute(
        listen=listen, servers=servers
    )


def nginx_config(workdir: Path, port: int, ports: list[int]) -> Path:
    """A whole nginx.conf that runs unprivileged in ``workdir`` with the site above."""
    user = "user root root;\n" if os.geteuid() == 0 else ""  # its temporary files stay in our private folder
    text = f"""{user}worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {workdir}/nginx-access.log;
    client_body_temp_path {workdir}/nginx-body;
    proxy_temp_path {workdir}/nginx-proxy;
    fastcgi_temp_path {workdir}/nginx-fastcgi;
    uwsgi_temp_path {workdir}/nginx-uwsgi;
    scgi_temp_path {workdir}/nginx-scgi;
{site_config(f"127.0.0.1:{port}", ports)}
}}
"""
    path = workdir / "nginx.conf"
    path.write_text(text)
    return path


@dataclass
class Stack:
    url: str  # nginx
    replica_urls: list[str]
    replicas: list[subprocess.Popen]
    database_url: str

    @property
    def pids(self) -> list[int]:
        return [proc.pid for proc in self.replicas]


def start_replica(workdir: Path, port: int, env: dict[str, str]) -> subprocess.Popen:
    log = workdir / f"replica-{port}.log"
    command = [sys.executable, "-m", "ui.serve", "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1"]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=REPO_ROOT, env=os.environ | env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def wait_healthy(url: str, proc: subprocess.Popen | None, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise StackDidNotStart(f"{url} exited:\n{log.read_text()}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                return
        time.sleep(0.1)
    raise StackDidNotStart(f"{url} did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a process we started and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextlib.contextmanager
def running_stack(workdir: Path, replicas: int = 2, env: dict[str, str] | None = None, port: int | None = None):
    """PostgreSQL, ``replicas`` app processes and nginx in front of them; yields a :class:`Stack`, stops all."""
    from harness.postgres import fresh_database, start_postgres
    from notes import db

    if not Path(NGINX).exists():
        raise StackDidNotStart("nginx is not installed (make setup-dev installs Debian's nginx-light)")
    server_url, stop_postgres = start_postgres(workdir)
    procs: list[subprocess.Popen] = []
    nginx: subprocess.Popen | None = None
    try:
        database_url = fresh_database(server_url)
        db.make_engine(database_url).dispose()  # the schema, once, before the replicas share it
        app_env = {"EQUITY_DATABASE_URL": database_url, "EQUITY_MAP_TILES": "", "EQUITY_TRUSTED_PROXIES": "1"} | (
            env or {}
        )  # behind nginx: sign-in limits count each browser by the address nginx saw, not nginx's own
        ports = [free_port() for _ in range(replicas)]
        procs = [start_replica(workdir, p, app_env) for p in ports]
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        for url, proc, p in zip(urls, procs, ports, strict=True):
            wait_healthy(url, proc, workdir / f"replica-{p}.log")
        port = port or free_port()
        config = nginx_config(workdir, port, ports)
        nginx = subprocess.Popen([NGINX, "-e", str(workdir / "nginx-error.log"), "-c", str(config), "-g",
                                  "daemon off;"], start_new_session=True)  # fmt: skip
        wait_healthy(f"http://127.0.0.1:{port}", nginx, workdir / "nginx-error.log")
        yield Stack(f"http://127.0.0.1:{port}", urls, procs, database_url)
    finally:
        for proc in [*procs, *([nginx] if nginx else [])]:
            stop_process(proc)
        stop_postgres()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["run", "nginx-site"], default="run")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (run)")
    parser.add_argument("--listen", default="80", help="nginx's listen address (nginx-site)")
    parser.add_argument("--ports", default="8501,8502", help="the app processes' ports (nginx-site)")
    args = parser.parse_args(argv)
    if args.command == "nginx-site":
        print(site_config(args.listen, [int(p) for p in args.ports.split(",")]))
        return 0
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp), args.replicas, port=args.port) as stack:
        print(f"{args.replicas} app processes behind nginx at {stack.url} (notes in {stack.database_url}).")
        print("Ctrl-C stops everything.", flush=True)
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
