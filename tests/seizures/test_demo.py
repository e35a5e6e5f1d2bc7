"""The synthetic seizures of `aircop demo`: count, code lists, routes, idempotency,
determinism, dates, and records that validation.clean accepts as they are."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from aircop.audit.models import AuditEntry
from aircop.network import reference
from aircop.network.models import Airport, Unit, UnitKind
from aircop.seizures import codes, demo, validation
from aircop.seizures.models import Seizure, SeizureItem, SeizurePerson

END = date(2026, 3, 31)


@pytest.fixture
def generated(db):
    assert demo.generate(count=300, seed=1, end=END) == 300
    return list(
        Seizure.objects.filter(notes=demo.DEMO_NOTE)
        .select_related("airport", "unit", "origin", "destination")
        .prefetch_related("items", "persons")
        .order_by("id")
    )


def _signature(seizures):
    return [
        (
            s.occurred_at,
            s.airport.iata,
            s.route_key,
            s.flow,
            s.concealment,
            s.detection,
            s.tlp,
            s.status,
            s.flight,
            [(i.subtype, i.quantity, i.unit, i.currency) for i in s.items.all()],
            [(p.role, p.nationality_id, p.sex, p.age_band, p.nominal) for p in s.persons.all()],
        )
        for s in seizures
    ]


def _as_input(s: Seizure) -> dict:
    """The record back as the input dict that the API, the form and the import accept."""
    return {
        "occurred_at": s.occurred_at.isoformat(),
        "airport": s.airport.iata,
        "unit": s.unit.code,
        "reporting_agency": s.reporting_agency,
        "flow": s.flow,
        "phase": s.phase,
        "direction": s.direction,
        "flight": s.flight,
        "origin": s.origin.iata if s.origin else "",
        "transit": s.transit,
        "destination": s.destination.iata if s.destination else "",
        "goods_origin_country": s.goods_origin_country_id or "",
        "concealment": s.concealment,
        "detection": s.detection,
        "tlp": s.tlp,
        "notes": s.notes,
        "items": [
            {
                "category": i.category,
                "subtype": i.subtype,
                "drug_form": i.drug_form,
                "quantity": str(i.quantity),
                "unit": i.unit,
                "currency": i.currency,
                "estimated_value": "" if i.estimated_value is None else str(i.estimated_value),
                "value_currency": i.value_currency,
                "description": i.description,
            }
            for i in s.items.all()
        ],
        "persons": [
            {
                "role": p.role,
                "nationality": p.nationality_id or "",
                "sex": p.sex,
                "age_band": p.age_band,
                "nominal": p.nominal,
            }
            for p in s.persons.all()
        ],
    }


def test_generates_the_requested_count_across_categories(generated):
    assert len(generated) == 300
    categories = Counter(i.category for s in generated for i in s.items.all())
    for category in ("drugs", "wildlife", "medicines", "currency"):
        assert categories[category] > 0, categories
    subtypes = Counter(i.subtype for s in generated for i in s.items.all())
    assert subtypes.most_common(1)[0][0] == "cocaine"
    assert {"pangolin_scales", "tramadol", "banknotes"} <= set(subtypes)


def test_one_audit_entry_for_the_whole_run(db):
    before = AuditEntry.objects.filter(action="seizures.demo_generated").count()
    demo.generate(count=40, seed=3, end=END)
    entries = list(AuditEntry.objects.filter(action="seizures.demo_generated").order_by("seq"))
    assert len(entries) == before + 1 and entries[-1].data == {"count": 40}
    assert not AuditEntry.objects.filter(action="seizure.created").exists()


def test_every_record_passes_the_model_checks(generated):
    for n, s in enumerate(generated):
        full = n % 3 == 0  # full_clean checks every foreign key with a query: a third is enough
        if full:
            s.full_clean()
        for item in s.items.all():
            if full:
                item.full_clean()
            assert item.occurred_at == s.occurred_at
            assert (item.country_id, item.region_id, item.airport_id) == (
                s.country_id,
                s.region_id,
                s.airport_id,
            )
            assert item.mass_kg == codes.mass_kg(item.quantity, item.unit)
            assert item.count == (int(item.quantity) if item.unit in codes.COUNT_UNITS else None)
            assert codes.SUBTYPE_CATEGORY[item.subtype] == item.category
            assert (item.unit == "currency") == bool(item.currency)
        for person in s.persons.all():
            if full:
                person.full_clean()
            assert person.sex in codes.Sex.values and person.age_band in codes.AgeBand.values
        assert s.country_id == s.airport.country_id
        assert s.region_id == s.airport.country.region_id
        assert s.detection != "international_alert" and s.triggering_alert_id is None
        assert s.items.all() or any(p.role == "high_risk" for p in s.persons.all())
        if s.status == "validated":
            assert s.validated_at and s.submitted_at and s.validated_by_id
        if s.status == "draft":
            assert s.submitted_at is None and s.validated_at is None


def test_seized_at_demo_task_forces_on_routes_through_real_airports(generated):
    task_forces = dict(Unit.objects.filter(kind=UnitKind.JAITF).values_list("airport__iata", "pk"))
    known = set(Airport.objects.values_list("iata", flat=True))
    for s in generated:
        route = s.route_key.split(">")
        assert route == [s.origin.iata, *s.transit, s.destination.iata]
        assert len(route) == len(set(route)) >= 2
        assert set(route) <= known
        assert all(reference.airport_record(code) for code in route)
        assert s.airport.iata in task_forces and s.unit_id == task_forces[s.airport.iata]
        position = route.index(s.airport.iata)
        expected = "outbound" if position == 0 else "inbound" if position == len(route) - 1 else "transit"
        assert s.direction == expected, s.route_key


def test_flow_concealment_and_detection_agree(generated):
    for s in generated:
        if s.concealment == "inside_body":
            assert s.flow == "passenger_body"
            assert {i.subtype for i in s.items.all()} <= {"cocaine", "heroin", "methamphetamine"}
        if s.flow == "cargo":
            assert s.concealment in {"cargo_consignment", "inside_goods", "food", "uld"}
        if s.flow == "mail":
            assert s.concealment == "mail_item"
    flows = Counter(s.flow for s in generated)
    assert flows["passenger_body"] and flows["checked_baggage"] and flows["cargo"]


def test_high_risk_passengers_without_items(generated):
    high_risk = [s for s in generated if any(p.role == "high_risk" for p in s.persons.all())]
    assert high_risk
    for s in high_risk:
        assert not s.items.all()
        assert s.concealment == "none" and s.flow == "passenger_body"


def test_plausible_mix_of_people_status_and_handling(generated):
    persons = [p for s in generated for p in s.persons.all()]
    sexes = Counter(p.sex for p in persons)
    assert 0.7 < sexes["M"] / len(persons) < 0.9
    named = sum(1 for p in persons if p.nominal)
    assert 0.35 < named / len(persons) < 0.7
    assert all(set(p.nominal) <= set(validation.NOMINAL_FIELDS) for p in persons)
    status = Counter(s.status for s in generated)
    assert status["validated"] > len(generated) / 2 and status["submitted"] > 0
    tlp = Counter(s.tlp for s in generated)
    assert tlp["amber"] > len(generated) / 2 and tlp["green"] > 0 and tlp["red"] > 0


def test_a_second_run_adds_nothing(generated):
    counts = (Seizure.objects.count(), SeizureItem.objects.count(), SeizurePerson.objects.count())
    audit = AuditEntry.objects.count()
    assert demo.generate(count=300, seed=1, end=END) == 0
    assert demo.generate(count=50, seed=2) == 0
    assert (Seizure.objects.count(), SeizureItem.objects.count(), SeizurePerson.objects.count()) == counts
    assert AuditEntry.objects.count() == audit


def test_deterministic_for_a_seed(generated):
    first = _signature(generated)
    Seizure.objects.filter(notes=demo.DEMO_NOTE).delete()
    demo.generate(count=300, seed=1, end=END)
    again = Seizure.objects.filter(notes=demo.DEMO_NOTE).prefetch_related("items", "persons").order_by("id")
    assert _signature(again.select_related("airport")) == first
    Seizure.objects.filter(notes=demo.DEMO_NOTE).delete()
    demo.generate(count=300, seed=2, end=END)
    other = Seizure.objects.filter(notes=demo.DEMO_NOTE).prefetch_related("items", "persons").order_by("id")
    assert _signature(other.select_related("airport")) != first


def test_dates_cover_two_years_up_to_the_end_date(db):
    today = timezone.localdate()
    assert demo.generate(count=200, seed=5) == 200
    now = timezone.now()
    days = []
    for s in Seizure.objects.filter(notes=demo.DEMO_NOTE).select_related("airport"):
        assert s.occurred_at <= now
        assert s.occurred_at <= s.created_at <= now
        local = s.occurred_at.astimezone(ZoneInfo(s.airport.tz)).date()
        assert today - timedelta(days=730) <= local <= today
        days.append(local)
    assert min(days) < today - timedelta(days=600) and max(days) > today - timedelta(days=60)


def test_validation_accepts_the_generated_records(generated):
    refs = validation.References()
    for s in generated:
        clean, problems = validation.clean(_as_input(s), refs)
        assert not problems, (s.route_key, [str(p) for p in problems])
        assert clean.route_key == s.route_key
        assert clean.occurred_at == s.occurred_at
        assert [i["mass_kg"] for i in clean.items] == [i.mass_kg for i in s.items.all()]
        assert [i["count"] for i in clean.items] == [i.count for i in s.items.all()]


def test_quantities_are_plausible(generated):
    cocaine = [i for s in generated for i in s.items.all() if i.subtype == "cocaine"]
    body = [i.mass_kg for i in cocaine if i.seizure.flow == "passenger_body"]
    assert body and max(body) <= Decimal("2")
    typical = sorted(i.mass_kg for i in cocaine)[len(cocaine) // 2]
    assert Decimal("0.5") <= typical <= Decimal("6")


def test_demo_command_generates_once(db, capsys):
    call_command("demo", "--no-seizures")
    assert not Seizure.objects.filter(notes=demo.DEMO_NOTE).exists()
    call_command("demo", "--seizures", "60")
    assert "demo seizures generated: 60" in capsys.readouterr().out
    call_command("demo", "--seizures", "60")
    assert "nothing added" in capsys.readouterr().out
    assert Seizure.objects.filter(notes=demo.DEMO_NOTE).count() == 60


def test_every_corridor_is_real_and_passes_a_demo_task_force(db):
    task_forces = set(Unit.objects.filter(kind=UnitKind.JAITF).values_list("airport__iata", flat=True))
    for corridor in demo.CORRIDORS:
        assert all(reference.airport_record(code) for code in corridor.airports), corridor.name
        assert corridor.airports & task_forces, corridor.name
        for good, _weight in (*corridor.goods, *corridor.extra):
            assert codes.SUBTYPE_CATEGORY[good.subtype] == good.category
            assert good.unit in codes.QuantityUnit.values and good.form in ("", *codes.DrugForm.values)
