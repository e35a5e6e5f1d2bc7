"""The rules the database itself keeps, whatever writes the rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from aircop.capacity.models import (
    Activity,
    Attendance,
    DocumentReader,
    Equipment,
    Participant,
    Topic,
    Trainer,
)
from aircop.network.models import Country, Region, Unit


def _activity(**overrides) -> Activity:
    now = timezone.now()
    fields = {
        "kind": "basic_training",
        "level": "national",
        "title": "Basic training",
        "start_date": date(2024, 3, 4),
        "end_date": date(2024, 3, 8),
        "city": "Lomé",
        "country_id": "TG",
        "organising_unit": Unit.objects.get(code="jaitf-lfw"),
        "language": "fr",
        "created_at": now,
        "updated_at": now,
    }
    fields.update(overrides)
    return Activity(**fields)


def _refused(obj) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_topics_are_seeded_by_the_migration(db):
    assert set(Topic.objects.values_list("code", flat=True)) == {
        "targeting", "intelligence", "behavioural_analysis", "inspection", "document_fraud",
        "forensics", "cargo", "mail", "ethics", "human_rights",
    }  # fmt: skip


def test_an_activity_cannot_end_before_it_starts(db):
    _refused(_activity(start_date=date(2024, 3, 8), end_date=date(2024, 3, 4)))
    _activity(start_date=date(2024, 3, 8), end_date=date(2024, 3, 8)).save()  # one day is fine


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "party"},
        {"level": "global"},
        {"language": "de"},
        {"title": ""},
        {"city": ""},
        {"kind": "exchange"},
    ],
)
def test_activity_codes_and_the_exchange_host_are_constrained(db, overrides):
    _refused(_activity(**overrides))


def test_a_participant_attends_an_activity_once(db):
    activity = _activity()
    activity.save()
    person = Participant.objects.create(
        family_name="Mensah", name_key="mensah|afi", sex="F", unit=Unit.objects.get(code="jaitf-lfw"),
        agency="customs", created_at=timezone.now(),
    )  # fmt: skip
    Attendance.objects.create(activity=activity, participant=person, added_at=timezone.now())
    _refused(Attendance(activity=activity, participant=person, added_at=timezone.now()))


@pytest.mark.parametrize("overrides", [{"sex": "W"}, {"agency": "army"}, {"family_name": ""}])
def test_participant_codes_are_constrained(db, overrides):
    fields = {
        "family_name": "A",
        "name_key": "a|",
        "sex": "M",
        "agency": "police",
        "created_at": timezone.now(),
    }
    _refused(Participant(unit=Unit.objects.get(code="jaitf-lfw"), **{**fields, **overrides}))


def test_trainer_codes_are_constrained(db):
    now = timezone.now()
    _refused(Trainer(family_name="A", sex="Q", nationality_id="FR", created_at=now, updated_at=now))
    _refused(
        Trainer(family_name="A", sex="F", agency="navy", nationality_id="FR", created_at=now, updated_at=now)
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"value": 100, "currency": ""},
        {"value": None, "currency": "USD"},
        {"value": -5, "currency": "USD"},
        {"value": 5, "currency": "usd"},
        {"category": "tank"},
        {"condition": "broken"},
        {"description": ""},
    ],
)
def test_equipment_values_carry_a_currency_and_codes_are_known(db, overrides):
    now = timezone.now()
    fields = {
        "category": "xray", "description": "Scanner", "provided_on": date(2020, 1, 1), "value": 10,
        "currency": "USD", "condition": "good", "created_at": now, "updated_at": now,
    }  # fmt: skip
    _refused(Equipment(holding_unit=Unit.objects.get(code="jaitf-lfw"), **{**fields, **overrides}))


def test_a_serial_number_is_unique_within_its_category(db):
    now = timezone.now()
    unit = Unit.objects.get(code="jaitf-lfw")
    fields = {"description": "Scanner", "provided_on": date(2020, 1, 1), "created_at": now, "updated_at": now}
    Equipment.objects.create(category="xray", serial_number="S1", holding_unit=unit, **fields)
    Equipment.objects.create(category="photographic", serial_number="S1", holding_unit=unit, **fields)
    Equipment.objects.create(category="xray", serial_number="", holding_unit=unit, **fields)
    Equipment.objects.create(category="xray", serial_number="", holding_unit=unit, **fields)
    _refused(Equipment(category="xray", serial_number="S1", holding_unit=unit, **fields))


def test_a_document_reader_names_exactly_one_target(db):
    from tests.capacity.test_library import make_document

    document = make_document()
    region, country = Region.objects.get(code="wca"), Country.objects.get(iso2="SN")
    _refused(DocumentReader(document=document))
    _refused(DocumentReader(document=document, region=region, country=country))
    DocumentReader.objects.create(document=document, region=region)
    _refused(DocumentReader(document=document, region=region))
