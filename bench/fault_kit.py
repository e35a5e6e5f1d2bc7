"""What bench/faults.py needs besides the application: a PostgreSQL cluster of its own that
it may restart without disturbing anything else on the machine (its Redis is
bench.common.PrivateRedis), a small file system (tmpfs) for the attachment store that it may
fill, and an HTTPS client that trusts the run's self-signed certificate."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import ssl
import subprocess
import threading
import time
import uuid
from pathlib import Path

from bench.common import free_port, log


def _run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


class PrivatePostgres:
    """initdb + pg_ctl as the postgres system user (PostgreSQL refuses to run as root), in a
    folder of the run, on a free port, trust authentication on 127.0.0.1 only."""

    def __init__(self, folder: Path):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not bins:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin = bins[-1]
        self.data = folder / "pg"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        folder.mkdir(parents=True, exist_ok=True)
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            for path in (folder, folder.parent):  # the postgres user must reach its data folder
                os.chmod(path, 0o755)  # noqa: S103 - a throw-away folder of the run
        _run(
            [
                *self.as_postgres,
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
            ]
        )
        self.log_file = self.data / "server.log"
        self.start()
        _run(
            [*self.as_postgres, str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "aircop"]
        )
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/aircop"

    def _ctl(self, *args: str) -> None:
        _run(
            [
                *self.as_postgres,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log_file),
                "-o",
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c max_connections=200",
                "-w",
                *args,
            ]
        )

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> float:
        """pg_ctl restart -m fast: every connection cut, the server down for a moment."""
        started = time.monotonic()
        self._ctl("restart", "-m", "fast")
        return time.monotonic() - started

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-m", "immediate")


class SmallDisk:
    """A tmpfs mounted at ``path`` (the attachment store), which the run fills and frees."""

    def __init__(self, path: Path, size_mb: int):
        path.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(  # noqa: S603
            ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0755", "tmpfs", str(path)],  # noqa: S607
            capture_output=True,
            text=True,
        )
        self.mounted = result.returncode == 0
        self.reason = result.stderr.strip()
        self.path = path
        self.filler = path / "filler.bin"

    def fill(self) -> int:
        written = 0
        with open(self.filler, "ab") as fh, contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 262144)
                fh.flush()
                written += 262144
        with contextlib.suppress(OSError), open(self.filler, "ab") as fh:
            # The last few bytes: no room is left at all.
            while True:
                fh.write(b"\0" * 512)
                fh.flush()
        return written

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False)  # noqa: S603, S607


class Https:
    """JSON and multipart over HTTPS keep-alive connections, one per thread; a connection
    that failed is replaced at the next request. Errors are returned, not raised."""

    def __init__(self, base: str, cafile: str):
        host_port = base.split("://", 1)[1]
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)
        self.context = ssl.create_default_context(cafile=cafile)
        self._local = threading.local()

    IDLE_SECONDS = 20  # nginx closes idle keep-alive connections after 75 s; never reuse one near that

    def _conn(self, fresh: bool = False) -> http.client.HTTPSConnection:
        conn = getattr(self._local, "conn", None)
        idle = time.monotonic() - getattr(self._local, "used", 0.0)
        if fresh or conn is None or idle > self.IDLE_SECONDS:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=30, context=self.context)
            self._local.conn = conn
        self._local.used = time.monotonic()
        return conn

    def request(
        self,
        method: str,
        path: str,
        token: str,
        *,
        payload=None,
        body: bytes | None = None,
        content_type=None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, object]:
        """(status, parsed body); status 0 with the exception's text when no answer came. A GET
        is tried once more on a fresh connection; a POST never (it may have been saved)."""
        headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        if payload is not None:
            body = json.dumps(payload).encode()
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        attempts = 2 if method == "GET" else 1
        for attempt in range(attempts):
            try:
                conn = self._conn()
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException) as exc:
                self._conn(fresh=True)
                if attempt == attempts - 1:
                    return 0, f"{type(exc).__name__}: {exc}"
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data.decode(errors="replace")[:300]
        if response.getheader("Connection", "").lower() == "close":
            self._conn(fresh=True)
        return response.status, parsed


def multipart(field: str, filename: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def png(seed: int) -> bytes:
    """A small PNG that differs for every seed."""
    import io
    import random

    from PIL import Image

    rng = random.Random(seed)
    image = Image.new("RGB", (64, 48), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    for _ in range(40):
        image.putpixel((rng.randrange(64), rng.randrange(48)), (rng.randrange(256), 0, rng.randrange(256)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def kill9(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def wait_for(predicate, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if predicate():
                return True
        time.sleep(step)
    return False


__all__ = [
    "PrivatePostgres",
    "SmallDisk",
    "Https",
    "multipart",
    "png",
    "kill9",
    "wait_for",
    "log",
]
