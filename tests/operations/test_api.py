"""/api/v1/operations…: the happy paths, bad input naming the field, and 404 for another unit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.operations.conftest import midnight, operation_data

JSON = "application/json"


def body(**changes) -> dict:
    data = operation_data(**changes)
    for key in ("starts_at", "ends_at"):
        data[key] = data[key].isoformat()
    return data


def test_create_read_change_and_list(api_as):
    coordinator = api_as("coordinator-co")
    created = coordinator.post("/api/v1/operations", body(), content_type=JSON)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (
        data["name"] == "cocaine-bridge"
        and data["state"] == "running"
        and data["coordinator_unit"] == "hq-co"
    )
    assert data["routes"][1] == "BOG-ADD-LFW"
    changed = coordinator.patch(
        "/api/v1/operations/cocaine-bridge", {"title": "Renamed", "threats": ["cash"]}, content_type=JSON
    )
    assert (
        changed.status_code == 200
        and changed.json()["title"] == "Renamed"
        and changed.json()["threats"] == ["cash"]
    )
    officer = api_as("officer-lis")
    assert officer.get("/api/v1/operations/cocaine-bridge").json()["title"] == "Renamed"
    assert [o["name"] for o in officer.get("/api/v1/operations?state=running").json()] == ["cocaine-bridge"]
    assert officer.get("/api/v1/operations?state=finished").json() == []
    refused = officer.patch("/api/v1/operations/cocaine-bridge", {"title": "Mine"}, content_type=JSON)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("user", "changes", "status", "field"),
    [
        ("officer-bog", {}, 403, "operation"),
        ("coordinator-co", {"ends_at": midnight(-5)}, 400, "ends_at"),
        ("coordinator-co", {"units": ["jaitf-bog", "nope"]}, 400, "units[1]"),
        ("coordinator-co", {"tlp": "red"}, 400, "tlp"),
    ],
)
def test_refused_creations_name_the_field(api_as, user, changes, status, field):
    response = api_as(user).post("/api/v1/operations", body(**changes), content_type=JSON)
    assert response.status_code == status and response.json()["detail"].startswith(f"{field}: ")


def test_situation_reports_missing_reports_and_results(running, api_as):
    lfw = api_as("officer-lfw")
    today = timezone.now().date()
    first = lfw.post(
        "/api/v1/operations/cocaine-bridge/sitreps",
        {"day": today.isoformat(), "controls": 12, "passengers_checked": 300},
        content_type=JSON,
    )
    assert first.status_code == 201, first.content
    assert first.json()["unit"] == "jaitf-lfw" and first.json()["controls"] == 12
    again = lfw.put(
        f"/api/v1/operations/cocaine-bridge/sitreps/jaitf-lfw/{today.isoformat()}",
        {"controls": 13},
        content_type=JSON,
    )
    assert (
        again.status_code == 200
        and again.json()["controls"] == 13
        and again.json()["passengers_checked"] == 0
    )
    yesterday = (today - timedelta(days=1)).isoformat()
    created = lfw.put(
        f"/api/v1/operations/cocaine-bridge/sitreps/jaitf-lfw/{yesterday}", {}, content_type=JSON
    )
    assert created.status_code == 201
    bad = lfw.post(
        "/api/v1/operations/cocaine-bridge/sitreps", {"day": yesterday, "mail_checked": -1}, content_type=JSON
    )
    assert bad.status_code == 400 and bad.json()["detail"].startswith("mail_checked: ")
    future = lfw.put(
        f"/api/v1/operations/cocaine-bridge/sitreps/jaitf-lfw/{(today + timedelta(days=2)).isoformat()}",
        {},
        content_type=JSON,
    )
    assert future.status_code == 400 and future.json()["detail"].startswith("day: ")
    other = lfw.put(f"/api/v1/operations/cocaine-bridge/sitreps/jaitf-bog/{yesterday}", {}, content_type=JSON)
    assert other.status_code == 403
    listed = api_as("coordinator-co").get(f"/api/v1/operations/cocaine-bridge/sitreps?day={yesterday}").json()
    assert [(r["unit"], r["day"]) for r in listed] == [("jaitf-lfw", yesterday)]
    missing = api_as("coordinator-co").get(
        f"/api/v1/operations/cocaine-bridge/missing-reports?day={yesterday}"
    )
    assert missing.status_code == 200
    assert [u["code"] for u in missing.json()["reported"]] == ["jaitf-lfw"]
    assert sorted(u["code"] for u in missing.json()["missing"]) == ["jaitf-bog", "jaitf-gru", "jaitf-lis"]
    assert (
        api_as("coordinator-co").get("/api/v1/operations/cocaine-bridge/missing-reports?day=x").status_code
        == 400
    )
    figures = api_as("analyst").get("/api/v1/operations/cocaine-bridge/results")
    assert figures.status_code == 200
    assert figures.json()["reports"] == 2 and figures.json()["totals"]["controls"] == 13


OUTSIDERS = ["officer-bko", "head-dss", "coordinator-sn", "auditor", "liaison-gh", "airline-af"]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_another_unit_gets_404_everywhere(running, api_as, outsider):
    api = api_as(outsider)
    base = "/api/v1/operations/cocaine-bridge"
    assert "cocaine-bridge" not in [o["name"] for o in api.get("/api/v1/operations").json()]
    for path in ("", "/sitreps", "/missing-reports", "/results"):
        assert api.get(base + path).status_code == 404, path
    assert api.patch(base, {"title": "x"}, content_type=JSON).status_code == 404
    day = timezone.now().date().isoformat()
    assert api.post(base + "/sitreps", {"day": day}, content_type=JSON).status_code == 404
    assert api.put(f"{base}/sitreps/jaitf-bko/{day}", {}, content_type=JSON).status_code == 404


@pytest.mark.parametrize("overseer", ["admin", "analyst"])
def test_oversight_reads_the_operation_and_results_but_not_the_reports(running, api_as, overseer):
    api = api_as(overseer)
    assert api.get("/api/v1/operations/cocaine-bridge").status_code == 200
    assert api.get("/api/v1/operations/cocaine-bridge/results").status_code == 200
    assert api.get("/api/v1/operations/cocaine-bridge/sitreps").status_code == 404
