"""Periodic background jobs. `aircop worker` runs them in production (one process beside the
web workers); in the embedded mode `aircop serve` runs them inside the server's event loop
(see asgi.py), because the in-memory channel layer only works from that loop."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections

log = logging.getLogger("aircop.worker")


@dataclass
class Job:
    name: str
    every_seconds: float
    run: Callable[[], object]
    next_at: float = 0.0


def jobs() -> list[Job]:
    from django.conf import settings

    from aircop.core.tasks import run_queued
    from aircop.messaging.services import flag_overdue_flash
    from aircop.passengers import retention

    return [
        Job("flag overdue flash alerts", settings.AIRCOP_FLASH_CHECK_SECONDS, flag_overdue_flash),
        Job("passenger data retention", settings.AIRCOP_RETENTION_CHECK_SECONDS, _retention(retention)),
        Job("run queued tasks", 1.0, run_queued),
    ]


def _retention(module):
    def run():
        counts = module.run()
        changed = {k: v for k, v in counts.as_json().items() if v and k != "held"}
        return changed or None

    return run


def _requeue() -> None:
    """Tasks a stopped worker left running are queued again (they are all-or-nothing)."""
    from aircop.core.tasks import requeue_interrupted

    try:
        count = requeue_interrupted()
        if count:
            log.info("%d interrupted task(s) queued again", count)
    finally:
        close_old_connections()


def _run(job: Job) -> None:
    try:
        result = job.run()
        if result:
            log.info("%s: %s", job.name, result)
    except Exception:  # one failing run must not stop the others
        log.exception("job %r failed", job.name)
    finally:
        close_old_connections()


def _due(schedule: list[Job]) -> list[Job]:
    now = time.monotonic()
    due = [job for job in schedule if now >= job.next_at]
    for job in due:
        job.next_at = now + job.every_seconds
    return due


def run_forever(stop: threading.Event | None = None, *, tick: float = 1.0) -> None:
    """The `aircop worker` loop."""
    stop = stop or threading.Event()
    _requeue()
    schedule = jobs()
    while not stop.is_set():
        for job in _due(schedule):
            _run(job)
        stop.wait(tick)


async def run_in_event_loop(tick: float = 1.0) -> None:
    """The embedded server's loop: each job in a worker thread, its events back on this loop."""
    from asgiref.sync import sync_to_async

    await sync_to_async(_requeue, thread_sensitive=False)()
    schedule = jobs()
    while True:
        for job in _due(schedule):
            await sync_to_async(_run, thread_sensitive=False)(job)
        await asyncio.sleep(tick)
