"""/api/v1/hits: the review queue of screening hits over REST (docs/screening.md, "Reviewing
hits"). Thin: parse, call a selector or service, return a schema.

A hit outside the caller's queues answers 404, as one that does not exist. Reading one hit is
an audited read (``hit.read``, via "api"); the queue is not. A refused review answers 403
(role or unit), 409 (already reviewed, or an outcome for a hit that is not confirmed) or 400,
with the field: ``{"detail": "field: message", "field": "field", "problems": [...]}``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from aircop.core.api_schemas import ErrorOut, Offset
from aircop.core.errors import ServiceError
from aircop.messaging import selectors as messaging_selectors
from aircop.screening import selectors_hits, services_hits
from aircop.screening.models import Hit, HitStatus, Severity

router = Router(tags=["hits"])

STATUSES = (*HitStatus.values, "all")
LIMIT = 100
MAX_LIMIT = 500


# ------------------------------------------------------------------ schemas
class SourceOut(Schema):
    type: str = Field(description="watchlist or rule")
    name: str
    title: str


class FlightRefOut(Schema):
    id: int
    designator: str
    departure_date: date
    departure_airport: str
    arrival_airport: str


class TravellerRefOut(Schema):
    id: int
    surname: str
    given_names: str
    date_of_birth: date | None
    nationality: str | None
    sex: str | None
    masked: bool = Field(description="names and dates erased by the retention schedule")


class HitItemOut(Schema):
    id: int
    created_at: datetime
    severity: str = Field(description="high, medium or low")
    status: str = Field(description="open, confirmed or dismissed")
    score: float = Field(description="0 to 1; a rule's hit scores 1")
    threshold: float | None = Field(description="the list's threshold when the hit was made")
    source: SourceOut
    flight: FlightRefOut | None
    traveller: TravellerRefOut | None = Field(description="null once retention deleted the traveller")
    units: list[str] = Field(description="codes of the units in whose queue the hit is")


class UnitOutcomeOut(Schema):
    unit: str
    result: str
    note: str
    recorded_at: datetime | None


class AlertOutcomeOut(UnitOutcomeOut):
    seizure_reference: str
    recorded_by: str


class HitOut(HitItemOut):
    explanation: list[str] = Field(description="why it matched; emptied when retention removes the traveller")
    entry_reference: str | None = Field(description="the list entry's reference (watchlist hits)")
    rule_version: int | None = Field(description="the rule version that fired (rule hits)")
    reviewed_by: str | None
    reviewed_unit: str | None
    reviewed_at: datetime | None
    review_note: str = Field(description="the confirmation's note or the dismissal's reason")
    alert: int | None = Field(description="the alert sent when the hit was confirmed")
    alert_outcomes: list[AlertOutcomeOut] = Field(description="outcomes the alert's recipient units recorded")
    outcome: UnitOutcomeOut | None = Field(description="the reviewing unit's own outcome")


class ConfirmIn(Schema):
    note: str = ""


class DismissIn(Schema):
    reason: str = Field("", description="required: why the hit is not the listed person")


class HitOutcomeIn(Schema):
    result: str = Field(description="seized, negative, not_on_board, missed or no_action")
    note: str = ""


REFUSED = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# ------------------------------------------------------------------ helpers
def _refused(exc: ServiceError) -> Status:
    status = {"forbidden": 403, "conflict": 409}.get(exc.code, 400)
    return Status(
        status,
        {
            "detail": f"{exc.field}: {exc.message}" if exc.field else exc.message,
            "field": exc.field,
            "problems": [{"field": exc.field, "message": exc.message}] if exc.field else [],
        },
    )


def _source(h: Hit) -> dict:
    if h.watchlist_id:
        return {"type": "watchlist", "name": h.watchlist.name, "title": h.watchlist.title}
    return {"type": "rule", "name": h.rule.name, "title": h.rule.title}


def _item(h: Hit) -> dict:
    f, t = h.flight, h.traveller
    return {
        "id": h.pk,
        "created_at": h.created_at,
        "severity": h.severity,
        "status": h.status,
        "score": float(h.score),
        "threshold": float(h.threshold) if h.threshold is not None else None,
        "source": _source(h),
        "flight": None
        if f is None
        else {
            "id": f.pk,
            "designator": f.designator,
            "departure_date": f.departure_date,
            "departure_airport": f.departure_airport,
            "arrival_airport": f.arrival_airport,
        },
        "traveller": None
        if t is None
        else {
            "id": t.pk,
            "surname": t.surname,
            "given_names": t.given_names,
            "date_of_birth": t.date_of_birth,
            "nationality": t.nationality or None,
            "sex": t.sex or None,
            "masked": t.masked_at is not None,
        },
        "units": sorted(u.code for u in h.units.all()),
    }


def _detail(user, h: Hit) -> dict:
    data = _item(h)
    alert_outcomes = []
    if h.alert_id:
        alert_outcomes = [
            {
                "unit": o.unit.code,
                "result": o.result,
                "note": o.note,
                "seizure_reference": o.seizure_reference,
                "recorded_by": o.recorded_by.username,
                "recorded_at": o.recorded_at,
            }
            for o in messaging_selectors.outcomes(user, h.alert_id)
        ]
    data.update(
        explanation=[str(r) for r in h.explanation or []],
        entry_reference=h.entry_reference or None,
        rule_version=h.rule_version.number if h.rule_version_id else None,
        reviewed_by=h.reviewed_by.username if h.reviewed_by_id else None,
        reviewed_unit=h.reviewed_unit.code if h.reviewed_unit_id else None,
        reviewed_at=h.reviewed_at,
        review_note=h.review_note,
        alert=h.alert_id,
        alert_outcomes=alert_outcomes,
        outcome={
            "unit": h.reviewed_unit.code if h.reviewed_unit_id else "",
            "result": h.outcome,
            "note": h.outcome_note,
            "recorded_at": h.outcome_at,
        }
        if h.outcome
        else None,
    )
    return data


def _review(request, hit_id: int, call):
    """A write on one hit of the caller's queues: 404 outside them; the hit as it now is, from
    what the service returned (the write is audited, so it is not read back as a second read)."""
    found = selectors_hits.hit(request.user, hit_id)
    try:
        done = call(found)
    except ServiceError as exc:
        return _refused(exc)
    return _detail(request.user, done)


# ------------------------------------------------------------------ endpoints
@router.get("/hits", response={200: list[HitItemOut], 400: ErrorOut}, summary="The hits of my review queues")
def list_hits(
    request,
    status: Annotated[str, Query(description="open (default), confirmed, dismissed or all")] = "open",
    severity: Annotated[str | None, Query(description="high, medium or low")] = None,
    flight: Annotated[int | None, Query(description="a flight's id")] = None,
    limit: int = LIMIT,
    offset: Offset = 0,
):
    """Hits routed to one of my units. Open hits come most severe first, then newest; the
    others newest first."""
    if status not in STATUSES:
        raise HttpError(400, _("status: open, confirmed, dismissed or all"))
    if severity and severity not in Severity.values:
        raise HttpError(400, _("severity: high, medium or low"))
    qs = selectors_hits.hits(
        request.user, status=None if status == "all" else status, severity=severity or None, flight=flight
    ).prefetch_related("units")
    offset = max(0, offset)
    shown = list(qs[offset : offset + max(1, min(limit, MAX_LIMIT))])
    selectors_hits.audit_listed(request.user, shown, via="api")
    return [_item(h) for h in shown]


@router.get(
    "/hits/{hit_id}",
    response={200: HitOut, 404: ErrorOut},
    summary="One hit with its explanation and review (an audited read)",
)
def get_hit(request, hit_id: int):
    return _detail(request.user, selectors_hits.read_hit(request.user, hit_id, via="api"))


@router.post("/hits/{hit_id}/confirm", response={200: HitOut, **REFUSED}, summary="Confirm a hit")
def confirm_hit(request, hit_id: int, payload: ConfirmIn):
    """The traveller is the listed person (or the indicators hold): an alert goes to the other
    units concerned, and the traveller is kept beyond the retention schedule."""
    return _review(
        request, hit_id, lambda h: services_hits.confirm(actor=request.user, hit=h, note=payload.note)
    )


@router.post("/hits/{hit_id}/dismiss", response={200: HitOut, **REFUSED}, summary="Dismiss a hit")
def dismiss_hit(request, hit_id: int, payload: DismissIn):
    return _review(
        request, hit_id, lambda h: services_hits.dismiss(actor=request.user, hit=h, reason=payload.reason)
    )


@router.post(
    "/hits/{hit_id}/outcome",
    response={200: HitOut, **REFUSED},
    summary="Record (or correct) my unit's outcome of a confirmed hit",
)
def hit_outcome(request, hit_id: int, payload: HitOutcomeIn):
    return _review(
        request,
        hit_id,
        lambda h: services_hits.record_outcome(
            actor=request.user, hit=h, result=payload.result, note=payload.note
        ),
    )
