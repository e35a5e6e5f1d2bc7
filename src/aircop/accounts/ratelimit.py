"""Rate limits: fixed one-window counters on Django's cache (docs/security.md).

A counter is one cache key per scope, key and window (``rl:<scope>:<sha256>:<window>``),
raised with an atomic ``incr``. With AIRCOP_REDIS_URL the cache is Redis, so every worker
process shares the counters; embedded it is the process's memory. Keys are hashed: a
token, a username or an address never appears in the cache or in the audit log.

Windows are aligned on the clock (a "minute" is a calendar minute), and a window's whole
allowance may be spent at once: that is the burst. The request that first goes over the
limit in a window is audited (``ratelimit.refused``); the following refusals are not.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from aircop.core.config import parse_rate

log = logging.getLogger("aircop.ratelimit")

CACHE_ALIAS = "default"
clock = time.time  # the windows' clock (tests move it instead of sleeping)
PREFIX = "rl"

# Scopes: what is counted. The setting gives the rate.
LOGIN_USERNAME = "login-username"
LOGIN_IP = "login-ip"
API_TOKEN = "api-token"  # noqa: S105 - a scope name, not a secret
API_USER = "api-user"
API_ANON = "api-anon"

RATE_SETTINGS = {
    LOGIN_USERNAME: "AIRCOP_RATE_LOGIN",
    LOGIN_IP: "AIRCOP_RATE_LOGIN_IP",
    API_TOKEN: "AIRCOP_RATE_API",
    API_USER: "AIRCOP_RATE_API",
    API_ANON: "AIRCOP_RATE_ANON",
}


@dataclass(frozen=True)
class Verdict:
    scope: str
    digest: str
    limit: int
    period: int
    count: int
    retry_after: int  # seconds until the window ends (at least 1)

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def first_refusal(self) -> bool:
        return self.count == self.limit + 1

    @property
    def per_minute(self) -> int:
        return math.ceil(self.limit * 60 / self.period)

    @property
    def rate(self) -> str:
        return getattr(settings, RATE_SETTINGS[self.scope])


class RateLimited(Exception):
    """Raised where the answer is built elsewhere (the API's exception handler)."""

    def __init__(self, verdict: Verdict):
        self.verdict = verdict
        super().__init__(f"{verdict.scope}: more than {verdict.limit} per {verdict.period} s")


def enabled() -> bool:
    return bool(getattr(settings, "AIRCOP_RATE_LIMITS", True))


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _window(scope: str, key: str) -> tuple[str, int, int, int, str]:
    limit, period = parse_rate(getattr(settings, RATE_SETTINGS[scope]))
    now = clock()
    window = int(now // period)
    retry_after = max(1, math.ceil((window + 1) * period - now))
    hashed = digest(key)
    return f"{PREFIX}:{scope}:{hashed}:{period}:{window}", limit, period, retry_after, hashed


def hit(scope: str, key: str) -> Verdict | None:
    """Count one request. Returns the verdict, or None when rate limits are off."""
    if not enabled():
        return None
    cache_key, limit, period, retry_after, hashed = _window(scope, key)
    cache = caches[CACHE_ALIAS]
    timeout = period + 5  # outlives its window a little: a late incr still finds it
    try:
        cache.add(cache_key, 0, timeout=timeout)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=timeout)
            count = 1
    except CACHE_ERRORS as exc:
        # Redis is unreachable (restarting, say). Alerts must still flow: the request is let
        # through uncounted, and the lock-out after failed sign-ins, kept in the database,
        # still holds. Logged at most once a minute per process.
        _cache_down(exc)
        return None
    verdict = Verdict(scope, hashed, limit, period, count, retry_after)
    if verdict.first_refusal:
        _audit(verdict)
    return verdict


def peek(scope: str, key: str) -> Verdict | None:
    """The current window's verdict without counting (None when rate limits are off)."""
    if not enabled():
        return None
    cache_key, limit, period, retry_after, hashed = _window(scope, key)
    try:
        count = caches[CACHE_ALIAS].get(cache_key, 0)
    except CACHE_ERRORS as exc:
        _cache_down(exc)
        return None
    return Verdict(scope, hashed, limit, period, count, retry_after)


def _cache_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - redis is a pinned dependency
        return (ConnectionError, TimeoutError)
    return (RedisError, ConnectionError, TimeoutError)


CACHE_ERRORS = _cache_errors()
_last_warning = [0.0]


def _cache_down(exc: BaseException) -> None:
    now = time.monotonic()
    if now - _last_warning[0] >= 60:
        _last_warning[0] = now
        log.warning("rate limits not counted: the cache is unreachable (%s: %s)", type(exc).__name__, exc)


def check(scope: str, key: str) -> None:
    """Count one request; raise RateLimited when it goes over the limit."""
    verdict = hit(scope, key)
    if verdict is not None and not verdict.allowed:
        raise RateLimited(verdict)


def _audit(verdict: Verdict) -> None:
    from aircop.audit.services import record

    record(
        None,
        "ratelimit.refused",
        data={
            "scope": verdict.scope,
            "key_hash": verdict.digest,
            "rate": verdict.rate,
            "retry_after": verdict.retry_after,
        },
    )


def reset() -> None:
    """Forget every counter (tests; an operator after an incident). Only our keys: the Redis
    database is shared with the channel layer."""
    cache = caches[CACHE_ALIAS]
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    if client_of is None:  # the in-memory cache: this process's counters only
        cache.clear()
        return
    client = client_of(None, write=True)
    pattern = cache.make_key(f"{PREFIX}:*")
    keys = list(client.scan_iter(match=pattern, count=1000))
    if keys:
        client.delete(*keys)
