"""Every write of the seizure register: record, update, submit, validate, link to an alert,
import. Each is atomic and audited; nothing is half-written."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.core.visibility import visible_to
from aircop.messaging.models import Alert
from aircop.network.models import Airport, Unit, UnitKind
from aircop.network.services import ensure_airport
from aircop.seizures import codes, figures, validation
from aircop.seizures.models import Seizure, SeizureItem, SeizurePerson, item_copies
from aircop.seizures.validation import Problem

RECORDING_ROLES = {Role.OFFICER, Role.UNIT_HEAD, Role.COORDINATOR, Role.ANALYST, Role.ADMIN}
RECORDING_UNIT_KINDS = {UnitKind.JAITF, UnitKind.NATIONAL_HQ, UnitKind.REGIONAL_OFFICE}
IMPORT_BATCH = 2000


class SeizureInvalid(ServiceError):
    """A seizure (or an import) refused, with every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        super().__init__(first.message, field=first.field)


@dataclass
class Placement:
    """Where a record belongs: the airport row and the unit that records it."""

    airport: Airport
    unit: Unit


def _units_for(actor, unit_code: str | None) -> list[Unit]:
    qs = Unit.objects.filter(is_active=True, kind__in=RECORDING_UNIT_KINDS).select_related("country")
    if actor is None:
        return list(qs.filter(code=unit_code)) if unit_code else []
    qs = qs.filter(memberships__user=actor)
    return list(qs.filter(code=unit_code) if unit_code else qs.order_by("code"))


def _may_record_at(unit: Unit, airport: Airport) -> bool:
    if unit.kind == UnitKind.REGIONAL_OFFICE:
        return unit.region_id is not None and airport.country.region_id == unit.region_id
    return unit.country_id == airport.country_id


def place(actor, unit_code: str | None, airport: Airport) -> Unit:
    """The recording unit: the one named (it must be the actor's), else the actor's unit at
    this airport, else their unit for its country or region. With no actor (a command run by
    an operator) the named unit, else the task force at the airport, else the country's
    national headquarters."""
    if actor is not None and actor.role not in RECORDING_ROLES:
        raise ServiceError(_("your role cannot record seizures"), field="unit", code="forbidden")
    candidates = _units_for(actor, unit_code)
    if unit_code and not candidates:
        raise ServiceError(
            _("no unit %(code)r among the units that may record here") % {"code": unit_code}, field="unit"
        )
    if actor is None and not unit_code:
        candidates = list(Unit.objects.filter(is_active=True, kind=UnitKind.JAITF, airport=airport)) or list(
            Unit.objects.filter(is_active=True, kind=UnitKind.NATIONAL_HQ, country_id=airport.country_id)
        )
    at_airport = [u for u in candidates if u.airport_id == airport.pk]
    allowed = at_airport or [u for u in candidates if _may_record_at(u, airport)]
    if not allowed:
        raise ServiceError(
            _("no unit of yours may record a seizure at %(iata)s (it is outside your country)")
            % {"iata": airport.iata}
            if actor is not None
            else _("no task force or national headquarters for %(iata)s: name the unit")
            % {"iata": airport.iata},
            field="airport",
            code="forbidden" if actor is not None else "invalid",
        )
    return allowed[0]


def _linked_alerts(actor, clean: validation.Clean) -> tuple[Alert | None, list[Alert]]:
    wanted = set(clean.alerts) | ({clean.triggering_alert} if clean.triggering_alert else set())
    if not wanted:
        return None, []
    qs = Alert.objects.all() if actor is None else visible_to(Alert, actor)
    found = {a.pk: a for a in qs.filter(pk__in=wanted)}
    problems = []
    if clean.triggering_alert and clean.triggering_alert not in found:
        problems.append(
            Problem(
                "triggering_alert", _("no alert %(id)s that you may see") % {"id": clean.triggering_alert}
            )
        )
    for i, alert_id in enumerate(clean.alerts):
        if alert_id not in found:
            problems.append(Problem(f"alerts[{i}]", _("no alert %(id)s that you may see") % {"id": alert_id}))
    if problems:
        raise SeizureInvalid(problems)
    trigger = found.get(clean.triggering_alert) if clean.triggering_alert else None
    others = [found[i] for i in dict.fromkeys(clean.alerts)]
    if trigger is not None and trigger not in others:
        others.insert(0, trigger)
    return trigger, others


def _airports(actor, clean: validation.Clean) -> dict[str, Airport]:
    codes_needed = {c for c in (clean.airport, clean.origin, clean.destination, *clean.transit) if c}
    found = {a.iata: a for a in Airport.objects.select_related("country").filter(iata__in=codes_needed)}
    for code in codes_needed - set(found):
        found[code] = ensure_airport(actor=actor, iata=code)
    return found


def _seizure_fields(clean: validation.Clean, airports: dict[str, Airport], unit: Unit) -> dict:
    airport = airports[clean.airport]
    return {
        "occurred_at": clean.occurred_at,
        "airport": airport,
        "unit": unit,
        "country_id": airport.country_id,
        "region_id": airport.country.region_id,
        "reporting_agency": clean.reporting_agency,
        "flow": clean.flow,
        "phase": clean.phase,
        "direction": clean.direction,
        "flight": clean.flight,
        "origin": airports.get(clean.origin) if clean.origin else None,
        "transit": clean.transit,
        "destination": airports.get(clean.destination) if clean.destination else None,
        "route_key": clean.route_key,
        "goods_origin_country_id": clean.goods_origin_country,
        "concealment": clean.concealment,
        "detection": clean.detection,
        "tlp": clean.tlp,
        "notes": clean.notes,
    }


def _children(seizure: Seizure, clean: validation.Clean) -> tuple[list[SeizureItem], list[SeizurePerson]]:
    items = [
        SeizureItem(
            seizure=seizure,
            position=i,
            **item_copies(seizure),
            **item,
        )
        for i, item in enumerate(clean.items)
    ]
    persons = [
        SeizurePerson(
            seizure=seizure,
            position=i,
            role=p["role"],
            nationality_id=p["nationality"],
            sex=p["sex"],
            age_band=p["age_band"],
            nominal=p["nominal"],
        )
        for i, p in enumerate(clean.persons)
    ]
    return items, persons


def _clean_or_raise(raw: dict) -> validation.Clean:
    clean, problems = validation.clean(raw)
    if problems:
        raise SeizureInvalid(problems)
    return clean


def _summary(seizure: Seizure, clean: validation.Clean) -> dict:
    return {
        "airport": clean.airport,
        "unit": seizure.unit.code,
        "tlp": clean.tlp,
        "status": seizure.status,
        "items": [f"{i['subtype']} {i['quantity']} {i['unit']}" for i in clean.items],
        "persons": len(clean.persons),
    }


@transaction.atomic
def create_seizure(*, actor, data: dict, submit: bool = False) -> Seizure:
    """Record a seizure from ``data`` (docs/seizures.md, "Fields"); a draft unless ``submit``."""
    clean = _clean_or_raise(data)
    airports = _airports(actor, clean)
    unit = place(actor, clean.unit, airports[clean.airport])
    trigger, alerts = _linked_alerts(actor, clean)
    now = timezone.now()
    seizure = Seizure.objects.create(
        **_seizure_fields(clean, airports, unit),
        triggering_alert=trigger,
        status=codes.Status.SUBMITTED if submit else codes.Status.DRAFT,
        submitted_at=now if submit else None,
        created_by=actor,  # None: imported by an operator's command
        created_at=now,
        updated_at=now,
    )
    items, persons = _children(seizure, clean)
    SeizureItem.objects.bulk_create(items)
    SeizurePerson.objects.bulk_create(persons)
    if alerts:
        seizure.alerts.add(*alerts)
    record(actor, "seizure.created", seizure, data=_summary(seizure, clean))
    if seizure.status in codes.COUNTED_STATUSES:
        figures.refresh(figures.cells_of([seizure]))
    return seizure


def _editable_by(actor, seizure: Seizure) -> None:
    units = actor.unit_ids()
    if seizure.unit_id not in units:
        raise ServiceError(
            _("only the recording unit may change this seizure"), field="unit", code="forbidden"
        )
    # A member of the unit whose role does not record (liaison officer, airline contact,
    # auditor) changes nothing either: submitting, editing, adding a photo are recording.
    if actor.role not in RECORDING_ROLES:
        raise ServiceError(_("your role cannot record seizures"), field="unit", code="forbidden")
    if seizure.status == codes.Status.VALIDATED:
        raise ServiceError(
            _("a validated seizure cannot be changed; ask the unit head to reopen it"),
            field="status",
            code="forbidden",
        )


@transaction.atomic
def update_seizure(*, actor, seizure: Seizure, data: dict) -> Seizure:
    """Replace the record's fields, items and persons with ``data`` (draft or submitted only)."""
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    _editable_by(actor, seizure)
    before = figures.cells_of([seizure])
    clean = _clean_or_raise(data)
    airports = _airports(actor, clean)
    unit = place(actor, clean.unit or seizure.unit.code, airports[clean.airport])
    trigger, alerts = _linked_alerts(actor, clean)
    for name, value in _seizure_fields(clean, airports, unit).items():
        setattr(seizure, name, value)
    seizure.triggering_alert = trigger
    seizure.updated_at = timezone.now()
    seizure.save()
    SeizureItem.objects.filter(seizure=seizure).delete()
    SeizurePerson.objects.filter(seizure=seizure).delete()
    items, persons = _children(seizure, clean)
    SeizureItem.objects.bulk_create(items)
    SeizurePerson.objects.bulk_create(persons)
    # Links are only ever added by an edit: an existing link may come from another unit's
    # alert (an outcome "intercepted with seizure"), which the editor may not even see.
    seizure.alerts.add(*alerts)
    record(actor, "seizure.updated", seizure, data=_summary(seizure, clean))
    if seizure.status in codes.COUNTED_STATUSES:
        figures.refresh(before | figures.cells_of([seizure]))
    return seizure


@transaction.atomic
def submit_seizure(*, actor, seizure: Seizure) -> Seizure:
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    _editable_by(actor, seizure)
    if seizure.status != codes.Status.DRAFT:
        raise ServiceError(_("this seizure has already been submitted"), field="status")
    now = timezone.now()
    seizure.status, seizure.submitted_at, seizure.updated_at = codes.Status.SUBMITTED, now, now
    seizure.save(update_fields=["status", "submitted_at", "updated_at"])
    SeizureItem.objects.filter(seizure=seizure).update(counted=True)
    record(actor, "seizure.submitted", seizure)
    figures.refresh(figures.cells_of([seizure]))
    return seizure


def _head_of(actor, unit_id: int) -> bool:
    return actor.memberships.filter(unit_id=unit_id, is_head=True).exists() or (
        actor.role == Role.UNIT_HEAD and unit_id in actor.unit_ids()
    )


@transaction.atomic
def validate_seizure(*, actor, seizure: Seizure) -> Seizure:
    """The unit head confirms a submitted record; it is then locked."""
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    if not _head_of(actor, seizure.unit_id):
        raise ServiceError(
            _("only the head of the recording unit validates"), field="status", code="forbidden"
        )
    if seizure.status != codes.Status.SUBMITTED:
        raise ServiceError(_("only a submitted seizure can be validated"), field="status")
    now = timezone.now()
    seizure.status, seizure.validated_by, seizure.validated_at, seizure.updated_at = (
        codes.Status.VALIDATED,
        actor,
        now,
        now,
    )
    seizure.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])
    record(actor, "seizure.validated", seizure)
    return seizure


@transaction.atomic
def reopen_seizure(*, actor, seizure: Seizure) -> Seizure:
    """The unit head takes a validated record back to submitted, to correct it."""
    seizure = Seizure.objects.select_for_update().get(pk=seizure.pk)
    if not _head_of(actor, seizure.unit_id):
        raise ServiceError(_("only the head of the recording unit reopens"), field="status", code="forbidden")
    if seizure.status != codes.Status.VALIDATED:
        raise ServiceError(_("only a validated seizure can be reopened"), field="status")
    seizure.status, seizure.validated_by, seizure.validated_at = codes.Status.SUBMITTED, None, None
    seizure.updated_at = timezone.now()
    seizure.save(update_fields=["status", "validated_by", "validated_at", "updated_at"])
    record(actor, "seizure.reopened", seizure)
    return seizure


def link_alert(*, actor, seizure: Seizure, alert: Alert) -> None:
    """An outcome "intercepted with seizure" ties the alert to the record: both sides see the
    link (docs/handling.md, Seizures). Runs inside the outcome's transaction."""
    if seizure.unit_id not in actor.unit_ids():
        raise ServiceError(
            _("the seizure must be one your unit recorded"), field="seizure_reference", code="forbidden"
        )
    seizure.alerts.add(alert)
    record(actor, "seizure.linked", seizure, data={"alert": alert.pk})
    if seizure.status in codes.COUNTED_STATUSES:
        figures.refresh(figures.cells_of([seizure]))
