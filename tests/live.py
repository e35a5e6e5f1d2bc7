"""A real AIRCOP server in a subprocess (`aircop migrate`, `aircop demo`, `aircop serve`),
for browser tests and, later, multi-process delivery tests. It uses its own var/ and, when
AIRCOP_DATABASE_URL points at PostgreSQL, its own freshly created database there."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.conftest import AIRCOP_BIN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveAircop:
    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.env = {**os.environ, "AIRCOP_VAR_DIR": str(var_dir)}
        self.processes: list[subprocess.Popen] = []
        self._pg_admin_url = None
        self._pg_db = None
        base = os.environ.get("AIRCOP_DATABASE_URL", "")
        if base.startswith(("postgres://", "postgresql://")):
            self._pg_db = f"aircop_e2e_{uuid.uuid4().hex[:10]}"
            parts = urlsplit(base)
            self._pg_admin_url = urlunsplit(parts._replace(path="/postgres"))
            self._pg_exec(f'CREATE DATABASE "{self._pg_db}"')
            self.env["AIRCOP_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self._pg_db}"))

    def _pg_exec(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self._pg_admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def aircop(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(AIRCOP_BIN), *args], env=self.env, capture_output=True, text=True, input=input, timeout=300
        )
        if result.returncode != 0:
            raise RuntimeError(f"aircop {' '.join(args)} failed: {result.stderr.strip()}")
        return result

    def prepare(self) -> None:
        self.aircop("migrate", "-v", "0")
        self.aircop("demo", "--no-seizures")

    def serve(self) -> str:
        port = free_port()
        log = open(self.var_dir / f"serve-{port}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            [str(AIRCOP_BIN), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"aircop serve exited: {(self.var_dir / f'serve-{port}.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - local URL
                    if response.status == 200:
                        return url
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"aircop serve did not answer on {url} within 60 s")

    def stop(self) -> None:
        for proc in self.processes:
            proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._pg_db:
            self._pg_exec(f'DROP DATABASE IF EXISTS "{self._pg_db}" WITH (FORCE)')


def run_async(coroutine) -> object:
    """asyncio.run in a fresh thread: the session's Playwright keeps an event loop running
    in the main thread, where asyncio.run would refuse to start."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
