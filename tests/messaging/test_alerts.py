"""Sending, seeing, acknowledging, outcomes, threads, forwarding: through the real API."""

import copy
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from aircop.audit.models import AuditEntry
from aircop.messaging import services
from aircop.messaging.models import Alert, Event, Recipient
from tests.messaging.conftest import PASSENGER


def send(api, payload):
    return api.post("/api/v1/alerts", payload, content_type="application/json")


def alert_payload(**changes):
    payload = copy.deepcopy(PASSENGER)
    payload.update(changes)
    return payload


def test_send_and_read_passenger_alert(api_as):
    response = send(api_as("officer-gru"), alert_payload())
    assert response.status_code == 201, response.content
    alert = response.json()
    assert alert["sender_unit"] == "jaitf-gru" and alert["destination"] == "LFW"
    assert alert["details"]["route"] == ["GRU", "ADD", "LFW"]
    assert alert["nominal"]["surname"] == "DOE" and alert["nominal"]["document_country"] == "BRA"
    assert [r["unit"] for r in alert["recipients"]] == ["jaitf-lfw"]
    received = api_as("officer-lfw").get(f"/api/v1/alerts/{alert['id']}")
    assert received.status_code == 200 and received.json()["nominal"]["surname"] == "DOE"
    assert AuditEntry.objects.filter(action="alert.sent", object_id=str(alert["id"])).exists()
    assert Event.objects.filter(alert_id=alert["id"], type="alert.created").count() == 1


@pytest.mark.parametrize(
    "outsider",
    ["officer-acc", "officer-abv", "head-bog", "admin", "auditor", "analyst", "liaison-gh", "airline-af"],
)
def test_outsiders_get_404(api_as, outsider):
    alert_id = send(api_as("officer-gru"), alert_payload()).json()["id"]
    api = api_as(outsider)
    assert api.get(f"/api/v1/alerts/{alert_id}").status_code == 404
    assert alert_id not in [a["id"] for a in api.get("/api/v1/alerts").json()]
    assert api.post(f"/api/v1/alerts/{alert_id}/ack").status_code == 404
    events = api.get("/api/v1/events?after=0").json()["events"]
    assert alert_id not in [e["alert"]["id"] for e in events]


def test_restricted_nominal_data_reaches_only_the_named_units(api_as):
    payload = alert_payload(
        audience=[{"scope": "unit", "target": "jaitf-lfw"}, {"scope": "country", "target": "NG"}],
        nominal_restricted=True,
    )
    alert_id = send(api_as("officer-gru"), payload).json()["id"]
    named = api_as("officer-lfw").get(f"/api/v1/alerts/{alert_id}").json()
    broad = api_as("officer-los").get(f"/api/v1/alerts/{alert_id}").json()
    sender = api_as("head-gru").get(f"/api/v1/alerts/{alert_id}").json()
    assert named["nominal"]["surname"] == "DOE" and not named["nominal_withheld"]
    assert sender["nominal"]["surname"] == "DOE"
    assert broad["nominal"] == {} and broad["nominal_withheld"] is True
    assert broad["details"]["flight"] == "ET908"  # the rest of the alert is there
    # ... and the same through catch-up events
    events = api_as("officer-los").get("/api/v1/events?after=0").json()["events"]
    mine = [e for e in events if e["alert"]["id"] == alert_id]
    assert mine and all(e["alert"]["nominal"] == {} for e in mine)
    assert "DOE" not in str(events)


def test_country_audience_reaches_task_forces_and_headquarters_not_liaison_or_airline(api_as):
    alert_id = send(
        api_as("officer-gru"), alert_payload(audience=[{"scope": "country", "target": "SN"}])
    ).json()["id"]
    units = set(Recipient.objects.filter(alert_id=alert_id).values_list("unit__code", flat=True))
    assert units == {"jaitf-dss", "hq-sn"}
    assert api_as("coordinator-sn").get(f"/api/v1/alerts/{alert_id}").status_code == 200
    assert api_as("liaison-sn").get(f"/api/v1/alerts/{alert_id}").status_code == 404


def test_network_audience_excludes_the_sender(api_as):
    alert_id = send(
        api_as("officer-gru"), alert_payload(tlp="green", audience=[{"scope": "network"}])
    ).json()["id"]
    units = set(Recipient.objects.filter(alert_id=alert_id).values_list("unit__code", flat=True))
    assert "jaitf-gru" not in units and "jaitf-lfw" in units and "airline-af" not in units
    assert len(units) >= 50


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"audience": []}, "audience"),
        ({"tlp": "red", "audience": [{"scope": "region", "target": "wca"}]}, "audience[0]"),
        ({"tlp": "amber", "audience": [{"scope": "network"}]}, "audience[0]"),
        ({"audience": [{"scope": "unit", "target": "jaitf-zzz"}]}, "audience[0].target"),
        ({"details": {"route": ["GRU", "XQX", "LFW"]}}, "details.route[1]"),
        ({"destination": "QQQ"}, "destination"),
        ({"kind": "cargo", "details": {"awb": "176-12345670"}, "nominal": {}}, "details.awb"),
        ({"kind": "cargo", "details": {}, "nominal": {}}, "details.awb"),
        ({"details": {"surname": "DOE"}}, "details.surname"),
        ({"nominal": {"date_of_birth": "02/04/1990"}}, "nominal.date_of_birth"),
        ({"priority": "urgent"}, "priority"),
        ({"title": "  "}, "title"),
        ({"valid_until": "2001-01-01T00:00:00Z"}, "valid_until"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(api_as, changes, field):
    before = (
        Alert.objects.count(),
        Event.objects.count(),
        AuditEntry.objects.filter(action="alert.sent").count(),
    )
    response = send(api_as("officer-gru"), alert_payload(**changes))
    assert response.status_code == 400, response.content
    assert response.json()["detail"].startswith(f"{field}: ")
    after = (
        Alert.objects.count(),
        Event.objects.count(),
        AuditEntry.objects.filter(action="alert.sent").count(),
    )
    assert after == before


def test_liaison_sends_to_units_only(api_as):
    ok = send(api_as("liaison-gh"), alert_payload(audience=[{"scope": "unit", "target": "jaitf-acc"}]))
    assert ok.status_code == 201
    refused = send(api_as("liaison-gh"), alert_payload(audience=[{"scope": "country", "target": "GH"}]))
    assert refused.status_code == 400 and "named units" in refused.json()["detail"]


def test_roles_that_cannot_send(api_as):
    assert send(api_as("auditor"), alert_payload()).status_code == 403


def test_validity_in_destination_local_time(user_named):
    local = datetime.now(ZoneInfo("America/Bogota")).replace(tzinfo=None, microsecond=0) + timedelta(hours=5)
    alert = services.send_alert(
        sender=user_named("officer-gru"),
        kind="general",
        title="Until the flight lands in Bogota",
        audience_entries=[{"scope": "unit", "target": "jaitf-bog"}],
        destination="BOG",
        valid_until=local.isoformat(),
    )
    assert alert.valid_until == local.replace(tzinfo=ZoneInfo("America/Bogota"))
    assert alert.valid_until.utcoffset() is not None


def test_acknowledge_and_outcome_loop(api_as):
    alert_id = send(api_as("officer-gru"), alert_payload()).json()["id"]
    lfw = api_as("officer-lfw")
    ack = lfw.post(f"/api/v1/alerts/{alert_id}/ack")
    assert ack.status_code == 200 and ack.json()["unit"] == "jaitf-lfw"
    again = lfw.post(f"/api/v1/alerts/{alert_id}/ack")
    assert again.json()["acknowledged_at"] == ack.json()["acknowledged_at"]
    assert Event.objects.filter(alert_id=alert_id, type="ack.created").count() == 1
    # The sender cannot acknowledge its own alert.
    assert api_as("head-gru").post(f"/api/v1/alerts/{alert_id}/ack").status_code == 403
    out = lfw.post(
        f"/api/v1/alerts/{alert_id}/outcome",
        {"result": "seized", "note": "1.2 kg in the stomach", "seizure_reference": "LFW-2026-17"},
        content_type="application/json",
    )
    assert out.status_code == 200 and out.json()["result"] == "seized"
    bad = lfw.post(f"/api/v1/alerts/{alert_id}/outcome", {"result": "found"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"].startswith("result: ")
    seen_by_sender = api_as("head-gru").get(f"/api/v1/alerts/{alert_id}").json()
    assert seen_by_sender["recipients"][0]["acknowledged_by"] == "officer-lfw"
    assert seen_by_sender["outcomes"][0]["result"] == "seized"
    assert seen_by_sender["outcomes"][0]["seizure_reference"] == "LFW-2026-17"


def test_thread_replies_are_visible_to_the_audience(api_as):
    alert_id = send(api_as("officer-gru"), alert_payload()).json()["id"]
    reply = api_as("officer-lfw").post(
        f"/api/v1/alerts/{alert_id}/messages",
        {"body": "Passenger identified."},
        content_type="application/json",
    )
    assert reply.status_code == 201 and reply.json()["unit"] == "jaitf-lfw"
    thread = api_as("officer-gru").get(f"/api/v1/alerts/{alert_id}").json()["messages"]
    assert [m["body"] for m in thread] == ["Passenger identified."]
    assert (
        api_as("officer-acc")
        .post(f"/api/v1/alerts/{alert_id}/messages", {"body": "x"}, content_type="application/json")
        .status_code
        == 404
    )


def test_forwarding_needs_the_originators_approval(api_as, user_named):
    alert_id = send(api_as("officer-gru"), alert_payload()).json()["id"]
    alert = Alert.objects.get(pk=alert_id)
    request = services.request_forward(
        user=user_named("officer-lfw"),
        alert=alert,
        unit_codes=["jaitf-acc"],
        reason="The courier may continue to Accra",
    )
    assert api_as("officer-acc").get(f"/api/v1/alerts/{alert_id}").status_code == 404
    # The request is announced to the originator only.
    event = Event.objects.get(alert=alert, type="forward.requested")
    assert event.originator_only
    with pytest.raises(services.ServiceError):
        services.decide_forward(user=user_named("officer-lfw"), request=request, approve=True)
    services.decide_forward(user=user_named("head-gru"), request=request, approve=True)
    acc = api_as("officer-acc").get(f"/api/v1/alerts/{alert_id}").json()
    assert acc["nominal"] == {} or not acc["nominal_restricted"]
    assert AuditEntry.objects.filter(action="alert.widened", object_id=str(alert_id)).get().data["added"] == [
        "jaitf-acc"
    ]


def test_red_alerts_cannot_be_forwarded(api_as, user_named):
    alert_id = send(api_as("officer-gru"), alert_payload(tlp="red")).json()["id"]
    with pytest.raises(services.ServiceError, match="cannot be forwarded"):
        services.request_forward(
            user=user_named("officer-lfw"),
            alert=Alert.objects.get(pk=alert_id),
            unit_codes=["jaitf-acc"],
            reason="wider",
        )


def test_unacknowledged_flash_alert_is_flagged_and_renotified(api_as, settings):
    settings.AIRCOP_FLASH_ACK_MINUTES = 10
    alert_id = send(
        api_as("officer-gru"),
        alert_payload(
            priority="flash",
            audience=[{"scope": "unit", "target": "jaitf-lfw"}, {"scope": "unit", "target": "jaitf-acc"}],
        ),
    ).json()["id"]
    api_as("officer-acc").post(f"/api/v1/alerts/{alert_id}/ack")
    now = timezone.now()
    assert services.flag_overdue_flash(now + timedelta(minutes=5)) == 0
    assert services.flag_overdue_flash(now + timedelta(minutes=11)) == 1
    alert = Alert.objects.get(pk=alert_id)
    assert alert.flagged_at is not None
    event = Event.objects.get(alert=alert, type="alert.flagged")
    assert event.data == {"unacknowledged": ["jaitf-lfw"]}
    # Not again within the same period; again after it.
    assert services.flag_overdue_flash(now + timedelta(minutes=15)) == 0
    assert services.flag_overdue_flash(now + timedelta(minutes=22)) == 1


def test_inbox_filters_and_unread(api_as, user_named):
    from aircop.messaging import selectors

    send(api_as("officer-gru"), alert_payload(priority="flash"))
    send(api_as("officer-gru"), alert_payload(kind="general", details={}, nominal={}, title="Meeting"))
    officer = user_named("officer-lfw")
    assert selectors.unread_count(officer) == 2
    flash = api_as("officer-lfw").get("/api/v1/alerts?priority=flash").json()
    assert [a["priority"] for a in flash] == ["flash"]
    assert len(api_as("officer-lfw").get("/api/v1/alerts?kind=general").json()) == 1


def test_outcome_rates_per_sender_and_route(api_as):
    gru = api_as("officer-gru")
    first = send(
        gru,
        alert_payload(
            audience=[{"scope": "unit", "target": "jaitf-lfw"}, {"scope": "unit", "target": "jaitf-acc"}]
        ),
    ).json()["id"]
    send(gru, alert_payload())
    api_as("officer-lfw").post(
        f"/api/v1/alerts/{first}/outcome", {"result": "seized"}, content_type="application/json"
    )
    api_as("officer-acc").post(
        f"/api/v1/alerts/{first}/outcome", {"result": "negative"}, content_type="application/json"
    )
    by_sender = {r["key"]: r for r in gru.get("/api/v1/alerts-outcome-rates").json()}
    assert by_sender["jaitf-gru"]["alerts"] == 2 and by_sender["jaitf-gru"]["recipients"] == 3
    assert by_sender["jaitf-gru"]["outcomes"]["seized"] == 1 and by_sender["jaitf-gru"]["reported"] == 2
    assert by_sender["jaitf-gru"]["seizure_rate"] == round(1 / 3, 4)
    by_route = {r["key"]: r for r in gru.get("/api/v1/alerts-outcome-rates?by=route").json()}
    assert by_route["GRU-LFW"]["alerts"] == 2
    # Another unit only counts what it may see.
    assert {r["key"] for r in api_as("officer-bog").get("/api/v1/alerts-outcome-rates").json()} == set()
    assert gru.get("/api/v1/alerts-outcome-rates?by=colour").status_code == 400


def test_search_through_the_api_and_the_inbox(api_as, client_for):
    alert_id = send(
        api_as("officer-gru"),
        alert_payload(
            title="Pangolin scales in cargo",
            nominal_restricted=True,
            audience=[{"scope": "unit", "target": "jaitf-lfw"}, {"scope": "country", "target": "NG"}],
        ),
    ).json()["id"]
    assert [a["id"] for a in api_as("officer-lfw").get("/api/v1/alerts?q=pangolin").json()] == [alert_id]
    assert [a["id"] for a in api_as("officer-lfw").get("/api/v1/alerts?q=doe").json()] == [alert_id]
    assert api_as("officer-los").get("/api/v1/alerts?q=doe").json() == []  # restricted name, broad recipient
    assert api_as("officer-acc").get("/api/v1/alerts?q=pangolin").json() == []
    page = client_for("officer-lfw").get("/alerts/?q=pangolin").content.decode()
    assert "Pangolin scales in cargo" in page


def test_originator_updates_priority_and_validity(api_as):
    alert_id = send(api_as("officer-gru"), alert_payload(priority="routine")).json()["id"]
    update = api_as("head-gru").patch(
        f"/api/v1/alerts/{alert_id}",
        {"priority": "flash", "body": "Now confirmed."},
        content_type="application/json",
    )
    assert (
        update.status_code == 200
        and update.json()["priority"] == "flash"
        and update.json()["body"] == "Now confirmed."
    )
    event = Event.objects.get(alert_id=alert_id, type="alert.updated")
    assert event.data["fields"] == ["body", "priority"]
    assert AuditEntry.objects.filter(action="alert.updated", object_id=str(alert_id)).exists()
    # Recipients cannot rewrite it; outsiders do not even see it.
    assert (
        api_as("officer-lfw")
        .patch(f"/api/v1/alerts/{alert_id}", {"priority": "routine"}, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        api_as("officer-acc")
        .patch(f"/api/v1/alerts/{alert_id}", {"priority": "routine"}, content_type="application/json")
        .status_code
        == 404
    )
    bad = api_as("officer-gru").patch(
        f"/api/v1/alerts/{alert_id}", {"priority": "urgent"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["detail"].startswith("priority: ")
    # Nothing changed: no new event.
    api_as("officer-gru").patch(
        f"/api/v1/alerts/{alert_id}", {"priority": "flash"}, content_type="application/json"
    )
    assert Event.objects.filter(alert_id=alert_id, type="alert.updated").count() == 1


def test_canonical_unit_prefers_the_copy_with_nominal_data():
    from aircop.messaging.consumers import canonical_unit

    # A user in units 3 and 7; the event went to 1, 3, 7; only 7 (and 1) see nominal data.
    assert canonical_unit({3, 7}, [1, 3, 7], [1, 7]) == 7
    assert canonical_unit({3, 7}, [1, 3, 7], [1]) == 3
    assert canonical_unit({9}, [1, 3, 7], [1]) is None


def test_outcome_implies_an_audited_acknowledgement(api_as):
    alert_id = send(api_as("officer-gru"), alert_payload()).json()["id"]
    api_as("officer-lfw").post(
        f"/api/v1/alerts/{alert_id}/outcome", {"result": "negative"}, content_type="application/json"
    )
    assert Event.objects.filter(alert_id=alert_id, type="ack.created").count() == 1
    assert AuditEntry.objects.filter(action="alert.acknowledged", object_id=str(alert_id)).exists()


def test_reads_of_nominal_data_are_audited(api_as, client_for):
    from aircop.audit.models import AuditEntry

    sent = api_as("officer-gru").post("/api/v1/alerts", PASSENGER, content_type="application/json").json()
    reads = AuditEntry.objects.filter(action="alert.nominal_read", object_id=str(sent["id"]))
    assert reads.count() == 0  # the sender's own copy in the answer to its POST is not a read
    assert api_as("officer-lfw").get(f"/api/v1/alerts/{sent['id']}").json()["nominal"]
    assert list(reads.values_list("actor_username", "data")) == [("officer-lfw", {"via": "api"})]
    page = client_for("officer-lfw")
    assert page.get(f"/alerts/{sent['id']}/").status_code == 200
    assert reads.count() == 2
    page.get(f"/alerts/{sent['id']}/", HTTP_X_AIRCOP_BACKGROUND="1")  # the page's live refresh
    assert reads.count() == 2


def test_a_lone_surrogate_in_a_json_body_is_refused_as_unreadable(api_as):
    """json.loads accepts "\\ud800" (no character); PostgreSQL would refuse it with a 500."""
    body = json.dumps({**PASSENGER, "title": "\ud800 courier"})
    response = api_as("officer-gru").post("/api/v1/alerts", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
