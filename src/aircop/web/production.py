"""`aircop production`: the production topology on one machine, for a trial installation and
for the fault-injection run (bench/faults.py).

    nginx (TLS, :8443) → `aircop serve --workers N` (uvicorn, 127.0.0.1:8001) → PostgreSQL
                                                                              → Redis (channel
    `aircop worker` (periodic jobs and queued tasks) ─────────────────────────→   layer, cache)

It checks that the database is PostgreSQL and that Redis is configured, migrates, optionally
loads the demo network, starts the three kinds of process and keeps them running: a process
that dies is started again (uvicorn's own supervisor does the same for each web worker
process). Ctrl-C or SIGTERM stops everything. The processes and addresses are written to
``$AIRCOP_VAR_DIR/run/production.json`` so that tools (the fault script) can find them.

On real servers systemd does the supervising: docs/deployment.md has the unit files and the
nginx site, which is the same template this command fills in (deploy/nginx.conf.template)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent / "deploy"
NGINX_TEMPLATE = DEPLOY_DIR / "nginx.conf.template"
PLACEHOLDER = re.compile(r"\$\{(AIRCOP_[A-Z_]+)\}")


class ProductionError(Exception):
    """A precondition that is not met, named for the operator."""


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database ``url`` names when it does not exist (connecting to the
    server's ``postgres`` database to do it). True when it was created."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name:
        raise ProductionError("AIRCOP_DATABASE_URL: --create-database needs postgresql://…/NAME")
    try:
        with psycopg.connect(
            urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5
        ) as c:
            if c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return False
            c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.Error as exc:
        raise ProductionError(f"AIRCOP_DATABASE_URL: cannot create database {name!r}: {exc}") from None


def render_nginx(values: dict[str, str], template: str | None = None) -> str:
    """The nginx site with its ${AIRCOP_...} placeholders filled in (nginx's own $variables are
    left alone, as `envsubst '${AIRCOP_...}'` would). A placeholder without a value is an error."""
    text = NGINX_TEMPLATE.read_text() if template is None else template
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise ProductionError(f"nginx template: no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def write_nginx_conf(site: str, run_dir: Path) -> Path:
    """nginx.conf and the directories it names, in run_dir."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / "nginx-temp" / sub).mkdir(parents=True, exist_ok=True)
    conf = run_dir / "nginx.conf"
    conf.write_text(main_nginx_conf(site, run_dir))
    return conf


def main_nginx_conf(site: str, run_dir: Path) -> str:
    """A whole nginx.conf around the site, for an nginx started by this command as an ordinary
    process (not the system's nginx): its pid, logs and temporary files stay in run_dir."""
    temp = run_dir / "nginx-temp"
    return f"""# written by `aircop production`; the site below comes from deploy/nginx.conf.template
worker_processes 1;
pid {run_dir}/nginx.pid;
error_log {run_dir}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log {run_dir}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{site}
}}
"""


def self_signed_certificate(tls_dir: Path, host: str) -> tuple[Path, Path]:
    """A certificate for a trial on one machine (browsers warn about it). Real installations
    give AIRCOP_TLS_CERT and AIRCOP_TLS_KEY (e.g. from their certificate authority)."""
    cert, key = tls_dir / "cert.pem", tls_dir / "key.pem"
    if cert.exists() and key.exists():
        return cert, key
    openssl = shutil.which("openssl")
    if openssl is None:
        raise ProductionError("openssl is not installed: give AIRCOP_TLS_CERT and AIRCOP_TLS_KEY instead")
    tls_dir.mkdir(parents=True, exist_ok=True)
    alt = f"IP:{host}" if re.fullmatch(r"[0-9.]+", host) else f"DNS:{host}"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "30",
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName={alt},DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)
    return cert, key


@dataclass
class Managed:
    """One supervised process."""

    name: str
    argv: list[str]
    log_path: Path
    ready_url: str | None = None
    proc: subprocess.Popen | None = None
    starts: int = 0
    exits: list[int] = field(default_factory=list)

    def start(self, env: dict[str, str]) -> None:
        log = open(self.log_path, "a")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(  # noqa: S603 - our own commands and nginx
            self.argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.starts += 1

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def wait(self, timeout: float) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def web_workers(supervisor_pid: int) -> list[int]:
    """The worker processes of `aircop serve --workers N` under its supervisor's pid (Linux
    /proc; not multiprocessing's resource tracker). The fault run and the tests kill one."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == supervisor_pid and b"spawn_main" in cmdline:
            found.append(int(stat.parent.name))
    return sorted(found)


def wait_ready(url: str, proc: Managed, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    context = None
    if url.startswith("https:"):
        import ssl

        context = ssl._create_unverified_context()  # noqa: S323 - our own self-signed certificate
    while time.monotonic() < deadline:
        if not proc.running:
            raise ProductionError(f"{proc.name} stopped while starting; see {proc.log_path}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url, timeout=2, context=context) as response,  # noqa: S310
        ):
            if response.status == 200:
                return
        time.sleep(0.3)
    raise ProductionError(f"{proc.name} did not answer {url} within {timeout:.0f} s; see {proc.log_path}")


class Topology:
    def __init__(
        self,
        *,
        aircop: str,
        var_dir: Path,
        workers: int,
        host: str,
        port: int,
        app_port: int,
        proxy: bool,
        env: dict[str, str],
        out=sys.stdout,
    ):
        self.aircop, self.var_dir, self.workers = aircop, var_dir, workers
        self.host, self.port, self.app_port, self.proxy = host, port, app_port, proxy
        self.env = env
        self.out = out
        self.run_dir = var_dir / "run"
        self.processes: list[Managed] = []
        self.stopping = False

    def say(self, message: str) -> None:
        self.out.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
        self.out.flush()

    # -- set-up ---------------------------------------------------------------------------
    def prepare_dirs(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        metrics = self.run_dir / "metrics"
        # Prometheus' per-process files belong to the processes of one run only.
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir()
        self.env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)

    def nginx_site(self) -> str:
        cert = os.environ.get("AIRCOP_TLS_CERT")
        key = os.environ.get("AIRCOP_TLS_KEY")
        if bool(cert) != bool(key):
            raise ProductionError("AIRCOP_TLS_CERT and AIRCOP_TLS_KEY go together: give both or neither")
        if not cert:
            cert_path, key_path = self_signed_certificate(self.var_dir / "tls", self.host)
            cert, key = str(cert_path), str(key_path)
        return render_nginx(
            {
                "AIRCOP_SERVER_NAME": self.host,
                "AIRCOP_LISTEN": f"{self.host}:{self.port}",
                "AIRCOP_UPSTREAM": f"127.0.0.1:{self.app_port}",
                "AIRCOP_TLS_CERT": cert,
                "AIRCOP_TLS_KEY": key,
                "AIRCOP_MAX_BODY": "30m",
            }
        )

    def build(self) -> None:
        nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if self.proxy and nginx is None:
            raise ProductionError(
                "nginx is not installed: `apt-get install nginx`, or --no-proxy to serve without it"
            )
        self.processes.append(
            Managed(
                "web",
                [
                    self.aircop,
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.app_port),
                    "--workers",
                    str(self.workers),
                ],
                self.run_dir / "web.log",
                ready_url=f"http://127.0.0.1:{self.app_port}/healthz",
            )
        )
        self.processes.append(Managed("worker", [self.aircop, "worker"], self.run_dir / "worker.log"))
        if self.proxy:
            conf = write_nginx_conf(self.nginx_site(), self.run_dir)
            test = subprocess.run(  # noqa: S603 - nginx's own configuration test
                [nginx, "-t", "-q", "-c", str(conf), "-p", str(self.run_dir)], capture_output=True, text=True
            )
            if test.returncode != 0:
                raise ProductionError(f"nginx refused its configuration: {test.stderr.strip()}")
            self.processes.append(
                Managed(
                    "proxy",
                    [nginx, "-c", str(conf), "-p", str(self.run_dir), "-g", "daemon off;"],
                    self.run_dir / "nginx.log",
                    ready_url=f"https://{self.host}:{self.port}/healthz",
                )
            )

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}" if self.proxy else f"http://127.0.0.1:{self.app_port}"

    def write_state(self) -> None:
        state = {
            "url": self.url,
            "app_url": f"http://127.0.0.1:{self.app_port}",
            "supervisor_pid": os.getpid(),
            "processes": {
                p.name: {"pid": p.proc.pid if p.proc else None, "starts": p.starts, "log": str(p.log_path)}
                for p in self.processes
            },
        }
        tmp = self.run_dir / "production.json.tmp"
        tmp.write_text(json.dumps(state, indent=1))
        tmp.replace(self.run_dir / "production.json")

    # -- running --------------------------------------------------------------------------
    def start_all(self) -> None:
        for process in self.processes:
            process.start(self.env)
            if process.ready_url:
                wait_ready(process.ready_url, process)
            self.say(f"{process.name} started (pid {process.proc.pid})")
        self.write_state()

    def supervise(self, tick: float = 1.0) -> None:
        """Start again what died, until stop() is called."""
        while not self.stopping:
            changed = False
            for process in self.processes:
                if not process.running and not self.stopping:
                    code = process.proc.returncode if process.proc else None
                    process.exits.append(code)
                    self.say(f"{process.name} exited with {code}; starting it again")
                    time.sleep(min(5.0, 0.5 * len(process.exits)))  # no tight loop on a broken start
                    process.start(self.env)
                    changed = True
            if changed:
                self.write_state()
            time.sleep(tick)

    def stop(self) -> None:
        self.stopping = True
        for process in reversed(self.processes):
            process.stop(signal.SIGQUIT if process.name == "proxy" else signal.SIGTERM)
        for process in reversed(self.processes):
            process.wait(20)
        self.say("stopped")
