"""Process metrics for /metrics (Prometheus text format): HTTP requests and their duration
per route pattern, open WebSockets, events pushed.

Several worker processes: with PROMETHEUS_MULTIPROC_DIR set (``aircop production`` sets it
to ``$AIRCOP_VAR_DIR/run/metrics``) every process writes its values to files there and a
scrape of any worker sums them all. Without it, the figures are those of the process that
answers (enough for the embedded server, which is one process)."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess

MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR")

REQUESTS = Counter(
    "aircop_http_requests_total",
    "HTTP requests answered, by method, route pattern and status code.",
    ["method", "route", "status"],
)
DURATION = Histogram(
    "aircop_http_request_duration_seconds",
    "Time to answer an HTTP request, by route pattern.",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
WEBSOCKETS = Gauge(
    "aircop_websockets_open",
    "WebSockets open on /ws/events.",
    multiprocess_mode="livesum",
)
EVENTS_PUSHED = Counter(
    "aircop_events_pushed_total",
    "Events handed to the channel layer (live push), and pushes that failed.",
    ["result"],
)

request_log = logging.getLogger("aircop.request")
_FILE_PID = re.compile(r"_(\d+)\.db$")


def route_of(request) -> str:
    """The URL pattern, not the path: ids stay out of the labels (bounded cardinality)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "static" if request.path.startswith("/static/") else "unmatched"
    return "/" + match.route if match.route else (match.view_name or "unnamed")


class MetricsMiddleware:
    """Counts and times every request; with AIRCOP_LOG_FORMAT=json also logs it as one line
    (method, path without its query string, route, status, duration, user id): query strings
    may carry searched names, so they are never logged."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.log_requests = settings.CONFIG.log_format == "json"

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = route_of(request)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        DURATION.labels(route).observe(elapsed)
        if self.log_requests:
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "client": request.META.get("REMOTE_ADDR"),
                },
            )
        return response


def _forget_dead_processes(directory: str) -> None:
    """A worker killed with SIGKILL never says it died: drop its live gauges, so that its
    open sockets stop counting. Counters and histograms of dead processes are kept (they are
    totals)."""
    for path in Path(directory).glob("gauge_live*.db"):
        found = _FILE_PID.search(path.name)
        if not found:
            continue
        pid = int(found.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                multiprocess.mark_process_dead(pid, directory)
        except PermissionError:
            pass  # alive, another user's


def registry() -> CollectorRegistry:
    """What one scrape collects: every process of the installation, or this one."""
    from prometheus_client import REGISTRY

    if not MULTIPROC_DIR:
        return REGISTRY
    _forget_dead_processes(MULTIPROC_DIR)
    collected = CollectorRegistry()
    multiprocess.MultiProcessCollector(collected, path=MULTIPROC_DIR)
    return collected
