"""Every read of alerts and what hangs off them, through the visibility helper.

A user sees an alert when one of their units sent it or is among its recipients
(docs/handling.md). Nominal data is shown to the sending unit, to units named directly when
the sender restricted it, and to every recipient otherwise."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.messaging.models import (
    Alert,
    Attachment,
    Event,
    ForwardRequest,
    Message,
    Outcome,
    Recipient,
)


@register(Alert)
def _alerts_policy(qs, user):
    units = user.unit_ids()
    received = Recipient.objects.filter(alert=OuterRef("pk"), unit_id__in=units)
    return qs.filter(Q(sender_unit_id__in=units) | Exists(received))


def _through_alert(qs, user):
    return qs.filter(alert__in=_alerts_policy(Alert.objects.all(), user).values("pk"))


for _model in (Recipient, Outcome, Message):
    register(_model)(_through_alert)


@register(Attachment)
def _attachments_policy(qs, user):
    # A photo of a person or a document follows the alert's restriction of nominal data.
    nominal_ok = Alert.objects.filter(nominal_visible_q(user)).values("pk")
    return _through_alert(qs, user).filter(Q(nominal=False) | Q(alert__in=nominal_ok))


@register(ForwardRequest)
def _forward_policy(qs, user):
    # Originator control: the requesting unit and the originating unit, nobody else.
    units = user.unit_ids()
    return qs.filter(Q(from_unit_id__in=units) | Q(alert__sender_unit_id__in=units))


@register(Event)
def _events_policy(qs, user):
    visible = _through_alert(qs, user)
    return visible.filter(Q(originator_only=False) | Q(alert__sender_unit_id__in=user.unit_ids()))


def nominal_visible_q(user) -> Q:
    """Alerts whose nominal data ``user`` sees (docs/handling.md, Nominal data)."""
    units = user.unit_ids()
    named = Recipient.objects.filter(alert=OuterRef("pk"), unit_id__in=units, nominal=True)
    return Q(nominal_restricted=False) | Q(sender_unit_id__in=units) | Exists(named)


def sees_nominal(user, alert: Alert) -> bool:
    return Alert.objects.filter(nominal_visible_q(user), pk=alert.pk).exists()


def alert(user, alert_id: int) -> Alert:
    return get_visible_or_404(
        visible_to(Alert, user).select_related(
            "sender", "sender_unit", "sender_unit__airport", "destination", "operation"
        ),
        user,
        pk=alert_id,
    )


def alerts(user, *, kind=None, priority=None, tlp=None, status=None, airport=None, sent=None):
    qs = visible_to(Alert, user).select_related(
        "sender_unit", "sender_unit__airport", "destination", "operation"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if priority:
        qs = qs.filter(priority=priority)
    if tlp:
        qs = qs.filter(tlp=tlp)
    if airport:
        code = airport.upper()
        qs = qs.filter(Q(sender_unit__airport__iata=code) | Q(destination__iata=code))
    units = user.unit_ids()
    if sent is True:
        qs = qs.filter(sender_unit_id__in=units)
    elif sent is False:
        qs = qs.exclude(sender_unit_id__in=units)
    if status == "unacknowledged":
        qs = qs.filter(recipients__unit_id__in=units, recipients__acknowledged_at__isnull=True)
    elif status == "acknowledged":
        qs = qs.filter(recipients__unit_id__in=units, recipients__acknowledged_at__isnull=False)
    elif status == "flagged":
        qs = qs.filter(flagged_at__isnull=False)
    return qs.order_by("-created_at", "-id")


def unread_count(user) -> int:
    """Alerts addressed to one of my units that my unit has not acknowledged yet."""
    return (
        visible_to(Recipient, user)
        .filter(unit_id__in=user.unit_ids(), acknowledged_at__isnull=True)
        .values("alert")
        .distinct()
        .count()
    )


def acknowledged_by_my_units(user, alert_ids: list[int]) -> set[int]:
    return set(
        visible_to(Recipient, user)
        .filter(alert_id__in=alert_ids, unit_id__in=user.unit_ids(), acknowledged_at__isnull=False)
        .values_list("alert_id", flat=True)
    )


def attachments(user, alert_obj: Alert):
    return visible_to(Attachment, user).filter(alert=alert_obj).order_by("created_at", "id")


def recipients(user, alert_obj: Alert):
    return visible_to(Recipient, user).filter(alert=alert_obj).select_related("unit", "acknowledged_by")


def outcomes(user, alert_obj: Alert):
    return visible_to(Outcome, user).filter(alert=alert_obj).select_related("unit", "recorded_by")


def thread(user, alert_obj: Alert):
    return (
        visible_to(Message, user)
        .filter(alert=alert_obj)
        .select_related("author", "author_unit")
        .prefetch_related("attachments")
    )


def forward_requests(user, alert_obj: Alert):
    return (
        visible_to(ForwardRequest, user).filter(alert=alert_obj).select_related("from_unit", "requested_by")
    )


def events_after(user, after: int, *, upto: int, limit: int = 500):
    return (
        visible_to(Event, user)
        .filter(id__gt=after, id__lte=upto)
        .select_related(
            "alert",
            "alert__sender_unit",
            "alert__sender_unit__airport",
            "alert__destination",
            "alert__operation",
        )
        .order_by("id")[:limit]
    )


def event_ids_after(user, after: int, *, upto: int) -> list[int]:
    """Ids only, in order: what reconciliation compares with what a socket already holds."""
    return list(
        visible_to(Event, user).filter(id__gt=after, id__lte=upto).order_by("id").values_list("id", flat=True)
    )


def events_by_id(user, ids):
    return (
        visible_to(Event, user)
        .filter(id__in=ids)
        .select_related(
            "alert",
            "alert__sender_unit",
            "alert__sender_unit__airport",
            "alert__destination",
            "alert__operation",
        )
        .order_by("id")
    )


def event_audience_key(user) -> frozenset[int]:
    """Two users with the same key see exactly the same events, with or without nominal data
    (the policies above depend on the user's units only). Reconciliation runs one query per
    key instead of one per socket; a policy that starts to depend on more than units must
    extend this key."""
    return frozenset(user.unit_ids())


def latest_event_id(user) -> int:
    """Where a new client starts listening from."""
    last = visible_to(Event, user).order_by("-id").values_list("id", flat=True).first()
    return last or 0


def outcome_rates(user, *, by: str = "sender") -> list[dict]:
    """For the alerts I may see, grouped by sending unit or by route (origin → destination):
    how many recipient units there were, how many reported each outcome, and the rates."""
    from collections import defaultdict

    from aircop.messaging.models import Result

    alerts_qs = visible_to(Alert, user)
    rows = (
        visible_to(Recipient, user)
        .filter(alert__in=alerts_qs.values("pk"))
        .values("alert_id", "alert__sender_unit__code", "alert__details", "unit_id")
    )
    results = {
        (o["alert_id"], o["unit_id"]): o["result"]
        for o in visible_to(Outcome, user)
        .filter(alert__in=alerts_qs.values("pk"))
        .values("alert_id", "unit_id", "result")
    }
    groups: dict[str, dict] = defaultdict(
        lambda: {"alerts": set(), "recipients": 0, "outcomes": defaultdict(int)}
    )
    for row in rows:
        if by == "route":
            route = (row["alert__details"] or {}).get("route") or []
            if len(route) < 2:
                continue
            key = f"{route[0]}-{route[-1]}"
        else:
            key = row["alert__sender_unit__code"]
        group = groups[key]
        group["alerts"].add(row["alert_id"])
        group["recipients"] += 1
        result = results.get((row["alert_id"], row["unit_id"]))
        if result:
            group["outcomes"][result] += 1
    out = []
    for key, g in sorted(groups.items()):
        reported = sum(g["outcomes"].values())
        out.append(
            {
                "key": key,
                "alerts": len(g["alerts"]),
                "recipients": g["recipients"],
                "reported": reported,
                "outcomes": {r: g["outcomes"].get(r, 0) for r in Result.values},
                "report_rate": round(reported / g["recipients"], 4) if g["recipients"] else 0.0,
                "seizure_rate": round(g["outcomes"].get(Result.SEIZED, 0) / g["recipients"], 4)
                if g["recipients"]
                else 0.0,
            }
        )
    return out
