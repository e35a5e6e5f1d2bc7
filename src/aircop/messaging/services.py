"""Every write of the messaging app: send, acknowledge, record an outcome, reply, forward.
Each is atomic, audited, and announces itself with an event published after commit."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.messaging import audience, kinds, search
from aircop.messaging.events import publish
from aircop.messaging.models import (
    Alert,
    AudienceEntry,
    ForwardRequest,
    Message,
    Outcome,
    Priority,
    Recipient,
    Result,
    Scope,
    Tlp,
)
from aircop.network.models import Unit
from aircop.network.services import ensure_airport

SENDING_ROLES = {Role.OFFICER, Role.UNIT_HEAD, Role.COORDINATOR, Role.LIAISON, Role.AIRLINE, Role.ANALYST}
TITLE_LIMIT = 200
BODY_LIMIT = 20000


def _sender_unit(user, unit_code: str | None) -> Unit:
    memberships = user.memberships.select_related("unit", "unit__airport")
    if unit_code:
        membership = memberships.filter(unit__code=unit_code).first()
        if membership is None:
            raise ServiceError(
                _("you are not a member of unit %(code)r") % {"code": unit_code}, field="sender_unit"
            )
        return membership.unit
    first = memberships.order_by("unit__code").first()
    if first is None:
        raise ServiceError(_("you belong to no unit, so you cannot send"), field="sender_unit")
    return first.unit


def _valid_until(value, destination) -> datetime | None:
    """Aware datetimes are kept; a naive one is read in the destination airport's local time."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ServiceError(
                _("expected a date and time, e.g. 2026-11-25T18:30"), field="valid_until"
            ) from None
    if timezone.is_naive(value):
        tz = ZoneInfo(destination.tz) if destination is not None else ZoneInfo("UTC")
        value = value.replace(tzinfo=tz)
    if value <= timezone.now():
        raise ServiceError(_("the validity must end in the future"), field="valid_until")
    return value


def _limited(field: str, text: str, limit: int, *, required: bool = False) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ServiceError(_("required"), field=field)
    if len(text) > limit:
        raise ServiceError(_("longer than %(n)d characters") % {"n": limit}, field=field)
    return text


def _choice(field: str, value: str, choices) -> str:
    if value not in choices.values:
        raise ServiceError(
            _("%(value)r is not one of %(choices)s") % {"value": value, "choices": ", ".join(choices.values)},
            field=field,
        )
    return value


CLIENT_KEY_LIMIT = Alert._meta.get_field("client_key").max_length


def _check_client_key(key: str) -> None:
    if len(key) > CLIENT_KEY_LIMIT or not all("!" <= c <= "~" for c in key):
        raise ServiceError(
            _("the key must be 1 to %(n)d visible ASCII characters (a UUID is best)")
            % {"n": CLIENT_KEY_LIMIT},
            field="Idempotency-Key",
        )


def _request_digest(**arguments) -> str:
    canonical = json.dumps(arguments, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


class KeyReused(ServiceError):
    """The client's key already sent a different alert (``alert_id``)."""

    def __init__(self, alert_id: int):
        self.alert_id = alert_id
        super().__init__(
            _("this key was already used for alert %(id)d, which differs from this one; use a new key")
            % {"id": alert_id},
            field="Idempotency-Key",
            code="conflict",
        )


def _already_sent(sender, client_key: str, digest: str) -> Alert | None:
    alert = Alert.objects.filter(sender=sender, client_key=client_key).first()
    if alert is None:
        return None
    if alert.client_digest != digest:
        raise KeyReused(alert.pk)
    alert.replayed = True
    return alert


@transaction.atomic
def send_alert(
    *,
    sender,
    kind: str,
    title: str,
    audience_entries: list[dict],
    priority: str = Priority.ROUTINE,
    tlp: str = Tlp.AMBER,
    body: str = "",
    details: dict | None = None,
    nominal: dict | None = None,
    nominal_restricted: bool = False,
    valid_until=None,
    destination: str | None = None,
    sender_unit: str | None = None,
    client_key: str = "",
) -> Alert:
    """Send an alert. With ``client_key`` (the API's Idempotency-Key), sending the same thing
    again under the same key returns the alert already sent, marked ``replayed``, and writes
    nothing; the same key with anything else changed is refused."""
    if sender.role not in SENDING_ROLES:
        raise ServiceError(_("your role cannot send alerts"), field="sender", code="forbidden")
    digest = ""
    if client_key:
        _check_client_key(client_key)
        digest = _request_digest(
            kind=kind,
            title=title,
            audience_entries=audience_entries,
            priority=priority,
            tlp=tlp,
            body=body,
            details=details,
            nominal=nominal,
            nominal_restricted=nominal_restricted,
            valid_until=valid_until,
            destination=destination,
            sender_unit=sender_unit,
        )
        sent = _already_sent(sender, client_key, digest)
        if sent is not None:
            return sent
    unit = _sender_unit(sender, sender_unit)
    _choice("priority", priority, Priority)
    _choice("tlp", tlp, Tlp)
    title = _limited("title", title, TITLE_LIMIT, required=True)
    body = _limited("body", body, BODY_LIMIT)
    details, nominal = kinds.clean(kind, details, nominal)
    dest_code = destination or (details.get("route") or [None])[-1]
    try:
        dest = ensure_airport(actor=sender, iata=dest_code) if dest_code else None
    except ServiceError:
        raise ServiceError(_("unknown airport %(code)r") % {"code": dest_code}, field="destination") from None
    until = _valid_until(valid_until, dest)
    targets = audience.parse(audience_entries)
    audience.check_rules(targets, tlp, sender)
    addressed = audience.operation_target(targets)
    if addressed is not None and not sender_unit:
        unit = audience.operation_sender_unit(sender, addressed[1], unit)
    operation = audience.check_operation(targets, sender=sender, unit=unit)
    resolved = audience.resolve(targets, exclude_unit_id=unit.pk)
    if not resolved:
        raise ServiceError(_("the audience contains no unit besides your own"), field="audience")

    now = timezone.now()
    try:
        with transaction.atomic():  # a savepoint: the same key sent twice at once meets the constraint
            alert = Alert.objects.create(
                kind=kind,
                priority=priority,
                tlp=tlp,
                title=title,
                body=body,
                sender=sender,
                sender_unit=unit,
                created_at=now,
                updated_at=now,
                valid_until=until,
                destination=dest,
                details=details,
                nominal=nominal,
                nominal_restricted=nominal_restricted and bool(nominal),
                operation=operation,
                client_key=client_key,
                client_digest=digest,
            )
    except IntegrityError:
        sent = _already_sent(sender, client_key, digest) if client_key else None
        if sent is None:
            raise
        return sent
    AudienceEntry.objects.bulk_create(
        [
            AudienceEntry(
                alert=alert, scope=t.scope, **({t.scope: t.obj} if t.scope != Scope.NETWORK else {})
            )
            for t in targets
        ]
    )
    recipients = Recipient.objects.bulk_create(
        [Recipient(alert=alert, unit=u, via=via, nominal=via == Scope.UNIT) for u, via in resolved.values()]
    )
    alert.created_recipients = recipients  # for the sender's response, without reading them back
    search.index_alert(alert, new=True)
    record(
        sender,
        "alert.sent",
        alert,
        data={
            "kind": kind,
            "priority": priority,
            "tlp": tlp,
            "recipients": len(resolved),
            "audience": [f"{t.scope}:{getattr(t.obj, 'pk', '')}" for t in targets],
            **({"operation": operation.name} if operation is not None else {}),
        },
    )
    publish(alert, "alert.created", recipients=recipients)
    return alert


@transaction.atomic
def update_alert(
    *,
    user,
    alert: Alert,
    title: str | None = None,
    body: str | None = None,
    priority: str | None = None,
    valid_until=None,
    clear_validity: bool = False,
) -> Alert:
    """The originating unit corrects or escalates its alert: title, text, priority, validity.
    The audience, label and nominal data stay as sent (widening goes through forwarding)."""
    alert = Alert.objects.select_for_update(of=("self",)).select_related("destination").get(pk=alert.pk)
    if alert.sender_unit_id not in user.unit_ids():
        raise ServiceError(
            _("only the originating unit can update its alert"), field="alert", code="forbidden"
        )
    audience.check_channel_open(alert)
    changed = {}
    if title is not None and title.strip() != alert.title:
        changed["title"] = _limited("title", title, TITLE_LIMIT, required=True)
    if body is not None and body.strip() != alert.body:
        changed["body"] = _limited("body", body, BODY_LIMIT)
    if priority is not None and priority != alert.priority:
        changed["priority"] = _choice("priority", priority, Priority)
    if clear_validity and alert.valid_until is not None:
        changed["valid_until"] = None
    elif valid_until not in (None, ""):
        until = _valid_until(valid_until, alert.destination)
        if until != alert.valid_until:
            changed["valid_until"] = until
    if not changed:
        return alert
    for field, value in changed.items():
        setattr(alert, field, value)
    alert.updated_at = timezone.now()
    alert.save(update_fields=[*changed, "updated_at"])
    search.index_alert(alert)
    record(user, "alert.updated", alert, data={"fields": sorted(changed)})
    publish(alert, "alert.updated", {"fields": sorted(changed), "by": user.username})
    return alert


def _member_recipient(user, alert: Alert) -> Recipient:
    recipient = (
        Recipient.objects.select_for_update()
        .filter(alert=alert, unit_id__in=user.unit_ids())
        .order_by("unit__code")
        .first()
    )
    if recipient is None:
        raise ServiceError(_("only a receiving unit can do this"), field="unit", code="forbidden")
    return recipient


@transaction.atomic
def acknowledge(*, user, alert: Alert) -> Recipient:
    recipient = _member_recipient(user, alert)
    if recipient.acknowledged_at is not None:
        return recipient  # idempotent: acknowledging twice changes nothing
    recipient.acknowledged_at = timezone.now()
    recipient.acknowledged_by = user
    recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(user, "alert.acknowledged", alert, data={"unit": recipient.unit.code})
    publish(
        alert,
        "ack.created",
        {
            "unit": recipient.unit.code,
            "by": user.username,
            "at": recipient.acknowledged_at.isoformat(),
        },
    )
    return recipient


@transaction.atomic
def record_outcome(
    *, user, alert: Alert, result: str, note: str = "", seizure_reference: str = ""
) -> Outcome:
    _choice("result", result, Result)
    recipient = _member_recipient(user, alert)
    note = _limited("note", note, BODY_LIMIT)
    seizure_reference = _limited("seizure_reference", seizure_reference, 60)
    if seizure_reference and result != Result.SEIZED:
        raise ServiceError(
            _("a seizure reference goes with the result 'intercepted with seizure'"),
            field="seizure_reference",
        )
    # "SZ-<id>" (or the bare id) names a record of the register, which the alert is then
    # linked to: the sender sees what came of its alert (seizures.selectors, rule 3). Other
    # text is a national case number, kept as it is.
    import re

    from django.http import Http404

    from aircop.seizures import selectors as seizure_selectors  # seizures imports messaging
    from aircop.seizures.services import link_alert

    seizure = None
    register_ref = re.fullmatch(r"(?:SZ-?)?(\d{1,18})", seizure_reference.strip(), re.IGNORECASE)
    if register_ref:
        try:
            seizure = seizure_selectors.seizure(user, int(register_ref.group(1)))
        except Http404:
            raise ServiceError(
                _("no seizure record %(reference)s that you may see") % {"reference": seizure_reference},
                field="seizure_reference",
            ) from None
        seizure_reference = seizure.reference
    now = timezone.now()
    outcome, created = Outcome.objects.update_or_create(
        alert=alert,
        unit=recipient.unit,
        defaults={
            "result": result,
            "note": note,
            "seizure_reference": seizure_reference,
            "recorded_by": user,
            "recorded_at": now,
        },
    )
    if recipient.acknowledged_at is None:  # reporting an outcome implies having received it
        acknowledge(user=user, alert=alert)
    if seizure is not None:
        link_alert(actor=user, seizure=seizure, alert=alert)
    record(
        user,
        "alert.outcome",
        alert,
        data={"unit": recipient.unit.code, "result": result, "changed": not created},
    )
    publish(alert, "outcome.recorded", {"unit": recipient.unit.code, "result": result, "by": user.username})
    return outcome


@transaction.atomic
def post_message(*, user, alert: Alert, body: str) -> Message:
    body = _limited("body", body, BODY_LIMIT, required=True)
    audience.check_channel_open(alert)
    units = user.unit_ids()
    if alert.sender_unit_id in units:
        unit_id = alert.sender_unit_id
    else:
        unit_id = _member_recipient(user, alert).unit_id
    message = Message.objects.create(
        alert=alert, author=user, author_unit_id=unit_id, body=body, created_at=timezone.now()
    )
    Alert.objects.filter(pk=alert.pk).update(updated_at=message.created_at)
    search.index_alert(alert)
    record(user, "message.posted", message, data={"alert": alert.pk})
    publish(
        alert,
        "message.created",
        {"message": message.pk, "by": user.username, "unit": message.author_unit.code, "body": body},
    )
    return message


NOT_FORWARDABLE = {Tlp.RED, Tlp.AMBER_STRICT}


@transaction.atomic
def request_forward(*, user, alert: Alert, unit_codes: list[str], reason: str) -> ForwardRequest:
    if alert.operation_id is not None:
        raise ServiceError(
            _("an alert to a joint operation stays within the operation: it cannot be forwarded"),
            field="operation",
        )
    if alert.tlp in NOT_FORWARDABLE:
        raise ServiceError(
            _("a %(tlp)s alert cannot be forwarded") % {"tlp": Tlp(alert.tlp).label}, field="tlp"
        )
    recipient = _member_recipient(user, alert)
    reason = _limited("reason", reason, BODY_LIMIT, required=True)
    if not unit_codes:
        raise ServiceError(_("name at least one unit"), field="units")
    units = []
    for i, code in enumerate(unit_codes):
        unit = Unit.objects.filter(code=code, is_active=True).first()
        if unit is None:
            raise ServiceError(_("no unit %(code)r") % {"code": code}, field=f"units[{i}]")
        units.append(unit)
    request = ForwardRequest.objects.create(
        alert=alert, requested_by=user, from_unit=recipient.unit, reason=reason, created_at=timezone.now()
    )
    request.units.set(units)
    record(user, "forward.requested", request, data={"alert": alert.pk, "units": [u.code for u in units]})
    publish(
        alert,
        "forward.requested",
        {"request": request.pk, "from_unit": recipient.unit.code, "units": [u.code for u in units]},
        originator_only=True,
    )
    return request


@transaction.atomic
def decide_forward(*, user, request: ForwardRequest, approve: bool, note: str = "") -> ForwardRequest:
    request = ForwardRequest.objects.select_for_update().select_related("alert").get(pk=request.pk)
    alert = request.alert
    if alert.sender_unit_id not in user.unit_ids():
        raise ServiceError(
            _("only the originating unit decides on forwarding"), field="request", code="forbidden"
        )
    if request.status != ForwardRequest.Status.PENDING:
        raise ServiceError(_("this request was already decided"), field="request")
    request.status = ForwardRequest.Status.APPROVED if approve else ForwardRequest.Status.REFUSED
    request.decided_by, request.decided_at = user, timezone.now()
    request.decision_note = _limited("note", note, BODY_LIMIT)
    request.save()
    added = []
    if approve:
        existing = set(Recipient.objects.filter(alert=alert).values_list("unit_id", flat=True))
        for unit in request.units.all():
            if unit.pk not in existing and unit.pk != alert.sender_unit_id:
                Recipient.objects.create(alert=alert, unit=unit, via="forward", nominal=False)
                added.append(unit.code)
        record(user, "alert.widened", alert, data={"request": request.pk, "added": added})
    else:
        record(user, "forward.refused", request, data={"alert": alert.pk})
    if approve:
        publish(alert, "forward.approved", {"request": request.pk, "added": added})
    else:
        publish(alert, "forward.refused", {"request": request.pk}, originator_only=True)
    return request


@transaction.atomic
def flag_overdue_flash(now: datetime | None = None) -> int:
    """Flag flash alerts some recipient has not acknowledged within AIRCOP_FLASH_ACK_MINUTES
    and notify again, at most once per period. Returns how many alerts were (re)notified."""
    now = now or timezone.now()
    period = timedelta(minutes=settings.AIRCOP_FLASH_ACK_MINUTES)
    overdue = (
        Recipient.objects.select_for_update()
        .filter(
            alert__priority=Priority.FLASH, acknowledged_at__isnull=True, alert__created_at__lte=now - period
        )
        .exclude(renotified_at__gt=now - period)
        .select_related("alert", "unit")
    )
    by_alert: dict[int, list[Recipient]] = {}
    for r in overdue:
        if r.alert.valid_until is None or r.alert.valid_until > now:
            by_alert.setdefault(r.alert_id, []).append(r)
    for rows in by_alert.values():
        alert = rows[0].alert
        Recipient.objects.filter(pk__in=[r.pk for r in rows]).update(renotified_at=now)
        if alert.flagged_at is None:
            alert.flagged_at = now
            Alert.objects.filter(pk=alert.pk).update(flagged_at=now)
        units = sorted(r.unit.code for r in rows)
        record(None, "alert.flagged", alert, data={"unacknowledged": units})
        publish(alert, "alert.flagged", {"unacknowledged": units})
    return len(by_alert)


@transaction.atomic
def audit_nominal_read(*, user, alert: Alert, via: str) -> None:
    """A person read the alert's nominal data (names, documents, dates of birth): every such
    read is in the audit log (docs/handling.md). Callers check that nominal data was shown."""
    record(user, "alert.nominal_read", alert, data={"via": via})
