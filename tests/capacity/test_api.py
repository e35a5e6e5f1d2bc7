"""/api/v1/capacity: the happy paths of every endpoint, and refused input answered with
the field named."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from aircop.capacity.models import Attendance
from tests.capacity.conftest import activity_data, person
from tests.capacity.test_library import PDF


def post(client, path, data, method="post"):
    return getattr(client, method)(path, data=json.dumps(data), content_type="application/json")


def test_activities_create_list_read_update(api_as, trainer):
    client = api_as("officer-lfw")
    created = post(client, "/api/v1/capacity/activities", activity_data(trainers=[trainer.pk]))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["organising_unit"] == "jaitf-lfw" and body["airport"] == "LFW"
    assert body["trainers"] == [{"id": trainer.pk, "name": "Durand, Claire", "nationality": "FRA"}]
    assert body["sex_counts"] == {"F": 0, "M": 0, "X": 0, "total": 0}
    listed = client.get(
        "/api/v1/capacity/activities?kind=basic_training&topic=targeting&year=2024&country=TG"
    ).json()
    assert [a["id"] for a in listed] == [body["id"]]
    assert client.get("/api/v1/capacity/activities?year=2019").json() == []
    assert client.get("/api/v1/capacity/activities?kind=party").status_code == 400
    updated = post(client, f"/api/v1/capacity/activities/{body['id']}", {"title": "Renamed"}, method="put")
    assert updated.status_code == 200 and updated.json()["title"] == "Renamed"
    assert updated.json()["city"] == "Lomé"


def test_refused_input_names_each_field(api_as):
    response = post(
        api_as("officer-lfw"),
        "/api/v1/capacity/activities",
        activity_data(start_date="2024-03-08", end_date="2024-03-01", organising_unit="jaitf-nope"),
    )
    assert response.status_code == 400
    body = response.json()
    assert sorted(p["field"] for p in body["problems"]) == ["end_date", "organising_unit"]
    forbidden = post(api_as("officer-acc"), "/api/v1/capacity/activities", activity_data())
    assert forbidden.status_code == 403 and forbidden.json()["field"] == "organising_unit"


def test_participants_one_by_one_and_from_a_file(activity, api_as):
    client = api_as("officer-lfw")
    url = f"/api/v1/capacity/activities/{activity.pk}/participants"
    one = post(client, url, person())
    assert one.status_code == 201 and one.json()["family_name"] == "Mensah"
    twice = post(client, url, person())
    assert twice.status_code == 400 and twice.json()["field"] == "family_name"
    csv = "family_name,sex,unit,agency\nAgbeko,M,jaitf-lfw,police\n"
    imported = client.post(f"{url}/import", data=csv, content_type="text/csv")
    assert imported.status_code == 200 and imported.json()["added"] == 1
    bad = "family_name,sex,unit,agency\nAgbeko,M,jaitf-lfw,police\nDiallo,F,jaitf-zz,customs\n"
    refused = client.post(f"{url}/import", {"file": SimpleUploadedFile("list.csv", bad.encode())})
    assert refused.status_code == 422
    assert refused.json()["problems"] == [
        {"line": 2, "column": "family_name", "message": "already attends this activity"},
        {"line": 3, "column": "unit", "message": "no unit 'jaitf-zz' in the network"},
    ]
    checked = client.post(
        f"{url}/import?dry_run=true", {"file": SimpleUploadedFile("l.csv", b"participant\n")}
    )
    assert checked.status_code == 422
    rows = client.get(url).json()
    assert sorted(r["family_name"] for r in rows) == ["Agbeko", "Mensah"]
    assert Attendance.objects.filter(activity=activity).count() == 2
    empty = client.post(f"{url}/import", data="", content_type="text/csv")
    assert empty.status_code == 400 and empty.json()["field"] == "file"


def test_trainers(api_as):
    client = api_as("analyst")
    created = post(
        client,
        "/api/v1/capacity/trainers",
        {
            "family_name": "Moreno",
            "given_names": "Elena",
            "sex": "F",
            "nationality": "ES",
            "expertise": ["cargo"],
        },
    )
    assert created.status_code == 201 and created.json()["nationality"] == "ESP"
    trainer_id = created.json()["id"]
    assert [t["id"] for t in client.get("/api/v1/capacity/trainers?nationality=ESP").json()] == [trainer_id]
    changed = post(
        client, f"/api/v1/capacity/trainers/{trainer_id}", {"organisation": "Spanish Police"}, "put"
    )
    assert changed.status_code == 200 and changed.json()["organisation"] == "Spanish Police"
    assert client.get(f"/api/v1/capacity/trainers/{trainer_id}").json()["expertise"] == ["cargo"]
    bad = post(client, "/api/v1/capacity/trainers", {"family_name": "X", "sex": "F", "nationality": "Narnia"})
    assert bad.status_code == 400 and bad.json()["field"] == "nationality"


def test_equipment(api_as):
    client = api_as("analyst")
    data = {"category": "spectrometer", "description": "Handheld Raman spectrometer", "provided_on": "2024-01-15",
            "value": "42000", "currency": "EUR", "holding_unit": "jaitf-lfw", "serial_number": "RM-1"}  # fmt: skip
    created = post(client, "/api/v1/capacity/equipment", data)
    assert created.status_code == 201 and created.json()["value"] == "42000.00"
    missing = post(
        client, "/api/v1/capacity/equipment", {**data, "holding_unit": "jaitf-atlantis", "serial_number": ""}
    )
    assert missing.status_code == 400 and missing.json()["field"] == "holding_unit"
    item_id = created.json()["id"]
    holder = post(
        api_as("officer-lfw"), f"/api/v1/capacity/equipment/{item_id}", {"condition": "needs_repair"}, "put"
    )
    assert holder.status_code == 200 and holder.json()["condition"] == "needs_repair"
    listed = api_as("officer-lfw").get("/api/v1/capacity/equipment?category=spectrometer").json()
    assert [i["id"] for i in listed] == [item_id]


def test_library(api_as):
    client = api_as("analyst")
    created = client.post(
        "/api/v1/capacity/library",
        {
            "file": SimpleUploadedFile("cargo.pdf", PDF),
            "kind": "curriculum",
            "title": "Air cargo targeting course",
            "language": "fr",
            "topics": "cargo, targeting",
            "readers": "region",
            "targets": "wca",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["topics"] == ["cargo", "targeting"] and body["targets"] == ["wca"]
    officer = api_as("officer-lfw")
    assert [d["id"] for d in officer.get("/api/v1/capacity/library?q=cargo&language=fr").json()] == [
        body["id"]
    ]
    assert officer.get(body["url"]).status_code == 200
    assert api_as("officer-bog").get(f"/api/v1/capacity/library/{body['id']}").status_code == 404
    changed = post(client, f"/api/v1/capacity/library/{body['id']}", {"readers": "network"}, "put")
    assert changed.status_code == 200 and changed.json()["targets"] == []
    refused = officer.post(
        "/api/v1/capacity/library", {"file": SimpleUploadedFile("x.pdf", PDF), "title": "x"}
    )
    assert refused.status_code == 403


def test_the_openapi_document_lists_the_capacity_endpoints(api_as):
    paths = set(api_as("analyst").get("/api/v1/openapi.json").json()["paths"])
    assert {
        "/api/v1/capacity/activities",
        "/api/v1/capacity/activities/{activity_id}",
        "/api/v1/capacity/activities/{activity_id}/participants",
        "/api/v1/capacity/activities/{activity_id}/participants/import",
        "/api/v1/capacity/trainers",
        "/api/v1/capacity/trainers/{trainer_id}",
        "/api/v1/capacity/equipment",
        "/api/v1/capacity/equipment/{equipment_id}",
        "/api/v1/capacity/library",
        "/api/v1/capacity/library/{document_id}",
        "/api/v1/capacity/library/{document_id}/file",
    } <= paths
