"""Monitoring: /healthz for load balancers and probes (no authentication, no data), and
/metrics for Prometheus (a bearer token of its own, AIRCOP_METRICS_TOKEN; without one set, the
endpoint does not exist)."""

from __future__ import annotations

import hmac
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Max, Min
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily

from aircop.core import metrics


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy"
        return type(exc).__name__
    return "ok"


def _redis() -> str | None:
    url = settings.CONFIG.redis_url
    if not url:
        return None
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # any failure to reach Redis
        return type(exc).__name__
    return "ok"


@login_not_required
@never_cache
def healthz(request):
    """200 when this process can reach the database (and Redis, when one is configured),
    else 503 naming what failed (the exception's class only)."""
    body = {"status": "ok", "database": _database()}
    redis_state = _redis()
    if redis_state is not None:
        body["redis"] = redis_state
    if body["database"] != "ok" or redis_state not in (None, "ok"):
        body["status"] = "error"
        return JsonResponse(body, status=503)
    return JsonResponse(body)


class DatabaseCollector:
    """Figures read from the database at each scrape: the same for every worker."""

    def collect(self):
        from aircop.audit.models import AuditEntry
        from aircop.core.models import Task, TaskStatus
        from aircop.messaging.models import Event

        up = GaugeMetricFamily("aircop_database_up", "1 when the database answered this scrape.")
        try:
            tasks = {
                s: Task.objects.filter(status=s).count() for s in (TaskStatus.QUEUED, TaskStatus.RUNNING)
            }
            oldest = Task.objects.filter(status=TaskStatus.QUEUED).aggregate(t=Min("created_at"))["t"]
            last_event = Event.objects.aggregate(m=Max("id"))["m"] or 0
            audit_entries = AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0
        except Exception:  # a scrape during a database outage still answers, with up 0
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        queued = GaugeMetricFamily("aircop_tasks", "Background tasks by status.", labels=["status"])
        for status, count in tasks.items():
            queued.add_metric([status], count)
        yield queued
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "aircop_task_oldest_queued_seconds",
            "Age of the oldest queued task (grows when no worker runs).",
            value=age,
        )
        yield GaugeMetricFamily("aircop_events_last_id", "Id of the newest event.", value=last_event)
        yield GaugeMetricFamily(
            "aircop_audit_entries_last_id", "Id of the newest audit entry.", value=audit_entries
        )
        store = shutil.disk_usage(_existing_ancestor(Path(settings.MEDIA_ROOT)))
        yield GaugeMetricFamily(
            "aircop_file_store_free_bytes", "Free space where attachments are stored.", value=store.free
        )
        yield GaugeMetricFamily("aircop_scrape_timestamp_seconds", "When this scrape ran.", value=time.time())


def _existing_ancestor(path: Path) -> Path:
    """The store's folder, or the nearest folder above it before the first file is stored."""
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


@login_not_required
@never_cache
def metrics_view(request):
    token = settings.CONFIG.metrics_token
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return HttpResponse(status=401, headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    registry = metrics.registry()
    body = generate_latest(registry) + generate_latest(_database_registry())
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def _database_registry():
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector())
    return registry
