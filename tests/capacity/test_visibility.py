"""Need-to-know (docs/handling.md, "Capacity building"): activities and equipment for
programme staff and the units concerned, participants' names for programme staff, the
organising unit and their own unit, and 404 for everybody else, on the pages and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from aircop.capacity import selectors, services, services_equipment, services_people
from aircop.capacity.models import (
    Activity,
    Attendance,
    Document,
    DocumentReader,
    Equipment,
    Participant,
    Topic,
    Trainer,
)
from aircop.core.visibility import registered_models
from tests.capacity.conftest import activity_data, person


def test_every_capacity_model_has_a_policy():
    assert {Activity, Attendance, Participant, Trainer, Equipment, Document, DocumentReader, Topic} <= set(
        registered_models()
    )


@pytest.fixture
def shared(user_named):
    """Lomé's activity for itself and Accra, with one participant from each."""
    officer = user_named("officer-lfw")
    activity = services.create_activity(actor=officer, data=activity_data(beneficiary_units=["jaitf-acc"]))
    services_people.add_participant(actor=officer, activity=activity, data=person())
    services_people.add_participant(
        actor=officer,
        activity=activity,
        data=person(family_name="Owusu", given_names="Kwame", sex="M", unit="jaitf-acc"),
    )
    return activity


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("officer-lfw", True),
        ("officer-acc", True),  # a beneficiary unit
        ("analyst", True),
        ("auditor", True),  # a member of the programme unit
        ("officer-dss", False),
        ("coordinator-tg", False),
        ("liaison-gh", False),
        ("airline-af", False),
    ],
)
def test_who_sees_an_activity(shared, client_for, api_as, username, sees):
    page = client_for(username).get(f"/capacity/activities/{shared.pk}/")
    api = api_as(username).get(f"/api/v1/capacity/activities/{shared.pk}")
    listed = api_as(username).get("/api/v1/capacity/activities").json()
    if sees:
        assert page.status_code == 200 and api.status_code == 200
        assert shared.pk in [a["id"] for a in listed]
    else:
        assert page.status_code == 404 and api.status_code == 404
        assert shared.pk not in [a["id"] for a in listed]
        assert (
            api_as(username).get(f"/api/v1/capacity/activities/{shared.pk}/participants").status_code == 404
        )


def test_a_beneficiary_unit_sees_the_names_of_its_own_people_only(shared, client_for, api_as):
    rows = api_as("officer-acc").get(f"/api/v1/capacity/activities/{shared.pk}/participants").json()
    named = {r["family_name"] for r in rows}
    assert named == {"Owusu", None} and {r["sex"] for r in rows} == {"F", "M"}
    html = client_for("officer-acc").get(f"/capacity/activities/{shared.pk}/").content.decode()
    assert "Owusu" in html and "Mensah" not in html and "names-withheld" in html
    assert 'id="count-f">1<' in html and 'id="count-total">2<' in html
    organiser = client_for("officer-lfw").get(f"/capacity/activities/{shared.pk}/").content.decode()
    assert "Owusu" in organiser and "Mensah" in organiser and "names-withheld" not in organiser


def test_a_participants_page_follows_the_name_rule(shared, client_for, user_named):
    mensah = Participant.objects.get(family_name="Mensah")
    owusu = Participant.objects.get(family_name="Owusu")
    assert client_for("officer-acc").get(f"/capacity/participants/{mensah.pk}/").status_code == 404
    assert client_for("officer-acc").get(f"/capacity/participants/{owusu.pk}/").status_code == 200
    assert (
        client_for("officer-lfw").get(f"/capacity/participants/{owusu.pk}/").status_code == 200
    )  # organiser
    assert client_for("officer-dss").get(f"/capacity/participants/{owusu.pk}/").status_code == 404
    assert client_for("analyst").get(f"/capacity/participants/{mensah.pk}/").status_code == 200
    assert list(selectors.participants(user_named("officer-dss"))) == []


def test_reading_names_is_audited_without_names(shared, client_for):
    from aircop.audit.models import AuditEntry

    client_for("officer-acc").get(f"/capacity/activities/{shared.pk}/")
    entry = AuditEntry.objects.filter(action="activity.participants_read").latest("seq")
    assert entry.data == {"via": "page", "names": 1} and entry.actor.username == "officer-acc"


@pytest.fixture
def item(user_named):
    return services_equipment.create_equipment(
        actor=user_named("analyst"),
        data={"category": "xray", "description": "Parcel scanner", "provided_on": "2022-02-01",
              "holding_unit": "jaitf-lfw"},
    )  # fmt: skip


def test_equipment_is_seen_by_programme_staff_and_the_holding_unit(item, client_for, api_as):
    for username, status in (
        ("officer-lfw", 200),
        ("analyst", 200),
        ("officer-acc", 404),
        ("coordinator-tg", 404),
    ):
        assert api_as(username).get(f"/api/v1/capacity/equipment/{item.pk}").status_code == status, username
        assert client_for(username).get("/capacity/equipment/unit/jaitf-lfw/").status_code == status, username
        edit = client_for(username).get(f"/capacity/equipment/{item.pk}/edit/")
        assert edit.status_code == (200 if status == 200 else 404), username
    assert client_for("analyst").get("/capacity/equipment/unit/jaitf-none/").status_code == 404
    assert item.pk not in [e["id"] for e in api_as("officer-acc").get("/api/v1/capacity/equipment").json()]


def test_trainers_are_seen_by_the_organising_community_not_by_outsiders(trainer, api_as, client_for):
    assert api_as("officer-lfw").get(f"/api/v1/capacity/trainers/{trainer.pk}").status_code == 200
    assert client_for("coordinator-tg").get(f"/capacity/trainers/{trainer.pk}/").status_code == 200
    assert api_as("liaison-gh").get(f"/api/v1/capacity/trainers/{trainer.pk}").status_code == 404
    assert api_as("airline-af").get("/api/v1/capacity/trainers").json() == []


def test_the_api_needs_credentials():
    for path in ("/api/v1/capacity/activities", "/api/v1/capacity/trainers", "/api/v1/capacity/equipment",
                 "/api/v1/capacity/library"):  # fmt: skip
        assert Client().get(path).status_code == 401
