"""Every write of joint operations: create and change an operation, file (or edit) a unit's
daily situation report. Each is atomic and audited in the same transaction; a refusal names
its field. Nothing here is pushed live: situation reports are not alerts (docs/operations.md)."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.messaging.services import SENDING_ROLES
from aircop.network.models import Unit
from aircop.operations import calendar, selectors, validation
from aircop.operations.models import Operation, SituationReport

CREATING_ROLES = {Role.COORDINATOR, Role.ADMIN}
COUNT_FIELDS = ("controls", "passengers_checked", "bags_checked", "consignments_checked", "mail_checked")
MAX_COUNT = 10_000_000
REMARKS_LIMIT = 5000


# --------------------------------------------------------------------------- operations
@transaction.atomic
def create_operation(
    *,
    actor,
    name: str,
    title: str,
    lead_organisation: str,
    starts_at,
    ends_at,
    units: list[str],
    coordinator_unit: str,
    coordinators: list[str] | None = None,
    commodities: list[str] | None = None,
    routes: list[str] | None = None,
    threats: list[str] | None = None,
    tlp: str = "amber",
    description: str = "",
) -> Operation:
    """National coordinators and programme administrators create operations."""
    if actor.role not in CREATING_ROLES:
        raise ServiceError(
            _("only national coordinators and programme administrators create joint operations"),
            field="operation",
            code="forbidden",
        )
    name = validation.name(name)
    title = validation.text("title", title, 200, required=True)
    lead = validation.text("lead_organisation", lead_organisation, 200, required=True)
    start, end = validation.window(starts_at, ends_at)
    participating = validation.units(units)
    coordinating = validation.coordinator_unit(actor, coordinator_unit)
    named = validation.coordinators(coordinators, [coordinating, *participating])
    now = timezone.now()
    operation = Operation.objects.create(
        name=name,
        title=title,
        lead_organisation=lead,
        description=validation.text("description", description, validation.TEXT_LIMIT),
        commodities=validation.commodities(commodities),
        routes=validation.routes(routes),
        threats=validation.threats(threats),
        starts_at=start,
        ends_at=end,
        tlp=validation.tlp(tlp),
        coordinator_unit=coordinating,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    operation.units.set(participating)
    operation.coordinators.set(named)
    record(
        actor,
        "operation.created",
        operation,
        data={
            "name": name,
            "starts_at": start,
            "ends_at": end,
            "units": sorted(u.code for u in participating),
            "coordinator_unit": coordinating.code,
            "coordinators": sorted(u.username for u in named),
        },
    )
    return operation


UPDATABLE = (
    "title",
    "lead_organisation",
    "description",
    "commodities",
    "routes",
    "threats",
    "starts_at",
    "ends_at",
    "tlp",
    "units",
    "coordinator_unit",
    "coordinators",
)


@transaction.atomic
def update_operation(*, actor, operation: Operation, **changes) -> Operation:
    """The operation's coordination changes it; ``None`` leaves a field as it is. The name is
    its stable identifier and does not change."""
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise ServiceError(_("this field cannot be changed"), field=unknown[0])
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    if not selectors.access(actor, operation).manage:
        raise ServiceError(
            _("only the operation's coordinators change it"), field="operation", code="forbidden"
        )
    changes = {k: v for k, v in changes.items() if v is not None}
    changed: list[str] = []

    def put(field: str, value) -> None:
        if getattr(operation, field) != value:
            setattr(operation, field, value)
            changed.append(field)

    if "title" in changes:
        put("title", validation.text("title", changes["title"], 200, required=True))
    if "lead_organisation" in changes:
        put(
            "lead_organisation",
            validation.text("lead_organisation", changes["lead_organisation"], 200, required=True),
        )
    if "description" in changes:
        put("description", validation.text("description", changes["description"], validation.TEXT_LIMIT))
    for field in ("commodities", "routes", "threats"):
        if field in changes:
            put(field, getattr(validation, field)(changes[field]))
    if "starts_at" in changes or "ends_at" in changes:
        start, end = validation.window(
            changes.get("starts_at", operation.starts_at), changes.get("ends_at", operation.ends_at)
        )
        put("starts_at", start)
        put("ends_at", end)
    if "tlp" in changes:
        put("tlp", validation.tlp(changes["tlp"]))
    if "coordinator_unit" in changes:
        put("coordinator_unit", validation.coordinator_unit(actor, changes["coordinator_unit"]))
    participating = list(operation.units.all())
    if "units" in changes:
        participating = validation.units(changes["units"])
        if {u.pk for u in participating} != set(operation.units.values_list("pk", flat=True)):
            operation.units.set(participating)
            changed.append("units")
    if "coordinators" in changes or "coordinator_unit" in changes or "units" in changes:
        names = changes.get("coordinators")
        if names is None:
            names = list(operation.coordinators.values_list("username", flat=True))
        named = validation.coordinators(names, [operation.coordinator_unit, *participating])
        if {u.pk for u in named} != set(operation.coordinators.values_list("pk", flat=True)):
            operation.coordinators.set(named)
            changed.append("coordinators")
    if not changed:
        return operation
    operation.updated_at = timezone.now()
    operation.save()
    record(actor, "operation.updated", operation, data={"fields": sorted(changed)})
    return operation


# --------------------------------------------------------------------------- situation reports
def _reporting_unit(user, operation: Operation, code: str | None) -> Unit:
    participating = {u.code: u for u in selectors.participants(operation)}
    mine = [u for u in participating.values() if u.pk in user.unit_ids()]
    if code:
        code = str(code).strip()
        if code not in participating:
            raise ServiceError(
                _("unit %(code)r does not take part in this operation") % {"code": code}, field="unit"
            )
        unit = participating[code]
        if unit not in mine:
            raise ServiceError(
                _("you are not a member of unit %(code)r") % {"code": code}, field="unit", code="forbidden"
            )
        return unit
    if not mine:
        raise ServiceError(
            _("none of your units takes part in this operation"), field="unit", code="forbidden"
        )
    if len(mine) > 1:
        raise ServiceError(_("name the unit: you belong to several participating units"), field="unit")
    return mine[0]


def _day(value, unit: Unit, operation: Operation, now: datetime) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ServiceError(_("expected a date, e.g. 2026-05-04"), field="day") from None
    if not isinstance(value, date):
        raise ServiceError(_("expected a date, e.g. 2026-05-04"), field="day")
    tz = calendar.unit_tz(unit)
    today = calendar.local_today(tz, now)
    if value > today:
        raise ServiceError(
            _("%(day)s is in the future: it is %(today)s at %(unit)s")
            % {"day": value.isoformat(), "today": today.isoformat(), "unit": unit.code},
            field="day",
        )
    first, last = calendar.window_days(operation, tz)
    if not first <= value <= last:
        raise ServiceError(
            _(
                "%(day)s is outside the operation, which runs from %(first)s to %(last)s (local days at %(unit)s)"
            )
            % {
                "day": value.isoformat(),
                "first": first.isoformat(),
                "last": last.isoformat(),
                "unit": unit.code,
            },
            field="day",
        )
    return value


def _count(field: str, value) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, bool):
        raise ServiceError(_("expected a whole number, 0 or more"), field=field)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ServiceError(_("expected a whole number, 0 or more"), field=field) from None
    if number < 0:
        raise ServiceError(_("expected a whole number, 0 or more"), field=field)
    if number > MAX_COUNT:
        raise ServiceError(_("at most %(n)s") % {"n": f"{MAX_COUNT:,}"}, field=field)
    return number


def _seizures(user, unit: Unit, operation: Operation, values) -> list:
    """Records the reporting unit may see, within the operation's window: ids or SZ-<id>."""
    values = list(values or [])
    wanted: list[tuple[int, int]] = []
    for i, value in enumerate(values):
        found = re.fullmatch(r"(?:SZ-?)?(\d{1,18})", str(value).strip(), re.IGNORECASE)
        if not found:
            raise ServiceError(_("expected a seizure record number, e.g. SZ-123"), field=f"seizures[{i}]")
        wanted.append((i, int(found.group(1))))
    allowed = {
        s.pk: s
        for s in selectors.reportable_seizures(user, unit, operation).filter(pk__in=[pk for _i, pk in wanted])
    }
    out = {}
    for i, pk in wanted:
        if pk not in allowed:
            raise ServiceError(
                _("no seizure record SZ-%(id)s that %(unit)s may see within the operation's window")
                % {"id": pk, "unit": unit.code},
                field=f"seizures[{i}]",
            )
        out[pk] = allowed[pk]
    return list(out.values())


@transaction.atomic
def file_report(
    *,
    user,
    operation: Operation,
    day,
    unit: str | None = None,
    seizures=None,
    remarks: str = "",
    now: datetime | None = None,
    **counts,
) -> tuple[SituationReport, bool]:
    """A participating unit's report for one of its local days (not a future one). A second
    report for the same unit and day edits the first. Returns (report, created)."""
    unknown = sorted(set(counts) - set(COUNT_FIELDS))
    if unknown:
        raise ServiceError(_("unknown field"), field=unknown[0])
    if user.role not in SENDING_ROLES:
        raise ServiceError(_("your role cannot file situation reports"), field="unit", code="forbidden")
    now = now or timezone.now()
    reporting = _reporting_unit(user, operation, unit)
    day = _day(day, reporting, operation, now)
    values = {field: _count(field, counts.get(field)) for field in COUNT_FIELDS}
    remarks = validation.text("remarks", remarks, REMARKS_LIMIT)
    linked = _seizures(user, reporting, operation, seizures)
    report = (
        SituationReport.objects.select_for_update()
        .filter(operation=operation, unit=reporting, day=day)
        .first()
    )
    created = report is None
    if created:
        try:
            with transaction.atomic():
                report = SituationReport.objects.create(
                    operation=operation,
                    unit=reporting,
                    day=day,
                    remarks=remarks,
                    filed_by=user,
                    filed_at=now,
                    updated_at=now,
                    **values,
                )
        except IntegrityError:  # filed at the same moment by a colleague: ours is an edit
            report = SituationReport.objects.select_for_update().get(
                operation=operation, unit=reporting, day=day
            )
            created = False
    if not created:
        for field, value in values.items():
            setattr(report, field, value)
        report.remarks = remarks
        report.updated_by = user
        report.updated_at = now
        report.save()
    report.seizures.set(linked)
    record(
        user,
        "sitrep.filed" if created else "sitrep.updated",
        report,
        data={
            "operation": operation.name,
            "unit": reporting.code,
            "day": day.isoformat(),
            **values,
            "seizures": sorted(s.pk for s in linked),
        },
    )
    return report, created
