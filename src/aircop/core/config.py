"""Configuration from environment variables only.

Every variable is optional: absent means the embedded default (SQLite under var/,
in-memory channel layer, a secret key generated once into var/). A value that cannot
be used raises :class:`ConfigError`, whose message starts with the variable's name so
that start-up can stop with one clear line.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

# src/aircop/core/config.py -> the checkout (editable install) holds var/
PROJECT_ROOT = Path(__file__).resolve().parents[3]

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off"}


class ConfigError(Exception):
    """A configuration value is unusable. ``variable`` names the culprit."""

    def __init__(self, variable: str, problem: str):
        self.variable = variable
        self.problem = problem
        super().__init__(f"{variable}: {problem}")


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None or raw == "":
        return default
    lowered = raw.lower()
    if lowered in TRUE_VALUES:
        return True
    if lowered in FALSE_VALUES:
        return False
    raise ConfigError(name, f"expected true or false, got {raw!r}")


def env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = _env(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(name, f"must be at least {minimum}, got {value}")
    return value


# Rate limits are written "N/unit": 10/minute, 120/min, 5/s, 1000/hour.
RATE_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
}


def parse_rate(text: str) -> tuple[int, int]:
    """``"120/minute"`` -> ``(120, 60)``: requests allowed and the window in seconds."""
    count, sep, unit = text.strip().partition("/")
    unit = unit.strip().lower()
    if not sep or unit not in RATE_UNITS:
        raise ValueError(f"expected N/second, N/minute or N/hour, got {text!r}")
    try:
        allowed = int(count)
    except ValueError:
        raise ValueError(f"expected a whole number before the slash, got {text!r}") from None
    if allowed < 1:
        raise ValueError(f"must allow at least 1 request, got {text!r}")
    return allowed, RATE_UNITS[unit]


def env_rate(name: str, default: str) -> str:
    raw = _env(name)
    if raw is None or raw == "":
        return default
    try:
        parse_rate(raw)
    except ValueError as exc:
        raise ConfigError(name, str(exc)) from None
    return raw


def var_dir() -> Path:
    raw = _env("AIRCOP_VAR_DIR")
    path = Path(raw) if raw else PROJECT_ROOT / "var"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError("AIRCOP_VAR_DIR", f"cannot create {path}: {exc.strerror}") from None
    return path


def secret_key(var: Path) -> str:
    raw = _env("AIRCOP_SECRET_KEY")
    if raw is not None:
        if len(raw) < 32:
            raise ConfigError("AIRCOP_SECRET_KEY", "must be at least 32 characters long")
        return raw
    key_file = var / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Created with owner-only permissions; never committed (var/ is ignored).
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def database(var: Path) -> dict:
    raw = _env("AIRCOP_DATABASE_URL")
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(var / "aircop.sqlite3"),
            "OPTIONS": {
                # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write
                # lock at BEGIN so the audit chain is extended by one transaction at a time.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    scheme = urlsplit(raw).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ConfigError(
            "AIRCOP_DATABASE_URL",
            f"unsupported scheme {scheme!r} (use postgresql://user@host:port/name or sqlite:///path)",
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=0)
    except Exception as exc:  # dj_database_url raises ValueError and friends
        raise ConfigError("AIRCOP_DATABASE_URL", f"cannot parse the URL ({exc})") from None
    if config["ENGINE"].endswith("postgresql") and not config.get("NAME"):
        raise ConfigError("AIRCOP_DATABASE_URL", "names no database (…/DATABASE_NAME at the end)")
    if config["ENGINE"].endswith("postgresql"):
        # A connection pool per process: under ASGI every request and every WebSocket database
        # call would otherwise open (and PostgreSQL fork) a new connection.
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env_int("AIRCOP_DATABASE_POOL_SIZE", 20),
            "timeout": 20,
        }
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


def redis_url() -> str | None:
    raw = _env("AIRCOP_REDIS_URL")
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(
            "AIRCOP_REDIS_URL", f"unsupported scheme {parts.scheme!r} (use redis://host:port/db)"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ConfigError("AIRCOP_REDIS_URL", f"bad port in {raw!r}") from None
    if parts.scheme != "unix" and not parts.hostname:
        raise ConfigError("AIRCOP_REDIS_URL", f"names no host in {raw!r}")
    return raw


def metrics_token() -> str:
    raw = _env("AIRCOP_METRICS_TOKEN") or ""
    if raw and len(raw) < 32:
        raise ConfigError("AIRCOP_METRICS_TOKEN", f"too short ({len(raw)} characters; at least 32)")
    return raw


def log_format() -> str:
    raw = (_env("AIRCOP_LOG_FORMAT") or "plain").strip().lower()
    if raw not in {"plain", "json"}:
        raise ConfigError("AIRCOP_LOG_FORMAT", f"expected plain or json, got {raw!r}")
    return raw


def allowed_hosts() -> list[str]:
    raw = _env("AIRCOP_ALLOWED_HOSTS")
    if raw is None or raw == "":
        return ["127.0.0.1", "localhost", "[::1]", "testserver"]
    hosts = [h.strip() for h in raw.split(",") if h.strip()]
    for host in hosts:
        if " " in host or "/" in host:
            raise ConfigError("AIRCOP_ALLOWED_HOSTS", f"{host!r} is not a host name (comma-separated list)")
    return hosts


@dataclass(frozen=True)
class Config:
    var: Path
    secret_key: str
    database: dict
    redis_url: str | None
    debug: bool
    allowed_hosts: list[str]
    secure_cookies: bool
    session_idle_minutes: int
    demo_password: str
    flash_ack_minutes: int
    ws_heartbeat_seconds: int
    flash_check_seconds: int
    ws_reconcile_seconds: int
    passenger_mask_days: int
    passenger_delete_days: int
    retention_check_seconds: int
    rate_limits: bool
    rate_login: str
    rate_login_ip: str
    rate_api: str
    rate_anon: str
    metrics_token: str = ""
    log_format: str = "plain"

    @property
    def channel_prefix(self) -> str:
        import hashlib

        where = (
            f"{self.database.get('HOST', '')}:{self.database.get('PORT', '')}/{self.database.get('NAME', '')}"
        )
        return "aircop-" + hashlib.sha256(where.encode()).hexdigest()[:10]


def load() -> Config:
    var = var_dir()
    debug = env_bool("AIRCOP_DEBUG", False)
    mask_days = env_int("AIRCOP_PASSENGER_MASK_DAYS", 30)
    delete_days = env_int("AIRCOP_PASSENGER_DELETE_DAYS", 180)
    if delete_days <= mask_days:
        raise ConfigError(
            "AIRCOP_PASSENGER_DELETE_DAYS",
            f"must be more than AIRCOP_PASSENGER_MASK_DAYS ({mask_days}): data is masked before it is deleted",
        )
    return Config(
        var=var,
        secret_key=secret_key(var),
        database=database(var),
        redis_url=redis_url(),
        debug=debug,
        allowed_hosts=allowed_hosts(),
        secure_cookies=env_bool("AIRCOP_SECURE_COOKIES", True),
        session_idle_minutes=env_int("AIRCOP_SESSION_IDLE_MINUTES", 30),
        demo_password=_env("AIRCOP_DEMO_PASSWORD") or "jaitf-demo-2026",
        flash_ack_minutes=env_int("AIRCOP_FLASH_ACK_MINUTES", 10),
        ws_heartbeat_seconds=env_int("AIRCOP_WS_HEARTBEAT_SECONDS", 25),
        flash_check_seconds=env_int("AIRCOP_FLASH_CHECK_SECONDS", 30),
        ws_reconcile_seconds=env_int("AIRCOP_WS_RECONCILE_SECONDS", 10),
        passenger_mask_days=mask_days,
        passenger_delete_days=delete_days,
        retention_check_seconds=env_int("AIRCOP_RETENTION_CHECK_SECONDS", 3600),
        rate_limits=env_bool("AIRCOP_RATE_LIMITS", True),
        rate_login=env_rate("AIRCOP_RATE_LOGIN", "10/minute"),
        rate_login_ip=env_rate("AIRCOP_RATE_LOGIN_IP", "30/minute"),
        rate_api=env_rate("AIRCOP_RATE_API", "120/minute"),
        rate_anon=env_rate("AIRCOP_RATE_ANON", "30/minute"),
        metrics_token=metrics_token(),
        log_format=log_format(),
    )
