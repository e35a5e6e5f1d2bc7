"""The operation's tables: constraints in the database, the state derived from the window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from aircop.operations.models import Operation, SituationReport, State
from tests.operations.conftest import midnight


def bare(**changes) -> Operation:
    from aircop.network.models import Unit

    now = timezone.now()
    data = {
        "name": "bare-op",
        "title": "Bare",
        "lead_organisation": "WCO",
        "starts_at": midnight(-1),
        "ends_at": midnight(1),
        "coordinator_unit": Unit.objects.get(code="hq-co"),
        "created_at": now,
        "updated_at": now,
    }
    data.update(changes)
    return Operation(**data)


@pytest.mark.parametrize(
    "changes",
    [
        {"ends_at": midnight(-1)},  # ends when it starts
        {"ends_at": midnight(-2)},  # ends before it starts
        {"name": "Not A Slug"},
        {"tlp": "red"},
    ],
)
def test_the_database_refuses_a_bad_operation(db, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        bare(**changes).save()


def test_one_report_per_unit_and_day_and_no_negative_count(running, user_named):
    unit = running.units.get(code="jaitf-bog")
    officer = user_named("officer-bog")
    now = timezone.now()
    row = {
        "operation": running,
        "unit": unit,
        "day": now.date(),
        "filed_by": officer,
        "filed_at": now,
        "updated_at": now,
    }
    SituationReport.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        SituationReport.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        SituationReport.objects.create(**{**row, "day": now.date() - timedelta(days=1), "controls": -1})


def test_state_follows_the_window(db):
    op = bare()
    assert op.state() == State.RUNNING and op.is_running()
    assert op.state(midnight(-2)) == State.PLANNED
    assert op.state(midnight(1)) == State.FINISHED and op.has_ended(midnight(1))
    assert op.state(midnight(1) - timedelta(microseconds=1)) == State.RUNNING


@pytest.mark.parametrize(
    ("language", "operation", "task"),
    [("es", "En curso", "En ejecución"), ("pt", "Em curso", "Em execução"), ("fr", "En cours", "En cours")],
)
def test_a_running_operation_and_a_running_task_are_named_apart(language, operation, task):
    """English says "Running" for both; an operation under way is not a job being executed."""
    from django.utils import translation

    from aircop.core.models import TaskStatus

    with translation.override(language):
        assert str(State.RUNNING.label) == operation
        assert str(TaskStatus.RUNNING.label) == task
