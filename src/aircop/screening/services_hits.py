"""Reviewing hits (docs/screening.md, "Hits"): an officer of a unit the hit was routed to
confirms it or dismisses it (with a reason); a confirmed hit becomes an alert to the other
units concerned, whose outcomes, with the reviewing unit's own, tell what came of it. Each
write is atomic and audited; the audit never carries a name."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.messaging import services as messaging
from aircop.messaging.models import Kind, Priority, Result, Tlp
from aircop.network.models import Unit, UnitKind
from aircop.screening.models import Hit, HitStatus, ListKind, Severity

REVIEW_ROLES = {Role.OFFICER, Role.UNIT_HEAD, Role.COORDINATOR}
NOTE_LIMIT = 2000


def _reviewing_unit(actor, hit: Hit) -> Unit:
    if actor.role not in REVIEW_ROLES:
        raise ServiceError(_("your role cannot review hits"), field="hit", code="forbidden")
    mine = [u for u in hit.units.all() if u.pk in set(actor.unit_ids())]
    if not mine:
        raise ServiceError(_("this hit is not in a queue of your units"), field="hit", code="forbidden")
    return mine[0]


def _open(hit: Hit) -> None:
    if hit.status != HitStatus.OPEN:
        raise ServiceError(
            _("this hit was already reviewed (%(status)s)") % {"status": HitStatus(hit.status).label},
            field="status",
            code="conflict",
        )


def _note(field: str, text: str, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ServiceError(_("say why"), field=field)
    if len(text) > NOTE_LIMIT:
        raise ServiceError(_("longer than %(n)d characters") % {"n": NOTE_LIMIT}, field=field)
    return text


def _locked(hit: Hit) -> Hit:
    """The hit row again, locked (PostgreSQL) so that two officers cannot both review it."""
    return (
        # ``of``: PostgreSQL locks no row on the nullable side of the joins.
        Hit.objects.select_for_update(of=("self",))
        .select_related("traveller", "flight", "watchlist", "rule")
        .get(pk=hit.pk)
    )


def concerned_units(hit: Hit, reviewing: Unit) -> list[Unit]:
    """Who the confirmed hit's alert goes to: the other units of its queue, the task force at
    the departure airport, the list's or rule's owner; when none of them is another unit, the
    national headquarters of the reviewing unit's country."""
    units: dict[int, Unit] = {u.pk: u for u in hit.units.all()}
    if hit.flight is not None:
        for unit in Unit.objects.filter(
            kind=UnitKind.JAITF, is_active=True, airport__iata=hit.flight.departure_airport
        ):
            units.setdefault(unit.pk, unit)
    owner = hit.watchlist.owner if hit.watchlist_id else hit.rule.owner
    if owner.is_active:
        units.setdefault(owner.pk, owner)
    units.pop(reviewing.pk, None)
    if not units:
        for unit in Unit.objects.filter(
            kind=UnitKind.NATIONAL_HQ, is_active=True, country=reviewing.country_id
        ):
            if unit.pk != reviewing.pk:
                units[unit.pk] = unit
    return sorted(units.values(), key=lambda u: u.code)


def _alert_fields(hit: Hit) -> dict:
    traveller, flight = hit.traveller, hit.flight
    source = hit.watchlist.title if hit.watchlist_id else hit.rule.title
    indicators = [source, *[str(r) for r in hit.explanation[:8]]]
    details = {"indicators": indicators}
    nominal = {}
    if flight is not None:
        route = [flight.departure_airport]
        route += [stop.iata for stop in flight.stops.all() if stop.iata not in route]
        if flight.arrival_airport not in route:
            route.append(flight.arrival_airport)
        details.update(flight=flight.designator, flight_date=flight.departure_date.isoformat(), route=route)
    if traveller is not None:
        details.update(nationality=traveller.nationality, sex=traveller.sex)
        document = traveller.documents.first()
        nominal = {
            "surname": traveller.surname,
            "given_names": traveller.given_names,
            "date_of_birth": traveller.date_of_birth.isoformat() if traveller.date_of_birth else "",
            "booking_reference": traveller.booking_reference,
        }
        if document is not None:
            nominal.update(
                document_type=document.type,
                document_number=document.number,
                document_country=document.issuing_country,
            )
    if hit.watchlist_id:
        title = _("Screening hit confirmed: %(list)s") % {"list": hit.watchlist.title}
        tlp = hit.watchlist.tlp
    else:
        title = _("Risk rule hit confirmed: %(rule)s") % {"rule": hit.rule.title}
        tlp = hit.rule.tlp
    if hit.watchlist_id and hit.watchlist.kind == ListKind.WANTED:
        priority = Priority.FLASH
    elif hit.severity == Severity.HIGH:
        priority = Priority.IMMEDIATE
    else:
        priority = Priority.ROUTINE
    if flight is not None:
        title = f"{title} — {flight.designator} {flight.departure_date.isoformat()}"
    return {"title": title[:200], "details": details, "nominal": nominal, "tlp": tlp, "priority": priority}


@transaction.atomic
def confirm(*, actor, hit: Hit, note: str = "") -> Hit:
    """Confirm: the hit is the listed person (or the indicators hold). Sends the alert to the
    units concerned (``concerned_units``) and keeps the traveller's record beyond the
    retention schedule while the hit is followed up."""
    hit = _locked(hit)
    unit = _reviewing_unit(actor, hit)
    _open(hit)
    note = _note("note", note)
    targets = concerned_units(hit, unit)
    alert = None
    if targets:
        fields = _alert_fields(hit)
        tlp = fields["tlp"]
        if tlp == Tlp.RED and len(targets) > 10:
            targets = targets[:10]
        alert = messaging.send_alert(
            sender=actor,
            sender_unit=unit.code,
            kind=Kind.PASSENGER,
            title=fields["title"],
            body=note,
            audience_entries=[{"scope": "unit", "target": u.code} for u in targets],
            priority=fields["priority"],
            tlp=tlp,
            details=fields["details"],
            nominal=fields["nominal"],
        )
    now = timezone.now()
    hit.status, hit.reviewed_by, hit.reviewed_unit, hit.reviewed_at = HitStatus.CONFIRMED, actor, unit, now
    hit.review_note, hit.alert = note, alert
    hit.save(update_fields=["status", "reviewed_by", "reviewed_unit", "reviewed_at", "review_note", "alert"])
    if hit.traveller is not None and not hit.traveller.hold_reason:
        hit.traveller.hold_reason = f"confirmed screening hit {hit.pk}"
        hit.traveller.save(update_fields=["hold_reason"])
    record(
        actor,
        "hit.confirmed",
        hit,
        data={
            "unit": unit.code,
            "alert": alert.pk if alert else None,
            "recipients": [u.code for u in targets],
        },
    )
    return hit


@transaction.atomic
def dismiss(*, actor, hit: Hit, reason: str) -> Hit:
    """Dismiss: not the listed person, or the indicators do not hold. The reason is required."""
    hit = _locked(hit)
    unit = _reviewing_unit(actor, hit)
    _open(hit)
    reason = _note("reason", reason, required=True)
    hit.status, hit.reviewed_by, hit.reviewed_unit = HitStatus.DISMISSED, actor, unit
    hit.reviewed_at, hit.review_note = timezone.now(), reason
    hit.save(update_fields=["status", "reviewed_by", "reviewed_unit", "reviewed_at", "review_note"])
    record(actor, "hit.dismissed", hit, data={"unit": unit.code})
    return hit


@transaction.atomic
def record_outcome(*, actor, hit: Hit, result: str, note: str = "") -> Hit:
    """What the reviewing unit itself did about a confirmed hit (the other units report on the
    hit's alert). Can be corrected later; each change is audited."""
    hit = _locked(hit)
    unit = _reviewing_unit(actor, hit)
    if hit.status != HitStatus.CONFIRMED:
        raise ServiceError(_("an outcome is recorded for a confirmed hit"), field="status", code="conflict")
    if result not in Result.values:
        raise ServiceError(
            _("result: one of %(results)s") % {"results": ", ".join(Result.values)}, field="result"
        )
    changed = bool(hit.outcome)
    hit.outcome, hit.outcome_note, hit.outcome_at = result, _note("note", note), timezone.now()
    hit.save(update_fields=["outcome", "outcome_note", "outcome_at"])
    record(actor, "hit.outcome", hit, data={"unit": unit.code, "result": result, "changed": changed})
    return hit
