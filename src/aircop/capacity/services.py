"""Writes of capacity-building activities: create and update, each atomic and audited.
Participants and trainers: services_people.py; the CSV import: importer.py; equipment:
services_equipment.py; the library: library.py.

Who writes (docs/handling.md, "Capacity building"): programme staff (coordinators, analysts
and administrators of the programme unit or a regional office) for any activity, and the
members of the organising unit (officers, unit heads, coordinators, analysts) for theirs.

A person cannot be in two places at once: a participant or trainer who attends another
activity with overlapping dates in another city is refused (mentoring, which runs
alongside the daily work for months, is not counted)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.capacity import validation as v
from aircop.capacity.access import may_organise
from aircop.capacity.codes import ActivityKind, Language, Level
from aircop.capacity.models import Activity, Attendance, Trainer
from aircop.core.errors import ServiceError
from aircop.core.visibility import visible_to
from aircop.network import reference
from aircop.network.models import Airport
from aircop.network.services import ensure_airport

EARLIEST = date(2000, 1, 1)
MAX_DAYS = 366
PLANNED_YEARS = 3
CLASH_EXEMPT_KINDS = (ActivityKind.MENTORING,)
FIELDS = (
    "kind",
    "level",
    "title",
    "start_date",
    "end_date",
    "city",
    "country",
    "airport",
    "organising_unit",
    "host_unit",
    "beneficiary_units",
    "topics",
    "trainers",
    "language",
    "notes",
)


def as_input(activity: Activity) -> dict:
    """The activity back as the input the services, the form and the API take."""
    return {
        "kind": activity.kind,
        "level": activity.level,
        "title": activity.title,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "city": activity.city,
        "country": activity.country_id,
        "airport": activity.airport.iata if activity.airport_id else "",
        "organising_unit": activity.organising_unit.code,
        "host_unit": activity.host_unit.code if activity.host_unit_id else "",
        "beneficiary_units": sorted(activity.beneficiary_units.values_list("code", flat=True)),
        "topics": sorted(activity.topics.values_list("code", flat=True)),
        "trainers": sorted(activity.trainers.values_list("pk", flat=True)),
        "language": activity.language,
        "notes": activity.notes,
    }


def _trainers(actor, problems: v.Problems, values) -> list[int]:
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple):
        problems.add("trainers", _("a list of trainer ids"))
        return []
    wanted = []
    for i, value in enumerate(values):
        try:
            wanted.append((i, int(value)))
        except (TypeError, ValueError):
            problems.add(f"trainers[{i}]", _("not a trainer id: %(value)r") % {"value": value})
    qs = Trainer.objects.all() if actor is None else visible_to(Trainer, actor)
    found = set(qs.filter(pk__in=[pk for _i, pk in wanted]).values_list("pk", flat=True))
    for i, pk in wanted:
        if pk not in found:
            problems.add(f"trainers[{i}]", _("no trainer %(id)s that you may see") % {"id": pk})
    return list(dict.fromkeys(pk for _i, pk in wanted if pk in found))


def clean(actor, data: dict, *, keep=()) -> dict:
    """Every field checked; CapacityInvalid lists every problem, each naming its field.
    ``keep``: codes of units the activity already names (accepted even if no longer active)."""
    p = v.Problems()
    unknown = sorted(set(data) - set(FIELDS))
    for name in unknown:
        p.add(name, _("not a field of an activity"))
    out = {
        "kind": v.choice(p, data.get("kind"), "kind", ActivityKind),
        "level": v.choice(p, data.get("level"), "level", Level),
        "title": v.text(p, data.get("title"), "title", limit=200, required=True),
        "start_date": v.day(p, data.get("start_date"), "start_date"),
        "end_date": v.day(p, data.get("end_date"), "end_date"),
        "city": v.text(p, data.get("city"), "city", limit=120, required=True),
        "country": v.country(p, data.get("country"), "country"),
        "airport": v.airport(p, data.get("airport"), "airport"),
        "organising_unit": v.unit(p, data.get("organising_unit"), "organising_unit", keep=keep),
        "host_unit": v.unit(p, data.get("host_unit"), "host_unit", required=False, keep=keep),
        "beneficiary_units": v.units(p, data.get("beneficiary_units"), "beneficiary_units", keep=keep),
        "topics": v.topics(p, data.get("topics")),
        "trainers": _trainers(actor, p, data.get("trainers")),
        "language": v.choice(p, data.get("language"), "language", Language),
        "notes": v.text(p, data.get("notes"), "notes", limit=v.TEXT_LIMIT),
    }
    start, end = out["start_date"], out["end_date"]
    if start and start < EARLIEST:
        p.add("start_date", _("before %(year)d: not an activity of the programme") % {"year": EARLIEST.year})
    latest = timezone.localdate() + timedelta(days=366 * PLANNED_YEARS)
    if start and start > latest:
        p.add("start_date", _("more than %(n)d years ahead") % {"n": PLANNED_YEARS})
    if start and end and end < start:
        p.add(
            "end_date",
            _("the activity ends (%(end)s) before it starts (%(start)s)")
            % {"end": end.isoformat(), "start": start.isoformat()},
        )
    elif start and end and (end - start).days >= MAX_DAYS:
        p.add("end_date", _("an activity lasts at most a year: record a longer programme as several"))
    airport_row = None
    if out["airport"] and out["country"] is not None:
        airport_row = Airport.objects.filter(iata=out["airport"]).first()
        airport_country = (
            airport_row.country_id
            if airport_row
            else (reference.airport_record(out["airport"]) or {}).get("country", "").upper()
        )
        if airport_country != out["country"].iso2:
            p.add(
                "airport",
                _("%(iata)s is not in %(country)s")
                % {"iata": out["airport"], "country": out["country"].name},
            )
    if out["kind"] == ActivityKind.EXCHANGE and not p:
        if out["host_unit"] is None:
            p.add("host_unit", _("an exchange programme names the host unit"))
        elif len(out["beneficiary_units"]) != 1 or out["host_unit"] in out["beneficiary_units"]:
            p.add(
                "beneficiary_units", _("an exchange programme names one visiting unit, other than the host")
            )
    p.raise_if_any()
    return out


def _may_organise_or_refuse(actor, unit) -> None:
    if not may_organise(actor, unit.pk):
        raise ServiceError(
            _("only programme staff and the organising unit record its activities"),
            field="organising_unit",
            code="forbidden",
        )


def clashes(
    *, kind: str, start, end, city: str, country_id: str, exclude_activity=None, participants=(), trainers=()
) -> dict[tuple[str, int], Activity]:
    """People of this activity who attend or teach another one elsewhere at the same time:
    {("participant" | "trainer", id): the other activity}."""
    if kind in CLASH_EXEMPT_KINDS or not (participants or trainers):
        return {}
    others = (
        Activity.objects.filter(start_date__lte=end, end_date__gte=start)
        .exclude(kind__in=CLASH_EXEMPT_KINDS)
        .exclude(Q(city__iexact=city) & Q(country_id=country_id))
    )
    if exclude_activity is not None:
        others = others.exclude(pk=exclude_activity.pk)
    found: dict[tuple[str, int], int] = {}
    if participants:
        for pid, aid in Attendance.objects.filter(
            activity__in=others, participant_id__in=participants
        ).values_list("participant_id", "activity_id"):
            found[("participant", pid)] = aid
    if trainers:
        through = Activity.trainers.through.objects
        for tid, aid in through.filter(activity__in=others, trainer_id__in=trainers).values_list(
            "trainer_id", "activity_id"
        ):
            found[("trainer", tid)] = aid
    by_id = Activity.objects.in_bulk(set(found.values()))
    return {key: by_id[aid] for key, aid in found.items()}


def clash_message(other: Activity) -> str:
    return _("attends another activity elsewhere at the same time (%(city)s, %(start)s to %(end)s)") % {
        "city": other.city,
        "start": other.start_date.isoformat(),
        "end": other.end_date.isoformat(),
    }


def _check_clashes(clean_data: dict, activity: Activity | None) -> None:
    participants = list(activity.attendances.values_list("participant_id", flat=True)) if activity else []
    found = clashes(
        kind=clean_data["kind"],
        start=clean_data["start_date"],
        end=clean_data["end_date"],
        city=clean_data["city"],
        country_id=clean_data["country"].iso2,
        exclude_activity=activity,
        participants=participants,
        trainers=clean_data["trainers"],
    )
    if not found:
        return
    problems = v.Problems()
    for (role, pk), other in found.items():
        if role == "trainer":
            problems.add(f"trainers[{clean_data['trainers'].index(pk)}]", clash_message(other))
        else:
            problems.add(
                "start_date",
                _("participant %(id)s %(problem)s") % {"id": pk, "problem": clash_message(other)},
            )
    problems.raise_if_any()


def _write(actor, activity: Activity, c: dict) -> None:
    activity.kind, activity.level, activity.title = c["kind"], c["level"], c["title"]
    activity.start_date, activity.end_date = c["start_date"], c["end_date"]
    activity.city, activity.country = c["city"], c["country"]
    activity.airport = ensure_airport(actor=actor, iata=c["airport"]) if c["airport"] else None
    activity.organising_unit, activity.host_unit = c["organising_unit"], c["host_unit"]
    activity.language, activity.notes = c["language"], c["notes"]
    activity.updated_at = timezone.now()
    activity.save()
    activity.beneficiary_units.set(c["beneficiary_units"])
    activity.topics.set(c["topics"])
    activity.trainers.set(c["trainers"])


def _summary(activity: Activity, c: dict) -> dict:
    return {
        "kind": c["kind"],
        "level": c["level"],
        "title": c["title"],
        "start_date": c["start_date"],
        "end_date": c["end_date"],
        "place": f"{c['city']}, {c['country'].iso2}",
        "organising_unit": c["organising_unit"].code,
        "host_unit": c["host_unit"].code if c["host_unit"] else None,
        "beneficiary_units": [u.code for u in c["beneficiary_units"]],
        "topics": c["topics"],
        "trainers": c["trainers"],
    }


@transaction.atomic
def create_activity(*, actor, data: dict) -> Activity:
    c = clean(actor, data)
    _may_organise_or_refuse(actor, c["organising_unit"])
    _check_clashes(c, None)
    now = timezone.now()
    activity = Activity(created_by=actor, created_at=now)
    _write(actor, activity, c)
    record(actor, "activity.created", activity, data=_summary(activity, c))
    return activity


@transaction.atomic
def update_activity(*, actor, activity: Activity, data: dict) -> Activity:
    """Change the fields given in ``data``; the others keep their values."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _may_organise_or_refuse(actor, activity.organising_unit)
    current = as_input(activity)
    keep = {current["organising_unit"], current["host_unit"], *current["beneficiary_units"]} - {""}
    c = clean(actor, {**current, **data}, keep=keep)
    _may_organise_or_refuse(actor, c["organising_unit"])
    _check_clashes(c, activity)
    _write(actor, activity, c)
    record(actor, "activity.updated", activity, data=_summary(activity, c))
    return activity
