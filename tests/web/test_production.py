"""`aircop production`: the nginx site template, the checks before start, and (with
PostgreSQL and Redis) the whole topology started, a web worker and the background worker
killed with SIGKILL and started again, and a clean stop."""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from aircop.web import production
from tests.conftest import AIRCOP_BIN, run_aircop
from tests.live import LiveAircop, free_port

VALUES = {
    "AIRCOP_SERVER_NAME": "aircop.example.org",
    "AIRCOP_LISTEN": "127.0.0.1:18443",
    "AIRCOP_UPSTREAM": "127.0.0.1:18001",
    "AIRCOP_TLS_CERT": "/etc/ssl/aircop/cert.pem",
    "AIRCOP_TLS_KEY": "/etc/ssl/aircop/key.pem",
    "AIRCOP_MAX_BODY": "30m",
}
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PRODUCTION_SERVICES = os.environ.get("AIRCOP_DATABASE_URL", "").startswith("postgres") and os.environ.get(
    "AIRCOP_REDIS_URL"
)


def test_the_template_is_filled_and_nginx_variables_are_left_alone():
    site = production.render_nginx(VALUES)
    assert "${AIRCOP" not in site
    assert "server 127.0.0.1:18001" in site and "listen 127.0.0.1:18443 ssl" in site
    # nginx's own variables, which a careless substitution would blank out.
    for variable in ("$http_host", "$proxy_add_x_forwarded_for", "$scheme", "$http_upgrade"):
        assert variable in site
    # Every location that sets headers sets the forwarded ones (nginx inherits none then).
    assert site.count("proxy_set_header X-Forwarded-Proto $scheme;") == site.count("location /") - 1


def test_a_placeholder_without_a_value_is_named():
    values = {k: v for k, v in VALUES.items() if k != "AIRCOP_TLS_KEY"}
    with pytest.raises(production.ProductionError, match="no value for AIRCOP_TLS_KEY"):
        production.render_nginx(values)


@pytest.mark.skipif(NGINX is None or shutil.which("openssl") is None, reason="nginx or openssl absent")
def test_nginx_accepts_the_configuration(tmp_path):
    cert, key = production.self_signed_certificate(tmp_path / "tls", "127.0.0.1")
    site = production.render_nginx({**VALUES, "AIRCOP_TLS_CERT": str(cert), "AIRCOP_TLS_KEY": str(key)})
    conf = production.write_nginx_conf(site, tmp_path)
    result = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_production_needs_postgresql_and_redis(tmp_path):
    result = run_aircop(
        "production",
        env={"AIRCOP_VAR_DIR": str(tmp_path), "AIRCOP_DATABASE_URL": "", "AIRCOP_REDIS_URL": ""},
    )
    assert result.returncode != 0
    assert "set AIRCOP_DATABASE_URL to a PostgreSQL database" in result.stderr


def _get(url: str, cafile: str | None = None) -> int:
    import ssl

    context = ssl.create_default_context(cafile=cafile) if cafile else None
    try:
        with urllib.request.urlopen(url, timeout=3, context=context) as response:  # noqa: S310 - local
            return response.status
    except OSError:
        return 0


def _wait(predicate, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.skipif(
    not PRODUCTION_SERVICES, reason="needs AIRCOP_DATABASE_URL (PostgreSQL) and AIRCOP_REDIS_URL"
)
def test_the_topology_starts_survives_sigkill_and_stops(tmp_path):
    live = LiveAircop(tmp_path)  # a database of its own
    port, app_port = free_port(), free_port()
    argv = [str(AIRCOP_BIN), "production", "--workers", "2", "--port", str(port), "--app-port", str(app_port)]
    if NGINX is None:
        argv.append("--no-proxy")
    proc = subprocess.Popen(argv, env=live.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    state_file = tmp_path / "run" / "production.json"
    try:
        assert _wait(lambda: state_file.exists(), 120), proc.stdout.read() if proc.poll() is not None else ""
        state = json.loads(state_file.read_text())
        cafile = str(tmp_path / "tls" / "cert.pem") if NGINX else None
        assert _get(f"{state['url']}/healthz", cafile) == 200
        # A web worker process killed: uvicorn's supervisor replaces it, the other one serves meanwhile.
        web = state["processes"]["web"]["pid"]
        assert _wait(lambda: len(production.web_workers(web)) >= 2, 30)
        victim = production.web_workers(web)[0]
        os.kill(victim, signal.SIGKILL)
        assert _wait(
            lambda: victim not in production.web_workers(web) and len(production.web_workers(web)) >= 2, 60
        )
        assert _wait(lambda: _get(f"{state['url']}/healthz", cafile) == 200, 30)
        # The background worker killed: `aircop production` starts it again.
        worker = state["processes"]["worker"]["pid"]
        os.kill(worker, signal.SIGKILL)
        assert _wait(lambda: json.loads(state_file.read_text())["processes"]["worker"]["starts"] == 2, 30)
        assert json.loads(state_file.read_text())["processes"]["worker"]["pid"] != worker
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=60)[0]
        live.stop()
    assert "worker exited with -9; starting it again" in output
    assert "stopped" in output
    for name, info in json.loads(state_file.read_text())["processes"].items():
        assert not Path(f"/proc/{info['pid']}").exists() or name == "none", f"{name} still running"
