"""Ingestion end to end: a real file through the readers into the database, by the service,
the API upload (a background task), `aircop ingest FILE...`, the drop folder and the pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aircop.audit.models import AuditEntry
from aircop.core.tasks import run_queued
from aircop.passengers import services
from aircop.passengers.models import Flight, ReceivedMessage, Traveller

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "paxlst_d05b_two_legs.edi"
BROKEN = FIXTURES / "paxlst_broken_dob.edi"
CSV = FIXTURES / "manifest_good.csv"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def test_a_paxlst_file_is_stored_as_one_flight_with_two_legs(db):
    report = services.ingest(GOOD.read_bytes(), name=GOOD.name, source="cli")
    assert report.ok and [m.status for m in report.messages] == ["stored"]
    flight = Flight.objects.get()
    assert (flight.carrier, flight.number, flight.departure_airport, flight.arrival_airport) == (
        "AV",
        "0010",
        "BOG",
        "FCO",
    )
    assert [s.iata for s in flight.stops.all()] == ["BOG", "MAD", "FCO"]
    juan = Traveller.objects.get(surname="RESTREPO GOMEZ")
    assert juan.given_names == "JUAN CARLOS" and juan.nationality == "COL"
    assert sorted(d.type for d in juan.documents.all()) == ["P", "V"]
    assert Traveller.objects.get(surname="O'BRIEN").sex == ""  # U is unknown
    # The same file again is a duplicate: nothing new.
    again = services.ingest(GOOD.read_bytes(), name=GOOD.name, source="cli")
    assert [m.status for m in again.messages] == ["duplicate"] and Traveller.objects.count() == 3


def test_a_broken_message_does_not_stop_the_others_in_the_file(db):
    text = GOOD.read_text() + "\n" + BROKEN.read_text()
    report = services.ingest(text.encode(), name="two.edi", source="cli")
    # BROKEN holds two messages: the first is good, the second has a 13th month.
    assert [m.status for m in report.messages] == ["stored", "stored", "rejected"]
    error = report.messages[2].errors[0]
    assert error["tag"] == "DTM" and error["segment"] and error["element"] == 1
    assert not report.ok
    assert ReceivedMessage.objects.filter(status="rejected").get().errors == report.messages[2].errors
    assert Flight.objects.count() == 2  # nothing of the rejected message was stored
    assert Traveller.objects.filter(surname="TORRES").count() == 1


def test_cli_ingest_prints_outcomes_and_exit_codes(db, tmp_path, capsys):
    call_command("ingest", str(GOOD))
    assert "stored, 3 traveller(s)" in capsys.readouterr().out
    both = tmp_path / "both.edi"
    both.write_text(GOOD.read_text().replace("AV26031401", "AV26031402") + BROKEN.read_text())
    with pytest.raises(CommandError) as failed:
        call_command("ingest", str(both))
    assert failed.value.returncode == 1
    err = capsys.readouterr().err
    assert "REJECTED" in err and "DTM" in err
    with pytest.raises(CommandError) as missing:
        call_command("ingest", str(tmp_path / "absent.edi"))
    assert missing.value.returncode == 2


def test_the_drop_folder_moves_files_to_done_or_failed_with_a_reason(db, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "good.edi").write_bytes(GOOD.read_bytes())
    (drop / "broken.edi").write_bytes(BROKEN.read_bytes())
    (drop / "manifest.csv").write_bytes(CSV.read_bytes())
    (drop / ".partial.edi").write_text("UNH+1")  # still being written: left alone
    call_command("ingest", "watch", str(drop), "--once")
    assert sorted(p.name for p in (drop / "done").iterdir()) == ["good.edi", "manifest.csv"]
    assert sorted(p.name for p in (drop / "failed").iterdir()) == ["broken.edi", "broken.edi.reason.txt"]
    reason = (drop / "failed" / "broken.edi.reason.txt").read_text()
    assert "REJECTED" in reason and "DTM" in reason
    assert (drop / ".partial.edi").exists()
    assert ReceivedMessage.objects.filter(source="folder", status="stored").count() == 3


def test_api_upload_runs_in_the_background_and_the_flight_is_readable_by_its_units(client_for, media):
    airline = client_for("airline-af")
    response = airline.post(
        "/api/v1/passenger-data?name=av10.edi", data=GOOD.read_bytes(), content_type="application/edifact"
    )
    assert response.status_code == 202, response.content
    task = response.json()
    assert task["status"] == "queued"
    run_queued()
    status = airline.get(task["status_url"]).json()
    assert status["status"] == "done"
    assert status["result"]["messages"][0]["status"] == "stored"
    assert status["result"]["messages"][0]["travellers"] == 3
    # The airline sees its receipt, not the passengers.
    assert airline.get("/api/v1/flights").json() == []
    assert airline.get("/api/v1/passenger-data/messages").json()[0]["status"] == "stored"
    # Colombia's national headquarters sees the flight (it departs from Bogota) and reads it.
    hq = client_for("coordinator-co")
    flights = hq.get("/api/v1/flights?airport=BOG").json()
    assert [(f["carrier"], f["number"], f["travellers"]) for f in flights] == [("AV", "0010", 3)]
    manifest = hq.get(f"/api/v1/flights/{flights[0]['id']}").json()
    assert {p["surname"] for p in manifest["passengers"]} == {"RESTREPO GOMEZ", "MARTINEZ", "O'BRIEN"}
    assert AuditEntry.objects.filter(action="passengers.read", actor_username="coordinator-co").exists()
    # Another country's unit gets 404.
    assert client_for("officer-lfw").get(f"/api/v1/flights/{flights[0]['id']}").status_code == 404


def test_upload_refusals(client_for, media):
    assert (
        client_for("analyst")
        .post("/api/v1/passenger-data", data=b"UNH", content_type="text/plain")
        .status_code
        == 403
    )
    empty = client_for("airline-af").post("/api/v1/passenger-data", data=b"  ", content_type="text/plain")
    assert empty.status_code == 400 and "empty" in empty.json()["detail"]


def test_pages_list_the_days_flights_and_show_the_manifest(client_for, media):
    services.ingest(GOOD.read_bytes(), name=GOOD.name, source="cli")
    hq = client_for("coordinator-co")
    page = hq.get("/passengers/?airport=BOG&date=2026-03-14")
    assert page.status_code == 200
    assert b"AV 0010" in page.content and b"19:35" in page.content  # local time at Bogota
    flight = Flight.objects.get()
    detail = hq.get(f"/passengers/flights/{flight.pk}/")
    assert (
        detail.status_code == 200 and b"RESTREPO GOMEZ" in detail.content and b"AX1234567" in detail.content
    )
    assert client_for("officer-lfw").get(f"/passengers/flights/{flight.pk}/").status_code == 404
    assert b"None of your units" in client_for("analyst").get("/passengers/").content


def test_web_upload_with_progress(client_for, media):
    officer = client_for("officer-lfw")
    with CSV.open("rb") as fh:
        response = officer.post("/passengers/upload/", {"file": fh})
    assert response.status_code == 302
    run_queued()
    page = officer.get(response["Location"])
    assert page.status_code == 200 and b"Stored" in page.content
    status = json.loads(officer.get(response["Location"] + "status/").content)
    assert status["finished"] and status["percent"] == 100
