"""A throwaway PostgreSQL server for the tests' PostgreSQL variant.

``ROLEBOT_TEST_DATABASE_URL`` (a server someone else runs) wins; otherwise the PostgreSQL binaries
(``initdb`` on the PATH or under /usr/lib/postgresql/*/bin) start a private server in a temporary
folder on 127.0.0.1 and a free port, with fsync off (nothing here must survive the run). PostgreSQL
refuses to run as root, so as root the server runs as the ``postgres`` system user (``runuser``) in a
folder it owns. Each test gets its own schema of that server.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

URL_ENV = "ROLEBOT_TEST_DATABASE_URL"


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def private_server(bin_dir: Path) -> Iterator[str]:
    """Start a server from ``bin_dir``; yield its URL; stop it and delete its files at the end."""
    folder = Path(tempfile.mkdtemp(prefix="rolebot-pg-"))
    data, port = folder / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    run = lambda *args: subprocess.run(_as_server_user([str(bin_dir / args[0]), *args[1:]]),  # noqa: E731
                                       check=True, capture_output=True, text=True, cwd=folder)
    try:
        run("initdb", "-D", str(data), "-A", "trust", "-U", "rolebot", "--no-sync", "-E", "UTF8")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start")
        try:
            yield f"postgresql://rolebot@127.0.0.1:{port}/postgres"
        finally:
            run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def schema_options(url: str) -> tuple[str, str]:
    """A fresh schema on the server at ``url``: (its name, the connection option that selects it)."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return name, f"-c search_path={name}"


def drop_schema(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")
