"""The programme's published figures for any date (docs/analytics.md, "The programme
dashboard"): computed live from the data as it stood at the end of that day, never stored.

- Network: countries and airports connected (a task force's `connected_on` on or before the
  date), units by kind, and the airports connected per year (growth).
- Seizures: counted records (submitted and validated, as every figure) up to the date, per
  commodity category, with kilograms where they convert.
- Alerts exchanged up to the date and what came of them: acknowledged, outcomes by result,
  the share of alerts with at least one outcome.
- Capacity building and joint operations: from their apps' own figure functions.

Every figure is a count over the whole network: none singles out a person or a case, so the
disclosure rule's suppression (docs/analytics.md) does not apply here, and any signed-in
member of the network may read them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from aircop.analytics import queries
from aircop.capacity import figures as capacity_figures
from aircop.core.errors import ServiceError
from aircop.messaging.models import Alert, Outcome, Recipient, Result
from aircop.network.models import Unit, UnitKind
from aircop.seizures.codes import Category

FIRST_DAY = date(2010, 1, 1)  # before the programme's first connection


def parse_at(raw: str | None, today: date) -> date:
    """``at=YYYY-MM-DD`` (default today); not in the future, not before the programme."""
    if not raw:
        return today
    try:
        at = date.fromisoformat(raw.strip())
    except ValueError:
        raise ServiceError(_("expected a date as YYYY-MM-DD"), field="at") from None
    if at > today:
        raise ServiceError(_("the date is in the future"), field="at")
    if at < FIRST_DAY:
        raise ServiceError(
            _("the programme has no figures before %(day)s") % {"day": FIRST_DAY.isoformat()}, field="at"
        )
    return at


def _end_of(at: date) -> datetime:
    return datetime.combine(at + timedelta(days=1), time.min, tzinfo=UTC)


def network(at: date) -> dict:
    connected = Unit.objects.filter(connected_on__isnull=False, connected_on__lte=at)
    task_forces = connected.filter(kind=UnitKind.JAITF, airport__isnull=False)
    per_year = dict(
        task_forces.annotate(year=ExtractYear("connected_on"))
        .order_by()
        .values_list("year")
        .annotate(n=Count("airport_id", distinct=True))
    )
    growth, total = [], 0
    first = min(per_year) if per_year else at.year
    for year in range(first, at.year + 1):
        total += per_year.get(year, 0)
        growth.append({"year": year, "new": per_year.get(year, 0), "total": total})
    by_kind = dict(connected.order_by().values_list("kind").annotate(n=Count("pk")))
    return {
        "countries": connected.values("country_id").distinct().count(),
        "airports": task_forces.values("airport_id").distinct().count(),
        "units": sum(by_kind.values()),
        "units_by_kind": {kind: by_kind.get(kind, 0) for kind in UnitKind.values},
        "airports_by_year": growth,
    }


def seizures(at: date) -> dict:
    scope = queries.Scope(FIRST_DAY, at)
    memo: dict = {}
    by_category: dict[str, dict] = {}
    for key, cell in queries.cells(scope, "subtype", memo=memo).items():
        category = key.split("|")[0]
        row = by_category.setdefault(category, {"category": category, "seizures": 0, "mass_kg": 0.0})
        row["seizures"] += cell.seizures
        row["mass_kg"] += float(cell.mass_kg or 0)
    rows = sorted(by_category.values(), key=lambda r: (-r["seizures"], r["category"]))
    for row in rows:
        row["label"] = (
            str(Category(row["category"]).label) if row["category"] in Category.values else row["category"]
        )
        row["mass_kg"] = round(row["mass_kg"], 3)
    total = queries.total(scope, memo)
    return {"seizures": total.seizures, "high_risk_persons": total.persons, "by_commodity": rows}


def alerts(at: date) -> dict:
    sent = Alert.objects.filter(created_at__lt=_end_of(at))
    outcomes = Outcome.objects.filter(alert__in=sent, recorded_at__lt=_end_of(at))
    total = sent.count()
    acknowledged = sent.filter(
        Exists(Recipient.objects.filter(alert=OuterRef("pk"), acknowledged_at__lt=_end_of(at)))
    ).count()
    with_outcome = sent.filter(Exists(outcomes.filter(alert=OuterRef("pk")))).count()
    results = dict(outcomes.order_by().values_list("result").annotate(n=Count("pk")))
    return {
        "alerts": total,
        "acknowledged": acknowledged,
        "acknowledged_rate": round(acknowledged / total, 3) if total else None,
        "with_outcome": with_outcome,
        "outcome_rate": round(with_outcome / total, 3) if total else None,
        "outcomes": {result: results.get(result, 0) for result in Result.values},
        "seized_rate": round(results.get(Result.SEIZED, 0) / sum(results.values()), 3) if results else None,
    }


def summary(at: date) -> dict:
    return {
        "at": at.isoformat(),
        "network": network(at),
        "seizures": seizures(at),
        "alerts": alerts(at),
        "capacity": capacity_figures.summary(at),
    }
