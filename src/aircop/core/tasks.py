"""Background tasks: heavy work a request must not wait for, with progress people can watch.

A task is a row (core.models.Task): ``enqueue`` writes it in the caller's transaction, the
worker runs it, and its ``stage``, ``done`` and ``total`` move while it runs. The queue is
the database itself, so it works the same on the embedded default (the server runs the
worker loop in its own process, see asgi.py and worker.py) and in production (`aircop
worker` beside the web workers, PostgreSQL's ``SKIP LOCKED`` so that two workers never take
the same task). Nothing is lost when the worker stops: a task left ``running`` by a worker
that died is queued again when a worker starts (handlers must therefore be all-or-nothing,
as imports are).

Domain apps register handlers by kind (``@handler("seizures.import")``) in their
AppConfig.ready; core imports no domain app. A handler receives the task and a
``progress(stage, done, total)`` callback and returns a JSON-able result; an exception
marks the task failed with its message."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from aircop.audit.services import record
from aircop.core.models import Task, TaskStatus
from aircop.core.visibility import register

log = logging.getLogger("aircop.tasks")

Handler = Callable[[Task, Callable[[str, int, int], None]], dict]
_handlers: dict[str, Handler] = {}
PROGRESS_SECONDS = 0.5  # write progress at most this often


def handler(kind: str):
    def decorator(func: Handler) -> Handler:
        _handlers[kind] = func
        return func

    return decorator


@register(Task)
def _tasks_policy(qs, user):
    # A task, its progress and its result (which may list rows of a file) are its creator's.
    return qs.filter(created_by=user)


@transaction.atomic
def enqueue(kind: str, payload: dict, *, user=None) -> Task:
    if kind not in _handlers:
        raise LookupError(f"no task handler registered for {kind!r}")
    task = Task.objects.create(kind=kind, payload=payload, created_by=user, created_at=timezone.now())
    record(user, "task.queued", task, data={"kind": kind})
    return task


def _claim() -> Task | None:
    with transaction.atomic():
        qs = Task.objects.filter(status=TaskStatus.QUEUED).order_by("created_at", "id")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        task = qs.first()
        if task is None:
            return None
        task.status, task.started_at = TaskStatus.RUNNING, timezone.now()
        task.save(update_fields=["status", "started_at"])
        return task


def _progress_writer(task: Task):
    last = 0.0

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_SECONDS and done < total:
            return
        last = now
        Task.objects.filter(pk=task.pk).update(stage=stage[:30], done=done, total=total)

    return progress


def run_next() -> Task | None:
    """Run the oldest queued task, if any; returns it finished (done or failed)."""
    task = _claim()
    if task is None:
        return None
    func = _handlers.get(task.kind)
    try:
        if func is None:
            raise LookupError(f"no task handler registered for {task.kind!r}")
        result = func(task, _progress_writer(task))
    except Exception as exc:  # the task fails, the worker goes on
        log.exception("task %s (%s) failed", task.pk, task.kind)
        task.status, task.error = TaskStatus.FAILED, str(exc)[:2000] or exc.__class__.__name__
        task.finished_at = timezone.now()
        task.save(update_fields=["status", "error", "finished_at"])
        return task
    task.status, task.result, task.finished_at = TaskStatus.DONE, result or {}, timezone.now()
    task.save(update_fields=["status", "result", "finished_at"])
    return task


def run_queued(limit: int = 10) -> str:
    """The worker's periodic job: run what is queued (at most ``limit`` tasks per call)."""
    ran = 0
    while ran < limit and run_next() is not None:
        ran += 1
    return f"{ran} task(s) run" if ran else ""


def requeue_interrupted() -> int:
    """At worker start: tasks a dead worker left running are queued again."""
    return Task.objects.filter(status=TaskStatus.RUNNING).update(status=TaskStatus.QUEUED, started_at=None)
