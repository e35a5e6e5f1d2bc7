"""Shared kit for the benchmarks: real server processes started as a user would, a
thread-pool HTTP sender, WebSocket client helpers, percentiles and machine facts.

Every run gets a fresh AIRCOP_VAR_DIR under /tmp; with PostgreSQL a fresh database that is
dropped at the end; with Redis a private `redis-server` on a free port (Redis pub/sub
ignores the database number, so a shared Redis would mix our groups with those of any
other AIRCOP running on the machine, such as a colleague's test suite)."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
AIRCOP_BIN = VENV_BIN / "aircop"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def raise_nofile(wanted: int = 65536) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    """Resident memory of a process in KB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.4999)))
    return sorted_values[rank - 1]


def machine() -> dict:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
    }


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def code_version(src: str | None = None) -> str:
    """The AIRCOP code measured: the commit, and whether src/ has uncommitted changes."""
    if src:
        return f"AIRCOP from {Path(src).resolve()}/src"
    try:
        head = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "-C", str(ROOT), "status", "--porcelain", "src"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "AIRCOP (version unknown)"
    return f"AIRCOP at {head}" + (" with uncommitted changes in src/" if dirty else "")


def describe_machine() -> str:
    m = machine()
    return (
        f"machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}; "
        f"load average {load_average()}"
    )


def _wait_healthy(url: str, proc: subprocess.Popen, log_path: Path, path: str = "/healthz") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + path, timeout=2) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer on {url} within 60 s")


class Server:
    def __init__(self, url: str, proc: subprocess.Popen):
        self.url = url
        self.proc = proc

    @property
    def ws_base(self) -> str:
        return self.url.replace("http://", "ws://")

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


class PrivateRedis:
    """A throw-away redis-server on a free port, without persistence. ``restart`` stops it
    and starts it again, empty, on the same port (bench/faults.py)."""

    def __init__(self, var_dir: Path):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server is not installed; pass --redis-url to use a running Redis")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = var_dir / "redis.log"
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=open(self.log_path, "a"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.1)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def restart(self, down_seconds: float) -> None:
        self.stop()
        time.sleep(down_seconds)
        self.start()


class Deployment:
    """A var dir under /tmp, optionally a fresh PostgreSQL database and a private Redis, and
    the server processes started in it. ``kind`` is "aircop" or "baseline"."""

    def __init__(
        self,
        kind: str,
        *,
        redis: bool,
        redis_url: str | None = None,
        pg_url: str | None = None,
        src: str | None = None,
        env: list[str] | None = None,
    ):
        self.kind = kind
        self.var_dir = Path(tempfile.mkdtemp(prefix=f"aircop-bench-{kind}-"))
        self.env = {**os.environ, "AIRCOP_VAR_DIR": str(self.var_dir)}
        for name in ("AIRCOP_DATABASE_URL", "AIRCOP_REDIS_URL", "PYTHONPATH"):
            self.env.pop(name, None)
        # Senders post many alerts a second with one token: rate limits would refuse them.
        # `--env AIRCOP_RATE_LIMITS=on` measures with them.
        self.env["AIRCOP_RATE_LIMITS"] = "off"
        if src and kind == "aircop":
            # Ahead of the editable install's path entry, so this tree's `aircop` is imported.
            self.env["PYTHONPATH"] = str(Path(src).resolve() / "src")
        for pair in env or []:
            name, _, value = pair.partition("=")
            self.env[name] = value
        self.servers: list[Server] = []
        self.redis: PrivateRedis | None = None
        self._pg_admin_url: str | None = None
        self._pg_db: str | None = None
        if redis:
            if redis_url:
                self.redis_url = redis_url
            else:
                self.redis = PrivateRedis(self.var_dir)
                self.redis_url = self.redis.url
            self.env["AIRCOP_REDIS_URL"] = self.redis_url
            self.env["BENCH_REDIS_URL"] = self.redis_url
            if kind == "aircop":
                self._create_database(pg_url or DEFAULT_PG_URL)

    # -- PostgreSQL -------------------------------------------------------------------
    def _create_database(self, pg_url: str) -> None:
        parts = urlsplit(pg_url)
        self._pg_admin_url = urlunsplit(parts._replace(path="/postgres"))
        self._pg_db = f"aircop_bench_{uuid.uuid4().hex[:10]}"
        self._pg_exec(f'CREATE DATABASE "{self._pg_db}"')
        self.env["AIRCOP_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self._pg_db}"))

    def _pg_exec(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self._pg_admin_url, autocommit=True) as conn:
            conn.execute(sql)

    # -- AIRCOP commands ------------------------------------------------------------------
    def aircop(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own command
            [str(AIRCOP_BIN), *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        if result.returncode != 0:
            raise RuntimeError(f"aircop {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def prepare(self) -> None:
        self.aircop("migrate", "-v", "0")
        self.aircop("demo")

    def mint_tokens(self, usernames: list[str], parallel: int = 4) -> dict[str, str]:
        unique = sorted(set(usernames))
        with ThreadPoolExecutor(parallel) as pool:
            raw = list(pool.map(lambda name: self.aircop("token", name).strip(), unique))
        return dict(zip(unique, raw, strict=True))

    # -- servers ------------------------------------------------------------------------
    def serve(self) -> Server:
        port = free_port()
        log_path = self.var_dir / f"serve-{port}.log"
        if self.kind == "aircop":
            argv = [str(AIRCOP_BIN), "serve", "--host", "127.0.0.1", "--port", str(port)]
            health = "/healthz"
        else:
            # Same uvicorn defaults as `aircop serve` (uvloop, httptools, websockets, no lifespan).
            argv = [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.baseline_app:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--lifespan",
                "off",
                "--no-server-header",
                "--log-level",
                "warning",
            ]
            health = "/healthz"
        proc = subprocess.Popen(  # noqa: S603 - our own command
            argv,
            env=self.env,
            cwd=ROOT,
            stdout=open(log_path, "w"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = Server(f"http://127.0.0.1:{port}", proc)
        self.servers.append(server)
        _wait_healthy(server.url, proc, log_path, health)
        return server

    def rss_kb(self) -> int:
        return sum(rss_kb(s.proc.pid) for s in self.servers)

    def stop(self) -> None:
        for server in self.servers:
            if server.proc.poll() is None:
                server.proc.terminate()
        for server in self.servers:
            try:
                server.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait()
        if self.redis:
            self.redis.stop()
        if self._pg_db and os.environ.get("BENCH_KEEP"):
            log(f"BENCH_KEEP: PostgreSQL database {self._pg_db} kept (drop it yourself)")
        elif self._pg_db:
            self._pg_exec(f'DROP DATABASE IF EXISTS "{self._pg_db}" WITH (FORCE)')
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(self.var_dir, ignore_errors=True)


# -- HTTP ---------------------------------------------------------------------------------
class Http:
    """Blocking JSON over keep-alive connections, one per thread and server."""

    def __init__(self):
        self._local = threading.local()

    def _conn(self, host: str, port: int, fresh: bool = False) -> http.client.HTTPConnection:
        conns = self._local.__dict__.setdefault("conns", {})
        if fresh or (host, port) not in conns:
            if (host, port) in conns:
                conns[(host, port)].close()
            conns[(host, port)] = http.client.HTTPConnection(host, port, timeout=60)
        return conns[(host, port)]

    def request(self, method: str, url: str, token: str | None = None, payload=None) -> tuple[int, object]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        body = json.dumps(payload).encode() if payload is not None else None
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        for attempt in (1, 2):
            conn = self._conn(parts.hostname, parts.port, fresh=attempt == 2)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection before reading the request.
                if attempt == 2:
                    raise
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data.decode(errors="replace")
        return response.status, parsed


def jaitf_units(http: Http, url: str, token: str) -> list[str]:
    """The task-force unit codes of the demo network, in code order."""
    status, units = http.request("GET", f"{url}/api/v1/units?kind=jaitf", token)
    if status != 200:
        raise RuntimeError(f"GET /api/v1/units answered {status}: {units}")
    return sorted(u["code"] for u in units)


def users_of(unit_code: str) -> list[str]:
    """The two demo users of a task force: officer-<iata> and head-<iata>."""
    iata = unit_code.removeprefix("jaitf-")
    return [f"officer-{iata}", f"head-{iata}"]


# -- WebSocket ----------------------------------------------------------------------------
def ws_connect(url: str, token: str | None, **kwargs):
    import websockets

    headers = {"Authorization": f"Bearer {token}"} if token else None
    return websockets.connect(
        url,
        additional_headers=headers,
        open_timeout=kwargs.pop("open_timeout", 120),
        ping_interval=None,
        close_timeout=kwargs.pop("close_timeout", 2),
        max_queue=kwargs.pop("max_queue", 1024),
        **kwargs,
    )


def run_async(coro):
    """asyncio.run on uvloop when it is installed (it is: uvicorn uses it too)."""
    try:
        import uvloop
    except ImportError:
        import asyncio

        return asyncio.run(coro)
    return uvloop.run(coro)
