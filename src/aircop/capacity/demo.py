"""Capacity building for the demo (`aircop demo`): hundreds of activities since 2011 across
the demo network's units (a basic training when a task force is connected, then specialised
trainings, mentoring, study visits, exchanges and regional meetings), a few thousand
distinct trainees (about a quarter women, names plausible for their region), trainers of
many nationalities, the good-practices library and the equipment of the task forces.

Written fast: rows are built in memory and bulk-inserted in one transaction with one audit
entry. Deterministic for a seed and an end date. Nobody is in two places at once (the rule
of services.clashes). Idempotent: when an activity carries ``DEMO_NOTE`` nothing is added."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from aircop.audit.services import record
from aircop.capacity import demo_library
from aircop.capacity.codes import ActivityKind, Level, TopicCode
from aircop.capacity.demo_equipment import equipment_for
from aircop.capacity.demo_names import HEAD_TITLES, JOB_TITLES, LANGUAGE, TRAINEES, TRAINERS, WOMEN_SHARE
from aircop.capacity.models import (
    Activity,
    Attendance,
    Equipment,
    Participant,
    Trainer,
)
from aircop.capacity.services import CLASH_EXEMPT_KINDS
from aircop.capacity.validation import name_key
from aircop.core import uploads
from aircop.network.models import Country, Region, Unit, UnitAgency, UnitKind

DEMO_NOTE = "Synthetic demo activity (aircop demo): invented."
FIRST = date(2011, 1, 3)
TRAINER_COUNT = 72
BATCH = 2000
SPECIALISED = [t for t in TopicCode.values if t not in ("ethics", "human_rights")]
RO_OF_REGION = {"wca": "ro-dakar", "esa": "ro-nairobi", "lac": "ro-panama", "mena": "ro-amman"}
PCU = "aircop-pcu"


@dataclass(eq=False)
class _Person:
    """A trainee (of a unit, from a region) or a trainer (nationality, expertise)."""

    unit: int
    region: str
    busy: list = field(default_factory=list)  # (start, end, place) of non-mentoring activities
    row: object = None  # the Participant or Trainer built
    nationality: str = ""
    expertise: list = field(default_factory=list)


@dataclass
class _Act:
    kind: str
    level: str
    title: str
    start: date
    end: date
    city: str
    country: str
    airport: int | None
    organiser: int
    topics: list[str]
    host: int | None = None
    beneficiaries: list[int] = field(default_factory=list)
    people: list[_Person] = field(default_factory=list)
    trainers: list[_Person] = field(default_factory=list)

    @property
    def place(self) -> tuple[str, str]:
        return (self.city.lower(), self.country)


class _Plan:
    def __init__(self, rng: random.Random, end: date):
        self.rng, self.end = rng, end
        units = list(Unit.objects.filter(is_active=True).select_related("airport", "country__region"))
        self.by_code = {u.code: u for u in units}
        self.jaitfs = [u for u in units if u.kind == UnitKind.JAITF and u.country.region_id]
        self.region_of = {u.pk: u.country.region.code for u in units if u.country.region_id}
        self.hq = {u.country_id: u for u in units if u.kind == UnitKind.NATIONAL_HQ}
        self.agencies: dict[int, list[str]] = {}
        for unit_id, kind in UnitAgency.objects.values_list("unit_id", "kind"):
            self.agencies.setdefault(unit_id, []).append(kind)
        self.partner = {r.code for r in Region.objects.filter(is_partner=True)}
        self.pools: dict[int, list[_Person]] = {}
        self.trainers: list[_Person] = []
        self.acts: list[_Act] = []

    # ---------------------------------------------------------------- helpers
    def day(self, low: date, high: date) -> date:
        span = max(0, (high - low).days)
        d = low + timedelta(days=self.rng.randint(0, span))
        return d - timedelta(days=d.weekday()) if d.weekday() >= 5 else d

    def organiser(self, unit: Unit, own: float = 0.1) -> int:
        roll = self.rng.random()
        if roll < own:
            return unit.pk
        if roll < own + 0.2 and unit.country_id in self.hq:
            return self.hq[unit.country_id].pk
        code = RO_OF_REGION.get(self.region_of.get(unit.pk, ""), PCU)
        return self.by_code[code if self.rng.random() < 0.75 else PCU].pk

    @staticmethod
    def free(person: _Person, act: _Act) -> bool:
        if act.kind in CLASH_EXEMPT_KINDS:
            return True
        return all(not (s <= act.end and e >= act.start and p != act.place) for s, e, p in person.busy)

    def take(self, person: _Person, act: _Act, into: list) -> None:
        into.append(person)
        if act.kind not in CLASH_EXEMPT_KINDS:
            person.busy.append((act.start, act.end, act.place))

    def staff(self, unit: Unit, act: _Act, n: int) -> None:
        """n people of ``unit`` for ``act``: new recruits at first, then more and more
        people trained before."""
        pool = self.pools.setdefault(unit.pk, [])
        target = 45 if unit.kind == UnitKind.JAITF else 15
        for _ in range(n):
            if self.rng.random() < max(0.18, 1 - len(pool) / target):
                person = _Person(unit.pk, self.region_of.get(unit.pk, "wca"))
                pool.append(person)
            else:
                choices = [p for p in pool if p not in act.people and self.free(p, act)]
                if not choices:
                    continue
                person = self.rng.choice(choices)
            self.take(person, act, act.people)

    def teach(self, act: _Act, n: int) -> None:
        wanted = set(act.topics)
        able = [t for t in self.trainers if self.free(t, act)]
        self.rng.shuffle(able)
        able.sort(key=lambda t: -len(wanted & set(t.expertise)))
        for trainer in able[:n]:
            self.take(trainer, act, act.trainers)

    def act(self, kind, level, title, start, days, at: Unit, organiser, topics, **kw) -> _Act | None:
        if start > self.end:
            return None
        a = _Act(
            kind=kind,
            level=level,
            title=title,
            start=start,
            end=min(start + timedelta(days=days - 1), self.end),
            city=at.airport.city if at.airport_id else at.country.name,
            country=at.country_id,
            airport=at.airport_id,
            organiser=organiser,
            topics=topics,
            **kw,
        )
        self.acts.append(a)
        return a

    # ---------------------------------------------------------------- the plan
    def make_trainers(self) -> None:
        codes = list(TRAINERS)
        weights = [TRAINERS[c][0] for c in codes]
        for _ in range(TRAINER_COUNT):
            t = _Person(0, "")
            t.nationality = self.rng.choices(codes, weights=weights)[0]
            t.expertise = self.rng.sample(TopicCode.values, self.rng.randint(2, 4))
            self.trainers.append(t)

    def unit_life(self, unit: Unit) -> None:
        rng, city = self.rng, unit.airport.city
        connected = unit.connected_on or FIRST
        start = max(FIRST, connected - timedelta(days=rng.randint(20, 120)))
        basic = self.act(
            ActivityKind.BASIC_TRAINING, Level.NATIONAL, f"Basic JAITF training, {city}", start, rng.randint(5, 10),
            unit, self.organiser(unit, 0), ["targeting", "inspection", "ethics", "human_rights"],
            host=unit.pk, beneficiaries=[unit.pk],
        )  # fmt: skip
        if basic:
            self.staff(unit, basic, rng.randint(14, 24))
            self.teach(basic, rng.randint(2, 3))
        year = max(connected.year, FIRST.year)
        while year <= self.end.year:
            low, high = date(year, 1, 10), date(year, 12, 10)
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                topic = rng.choice(SPECIALISED)
                a = self.act(
                    ActivityKind.SPECIALISED_TRAINING, Level.NATIONAL,
                    f"Specialised training: {demo_library.TOPIC_NAMES['en'][topic]}, {city}",
                    max(self.day(low, high), start + timedelta(days=30)), rng.randint(3, 5), unit,
                    self.organiser(unit, 0.15), [topic] + (["ethics"] if rng.random() < 0.2 else []),
                    host=unit.pk, beneficiaries=[unit.pk],
                )  # fmt: skip
                if a:
                    self.staff(unit, a, rng.randint(8, 18))
                    if unit.country_id in self.hq and rng.random() < 0.3:
                        self.staff(self.hq[unit.country_id], a, rng.randint(1, 2))
                    self.teach(a, rng.randint(1, 2))
            if rng.random() < 0.4:
                a = self.act(
                    ActivityKind.MENTORING, Level.NATIONAL, f"On-the-job mentoring, {city}", self.day(low, high),
                    rng.randint(10, 45), unit, self.organiser(unit, 0), rng.sample(SPECIALISED, 2),
                    host=unit.pk, beneficiaries=[unit.pk],
                )  # fmt: skip
                if a:
                    self.staff(unit, a, rng.randint(3, 8))
                    self.teach(a, 1)
            year += 1

    def regional(self) -> None:
        rng = self.rng
        by_region: dict[str, list[Unit]] = {}
        for u in self.jaitfs:
            by_region.setdefault(self.region_of[u.pk], []).append(u)
        europe = [u for r in self.partner for u in by_region.get(r, [])]
        for year in range(FIRST.year, self.end.year + 1):
            for region, units in by_region.items():
                if region in self.partner:
                    continue
                live = [u for u in units if (u.connected_on or FIRST).year <= year]
                if len(live) < 2:
                    continue
                ro = self.by_code.get(RO_OF_REGION[region], self.by_code[PCU]).pk
                host = rng.choice(live)
                meeting = self.act(
                    ActivityKind.REGIONAL_MEETING, Level.REGIONAL,
                    f"Regional meeting of the task forces, {host.airport.city} {year}",
                    self.day(date(year, 3, 1), date(year, 11, 30)), rng.randint(2, 3), host, ro,
                    ["intelligence", "targeting"], host=host.pk, beneficiaries=[u.pk for u in live],
                )  # fmt: skip
                if meeting:
                    for u in live:
                        self.staff(u, meeting, rng.randint(1, 2))
                    self.teach(meeting, rng.randint(0, 1))
                for _ in range(rng.randint(1, 2)):
                    host, topic = rng.choice(live), rng.choice(SPECIALISED)
                    chosen = rng.sample(live, min(len(live), rng.randint(4, 7)))
                    a = self.act(
                        ActivityKind.SPECIALISED_TRAINING, Level.REGIONAL,
                        f"Regional course: {demo_library.TOPIC_NAMES['en'][topic]}, {host.airport.city}",
                        self.day(date(year, 1, 15), date(year, 12, 5)), rng.randint(4, 6), host, ro, [topic],
                        host=host.pk, beneficiaries=[u.pk for u in chosen],
                    )  # fmt: skip
                    if a:
                        for u in chosen:
                            self.staff(u, a, rng.randint(2, 3))
                        self.teach(a, 2)
                for _ in range(rng.randint(0, 2)):
                    visitor = rng.choice(live)
                    exchange = rng.random() < 0.5
                    others = [u for u in self.jaitfs if u != visitor and u not in europe]
                    host = rng.choice(others if exchange or not europe or rng.random() < 0.3 else europe)
                    a = self.act(
                        ActivityKind.EXCHANGE if exchange else ActivityKind.STUDY_VISIT, Level.REGIONAL,
                        (f"Exchange: {visitor.airport.city} officers at {host.airport.city}" if exchange
                         else f"Study visit to {host.airport.city}"),
                        self.day(date(year, 2, 1), date(year, 11, 20)), rng.randint(5, 12) if exchange else 5,
                        host, self.by_code[PCU].pk if rng.random() < 0.5 else ro, rng.sample(SPECIALISED, 2),
                        host=host.pk, beneficiaries=[visitor.pk],
                    )  # fmt: skip
                    if a:
                        self.staff(visitor, a, rng.randint(2, 4) if exchange else rng.randint(4, 7))

    def build(self) -> None:
        self.make_trainers()
        for unit in self.jaitfs:
            if self.region_of[unit.pk] not in self.partner:
                self.unit_life(unit)
        self.regional()
        self.acts = [a for a in self.acts if a.people]


def _names(plan: _Plan, rng: random.Random, now) -> tuple[list[Participant], list[Trainer]]:
    participants = []
    for unit_id, pool in sorted(plan.pools.items()):
        agencies = [a for a in plan.agencies.get(unit_id, ["customs"]) if a != "other"] or ["other"]
        for person in pool:
            family, men, women = TRAINEES.get(person.region, TRAINEES["wca"])
            sex = "F" if rng.random() < WOMEN_SHARE.get(person.region, 0.25) else "M"
            sex = "X" if rng.random() < 0.004 else sex
            given = rng.choice(women if sex == "F" else men if sex == "M" else men + women)
            surname = rng.choice(family)
            agency = rng.choices(
                agencies, weights=[3 if a in ("customs", "police") else 1 for a in agencies]
            )[0]
            title = rng.choice(HEAD_TITLES if rng.random() < 0.07 else JOB_TITLES.get(agency, ("Officer",)))
            person.row = Participant(
                family_name=surname, given_names=given, name_key=name_key(surname, given), sex=sex,
                unit_id=unit_id, agency=agency, job_title=title, created_at=now,
            )  # fmt: skip
            participants.append(person.row)
    countries = dict(Country.objects.filter(iso2__in=list(TRAINERS)).values_list("iso2", "pk"))
    trainers = []
    for t in plan.trainers:
        _w, orgs, family, men, women = TRAINERS[t.nationality]
        sex = "F" if rng.random() < 0.32 else "M"
        org = rng.choice(orgs)
        agency = "customs" if "ustoms" in org or "Revenue" in org else "police" if "olice" in org else ""
        t.row = Trainer(
            family_name=rng.choice(family), given_names=rng.choice(women if sex == "F" else men), sex=sex,
            agency=agency, organisation=org, nationality_id=countries[t.nationality],
            recorded_by_unit_id=plan.by_code[PCU].pk, created_at=now, updated_at=now,
        )  # fmt: skip
        trainers.append(t.row)
    return participants, trainers


def _write(plan: _Plan, rng: random.Random, written: list[Path]) -> dict:
    now = timezone.now()
    participants, trainers = _names(plan, rng, now)
    Participant.objects.bulk_create(participants, batch_size=BATCH)
    Trainer.objects.bulk_create(trainers, batch_size=BATCH)
    Trainer.expertise.through.objects.bulk_create(
        [
            Trainer.expertise.through(trainer_id=t.row.pk, topic_id=x)
            for t in plan.trainers
            for x in t.expertise
        ]
    )
    activities = [
        Activity(
            kind=a.kind, level=a.level, title=a.title, start_date=a.start, end_date=a.end, city=a.city,
            country_id=a.country, airport_id=a.airport, organising_unit_id=a.organiser, host_unit_id=a.host,
            language=LANGUAGE.get(a.country, "en"), notes=DEMO_NOTE, created_at=now, updated_at=now,
        )
        for a in plan.acts
    ]  # fmt: skip
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    through = (Activity.topics.through, Activity.beneficiary_units.through, Activity.trainers.through)
    rows: tuple[list, list, list] = ([], [], [])
    attendances = []
    for row, a in zip(activities, plan.acts, strict=True):
        rows[0].extend(through[0](activity_id=row.pk, topic_id=t) for t in dict.fromkeys(a.topics))
        rows[1].extend(through[1](activity_id=row.pk, unit_id=u) for u in dict.fromkeys(a.beneficiaries))
        rows[2].extend(through[2](activity_id=row.pk, trainer_id=t.row.pk) for t in a.trainers)
        attendances += [
            Attendance(activity_id=row.pk, participant_id=p.row.pk, added_at=now) for p in a.people
        ]
    for model, objs in zip(through, rows, strict=True):
        model.objects.bulk_create(objs, batch_size=BATCH)
    Attendance.objects.bulk_create(attendances, batch_size=BATCH)
    items = [
        Equipment(**spec, holding_unit_id=u.pk, created_at=now, updated_at=now)
        for n, u in enumerate(plan.jaitfs)
        if plan.region_of[u.pk] not in plan.partner
        for spec in equipment_for(rng, u, n, plan.end)
    ]
    Equipment.objects.bulk_create(items, batch_size=BATCH)
    return {
        "activities": len(activities),
        "participants": len(participants),
        "attendances": len(attendances),
        "trainers": len(trainers),
        "documents": demo_library.write(plan.by_code, now, written),
        "equipment": len(items),
    }


def generate(*, seed: int = 2026, end: date | None = None) -> dict:
    """Create the demo's capacity-building data up to ``end`` (default today). Returns the
    counts written, or {} when the demo data is there already or there is no task force."""
    if Activity.objects.filter(notes=DEMO_NOTE).exists():
        return {}
    rng = random.Random(seed)
    plan = _Plan(rng, end or timezone.localdate())
    if not plan.jaitfs or PCU not in plan.by_code:
        return {}
    plan.build()
    written: list[Path] = []
    try:
        with transaction.atomic():
            counts = _write(plan, rng, written)
            record(None, "capacity.demo_generated", data=counts, object_type="capacity.activity")
    except BaseException:
        uploads.remove(written)
        raise
    return counts
