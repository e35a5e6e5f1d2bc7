"""Every read of joint operations and their situation reports, through the visibility helper
(docs/handling.md, "Joint operations").

- An operation is seen by the members of its participating units and of its coordinator
  unit, by its named coordinators (together: the operation's *members*), and by programme
  administrators and analysts (oversight: the operation and its aggregated results only).
- A situation report is seen by the operation's members only: its remarks are free text,
  which may name people, so oversight reads the aggregated results instead.
- The operation's alerts keep the alert rules (messaging/selectors.py); the seizures linked
  in a report keep the seizure rules (seizures/selectors.py).
Anyone else gets 404, as for an operation that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from aircop.accounts.models import Role
from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.messaging.models import Alert, Outcome, Recipient
from aircop.operations import calendar
from aircop.operations.models import Operation, SituationReport, State
from aircop.seizures.models import Seizure

OVERSIGHT_ROLES = (Role.ADMIN, Role.ANALYST)
MANAGING_ROLES = (Role.COORDINATOR, Role.UNIT_HEAD, Role.ADMIN)


def _member_q(user, prefix: str = "") -> Q:
    units = user.unit_ids()
    return (
        Q(**{f"{prefix}units__in": units})
        | Q(**{f"{prefix}coordinator_unit_id__in": units})
        | Q(**{f"{prefix}coordinators": user.pk})
    )


def member_operations(user):
    """Ids of the operations ``user`` is a member of (a subquery)."""
    return Operation.objects.filter(_member_q(user)).values("pk")


@register(Operation)
def _operations_policy(qs, user):
    if user.role in OVERSIGHT_ROLES:
        return qs
    return qs.filter(pk__in=member_operations(user))


@register(SituationReport)
def _sitreps_policy(qs, user):
    return qs.filter(operation__in=member_operations(user))


@dataclass(frozen=True)
class Access:
    """What one user may do with one operation they see."""

    member: bool  # a participating unit, the coordinator unit or a named coordinator
    coordination: bool  # the coordinator unit or a named coordinator: sees every report
    manage: bool  # may change the operation
    my_units: tuple[int, ...]  # the user's participating units (may send and report)


def access(user, operation: Operation) -> Access:
    units = set(user.unit_ids())
    participating = {u for u in operation.units.values_list("pk", flat=True) if u in units}
    named = operation.coordinators.filter(pk=user.pk).exists()
    in_coordinator_unit = operation.coordinator_unit_id in units
    coordination = named or in_coordinator_unit
    manage = user.role == Role.ADMIN or named or (in_coordinator_unit and user.role in MANAGING_ROLES)
    return Access(
        member=bool(participating) or coordination,
        coordination=coordination,
        manage=manage,
        my_units=tuple(sorted(participating)),
    )


# --------------------------------------------------------------------------- operations
def operations(user, *, state: str | None = None, now: datetime | None = None):
    now = now or timezone.now()
    qs = visible_to(Operation, user).select_related("coordinator_unit")
    if state == State.PLANNED:
        qs = qs.filter(starts_at__gt=now)
    elif state == State.RUNNING:
        qs = qs.filter(starts_at__lte=now, ends_at__gt=now)
    elif state == State.FINISHED:
        qs = qs.filter(ends_at__lte=now)
    return qs.order_by("-starts_at", "name")


def operation(user, name: str) -> Operation:
    return get_visible_or_404(
        visible_to(Operation, user).select_related("coordinator_unit", "created_by"), user, name=name
    )


def participants(operation_obj: Operation):
    """The participating units (open directory data), with their airports."""
    return operation_obj.units.select_related("airport", "country").order_by("code")


def member_units(operation_obj: Operation) -> list:
    """The participating units and the coordinator unit: the operation's closed audience."""
    units = list(participants(operation_obj))
    if all(u.pk != operation_obj.coordinator_unit_id for u in units):
        units.append(operation_obj.coordinator_unit)
    return units


def sendable(user, now: datetime | None = None):
    """Running operations a unit of ``user`` takes part in (the composer's choice)."""
    units = user.unit_ids()
    now = now or timezone.now()
    return (
        visible_to(Operation, user)
        .filter(Q(units__in=units) | Q(coordinator_unit_id__in=units), starts_at__lte=now, ends_at__gt=now)
        .distinct()
        .order_by("name")
    )


# --------------------------------------------------------------------------- reports
def sitreps(user, operation_obj: Operation, *, day: date | None = None, unit: str | None = None):
    qs = (
        visible_to(SituationReport, user)
        .filter(operation=operation_obj)
        .select_related("unit", "unit__airport", "filed_by", "updated_by")
        .prefetch_related("seizures")
    )
    if day:
        qs = qs.filter(day=day)
    if unit:
        qs = qs.filter(unit__code=unit)
    return qs.order_by("-day", "unit__code")


def sitrep(user, operation_obj: Operation, unit_code: str, day: date) -> SituationReport:
    return get_visible_or_404(
        visible_to(SituationReport, user).select_related("unit", "filed_by", "updated_by"),
        user,
        operation=operation_obj,
        unit__code=unit_code,
        day=day,
    )


def linked_seizures(user, report: SituationReport):
    """The records linked in a report that ``user`` may open (a record keeps its own rules)."""
    return visible_to(Seizure, user).filter(operation_reports=report).select_related("airport")


class UnitViewer:
    """``user`` reading as a member of ``unit`` only: what the reporting unit may see."""

    def __init__(self, user, unit):
        self.pk = user.pk
        self.role = user.role
        self.is_authenticated = True
        self.is_active = user.is_active
        self._unit = unit

    def unit_ids(self) -> list[int]:
        return [self._unit.pk]

    def country_codes(self) -> list[str]:
        return [self._unit.country_id]


def reportable_seizures(user, unit, operation_obj: Operation):
    """Records the reporting unit may see that happened within the operation's window."""
    return (
        visible_to(Seizure, UnitViewer(user, unit))
        .filter(occurred_at__gte=operation_obj.starts_at, occurred_at__lt=operation_obj.ends_at)
        .select_related("airport")
        .order_by("-occurred_at", "-id")
    )


def reported_pairs(operation_obj: Operation) -> set[tuple[int, date]]:
    """(unit id, day) of every report filed: participation figures, no report content. Shown
    to whoever sees the operation (selectors' callers check that first)."""
    return set(SituationReport.objects.filter(operation=operation_obj).values_list("unit_id", "day"))


def missing_reports(operation_obj: Operation, day: date, now: datetime | None = None) -> dict:
    """For one day: the participating units that were due to report and have, and have not.
    A unit is due when the day is one of the operation's days in its local time and not
    later than its local today."""
    reported = {u for u, d in reported_pairs(operation_obj) if d == day}
    due, not_due = [], []
    for unit in participants(operation_obj):
        tz = calendar.unit_tz(unit)
        ok = calendar.is_operation_day(operation_obj, unit, day) and day <= calendar.local_today(tz, now)
        (due if ok else not_due).append(unit)
    return {
        "day": day,
        "reported": [u for u in due if u.pk in reported],
        "missing": [u for u in due if u.pk not in reported],
        "not_due": not_due,
    }


# --------------------------------------------------------------------------- the live feed
def alerts(user, operation_obj: Operation):
    """The operation's alerts that ``user`` may see (the alert rules)."""
    return (
        visible_to(Alert, user)
        .filter(operation=operation_obj)
        .select_related("sender_unit", "sender_unit__airport", "destination", "operation")
        .order_by("-created_at", "-id")
    )


def feed(user, operation_obj: Operation, *, limit: int = 60) -> list[dict]:
    """Alerts sent, acknowledgements and outcomes of the operation, newest first."""
    items = [
        {"at": a.created_at, "type": "alert", "alert": a, "unit": a.sender_unit}
        for a in alerts(user, operation_obj)[:limit]
    ]
    acks = (
        visible_to(Recipient, user)
        .filter(alert__operation=operation_obj, acknowledged_at__isnull=False)
        .select_related("alert", "unit", "acknowledged_by")
        .order_by("-acknowledged_at")[:limit]
    )
    items += [{"at": r.acknowledged_at, "type": "ack", "alert": r.alert, "unit": r.unit} for r in acks]
    outcomes = (
        visible_to(Outcome, user)
        .filter(alert__operation=operation_obj)
        .select_related("alert", "unit")
        .order_by("-recorded_at")[:limit]
    )
    items += [
        {"at": o.recorded_at, "type": "outcome", "alert": o.alert, "unit": o.unit, "outcome": o}
        for o in outcomes
    ]
    items.sort(key=lambda i: i["at"], reverse=True)
    return items[:limit]
