"""The demo operations (operations.demo.generate, called by `aircop demo`)."""

from __future__ import annotations

from django.utils import timezone

from aircop.operations import demo, selectors
from aircop.operations.models import Operation, SituationReport


def test_the_demo_makes_a_finished_and_a_running_operation_once(db):
    made = demo.generate()
    assert made["operations"] == 2 and made["reports"] > 100 and made["alerts"] > 10
    finished = Operation.objects.get(name=demo.FINISHED)
    running = Operation.objects.get(name=demo.RUNNING)
    assert finished.state() == "finished" and running.state() == "running"
    assert finished.units.count() == 15 and running.units.count() == 10
    assert finished.alerts.exists() and running.alerts.exists()
    assert SituationReport.objects.filter(operation=finished).count() > 15 * 15
    today = selectors.missing_reports(running, timezone.now().date())
    assert today["missing"], "some units have not reported today"
    assert demo.generate() == {}
    assert Operation.objects.count() == 2
