"""An outcome "intercepted with seizure" that names a record of the seizure register links the
alert to it, so that the sending unit sees what came of its alert (the tip-off loop)."""

from __future__ import annotations

import copy

from aircop.audit.models import AuditEntry
from aircop.messaging.models import Outcome
from aircop.seizures.models import Seizure
from tests.messaging.conftest import PASSENGER

SEIZURE = {
    "occurred_at": "2026-03-14T08:30",
    "airport": "LFW",
    "flow": "passenger_body",
    "phase": "arrival",
    "direction": "inbound",
    "flight": "ET908",
    "origin": "GRU",
    "transit": "ADD",
    "destination": "LFW",
    "concealment": "inside_body",
    "detection": "intelligence",
    "tlp": "amber",
    "items": [{"category": "drugs", "subtype": "cocaine", "quantity": "1.2", "unit": "kg"}],
    "persons": [{"role": "courier", "nationality": "BRA", "nominal": {"surname": "DOE"}}],
}


def send_alert(api) -> int:
    response = api.post("/api/v1/alerts", copy.deepcopy(PASSENGER), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def record_seizure(api, **changes) -> int:
    body = {**copy.deepcopy(SEIZURE), "submit": True, **changes}
    response = api.post("/api/v1/seizures", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def report(api, alert_id, reference, result="seized"):
    return api.post(
        f"/api/v1/alerts/{alert_id}/outcome",
        {"result": result, "note": "1.2 kg swallowed", "seizure_reference": reference},
        content_type="application/json",
    )


def test_outcome_with_a_register_reference_shows_the_seizure_to_the_sender(api_as):
    alert_id = send_alert(api_as("officer-gru"))
    lfw = api_as("officer-lfw")
    seizure_id = record_seizure(lfw)
    sender = api_as("officer-gru")
    assert sender.get(f"/api/v1/seizures/{seizure_id}").status_code == 404  # not before the link

    out = report(lfw, alert_id, f"sz-{seizure_id}")
    assert out.status_code == 200, out.content
    assert out.json()["seizure_reference"] == f"SZ-{seizure_id}"  # normalised

    seen = sender.get(f"/api/v1/seizures/{seizure_id}")
    assert seen.status_code == 200
    record = seen.json()
    assert [(a["id"], a["sender_unit"]) for a in record["alerts"]] == [(alert_id, "jaitf-gru")]
    assert record["persons"][0]["nominal"] == {"surname": "DOE"}  # the tip-off loop sees names
    assert seizure_id in [s["id"] for s in sender.get("/api/v1/seizures", {"airport": "LFW"}).json()]
    # Another unit of the sender's side that sent nothing still sees nothing.
    assert api_as("officer-acc").get(f"/api/v1/seizures/{seizure_id}").status_code == 404
    assert AuditEntry.objects.filter(
        action="seizure.linked", object_id=str(seizure_id), data={"alert": alert_id}
    ).exists()
    assert Seizure.objects.get(pk=seizure_id).alerts.filter(pk=alert_id).exists()


def test_a_bare_number_names_a_record_too(api_as):
    alert_id = send_alert(api_as("officer-gru"))
    lfw = api_as("officer-lfw")
    seizure_id = record_seizure(lfw)
    out = report(lfw, alert_id, str(seizure_id))
    assert out.status_code == 200 and out.json()["seizure_reference"] == f"SZ-{seizure_id}"
    assert api_as("head-gru").get(f"/api/v1/seizures/{seizure_id}").status_code == 200


def test_a_reference_to_a_record_one_cannot_see_is_refused_and_nothing_is_written(api_as):
    alert_id = send_alert(api_as("officer-gru"))
    other_units_draft = api_as("officer-acc").post(
        "/api/v1/seizures", {**copy.deepcopy(SEIZURE), "airport": "ACC"}, content_type="application/json"
    )
    assert other_units_draft.status_code == 201
    lfw = api_as("officer-lfw")
    for reference in (f"SZ-{other_units_draft.json()['id']}", "SZ-999999999", "999999999"):
        refused = report(lfw, alert_id, reference)
        assert refused.status_code == 400, reference
        assert refused.json()["detail"].startswith("seizure_reference: ")
    assert not Outcome.objects.filter(alert_id=alert_id).exists()


def test_a_visible_record_of_another_unit_cannot_be_claimed(api_as):
    alert_id = send_alert(api_as("officer-gru"))
    # A GREEN submitted record of Accra is visible to the whole community, Lome included...
    accra = record_seizure(api_as("officer-acc"), airport="ACC", tlp="green")
    lfw = api_as("officer-lfw")
    assert lfw.get(f"/api/v1/seizures/{accra}").status_code == 200
    # ...but Lome cannot report it as the outcome of its own alert.
    refused = report(lfw, alert_id, f"SZ-{accra}")
    assert refused.status_code == 403 and refused.json()["detail"].startswith("seizure_reference: ")
    assert not Outcome.objects.filter(alert_id=alert_id).exists()
    assert not Seizure.objects.get(pk=accra).alerts.exists()


def test_a_national_case_number_stays_free_text(api_as):
    alert_id = send_alert(api_as("officer-gru"))
    out = report(api_as("officer-lfw"), alert_id, "LFW-2026-17")
    assert out.status_code == 200 and out.json()["seizure_reference"] == "LFW-2026-17"
    assert not Seizure.objects.filter(alerts__pk=alert_id).exists()


def test_a_register_reference_needs_the_result_seized(api_as):
    alert_id = send_alert(api_as("officer-gru"))
    lfw = api_as("officer-lfw")
    seizure_id = record_seizure(lfw)
    refused = report(lfw, alert_id, f"SZ-{seizure_id}", result="negative")
    assert refused.status_code == 400
    assert not Seizure.objects.get(pk=seizure_id).alerts.exists()
