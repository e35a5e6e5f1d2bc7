"""The figures of an operation (docs/operations.md, "Results"): seizures by commodity, airport
and route, the alerts sent to the operation and their outcomes, and participation.

Disclosure rule, as for the analysis figures (analytics/queries.py): these are aggregates,
computed in the database (GROUP BY), with no name, document or date of birth and no remark.
They are shown to whoever sees the operation (selectors.operation decides, 404 otherwise), so
they count records the reader may not open one by one:

- the seizures are the **submitted and validated** records (drafts never) that a situation
  report of the operation links, plus those recorded by a participating unit within the
  window; the figures say how many came from each source;
- readers who are not members of the operation (programme administrators and analysts) do
  not get route rows made of fewer than ``MIN_CELL`` seizures, which could single out a case;
- the alerts are every alert sent to the operation, with the acknowledgements and outcomes of
  their recipient units.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from aircop.analytics.queries import MIN_CELL
from aircop.messaging.models import Alert, Outcome, Priority, Recipient, Result
from aircop.operations import calendar, selectors
from aircop.operations.models import Operation, SituationReport
from aircop.seizures.codes import COUNTED_STATUSES, QuantityUnit
from aircop.seizures.models import Seizure, SeizureItem

REPORT_COUNTS = ("controls", "passengers_checked", "bags_checked", "consignments_checked", "mail_checked")


def _num(value) -> float:
    return float(round(Decimal(value), 3)) if value is not None else 0.0


def seizure_sources(operation: Operation) -> tuple[Q, Q]:
    """(linked in a report, recorded by a participating unit within the window), as filters
    on counted seizures."""
    linked = Q(
        pk__in=SituationReport.seizures.through.objects.filter(situationreport__operation=operation).values(
            "seizure_id"
        )
    )
    window = Q(
        unit__in=operation.units.values("pk"),
        occurred_at__gte=operation.starts_at,
        occurred_at__lt=operation.ends_at,
    )
    return linked, window


def seizures(operation: Operation):
    """The counted seizures of the operation (both sources)."""
    linked, window = seizure_sources(operation)
    return Seizure.objects.filter(linked | window, status__in=COUNTED_STATUSES)


def _sources(operation: Operation) -> dict:
    linked, window = seizure_sources(operation)
    counted = Seizure.objects.filter(status__in=COUNTED_STATUSES)
    both = counted.filter(linked & window).count()
    linked_n = counted.filter(linked).count()
    window_n = counted.filter(window).count()
    return {
        "total": linked_n + window_n - both,
        "linked": linked_n,
        "window": window_n,
        "both": both,
        "linked_drafts": Seizure.objects.filter(linked).exclude(status__in=COUNTED_STATUSES).count(),
    }


def by_commodity(operation: Operation) -> list[dict]:
    items = SeizureItem.objects.filter(seizure__in=seizures(operation).values("pk"))
    money: dict[tuple[str, str], dict[str, float]] = {}
    for row in (
        items.filter(unit=QuantityUnit.CURRENCY)
        .values("category", "subtype", "currency")
        .annotate(amount=Sum("quantity"))
    ):
        money.setdefault((row["category"], row["subtype"]), {})[row["currency"]] = _num(row["amount"])
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in (
        items.filter(count__isnull=False).values("category", "subtype", "unit").annotate(n=Sum("count"))
    ):
        counts.setdefault((row["category"], row["subtype"]), {})[row["unit"]] = int(row["n"])
    rows = [
        {
            "category": row["category"],
            "subtype": row["subtype"],
            "seizures": row["n"],
            "mass_kg": _num(row["mass"]),
            "count": int(row["count"] or 0),
            "counts": dict(sorted(counts.get((row["category"], row["subtype"]), {}).items())),
            "amounts": dict(sorted(money.get((row["category"], row["subtype"]), {}).items())),
        }
        for row in items.values("category", "subtype").annotate(
            n=Count("seizure", distinct=True), mass=Sum("mass_kg"), count=Sum("count")
        )
    ]
    return sorted(rows, key=lambda r: (-r["seizures"], -r["mass_kg"], r["subtype"]))


def by_airport(operation: Operation) -> list[dict]:
    qs = seizures(operation)
    mass = dict(
        SeizureItem.objects.filter(seizure__in=qs.values("pk"))
        .values("airport__iata")
        .annotate(mass=Sum("mass_kg"))
        .values_list("airport__iata", "mass")
    )
    rows = [
        {
            "airport": row["airport__iata"],
            "name": row["airport__name"],
            "seizures": row["n"],
            "mass_kg": _num(mass.get(row["airport__iata"])),
        }
        for row in qs.values("airport__iata", "airport__name").annotate(n=Count("pk"))
    ]
    return sorted(rows, key=lambda r: (-r["seizures"], -r["mass_kg"], r["airport"]))


def by_route(operation: Operation, *, withhold_small: bool = False) -> tuple[list[dict], int, int]:
    """(rows, routes withheld, seizures without a route)."""
    qs = seizures(operation)
    mass = dict(
        SeizureItem.objects.filter(seizure__in=qs.values("pk"))
        .values("route_key")
        .annotate(mass=Sum("mass_kg"))
        .values_list("route_key", "mass")
    )
    rows, withheld, unrouted = [], 0, 0
    for row in qs.values("route_key").annotate(n=Count("pk")):
        if not row["route_key"]:
            unrouted += row["n"]
            continue
        if withhold_small and row["n"] < MIN_CELL:
            withheld += 1
            continue
        rows.append(
            {"route": row["route_key"], "seizures": row["n"], "mass_kg": _num(mass.get(row["route_key"]))}
        )
    rows.sort(key=lambda r: (-r["seizures"], -r["mass_kg"], r["route"]))
    return rows, withheld, unrouted


def alerts(operation: Operation) -> dict:
    qs = Alert.objects.filter(operation=operation)
    recipients = Recipient.objects.filter(alert__operation=operation)
    outcomes = dict(
        Outcome.objects.filter(alert__operation=operation)
        .values("result")
        .annotate(n=Count("pk"))
        .values_list("result", "n")
    )
    n_recipients = recipients.count()
    reported = sum(outcomes.values())
    return {
        "alerts": qs.count(),
        "flash": qs.filter(priority=Priority.FLASH).count(),
        "senders": qs.values("sender_unit").distinct().count(),
        "recipients": n_recipients,
        "acknowledged": recipients.filter(acknowledged_at__isnull=False).count(),
        "outcomes": {r: outcomes.get(r, 0) for r in Result.values},
        "no_outcome": n_recipients - reported,
    }


def participation(operation: Operation, now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    reports: dict[int, dict] = {}
    for row in (
        SituationReport.objects.filter(operation=operation)
        .values("unit_id")
        .annotate(n=Count("pk"), **{f: Sum(f) for f in REPORT_COUNTS})
    ):
        reports[row["unit_id"]] = row
    days: dict[int, set] = {}
    for unit_id, day in selectors.reported_pairs(operation):
        days.setdefault(unit_id, set()).add(day)
    linked = dict(
        SituationReport.objects.filter(operation=operation)
        .values("unit_id")
        .annotate(n=Count("seizures", distinct=True))
        .values_list("unit_id", "n")
    )
    sent = dict(
        Alert.objects.filter(operation=operation)
        .values("sender_unit_id")
        .annotate(n=Count("pk"))
        .values_list("sender_unit_id", "n")
    )
    rows = []
    for unit in selectors.participants(operation):
        due = calendar.expected_days(operation, unit, now)
        row = reports.get(unit.pk, {})
        on_time = len(days.get(unit.pk, set()).intersection(due))
        rows.append(
            {
                "unit": unit.code,
                "name": unit.name,
                "airport": unit.airport.iata if unit.airport_id else None,
                "reports": row.get("n", 0),
                "days_due": len(due),
                "share": round(on_time / len(due), 4) if due else 0.0,
                **{f: int(row.get(f) or 0) for f in REPORT_COUNTS},
                "seizures_linked": linked.get(unit.pk, 0),
                "alerts_sent": sent.get(unit.pk, 0),
            }
        )
    return rows


def figures(
    operation: Operation, *, withhold_small_routes: bool = False, now: datetime | None = None
) -> dict:
    """Every figure of the operation, JSON-able."""
    now = now or timezone.now()
    first, last = calendar.window_days(operation)
    routes, withheld, unrouted = by_route(operation, withhold_small=withhold_small_routes)
    units = participation(operation, now)
    return {
        "operation": operation.name,
        "state": operation.state(now),
        "starts_at": operation.starts_at,
        "ends_at": operation.ends_at,
        "days": (last - first).days + 1,
        "seizures": _sources(operation),
        "by_commodity": by_commodity(operation),
        "by_airport": by_airport(operation),
        "by_route": routes,
        "routes_withheld": withheld,
        "seizures_without_route": unrouted,
        "min_cell": MIN_CELL,
        "alerts": alerts(operation),
        "participation": units,
        "reports": sum(u["reports"] for u in units),
        "totals": {f: sum(u[f] for u in units) for f in REPORT_COUNTS},
    }
