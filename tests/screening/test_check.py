"""Checking one person or document on demand: the API, the web page, the MRZ, the audit."""

from __future__ import annotations

from datetime import date

import pytest

from aircop.audit.models import AuditEntry
from aircop.screening import mrz, runner
from aircop.screening.importer import import_entries
from aircop.screening.services import create_watchlist

LIST = """reference,names,date_of_birth,nationality,sex,document_number,document_country,reason
W-1,Youssef Haddad|يوسف حداد,1984-02-29,SYR,M,,,wanted
"""
DOCS = """reference,document_number,document_country,document_type,reason
L-1,N4412345,NGA,P,stolen blank
"""


@pytest.fixture(autouse=True)
def lists(db, user_named):
    runner.forget()
    owner = user_named("officer-dss")
    wanted = create_watchlist(
        actor=owner, name="wanted-check", title="Wanted", kind="wanted", source="t", owner="jaitf-dss"
    )
    assert import_entries(actor=owner, watchlist=wanted, data=LIST.encode(), name="w.csv").ok
    acc = user_named("officer-acc")
    docs = create_watchlist(
        actor=acc, name="sltd-check", title="Lost passports", kind="documents", source="t", owner="jaitf-acc"
    )
    assert import_entries(actor=acc, watchlist=docs, data=DOCS.encode(), name="d.csv").ok
    yield
    runner.forget()


def test_a_name_in_another_script_and_spelling_is_found_with_the_owner_to_call(api_as):
    response = api_as("officer-lfw").post(
        "/api/v1/screening/check",
        {"surname": "HADAD", "given_names": "YUSUF", "date_of_birth": "1984-02-29", "nationality": "SY"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lists"] == 2
    (match,) = body["matches"]
    assert (match["watchlist"], match["reference"], match["owner"]) == ("wanted-check", "W-1", "jaitf-dss")
    assert match["score"] >= match["threshold"]
    entry = AuditEntry.objects.filter(action="screening.checked").latest("seq")
    assert entry.data["matches"] == [["wanted-check", "W-1"]] and "HADAD" not in str(entry.data)


def test_a_passport_zone_is_verified_and_its_stolen_number_found(api_as):
    zone = mrz.make_td3(
        surname="OKAFOR",
        given_names="EMEKA",
        document_number="N4412345",
        nationality="NGA",
        date_of_birth=date(1990, 1, 2),
        sex="M",
        expiry_date=date(2030, 1, 1),
    )
    response = api_as("officer-lfw").post(
        "/api/v1/screening/check", {"mrz": zone}, content_type="application/json"
    )
    body = response.json()
    assert body["mrz"]["valid"] is True and body["searched"]["document_number"] == "N4412345"
    assert [(m["watchlist"], m["reference"]) for m in body["matches"]] == [("sltd-check", "L-1")]
    # One digit changed: the zone is reported wrong, the search still runs.
    lines = zone.split("\n")
    tampered = lines[0] + "\n" + lines[1][:9] + ("1" if lines[1][9] != "1" else "2") + lines[1][10:]
    body = (
        api_as("officer-lfw")
        .post("/api/v1/screening/check", {"mrz": tampered}, content_type="application/json")
        .json()
    )
    assert body["mrz"]["valid"] is False
    assert any(not c["ok"] and c["field"].startswith("document") for c in body["mrz"]["checks"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "surname"),
        ({"document_number": "X1"}, "document_country"),
        ({"surname": "A", "nationality": "ZZ"}, "nationality"),
        ({"mrz": "P<UTO"}, "mrz"),
        ({"surname": "A", "sex": "Q"}, "sex"),
    ],
)
def test_bad_input_names_the_field(api_as, payload, field):
    response = api_as("officer-lfw").post("/api/v1/screening/check", payload, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == field


def test_roles_without_a_counter_are_refused(api_as):
    response = api_as("analyst").post(
        "/api/v1/screening/check", {"surname": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_the_check_page(client_for):
    page = client_for("officer-lfw")
    assert page.get("/check/").status_code == 200
    response = page.post(
        "/check/", {"surname": "Haddad", "given_names": "Youssef", "date_of_birth": "1984-02-29"}
    )
    assert response.status_code == 200
    assert b"W-1" in response.content and b"jaitf-dss" not in response.content  # the unit's name is shown
    response = page.post("/check/", {"given_names": "Youssef"})
    assert b"give at least a surname" in response.content
