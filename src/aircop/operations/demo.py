"""Demo joint operations for `aircop demo` (docs/operations.md, "Demo").

- **Atlantic Bridge** (finished): a three-week cocaine-interdiction operation last spring, led
  by the customs community, across 15 airports of Latin America, West Africa and Europe, with
  the units' daily reports (a few days missed), the demo seizures of the participating units
  linked, and alerts to the operation with acknowledgements and outcomes.
- **Harmattan Shield** (running): West African airports, started four days ago, ten days to go;
  reports for the past days, and today only from some units; a few alerts still open.

Written directly (as seizures/demo.py does): the finished operation's alerts were sent while
it ran, which the services would refuse today. Every value goes through the same checks the
services make (kinds.clean for the alerts, the operation's local days for the reports). One
audit entry. Idempotent: nothing is added when either operation exists. Deterministic for a
seed and a day. Names of people are invented."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from aircop.accounts.models import User
from aircop.audit.services import record
from aircop.messaging import kinds, search
from aircop.messaging.models import Alert, AudienceEntry, Outcome, Priority, Recipient, Result, Scope, Tlp
from aircop.network.models import Membership, Unit
from aircop.operations import calendar
from aircop.operations.models import Operation, SituationReport
from aircop.seizures import figures
from aircop.seizures.codes import COUNTED_STATUSES
from aircop.seizures.models import Seizure

FINISHED = "atlantic-bridge"
RUNNING = "harmattan-shield"
FINISHED_AIRPORTS = ["BOG", "GRU", "LIM", "SDQ", "PTY", "VVI", "DSS", "LFW", "ACC", "LOS", "ABJ", "LIS", "MAD", "CDG", "BRU"]  # fmt: skip
RUNNING_AIRPORTS = ["DSS", "LFW", "ACC", "LOS", "ABV", "BKO", "OUA", "NIM", "COO", "ABJ"]
REMARKS = [
    "Joint profiling session with the airline's security team before the evening departures.",
    "Extra screening of checked baggage on the flights from the South American hubs.",
    "Two couriers referred for medical imaging; results negative.",
    "Canine team available all day; cargo sheds inspected in the afternoon.",
    "Quiet day: reduced schedule because of weather.",
    "Express courier parcels to Europe sampled with the trace detector.",
    "",
]
GIVEN = ["Carlos", "Ana", "Joao", "Luis", "Maria", "Kwame", "Aminata", "Chinedu", "Fatou", "Pedro"]
SURNAMES = ["Rojas", "Silva", "Mendes", "Okoro", "Diallo", "Mensah", "Torres", "Gomes", "Ndiaye", "Vargas"]


def _units(iatas: list[str]) -> list[Unit]:
    found = {
        u.airport.iata: u
        for u in Unit.objects.filter(code__in=[f"jaitf-{c.lower()}" for c in iatas]).select_related("airport")
    }
    return [found[c] for c in iatas if c in found]


def _officers(units: list[Unit]) -> dict[int, User]:
    out: dict[int, User] = {}
    for m in (
        Membership.objects.filter(unit__in=units)
        .select_related("user")
        .order_by("unit_id", "is_head", "user_id")
    ):
        out.setdefault(m.unit_id, m.user)
    return out


def _last_spring(today: date) -> int:
    return today.year if today >= date(today.year, 6, 1) else today.year - 1


def _operation(
    name, title, lead, start, end, units, coordinator_code, coordinators, **focus
) -> Operation | None:
    coordinator = Unit.objects.filter(code=coordinator_code).first()
    if coordinator is None or not units:
        return None
    now = timezone.now()
    operation = Operation.objects.create(
        name=name,
        title=title,
        lead_organisation=lead,
        starts_at=start,
        ends_at=end,
        coordinator_unit=coordinator,
        created_at=min(now, start - timedelta(days=20)),
        updated_at=min(now, start - timedelta(days=20)),
        **focus,
    )
    operation.units.set(units)
    operation.coordinators.set(User.objects.filter(username__in=coordinators))
    return operation


def _reports(
    rng: random.Random, operation: Operation, officers: dict, now: datetime, *, skip_today: set[int]
) -> int:
    """Reports for every due day of every unit, a few missed; today only where not skipped."""
    made = 0
    for unit in operation.units.select_related("airport"):
        officer = officers.get(unit.pk)
        if officer is None:
            continue
        tz = calendar.unit_tz(unit)
        today = calendar.local_today(tz, now)
        for day in calendar.expected_days(operation, unit, now):
            if (day == today and unit.pk in skip_today) or rng.random() < 0.07:
                continue
            start = datetime.combine(day, time.min, tzinfo=tz)
            filed = min(now, datetime.combine(day, time(21, rng.randrange(60)), tzinfo=tz))
            report = SituationReport.objects.create(
                operation=operation,
                unit=unit,
                day=day,
                controls=rng.randint(15, 140),
                passengers_checked=rng.randint(150, 2800),
                bags_checked=rng.randint(80, 1400),
                consignments_checked=rng.randint(0, 70),
                mail_checked=rng.randint(0, 180),
                remarks=rng.choice(REMARKS),
                filed_by=officer,
                filed_at=filed,
                updated_at=filed,
            )
            seized = Seizure.objects.filter(
                unit=unit, occurred_at__gte=start, occurred_at__lt=start + timedelta(days=1)
            )
            report.seizures.set(seized)
            made += 1
    return made


def _alerts(
    rng: random.Random, operation: Operation, officers: dict, n: int, now: datetime, *, open_share: float
) -> int:
    """``n`` passenger and baggage alerts to the operation, from participants to the unit at
    the route's destination; acknowledgements and outcomes, fewer for recent alerts."""
    audience = list({u.pk: u for u in [*operation.units.all(), operation.coordinator_unit]}.values())
    units = [u for u in operation.units.select_related("airport") if u.pk in officers]
    made = 0
    linked: list[Seizure] = []
    for _i in range(n):
        sender, target = rng.sample(units, 2)
        at = operation.starts_at + (min(now, operation.ends_at) - operation.starts_at) * rng.uniform(
            0.02, 0.97
        )
        origin = sender.airport.iata
        route = [origin, "ADD", target.airport.iata] if rng.random() < 0.4 else [origin, target.airport.iata]
        flight = f"{rng.choice(['ET', 'AT', 'TP', 'IB', 'AF', 'KP', 'AV'])}{rng.randint(10, 999)}"
        kind = rng.choice(["passenger", "passenger", "baggage"])
        details = {"flight": flight, "flight_date": at.date().isoformat(), "route": route}
        if kind == "passenger":
            details |= {
                "indicators": ["one-way ticket bought in cash", "short stay"],
                "sex": rng.choice("MF"),
            }
            nominal = {"surname": rng.choice(SURNAMES).upper(), "given_names": rng.choice(GIVEN).upper()}
            title = f"Suspected cocaine courier on {flight} to {target.airport.iata}"
        else:
            details |= {
                "bag_tag": f"0{rng.randint(100, 999)}{rng.randint(100000, 999999)}",
                "description": "heavy hard-shell suitcase",
            }
            nominal = {}
            title = f"Suspect checked bag on {flight} to {target.airport.iata}"
        details, nominal = kinds.clean(kind, details, nominal)
        alert = Alert.objects.create(
            kind=kind,
            priority=rng.choice([Priority.IMMEDIATE, Priority.IMMEDIATE, Priority.FLASH, Priority.ROUTINE]),
            tlp=operation.tlp,
            title=title,
            body="Synthetic demo alert (aircop demo).",
            sender=officers[sender.pk],
            sender_unit=sender,
            created_at=at,
            updated_at=at,
            destination=target.airport,
            details=details,
            nominal=nominal,
            operation=operation,
        )
        AudienceEntry.objects.create(alert=alert, scope=Scope.OPERATION, operation=operation)
        recent = rng.random() < open_share
        for unit in audience:
            if unit.pk == sender.pk:
                continue
            acked = unit.pk in officers and rng.random() < (0.5 if recent else 0.95)
            ack_at = min(now, at + timedelta(minutes=rng.randint(3, 240))) if acked else None
            Recipient.objects.create(
                alert=alert,
                unit=unit,
                via=Scope.OPERATION,
                acknowledged_at=ack_at,
                acknowledged_by=officers.get(unit.pk) if acked else None,
            )
            if acked and (unit.pk == target.pk or rng.random() < 0.1) and not (recent and rng.random() < 0.6):
                result = (
                    rng.choice(
                        [Result.SEIZED, Result.SEIZED, Result.NEGATIVE, Result.NOT_ON_BOARD, Result.MISSED]
                    )
                    if unit.pk == target.pk
                    else Result.NO_ACTION
                )
                seizure = _seizure_after(unit, at, operation) if result == Result.SEIZED else None
                Outcome.objects.create(
                    alert=alert,
                    unit=unit,
                    result=result,
                    seizure_reference=seizure.reference if seizure else "",
                    recorded_by=officers[unit.pk],
                    recorded_at=min(now, ack_at + timedelta(hours=rng.randint(1, 12))),
                )
                if seizure is not None:  # the outcome loop: the record is linked to the alert
                    seizure.alerts.add(alert)
                    linked.append(seizure)
        search.index_alert(alert, new=True)
        made += 1
    counted = [s for s in linked if s.status in COUNTED_STATUSES]
    if counted:
        figures.refresh(figures.cells_of(counted))  # the tip-off figures count linked records
    return made


def _seizure_after(unit: Unit, at: datetime, operation: Operation) -> Seizure | None:
    """A record of the unit's, within the window, from the alert's day on, not yet linked."""
    return (
        Seizure.objects.filter(
            unit=unit, occurred_at__gte=at - timedelta(hours=2), occurred_at__lt=operation.ends_at
        )
        .filter(alerts__isnull=True)
        .order_by("occurred_at")
        .first()
    )


@transaction.atomic
def generate(*, seed: int = 2026, now: datetime | None = None) -> dict:
    """Create the two demo operations; {} when they exist already (or the network is absent)."""
    if Operation.objects.filter(name__in=[FINISHED, RUNNING]).exists():
        return {}
    now = now or timezone.now()
    rng = random.Random(seed)
    year = _last_spring(now.date())
    finished_units = _units(FINISHED_AIRPORTS)
    running_units = _units(RUNNING_AIRPORTS)
    officers = _officers(finished_units + running_units)
    for code in ("hq-co", "hq-tg"):
        officers.update(_officers(list(Unit.objects.filter(code=code))))
    finished = _operation(
        FINISHED,
        f"Operation Atlantic Bridge {year}",
        "World Customs Organization",
        datetime(year, 4, 13, tzinfo=UTC),
        datetime(year, 5, 4, tzinfo=UTC),
        finished_units,
        "hq-co",
        ["coordinator-co"],
        commodities=["cocaine"],
        routes=[
            "BOG-ADD-LFW",
            "GRU-LOS",
            "GRU-LIS",
            "LIM-MAD",
            "SDQ-CDG",
            "ACC-BRU",
            "cocaine couriers through the Gulf hubs",
        ],
        threats=[
            "ingested cocaine (body packers)",
            "rip-on/rip-off in checked baggage",
            "express courier parcels",
        ],
        tlp=Tlp.AMBER,
        description="Synthetic demo operation (aircop demo): a yearly air-route cocaine interdiction exercise.",
    )
    start = datetime.combine(now.date() - timedelta(days=4), time.min, tzinfo=UTC)
    running = _operation(
        RUNNING,
        "Operation Harmattan Shield",
        "AIRCOP programme, West and Central Africa",
        start,
        start + timedelta(days=14),
        running_units,
        "hq-tg",
        ["coordinator-tg"],
        commodities=["methamphetamine", "tramadol", "falsified_antimalarials", "currency"],
        routes=["LOS-ADD", "ACC-DXB", "BKO-CMN", "cash couriers to the Gulf"],
        threats=["methamphetamine couriers to Asia", "falsified medicines in cargo", "undeclared cash"],
        tlp=Tlp.AMBER,
        description="Synthetic demo operation (aircop demo): heightened exchange across West African airports.",
    )
    if finished is None or running is None:
        transaction.set_rollback(True)
        return {}
    skip = {u.pk for u in running_units[::2]}  # half the units have not reported today
    reports = _reports(rng, finished, officers, now, skip_today=set())
    reports += _reports(rng, running, officers, now, skip_today=skip)
    alerts = _alerts(rng, finished, officers, 16, now, open_share=0.0)
    alerts += _alerts(rng, running, officers, 7, now, open_share=0.5)
    record(
        None,
        "operations.demo_generated",
        data={"operations": [FINISHED, RUNNING], "reports": reports, "alerts": alerts},
        object_type="operations.operation",
    )
    return {"operations": 2, "reports": reports, "alerts": alerts}
