"""Registers for the tests: a SQLite file always, and a database on a throwaway PostgreSQL server.

The server is Debian's postgresql (installed by scripts/system_deps.sh), started once per test
session in a temporary folder, listening only on a Unix socket there (no TCP).  initdb refuses to
run as root, so as root the server runs as the unprivileged user ``nobody``.  When it cannot be
started the PostgreSQL cases are skipped with the reason.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class _Server:
    def __init__(self):
        self.folder = None
        self.error = None
        self.bin = _pg_bin()
        self.as_user = []

    def start(self) -> None:
        if self.bin is None:
            self.error = "PostgreSQL is not installed (scripts/system_deps.sh installs it)"
            return
        self.folder = Path(tempfile.mkdtemp(prefix="kpt-pg-"))
        if os.geteuid() == 0:  # initdb refuses root: the server runs as nobody, in a folder nobody owns
            user = pwd.getpwnam("nobody")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "nobody", "--"]
        data, log = self.folder / "data", self.folder / "server.log"
        try:
            self._sh(self.bin / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                     "--no-locale")
            options = f"-k {self.folder} -c listen_addresses='' -F -c max_connections=40"
            self._sh(self.bin / "pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start")
        except (OSError, subprocess.SubprocessError) as exc:
            detail = getattr(exc, "stderr", "") or ""
            self.error = f"PostgreSQL could not be started: {exc} {detail[-500:]}"

    def _sh(self, *args):
        subprocess.run([*self.as_user, *map(str, args)], check=True, capture_output=True, text=True, timeout=120,
                       cwd=self.folder)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.folder}"

    def create_database(self) -> str:
        import psycopg

        name = "reg_" + uuid.uuid4().hex[:12]
        with psycopg.connect(f"host={self.folder} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.folder is None:
            return
        if self.error is None:
            try:
                self._sh(self.bin / "pg_ctl", "-D", self.folder / "data", "-m", "immediate", "-w", "stop")
            except (OSError, subprocess.SubprocessError):
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server():
    server = _Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def reg(backend, request, tmp_path):
    """A new, empty register's REG (path or URL) on each backend."""
    if backend == "sqlite":
        return str(tmp_path / "register.sqlite")
    server = request.getfixturevalue("pg_server")
    if server.error:
        pytest.skip(server.error)
    return server.create_database()
