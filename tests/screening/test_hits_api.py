"""/api/v1/hits through the real API: the queue of the destination's task force with its
filters, a hit outside one's queues answering 404, reading a hit as an audited read, and the
review (confirm, dismiss with a reason, the outcome) with its refusals: the field named, 409
for a second review, 403 for a role that does not review."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from aircop.accounts.services import create_user
from aircop.audit.models import AuditEntry
from aircop.core.tasks import run_queued
from aircop.messaging import services as messaging
from aircop.messaging.models import Recipient
from aircop.network.models import Unit
from aircop.network.services import add_member
from aircop.passengers import services as passengers
from aircop.screening import runner
from aircop.screening.importer import import_entries
from aircop.screening.models import Hit, HitStatus
from aircop.screening.services import create_watchlist

URL = "/api/v1/hits"
JSON = "application/json"
HEADER = (
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,scheduled_arrival,type,"
    "surname,given_names,sex,date_of_birth,nationality,residence_country,place_of_birth,document_type,"
    "document_number,document_issuing_country,document_expiry_date,embarkation,debarkation,"
    "booking_reference,seat,bag_tags\n"
)
ROWS = (
    "KP,0044,BOG,LFW,2026-11-20T10:00,2026-11-20T22:00,passenger,ABDULLAH,MUHAMMAD,M,1980-05-17,SDN,,,P,"
    "P1111111,SDN,2031-01-01,BOG,LFW,ABC123,12A,\n"
    "KP,0044,BOG,LFW,2026-11-20T10:00,2026-11-20T22:00,passenger,GONZALES,MARIA,F,1975-02-03,COL,,,P,"
    "P2222222,COL,2031-01-01,BOG,LFW,ABC124,12B,\n"
    "KP,0044,BOG,LFW,2026-11-20T10:00,2026-11-20T22:00,passenger,SMITH,JOHN,M,1970-01-01,GBR,,,P,"
    "P3333333,GBR,2031-01-01,BOG,LFW,ABC125,12C,\n"
)
WANTED = b"reference,names,date_of_birth,nationality,sex\nW-1,Mohammed Abdullah,1980-05-17,SDN,M\n"
INTEREST = b"reference,names,date_of_birth,nationality,sex\nI-1,Maria Gonzalez,1975,COL,F\n"


@pytest.fixture(autouse=True)
def fresh_indexes():
    runner.forget()
    yield
    runner.forget()


@pytest.fixture
def hits(db, user_named):
    """A wanted list and a list of persons of interest, owned by Dakar; a manifest Bogotá to
    Lomé: a high hit (W-1) and a medium one (I-1) in Lomé's queue."""
    owner = user_named("officer-dss")
    for name, kind, data in (("wanted-test", "wanted", WANTED), ("interest-test", "interest", INTEREST)):
        wl = create_watchlist(
            actor=owner, name=name, title=name.title(), kind=kind, source="test", owner="jaitf-dss"
        )
        assert import_entries(actor=owner, watchlist=wl, data=data, name="l.csv").ok
    report = passengers.ingest((HEADER + ROWS).encode(), name="kp44.csv", source="cli")
    assert report.ok, report.as_json()
    run_queued()
    return {h.entry_reference: h for h in Hit.objects.all()}


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type=JSON)


def test_the_queue_of_the_destinations_officer(api_as, hits):
    response = api_as("officer-lfw").get(URL)
    assert response.status_code == 200
    items = response.json()
    assert [i["id"] for i in items] == [hits["W-1"].pk, hits["I-1"].pk]  # most severe first
    first = items[0]
    assert first["severity"] == "high" and first["status"] == "open"
    assert first["score"] >= 0.8 and first["threshold"] == 0.8
    assert first["source"] == {"type": "watchlist", "name": "wanted-test", "title": "Wanted-Test"}
    assert first["flight"]["designator"] == "KP0044" and first["flight"]["departure_date"] == "2026-11-20"
    assert (first["flight"]["departure_airport"], first["flight"]["arrival_airport"]) == ("BOG", "LFW")
    traveller = first["traveller"]
    assert (traveller["surname"], traveller["given_names"], traveller["date_of_birth"]) == (
        "ABDULLAH",
        "MUHAMMAD",
        "1980-05-17",
    )
    assert (traveller["nationality"], traveller["sex"]) == ("SDN", "M")
    assert first["units"] == ["jaitf-lfw"]
    assert "explanation" not in first
    # Filters.
    client = api_as("officer-lfw")
    assert [i["id"] for i in client.get(URL, {"severity": "medium"}).json()] == [hits["I-1"].pk]
    assert len(client.get(URL, {"flight": hits["W-1"].flight_id}).json()) == 2
    assert client.get(URL, {"flight": hits["W-1"].flight_id + 1000}).json() == []
    assert client.get(URL, {"status": "confirmed"}).json() == []
    assert len(client.get(URL, {"status": "all"}).json()) == 2
    assert client.get(URL, {"status": "closed"}).status_code == 400
    assert client.get(URL, {"severity": "urgent"}).status_code == 400
    # The queue itself is not an audited read; reading one hit is.
    assert not AuditEntry.objects.filter(action="hit.read").exists()


def test_a_hit_outside_ones_queues_is_404(api_as, hits):
    hit = hits["W-1"]
    for name in ("officer-bog", "officer-dss", "admin", "analyst"):
        client = api_as(name)
        assert client.get(URL).json() == [], name
        assert client.get(f"{URL}/{hit.pk}").status_code == 404, name
        assert post(client, f"{URL}/{hit.pk}/confirm", {}).status_code == 404, name
        assert post(client, f"{URL}/{hit.pk}/dismiss", {"reason": "no"}).status_code == 404, name
        assert post(client, f"{URL}/{hit.pk}/outcome", {"result": "seized"}).status_code == 404, name
    assert api_as("officer-lfw").get(f"{URL}/999999").status_code == 404
    assert Hit.objects.get(pk=hit.pk).status == HitStatus.OPEN
    assert not AuditEntry.objects.filter(action="hit.read").exists()
    assert Client().get(URL).status_code == 401


def test_reading_a_hit_is_audited(api_as, hits):
    hit = hits["W-1"]
    response = api_as("officer-lfw").get(f"{URL}/{hit.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == hit.pk and data["entry_reference"] == "W-1" and data["rule_version"] is None
    assert any("date of birth: same" in r for r in data["explanation"])
    assert data["reviewed_by"] is None and data["alert"] is None and data["alert_outcomes"] == []
    assert data["outcome"] is None and data["review_note"] == ""
    entry = AuditEntry.objects.get(action="hit.read")
    assert entry.actor_username == "officer-lfw" and entry.object_id == str(hit.pk)
    assert entry.data == {"via": "api"} and entry.channel == "api"
    assert "ABDULLAH" not in json.dumps(entry.data)


def test_confirm_then_a_second_review_is_409(api_as, user_named, hits):
    hit = hits["W-1"]
    client = api_as("officer-lfw")
    response = post(client, f"{URL}/{hit.pk}/confirm", {"note": "same passport photo"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "confirmed" and data["reviewed_by"] == "officer-lfw"
    assert data["reviewed_unit"] == "jaitf-lfw" and data["review_note"] == "same passport photo"
    assert data["alert"] is not None
    assert {r.unit.code for r in Recipient.objects.filter(alert_id=data["alert"])} == {
        "jaitf-bog",
        "jaitf-dss",
    }
    assert AuditEntry.objects.filter(action="hit.confirmed", object_id=str(hit.pk)).count() == 1
    # A second review, by anyone of the queue, is a conflict.
    for path, body in (("confirm", {}), ("dismiss", {"reason": "changed my mind"})):
        for name in ("officer-lfw", "head-lfw"):
            refused = post(api_as(name), f"{URL}/{hit.pk}/{path}", body)
            assert refused.status_code == 409, (path, name)
            assert refused.json()["field"] == "status"
    assert AuditEntry.objects.filter(action="hit.dismissed").count() == 0
    # The other unit's outcome on the alert shows on the hit.
    alert = Hit.objects.get(pk=hit.pk).alert
    messaging.record_outcome(user=user_named("officer-bog"), alert=alert, result="not_on_board", note="")
    detail = client.get(f"{URL}/{hit.pk}").json()
    assert [(o["unit"], o["result"]) for o in detail["alert_outcomes"]] == [("jaitf-bog", "not_on_board")]


def test_dismissal_needs_a_reason(api_as, hits):
    hit = hits["I-1"]
    client = api_as("officer-lfw")
    for body in ({}, {"reason": "   "}):
        refused = post(client, f"{URL}/{hit.pk}/dismiss", body)
        assert refused.status_code == 400
        assert refused.json()["field"] == "reason" and refused.json()["detail"].startswith("reason: ")
    assert Hit.objects.get(pk=hit.pk).status == HitStatus.OPEN
    response = post(client, f"{URL}/{hit.pk}/dismiss", {"reason": "other date of birth on the passport"})
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed" and response.json()["alert"] is None
    assert response.json()["review_note"] == "other date of birth on the passport"
    entry = AuditEntry.objects.get(action="hit.dismissed")
    assert entry.data == {"unit": "jaitf-lfw"} and entry.channel == "api"
    assert client.get(URL).json()[0]["id"] == hits["W-1"].pk  # no longer in the open queue
    assert [i["id"] for i in client.get(URL, {"status": "dismissed"}).json()] == [hit.pk]


def test_the_outcome_of_a_confirmed_hit(api_as, hits):
    hit = hits["W-1"]
    client = api_as("officer-lfw")
    early = post(client, f"{URL}/{hit.pk}/outcome", {"result": "seized"})
    assert early.status_code == 409 and early.json()["field"] == "status"
    assert post(client, f"{URL}/{hit.pk}/confirm", {}).status_code == 200
    wrong = post(client, f"{URL}/{hit.pk}/outcome", {"result": "arrested"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "result"
    response = post(client, f"{URL}/{hit.pk}/outcome", {"result": "seized", "note": "2 kg cocaine"})
    assert response.status_code == 200
    outcome = response.json()["outcome"]
    assert (outcome["unit"], outcome["result"], outcome["note"]) == ("jaitf-lfw", "seized", "2 kg cocaine")
    # A correction is allowed and audited as such.
    assert post(client, f"{URL}/{hit.pk}/outcome", {"result": "negative"}).json()["outcome"]["result"] == (
        "negative"
    )
    assert [e.data["changed"] for e in AuditEntry.objects.filter(action="hit.outcome").order_by("seq")] == [
        False,
        True,
    ]


def test_a_role_that_does_not_review_is_refused_with_403(api_as, hits):
    analyst = create_user(actor=None, username="analyst-lfw", password=None, role="analyst")
    add_member(actor=None, user=analyst, unit=Unit.objects.get(code="jaitf-lfw"), agency="customs")
    hit = hits["W-1"]
    client = api_as("analyst-lfw")
    assert client.get(f"{URL}/{hit.pk}").status_code == 200  # the queue's unit sees it
    refused = post(client, f"{URL}/{hit.pk}/confirm", {})
    assert refused.status_code == 403 and refused.json()["field"] == "hit"
    assert Hit.objects.get(pk=hit.pk).status == HitStatus.OPEN


def test_a_traveller_removed_by_retention_is_null(api_as, hits):
    hit = hits["I-1"]
    Hit.objects.filter(pk=hit.pk).update(traveller=None, explanation=[])
    client = api_as("officer-lfw")
    item = next(i for i in client.get(URL).json() if i["id"] == hit.pk)
    assert item["traveller"] is None and item["flight"] is not None
    detail = client.get(f"{URL}/{hit.pk}").json()
    assert detail["traveller"] is None and detail["explanation"] == []
