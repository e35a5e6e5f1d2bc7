"""Who sees hits (docs/handling.md, "Hits"): a hit belongs to the review queues of the task
forces it was routed to (the traveller's destination and transit airports); their members see
it, with the traveller and the explanation. Nobody else does: not the list's owner (who hears
of a confirmed hit through its alert), not programme administrators. Counts per list and per
rule carry no nominal data and are shown to whoever sees the list or the rule."""

from __future__ import annotations

from django.db.models import Count, Exists, Max, OuterRef, Q

from aircop.audit.services import record
from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.messaging.models import Outcome, Result
from aircop.screening.models import Hit, HitStatus, Severity


@register(Hit)
def _hits_policy(qs, user):
    routed = Hit.units.through.objects.filter(hit_id=OuterRef("pk"), unit_id__in=user.unit_ids())
    return qs.filter(Exists(routed))


def hits(
    user, *, status: str | None = HitStatus.OPEN, severity: str | None = None, flight: int | None = None
):
    """The user's queue: hits routed to one of their units, newest first (open: most severe first)."""
    qs = visible_to(Hit, user).select_related(
        "traveller", "flight", "watchlist", "rule", "rule_version", "reviewed_by"
    )
    if status:
        qs = qs.filter(status=status)
    if severity:
        qs = qs.filter(severity=severity)
    if flight:
        qs = qs.filter(flight_id=flight)
    if status == HitStatus.OPEN:
        order = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
        from django.db.models import Case, IntegerField, Value, When

        rank = Case(*[When(severity=k, then=Value(v)) for k, v in order.items()], output_field=IntegerField())
        return qs.order_by(rank, "-created_at", "-id")
    return qs.order_by("-created_at", "-id")


def audit_listed(user, shown, *, via: str) -> None:
    """A page of the queue shows travellers' names: an audited read (``hits.listed``: the ids
    shown and the channel, never a name), live refreshes included, since they may show new
    hits."""
    ids = [h.pk for h in shown]
    if ids:
        record(user, "hits.listed", None, data={"via": via, "hits": ids})


def open_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return visible_to(Hit, user).filter(status=HitStatus.OPEN).count()


def queue_state(user) -> dict:
    """The open hits of the user's queues as a count and the highest id, with no nominal data:
    what the long-poll answer carries so that a page without a WebSocket hears of new hits."""
    found = visible_to(Hit, user).filter(status=HitStatus.OPEN).aggregate(n=Count("id"), latest=Max("id"))
    latest = found["latest"] or 0
    return {"open": found["n"], "latest": latest, "state": f"{found['n']}-{latest}"}


def hit(user, hit_id: int) -> Hit:
    """One hit, for a write (not audited); 404 when it is not in one of the user's queues."""
    return get_visible_or_404(
        Hit.objects.select_related("traveller", "flight", "watchlist", "rule"), user, pk=hit_id
    )


def read_hit(user, hit_id: int, *, via: str) -> Hit:
    """One hit shown with its traveller: an audited read (``hit.read``)."""
    found = get_visible_or_404(
        Hit.objects.select_related(
            "traveller",
            "flight",
            "watchlist",
            "entry",
            "rule",
            "rule_version",
            "alert",
            "reviewed_by",
            "reviewed_unit",
        ).prefetch_related("units", "traveller__documents"),
        user,
        pk=hit_id,
    )
    record(user, "hit.read", found, data={"via": via})
    return found


def counts(qs) -> dict:
    """Hit counts and outcomes for hits ``qs`` (of one list or one rule): by status, and the
    results known, from the reviewing unit and from the alert's recipients."""
    by_status = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    total = sum(by_status.values())
    results: dict[str, int] = {}
    for result, n in qs.exclude(outcome="").order_by().values_list("outcome").annotate(n=Count("pk")):
        results[result] = results.get(result, 0) + n
    alert_results = (
        Outcome.objects.filter(alert__hits__in=qs.values("pk"))
        .order_by()
        .values_list("result")
        .annotate(n=Count("pk"))
    )
    for result, n in alert_results:
        results[result] = results.get(result, 0) + n
    confirmed = by_status.get(HitStatus.CONFIRMED, 0)
    with_outcome = (
        qs.filter(status=HitStatus.CONFIRMED)
        .filter(~Q(outcome="") | Q(alert__outcomes__isnull=False))
        .distinct()
        .count()
    )
    return {
        "hits": total,
        "open": by_status.get(HitStatus.OPEN, 0),
        "confirmed": confirmed,
        "dismissed": by_status.get(HitStatus.DISMISSED, 0),
        "outcomes": {r: results.get(r, 0) for r in Result.values},
        "confirmed_with_outcome": with_outcome,
        "outcome_rate": round(with_outcome / confirmed, 3) if confirmed else None,
        "confirmation_rate": round(confirmed / (confirmed + by_status.get(HitStatus.DISMISSED, 0)), 3)
        if confirmed + by_status.get(HitStatus.DISMISSED, 0)
        else None,
    }


def watchlist_counts(watchlist) -> dict:
    return counts(Hit.objects.filter(watchlist=watchlist))


def rule_counts(rule) -> dict:
    out = counts(Hit.objects.filter(rule=rule))
    screened = sum(rule.versions.values_list("screened", flat=True))
    out["screened"] = screened
    out["hit_rate"] = round(out["hits"] / screened, 4) if screened else None
    return out
