"""The capacity-building figures of the programme dashboard (analytics), for any date.

Each function takes ``at`` (a date) and returns plain numbers and dicts computed in the
database from the activities, attendances, trainers and equipment as they stood at that
date, by their own dates (not by when they were typed in):

- an activity counts once it has started (``start_date <= at``): activities held and under way;
- a person is trained once they attended such an activity; each person counts once
  (distinct participant records), whatever the number of activities;
- a trainer counts once they taught such an activity;
- an item of equipment counts once provided (``provided_on <= at``); values are summed per
  currency (ISO 4217), never converted.

These are programme-wide aggregates with no personal data (no names, no record numbers).
They do not go through ``visible_to``: like the register's figures (analytics/queries.py),
whoever calls them decides who may read programme totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from aircop.capacity.codes import ActivityKind, EquipmentCategory, Level, Sex
from aircop.capacity.models import Activity, Attendance, Equipment, Participant, Trainer


def _held(at: date):
    return Activity.objects.filter(start_date__lte=at)


def activities(at: date) -> dict:
    """{"total": 412, "by_kind": {"basic_training": 120, ...}, "by_level": {"national": 300, "regional": 112}}
    (every kind and level present, 0 when none)."""
    qs = _held(at).order_by()
    by_kind = dict.fromkeys(ActivityKind.values, 0)
    by_kind.update({r["kind"]: r["n"] for r in qs.values("kind").annotate(n=Count("id"))})
    by_level = dict.fromkeys(Level.values, 0)
    by_level.update({r["level"]: r["n"] for r in qs.values("level").annotate(n=Count("id"))})
    return {"total": sum(by_kind.values()), "by_kind": by_kind, "by_level": by_level}


def _trained(at: date):
    attended = Attendance.objects.filter(activity__start_date__lte=at).values("participant_id")
    return Participant.objects.filter(pk__in=attended)


def personnel_trained(at: date) -> int:
    """Distinct participants of the activities held by ``at``."""
    return _trained(at).count()


def women_share(at: date) -> dict:
    """{"trained": 3120, "women": 812, "men": 2290, "unspecified": 18, "share_women": 0.2603}
    (share of women among all persons trained; None when nobody was trained)."""
    counts = dict.fromkeys(Sex.values, 0)
    counts.update({r["sex"]: r["n"] for r in _trained(at).order_by().values("sex").annotate(n=Count("id"))})
    total = sum(counts.values())
    return {
        "trained": total,
        "women": counts[Sex.FEMALE],
        "men": counts[Sex.MALE],
        "unspecified": counts[Sex.UNSPECIFIED],
        "share_women": round(counts[Sex.FEMALE] / total, 4) if total else None,
    }


def trainer_nationalities(at: date) -> dict[str, int]:
    """Distinct trainers of the activities held by ``at``, by nationality (ISO 3166 alpha-3),
    most frequent first: {"FRA": 12, "ESP": 7, ...}."""
    taught = Activity.trainers.through.objects.filter(activity__start_date__lte=at).values("trainer_id")
    rows = (
        Trainer.objects.filter(pk__in=taught)
        .order_by()
        .values("nationality__iso3")
        .annotate(n=Count("id"))
        .order_by("-n", "nationality__iso3")
    )
    return {r["nationality__iso3"]: r["n"] for r in rows}


def _money(value) -> float:
    return float(Decimal(value).quantize(Decimal("0.01")))


def equipment(at: date) -> dict:
    """Equipment provided by ``at``:
    {"items": 310, "value": {"USD": 1250000.0, "EUR": 80000.0},
     "by_category": {"xray": {"items": 12, "value": {"USD": 900000.0}}, ...}}
    (every category present; items without a recorded value count in "items" only)."""
    qs = Equipment.objects.filter(provided_on__lte=at).order_by()
    by_category = {c: {"items": 0, "value": {}} for c in EquipmentCategory.values}
    for r in qs.values("category").annotate(n=Count("id")):
        by_category[r["category"]]["items"] = r["n"]
    totals: dict[str, Decimal] = {}
    for r in qs.filter(value__isnull=False).values("category", "currency").annotate(total=Sum("value")):
        by_category[r["category"]]["value"][r["currency"]] = _money(r["total"])
        totals[r["currency"]] = totals.get(r["currency"], Decimal(0)) + Decimal(r["total"])
    return {
        "items": sum(c["items"] for c in by_category.values()),
        "value": {currency: _money(total) for currency, total in sorted(totals.items())},
        "by_category": by_category,
    }


def summary(at: date) -> dict:
    """All of the above in one dict, for GET /api/v1/programme/summary."""
    return {
        "activities": activities(at),
        "personnel_trained": personnel_trained(at),
        "women": women_share(at),
        "trainer_nationalities": trainer_nationalities(at),
        "equipment": equipment(at),
    }
