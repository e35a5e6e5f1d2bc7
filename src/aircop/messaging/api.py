"""/api/v1/alerts and /api/v1/events. Thin: parse, call a service or selector, return a schema.
A ServiceError becomes 400 (or 403 for a refused role) with the field it names."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.db import close_old_connections
from django.http import HttpResponse
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from aircop.core.api_schemas import DetailErrorOut, FieldErrorOut, Offset
from aircop.core.errors import ServiceError
from aircop.messaging import delivery, search, selectors, services
from aircop.messaging.rendering import alert_summary

router = Router(tags=["alerts"])


class AudienceIn(Schema):
    scope: str = Field(description="unit, country, region, group, network or operation")
    target: str = Field(
        "", description="unit code, ISO country code, region code, group slug or joint operation name"
    )


class AlertIn(Schema):
    kind: str = Field(description="passenger, baggage, cargo, mail, seizure_notice, rfi or general")
    title: str
    audience: list[AudienceIn]
    priority: str = "routine"
    tlp: str = "amber"
    body: str = ""
    details: dict[str, Any] = {}
    nominal: dict[str, Any] = {}
    nominal_restricted: bool = False
    valid_until: datetime | None = Field(
        None, description="naive times are read in the destination's local time"
    )
    destination: str | None = Field(None, description="IATA code; defaults to the last airport of the route")
    sender_unit: str | None = Field(None, description="unit code, when you belong to several")


class RecipientOut(Schema):
    unit: str
    via: str
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class OutcomeOut(Schema):
    unit: str
    result: str
    note: str
    seizure_reference: str
    recorded_by: str
    recorded_at: datetime


class MessageOut(Schema):
    id: int
    author: str
    unit: str
    body: str
    created_at: datetime


class AlertOut(Schema):
    id: int
    kind: str
    priority: str
    tlp: str
    title: str
    body: str
    sender: str
    sender_unit: str
    sender_airport: str | None
    destination: str | None
    created_at: datetime
    valid_until: datetime | None
    flagged: bool
    nominal_restricted: bool
    nominal_withheld: bool
    details: dict[str, Any]
    nominal: dict[str, Any]
    operation: str | None = Field(None, description="the joint operation the alert was sent to")
    recipients: list[RecipientOut]
    outcomes: list[OutcomeOut]
    messages: list[MessageOut]


class AlertListItem(Schema):
    id: int
    kind: str
    priority: str
    tlp: str
    title: str
    sender_unit: str
    sender_airport: str | None
    destination: str | None
    created_at: datetime
    valid_until: datetime | None
    flagged: bool
    operation: str | None = None


class AlertUpdateIn(Schema):
    title: str | None = None
    body: str | None = None
    priority: str | None = None
    valid_until: datetime | None = Field(
        None, description="naive times are read in the destination's local time"
    )
    clear_validity: bool = False


class AlertOutcomeIn(Schema):
    result: str = Field(description="seized, negative, not_on_board, missed or no_action")
    note: str = ""
    seizure_reference: str = ""


class MessageIn(Schema):
    body: str


class HitsStateOut(Schema):
    open: int = Field(description="open hits in the review queues of the user's units")
    latest: int = Field(description="the highest id among them (0 when none)")
    state: str = Field(description="both as OPEN-LATEST: give it back as ?hits= on the next poll")


class EventsOut(Schema):
    cursor: int
    events: list[dict[str, Any]]
    hits: HitsStateOut | None = Field(
        None, description="only when ?hits= was given: the review queues' state, no nominal data"
    )


def _service(call):
    try:
        return call()
    except ServiceError as exc:
        status = 403 if exc.code == "forbidden" else 400
        raise HttpError(status, f"{exc.field}: {exc.message}" if exc.field else exc.message) from None


def _recipient_out(r) -> dict:
    return {
        "unit": r.unit.code,
        "via": r.via,
        "acknowledged_at": r.acknowledged_at,
        "acknowledged_by": r.acknowledged_by.username if r.acknowledged_by_id else None,
    }


def _outcome_out(o) -> dict:
    return {
        "unit": o.unit.code,
        "result": o.result,
        "note": o.note,
        "seizure_reference": o.seizure_reference,
        "recorded_by": o.recorded_by.username,
        "recorded_at": o.recorded_at,
    }


def _message_out(m) -> dict:
    return {
        "id": m.pk,
        "author": m.author.username,
        "unit": m.author_unit.code,
        "body": m.body,
        "created_at": m.created_at,
    }


def _detail(user, alert) -> dict:
    data = alert_summary(alert, nominal=selectors.sees_nominal(user, alert))
    data["body"] = alert.body
    data["sender"] = alert.sender.username
    data["recipients"] = [_recipient_out(r) for r in selectors.recipients(user, alert)]
    data["outcomes"] = [_outcome_out(o) for o in selectors.outcomes(user, alert)]
    data["messages"] = [_message_out(m) for m in selectors.thread(user, alert)]
    return data


@router.post(
    "/alerts",
    response={
        200: AlertOut,
        201: AlertOut,
        400: FieldErrorOut,
        403: FieldErrorOut,
        422: DetailErrorOut,
    },
    summary="Send an alert",
    description=(
        "With an `Idempotency-Key` header (a UUID the client makes for each new alert), sending "
        "again after a lost answer returns the alert already sent, with 200 and "
        "`Idempotent-Replayed: true`, instead of a second alert. The same key with a different "
        "alert is refused with 422."
    ),
)
def send_alert(
    request,
    payload: AlertIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=services.CLIENT_KEY_LIMIT,
        pattern=r"^[!-~]+$",
        description="1 to 80 visible ASCII characters chosen by the client; a UUID is best",
    ),
):
    def send():
        try:
            return services.send_alert(
                sender=request.user,
                kind=payload.kind,
                title=payload.title,
                audience_entries=[a.dict() for a in payload.audience],
                priority=payload.priority,
                tlp=payload.tlp,
                body=payload.body,
                details=payload.details,
                nominal=payload.nominal,
                nominal_restricted=payload.nominal_restricted,
                valid_until=payload.valid_until,
                destination=payload.destination,
                sender_unit=payload.sender_unit,
                client_key=idempotency_key or "",
            )
        except services.KeyReused as exc:
            raise HttpError(422, f"{exc.field}: {exc.message}") from None

    alert = _service(send)
    if getattr(alert, "replayed", False):
        response["Idempotent-Replayed"] = "true"
        # the alert as it stands now (replies and outcomes may have come since it was sent)
        return Status(200, _read_detail(request.user, alert.pk))
    return Status(201, _created_detail(alert))


def _read_detail(user, alert_id: int) -> dict:
    """One alert as GET /alerts/{id} shows it; a read of its nominal data is audited."""
    alert = selectors.alert(user, alert_id)
    data = _detail(user, alert)
    if data["nominal"]:
        services.audit_nominal_read(user=user, alert=alert, via="api")
    return data


def _created_detail(alert) -> dict:
    """The sender's copy of the alert they just sent, from what the service wrote: the sending
    unit sees all of it (nominal data included), and there is no outcome or reply yet. The
    same shape as GET /alerts/{id}, without reading back what is in hand."""
    data = alert_summary(alert, nominal=True)
    data["body"] = alert.body
    data["sender"] = alert.sender.username
    data["recipients"] = [_recipient_out(r) for r in alert.created_recipients]
    data["outcomes"] = []
    data["messages"] = []
    return data


@router.get("/alerts", response=list[AlertListItem], summary="Alerts I may see, newest first")
def list_alerts(
    request,
    kind: str | None = None,
    priority: str | None = None,
    tlp: str | None = None,
    status: str | None = None,
    airport: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: Offset = 0,
):
    """``q`` searches words of the title, text, details and replies, and names only where you may see them."""
    limit = max(1, min(limit, 200))
    if q and q.strip():
        return [alert_summary(a, nominal=False) for a in search.search(request.user, q, limit=limit)]
    qs = selectors.alerts(request.user, kind=kind, priority=priority, tlp=tlp, status=status, airport=airport)
    return [alert_summary(a, nominal=False) for a in qs[offset : offset + limit]]


@router.get(
    "/alerts/{alert_id}", response=AlertOut, summary="One alert with its thread, acknowledgements, outcomes"
)
def get_alert(request, alert_id: int):
    return _read_detail(request.user, alert_id)


@router.patch(
    "/alerts/{alert_id}",
    response={200: AlertOut, 400: FieldErrorOut, 403: FieldErrorOut},
    summary="The originating unit updates title, text, priority or validity",
)
def update_alert(request, alert_id: int, payload: AlertUpdateIn):
    alert = selectors.alert(request.user, alert_id)
    _service(lambda: services.update_alert(user=request.user, alert=alert, **payload.dict()))
    return _detail(request.user, selectors.alert(request.user, alert_id))


@router.post(
    "/alerts/{alert_id}/messages",
    response={201: MessageOut, 400: FieldErrorOut, 403: FieldErrorOut},
    summary="Reply in the alert's thread",
)
def post_message(request, alert_id: int, payload: MessageIn):
    alert = selectors.alert(request.user, alert_id)
    m = _service(lambda: services.post_message(user=request.user, alert=alert, body=payload.body))
    return Status(201, _message_out(m))


@router.post(
    "/alerts/{alert_id}/ack",
    response={200: RecipientOut, 400: FieldErrorOut, 403: FieldErrorOut},
    summary="Acknowledge for my unit",
)
def acknowledge(request, alert_id: int):
    alert = selectors.alert(request.user, alert_id)
    r = _service(lambda: services.acknowledge(user=request.user, alert=alert))
    return _recipient_out(r)


@router.post(
    "/alerts/{alert_id}/outcome",
    response={200: OutcomeOut, 400: FieldErrorOut, 403: FieldErrorOut},
    summary="Record my unit's outcome",
)
def outcome(request, alert_id: int, payload: AlertOutcomeIn):
    alert = selectors.alert(request.user, alert_id)
    o = _service(
        lambda: services.record_outcome(
            user=request.user,
            alert=alert,
            result=payload.result,
            note=payload.note,
            seizure_reference=payload.seizure_reference,
        )
    )
    return _outcome_out(o)


class OutcomeRateOut(Schema):
    key: str = Field(description="sending unit code, or ORIGIN-DESTINATION")
    alerts: int
    recipients: int
    reported: int
    outcomes: dict[str, int]
    report_rate: float
    seizure_rate: float


@router.get(
    "/alerts-outcome-rates",
    response={200: list[OutcomeRateOut], 400: DetailErrorOut},
    summary="Outcome rates of the alerts I may see, per sending unit or per route",
)
def outcome_rates(request, by: str = "sender"):
    if by not in ("sender", "route"):
        raise HttpError(400, "by: sender or route")
    return selectors.outcome_rates(request.user, by=by)


MAX_WAIT = 25
HITS_EVERY = 5  # rounds of 0.5 s between two looks at the hit queues during a long poll


@router.get("/events", response=EventsOut, summary="Long-poll fallback of /ws/events")
def events(
    request,
    after: int | None = None,
    have: str = "",
    wait: int = 0,
    hits: str | None = Query(
        None,
        pattern=r"^([0-9]{1,12}-[0-9]{1,12})?$",
        description=(
            "the hits state of the last answer (empty at first): the answer then carries the "
            "current one, and a long poll also ends when it changes (new hits in a queue of "
            "the user's units, the counterpart of the WebSocket's hits push)"
        ),
    ),
):
    """Without ``after``: the current cursor, to start from. With it: every event after the
    cursor that the client lacks (``have``: ids above the cursor it already holds), waiting up
    to ``wait`` seconds (at most 25) for one to arrive, or for the hits state to change."""

    def hits_state():
        if hits is None:
            return None
        from aircop.screening.selectors_hits import queue_state  # screening builds on messaging

        return queue_state(request.user)

    if after is None:
        cursor = delivery.Cursor(0)
        delivery.catch_up_position(cursor)
        return {"cursor": cursor.position, "events": [], "hits": hits_state()}
    cursor = delivery.Cursor(max(after, 0), delivery.parse_have(have))
    deadline = time.monotonic() + max(0, min(wait, MAX_WAIT))
    rounds = 0
    while True:
        found = delivery.catch_up(request.user, cursor)
        state = hits_state() if rounds % HITS_EVERY == 0 else None
        changed = state is not None and state["state"] != hits  # "" (no state yet): answer at once
        if found or changed or time.monotonic() >= deadline:
            return {"cursor": cursor.position, "events": found, "hits": state or hits_state()}
        close_old_connections()
        time.sleep(0.5)
        rounds += 1
