"""Background tasks and database failures: a task the database interrupts is queued again
(never left "running" for ever, never failed for a failure that was not its own), up to
MAX_INTERRUPTIONS times; an uploaded file stays for the next run and goes once the task is
over."""

from __future__ import annotations

import uuid

import pytest
from django.db import OperationalError

from aircop.core import tasks
from aircop.core.models import Task, TaskStatus


@pytest.fixture
def flaky_kind():
    """A handler that fails with a database error ``failures`` times, then succeeds."""
    kind = f"test.flaky.{uuid.uuid4().hex[:8]}"
    state = {"failures": 1, "calls": 0}

    @tasks.handler(kind)
    def run(task, progress):
        state["calls"] += 1
        if state["calls"] <= state["failures"]:
            raise OperationalError("server closed the connection unexpectedly")
        return {"calls": state["calls"]}

    yield kind, state
    tasks._handlers.pop(kind, None)


def test_a_task_interrupted_by_the_database_runs_again(db, flaky_kind):
    kind, _state = flaky_kind
    task = tasks.enqueue(kind, {})
    assert tasks.run_next() is None  # interrupted
    task.refresh_from_db()
    assert task.status == TaskStatus.QUEUED and task.started_at is None and task.error == ""
    done = tasks.run_next()
    assert done.pk == task.pk and done.status == TaskStatus.DONE and done.result == {"calls": 2}


def test_a_task_that_keeps_failing_that_way_fails_in_the_end(db, flaky_kind):
    kind, state = flaky_kind
    state["failures"] = 100
    task = tasks.enqueue(kind, {})
    for _ in range(tasks.MAX_INTERRUPTIONS):
        assert tasks.run_next() is None
        assert Task.objects.get(pk=task.pk).status == TaskStatus.QUEUED
    failed = tasks.run_next()
    assert failed.status == TaskStatus.FAILED and "server closed the connection" in failed.error


def test_an_upload_stays_for_the_next_run_after_a_database_failure(tmp_path):
    path = tmp_path / "upload.dat"
    path.write_bytes(b"UNA:+.? '")
    with pytest.raises(OperationalError), tasks.upload_consumed(path):
        raise OperationalError("the database system is shutting down")
    assert path.exists()
    with pytest.raises(ValueError), tasks.upload_consumed(path):
        raise ValueError("not a message")
    assert not path.exists()
    path.write_bytes(b"x")
    with tasks.upload_consumed(path):
        pass
    assert not path.exists()
