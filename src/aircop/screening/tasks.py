"""Background screening (core/tasks.py): storing a passenger-data message queues a task
``screening.screen`` in the same transaction (passengers.services), so that every manifest
that arrives is screened, even when the worker was down when it came."""

from __future__ import annotations

from aircop.core.tasks import handler
from aircop.screening import runner

SCREEN_KIND = "screening.screen"  # the kind passengers.services queues, by name


@handler(SCREEN_KIND)
def run_screening(task, progress) -> dict:
    payload = task.payload
    flights = [int(f) for f in payload.get("flights", [])]
    return runner.screen_flights(flights, progress=progress).as_json()
