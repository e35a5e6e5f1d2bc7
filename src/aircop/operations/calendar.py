"""Days of an operation as a unit lives them. A situation report is for the reporting unit's
local day (the time zone of its airport; UTC for a unit without one): the operation's days
for that unit run from the local date of ``starts_at`` to the local date of the last
instant before ``ends_at``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone


def unit_tz(unit) -> ZoneInfo:
    airport = unit.airport if unit.airport_id else None
    return ZoneInfo(airport.tz) if airport is not None and airport.tz else ZoneInfo("UTC")


def window_days(operation, tz=UTC) -> tuple[date, date]:
    """(first day, last day) of the operation in the time zone ``tz``."""
    first = operation.starts_at.astimezone(tz).date()
    last = (operation.ends_at - timedelta(microseconds=1)).astimezone(tz).date()
    return first, last


def local_today(tz, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(tz).date()


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)] if last >= first else []


def expected_days(operation, unit, now: datetime | None = None) -> list[date]:
    """The days a unit was due to report so far: the operation's days up to its local today."""
    tz = unit_tz(unit)
    first, last = window_days(operation, tz)
    return days_between(first, min(last, local_today(tz, now)))


def is_operation_day(operation, unit, day: date) -> bool:
    first, last = window_days(operation, unit_tz(unit))
    return first <= day <= last
