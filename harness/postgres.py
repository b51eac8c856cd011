"""A throwaway PostgreSQL server for the tests and the bench, from Debian's postgresql package (installed by
`make setup-dev`): initdb in a temporary folder, started on a free local port, stopped at the end."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

from harness.appserver import free_port


class NoPostgres(RuntimeError):
    pass


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the `postgres` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_postgres(workdir: Path) -> tuple[str, callable]:
    """Start a server; returns its SQLAlchemy URL and a function that stops it."""
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bindirs:
        raise NoPostgres("PostgreSQL is not installed (make setup-dev installs Debian's postgresql)")
    bindir = Path(bindirs[-1])
    data, sockets = workdir / "pgdata", workdir / "pgsock"
    for folder in (data, sockets):
        folder.mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    port = free_port()
    run = lambda cmd: subprocess.run(_as_postgres(cmd), check=True, capture_output=True, text=True)  # noqa: E731
    run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(workdir / "pg.log"), "-w", "start"])

    def stop() -> None:
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       check=False, capture_output=True)  # fmt: skip

    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop


def fresh_database(server_url: str) -> str:
    """A new, empty database on the server at ``server_url``; returns its SQLAlchemy URL."""
    import uuid

    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
