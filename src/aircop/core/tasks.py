"""Background tasks: heavy work a request must not wait for, with progress people can watch.

A task is a row (core.models.Task): ``enqueue`` writes it in the caller's transaction, the
worker runs it, and its ``stage``, ``done`` and ``total`` move while it runs. The queue is
the database itself, so it works the same on the embedded default (the server runs the
worker loop in its own process, see asgi.py and worker.py) and in production (`aircop
worker` beside the web workers, PostgreSQL's ``SKIP LOCKED`` so that two workers never take
the same task). Nothing is lost when the worker stops: a task left ``running`` by a worker
that died is queued again when a worker starts, and a task interrupted by a database failure
(a PostgreSQL restart, say) is queued again as soon as the database answers (at most
MAX_INTERRUPTIONS times), so handlers must be all-or-nothing or idempotent, as imports are.
A handler that reads an uploaded file wraps its work in ``upload_consumed(path)``: the file
goes when the task is over, and stays for the next run when the database interrupted it.

Domain apps register handlers by kind (``@handler("seizures.import")``) in their
AppConfig.ready; core imports no domain app. A handler receives the task and a
``progress(stage, done, total)`` callback and returns a JSON-able result; an exception
marks the task failed with its message."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from aircop.audit.services import record
from aircop.core.models import Task, TaskStatus
from aircop.core.visibility import register

log = logging.getLogger("aircop.tasks")

Handler = Callable[[Task, Callable[[str, int, int], None]], dict]
_handlers: dict[str, Handler] = {}
PROGRESS_SECONDS = 0.5  # write progress at most this often
MAX_INTERRUPTIONS = 5  # a task interrupted this often by "database" errors fails for good

# Tasks this process was running when the database failed: queued again once it answers.
_to_requeue: set[int] = set()
_interruptions: dict[int, int] = {}
# Outcomes this process could not write because the database failed at that moment.
_unsaved: dict[int, dict] = {}


def is_transient(exc: BaseException) -> bool:
    """A failure of the database connection, not of the task: worth running it again."""
    return isinstance(exc, OperationalError | InterfaceError)


@contextlib.contextmanager
def upload_consumed(path: Path):
    try:
        yield path
    except BaseException as exc:
        if not is_transient(exc):
            path.unlink(missing_ok=True)
        raise
    path.unlink(missing_ok=True)


def _requeue_pending() -> None:
    for pk, fields in list(_unsaved.items()):
        try:
            Task.objects.filter(pk=pk).update(**fields)
        except (OperationalError, InterfaceError):
            return  # still down: the next round tries again
        del _unsaved[pk]
    if not _to_requeue:
        return
    try:
        Task.objects.filter(pk__in=_to_requeue, status=TaskStatus.RUNNING).update(
            status=TaskStatus.QUEUED, started_at=None, stage="", done=0, total=0
        )
    except (OperationalError, InterfaceError):
        return  # still down: the next round tries again
    log.info("task(s) %s queued again after a database failure", sorted(_to_requeue))
    _to_requeue.clear()


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
    """Run the oldest queued task, if any; returns it finished (done or failed), or None when
    there was none or the database interrupted it (it is then queued again)."""
    _requeue_pending()
    task = _claim()
    if task is None:
        return None
    func = _handlers.get(task.kind)
    try:
        if func is None:
            raise LookupError(f"no task handler registered for {task.kind!r}")
        result = func(task, _progress_writer(task))
    except Exception as exc:  # the task fails, the worker goes on
        if is_transient(exc) and _interruptions.get(task.pk, 0) < MAX_INTERRUPTIONS:
            _interruptions[task.pk] = _interruptions.get(task.pk, 0) + 1
            log.warning(
                "task %s (%s) interrupted by a database failure: it will run again (%s)",
                task.pk,
                task.kind,
                exc,
            )
            _to_requeue.add(task.pk)
            # Now if the database answers again; else at the next round, once the worker's
            # loop has dropped the broken connection (close_old_connections).
            _requeue_pending()
            return None
        log.exception("task %s (%s) failed", task.pk, task.kind)
        return _finish(
            task,
            status=TaskStatus.FAILED,
            error=str(exc)[:2000] or exc.__class__.__name__,
            finished_at=timezone.now(),
        )
    return _finish(task, status=TaskStatus.DONE, result=result or {}, finished_at=timezone.now())


def _finish(task: Task, **fields) -> Task:
    """Write the outcome. When the database fails at that moment, the outcome is kept here
    and written at the next round (_requeue_pending), so that the task is not left running."""
    _interruptions.pop(task.pk, None)
    for name, value in fields.items():
        setattr(task, name, value)
    try:
        Task.objects.filter(pk=task.pk).update(**fields)
    except (OperationalError, InterfaceError):
        log.warning(
            "task %s (%s): outcome %s not written yet (database failure)", task.pk, task.kind, task.status
        )
        _unsaved[task.pk] = fields
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
