"""Who sees what of an operation (docs/handling.md, "Joint operations"), on the pages: members
of participating units and of the coordinator unit see everything of it, programme
administrators and analysts the operation and its results, anyone else 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from aircop.core.visibility import registered_models, visible_to
from aircop.messaging import services as messaging
from aircop.operations import services
from aircop.operations.models import Operation, SituationReport
from tests.operations.conftest import alert_to, midnight

BASE = "/operations/cocaine-bridge/"
EVERYTHING = ["", "live/", "sitreps/", "missing/", "results/", "report.html"]
OVERSIGHT = ["", "missing/", "results/", "report.html"]


def test_operations_and_reports_have_a_policy():
    assert {Operation, SituationReport} <= set(registered_models())


@pytest.fixture
def busy(running, user_named):
    services.file_report(
        user=user_named("officer-lfw"), operation=running, day=timezone.now().date(), controls=3
    )
    alert = messaging.send_alert(sender=user_named("officer-bog"), **alert_to("cocaine-bridge"))
    return running, alert


@pytest.mark.parametrize("member", ["officer-bog", "head-lfw", "officer-lis", "coordinator-co"])
def test_members_see_everything_of_it(busy, client_for, member, user_named):
    running, alert = busy
    client = client_for(member)
    for path in EVERYTHING:
        assert client.get(BASE + path).status_code == 200, path
    assert visible_to(SituationReport, user_named(member)).filter(operation=running).count() == 1
    live = client.get(BASE + "live/").content.decode()
    assert 'id="feed" data-live="feed"' in live and f'data-alert="{alert.pk}"' in live


@pytest.mark.parametrize("overseer", ["admin", "analyst"])
def test_oversight_sees_the_operation_and_results_only(busy, client_for, user_named, overseer):
    running, alert = busy
    client = client_for(overseer)
    for path in OVERSIGHT:
        assert client.get(BASE + path).status_code == 200, path
    for path in ("live/", "sitreps/", "sitreps/file/"):
        assert client.get(BASE + path).status_code == 404, path
    assert not visible_to(SituationReport, user_named(overseer)).exists()
    page = client.get(BASE + "results/").content.decode()
    assert "DOE" not in page and "JANE" not in page


@pytest.mark.parametrize(
    "outsider", ["officer-bko", "head-dss", "coordinator-sn", "auditor", "liaison-gh", "airline-af"]
)
def test_another_unit_gets_404(busy, client_for, outsider):
    client = client_for(outsider)
    for path in [*EVERYTHING, "edit/", "sitreps/file/", "report.pdf"]:
        assert client.get(BASE + path).status_code == 404, path
    assert "cocaine-bridge" not in client.get("/operations/").content.decode()


def test_the_pages_of_a_member(busy, client_for):
    client = client_for("officer-bog")
    listing = client.get("/operations/").content.decode()
    assert 'data-operation="cocaine-bridge"' in listing and "New operation" not in listing
    detail = client.get(BASE).content.decode()
    assert 'id="send-to-operation"' in detail and 'data-unit="jaitf-lis"' in detail
    assert client.get(BASE + "edit/").status_code == 403


def test_creating_and_changing_through_the_pages(client_for):
    client = client_for("coordinator-co")
    assert "New operation" in client.get("/operations/").content.decode()
    data = {
        "name": "web-op",
        "title": "Web operation",
        "lead_organisation": "WCO",
        "starts_at": midnight(-20).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": midnight(-30).strftime("%Y-%m-%dT%H:%M"),
        "tlp": "amber",
        "units": ["jaitf-bog", "jaitf-lis"],
        "coordinator_unit": "hq-co",
        "routes": "GRU-LIS\nvia the Gulf",
    }
    refused = client.post("/operations/new/", data)
    assert refused.status_code == 200 and 'id="error-ends_at"' in refused.content.decode()
    data["ends_at"] = midnight(-10).strftime("%Y-%m-%dT%H:%M")
    assert client.post("/operations/new/", data).status_code == 302
    op = Operation.objects.get(name="web-op")
    assert op.routes == ["GRU-LIS", "via the Gulf"] and op.state() == "finished"
    data["title"] = "Web operation, renamed"
    assert client.post("/operations/web-op/edit/", data).status_code == 302
    op.refresh_from_db()
    assert op.title == "Web operation, renamed"
    assert client_for("officer-bog").get("/operations/new/").status_code == 403
