"""Sending the same alert again after a lost answer: the API's Idempotency-Key header and the
composer's hidden key return the alert already sent instead of a second one."""

import copy
import re
import uuid

import pytest

from aircop.audit.models import AuditEntry
from aircop.messaging import services
from aircop.messaging.models import Alert, Event, Recipient
from tests.messaging.conftest import PASSENGER
from tests.messaging.test_pages import compose


def send(api, payload, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post("/api/v1/alerts", payload, content_type="application/json", **headers)


def payload(**changes):
    data = copy.deepcopy(PASSENGER)
    data.update(changes)
    return data


def counts(alert_id):
    return (
        Alert.objects.filter(pk=alert_id).count(),
        Recipient.objects.filter(alert_id=alert_id).count(),
        Event.objects.filter(alert_id=alert_id, type="alert.created").count(),
        AuditEntry.objects.filter(action="alert.sent", object_id=str(alert_id)).count(),
    )


def test_the_same_key_sends_once_and_answers_the_alert_again(api_as):
    api = api_as("officer-gru")
    key = str(uuid.uuid4())
    first = send(api, payload(), key)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    again = send(api, payload(), key)
    assert again.status_code == 200, again.content
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["nominal"]["surname"] == "DOE"
    assert [r["unit"] for r in again.json()["recipients"]] == ["jaitf-lfw"]
    assert counts(first.json()["id"]) == (1, 1, 1, 1)
    assert Alert.objects.filter(sender__username="officer-gru", client_key=key).count() == 1


def test_the_answer_again_is_the_alert_as_it_stands_now(api_as):
    api = api_as("officer-gru")
    first = send(api, payload(), "k-1").json()
    reply = api_as("officer-lfw").post(
        f"/api/v1/alerts/{first['id']}/messages",
        {"body": "Seen at the gate."},
        content_type="application/json",
    )
    assert reply.status_code == 201, reply.content
    again = send(api, payload(), "k-1")
    assert again.status_code == 200
    assert [m["body"] for m in again.json()["messages"]] == ["Seen at the gate."]


def test_the_same_key_for_a_different_alert_is_refused_and_saves_nothing(api_as):
    api = api_as("officer-gru")
    first = send(api, payload(), "k-2").json()
    before = Alert.objects.count()
    refused = send(api, payload(title="Another courier"), "k-2")
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail.startswith("Idempotency-Key: ") and f"alert {first['id']}" in detail
    assert Alert.objects.count() == before


def test_keys_belong_to_their_sender(api_as):
    one = send(api_as("officer-gru"), payload(), "shared-key")
    two = send(api_as("head-gru"), payload(), "shared-key")
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]


def test_without_a_key_each_post_is_a_new_alert(api_as):
    api = api_as("officer-gru")
    assert send(api, payload()).json()["id"] != send(api, payload()).json()["id"]


@pytest.mark.parametrize("key", ["", "x" * 81, "with space", "clé"])
def test_a_malformed_key_is_refused_naming_the_header(api_as, key):
    before = Alert.objects.count()
    response = send(api_as("officer-gru"), payload(), key.encode().decode("latin-1"))
    assert response.status_code == 422, response.content
    assert "Idempotency-Key" in response.json()["detail"]
    assert Alert.objects.count() == before


def test_the_service_checks_the_key_too(user_named):
    with pytest.raises(services.ServiceError, match="visible ASCII") as caught:
        services.send_alert(
            sender=user_named("officer-gru"),
            kind="general",
            title="t",
            audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
            client_key="tab\there",
        )
    assert caught.value.field == "Idempotency-Key"


def test_two_sends_racing_with_one_key_make_one_alert(user_named, monkeypatch):
    """The second send looks before the first has committed, finds nothing, and meets the
    unique constraint when it writes: it answers the first one's alert."""
    sender = user_named("officer-gru")
    arguments = {
        "sender": sender,
        "kind": "general",
        "title": "Race",
        "audience_entries": [{"scope": "unit", "target": "jaitf-lfw"}],
        "client_key": "race-1",
    }
    first = services.send_alert(**arguments)
    real = services._already_sent
    looks = []

    def not_yet_committed(*args):
        looks.append(args)
        return None if len(looks) == 1 else real(*args)

    monkeypatch.setattr(services, "_already_sent", not_yet_committed)
    second = services.send_alert(**arguments)
    assert len(looks) == 2  # before writing, and after the constraint refused the write
    assert second.pk == first.pk and second.replayed
    assert Alert.objects.filter(client_key="race-1").count() == 1
    assert counts(first.pk) == (1, 1, 1, 1)


def _key_of(page: str) -> str:
    return re.search(r'name="client_key" value="([0-9a-f]{32})"', page).group(1)


def test_the_composer_sends_one_alert_when_the_form_is_sent_twice(client_for):
    sender = client_for("officer-gru")
    key = _key_of(sender.get("/alerts/new/").content.decode())
    assert key != _key_of(sender.get("/alerts/new/").content.decode())  # a key per form shown
    first = compose(sender, client_key=key)
    second = compose(sender, client_key=key)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    alert = Alert.objects.get(title="Courier on ET908")
    assert counts(alert.pk) == (1, 1, 1, 1)
    page = sender.get(second.url).content.decode()
    assert "already been sent; it was not sent twice" in page


def test_the_composer_says_when_a_sent_form_was_changed_and_a_new_send_is_new(client_for):
    sender = client_for("officer-gru")
    key = _key_of(sender.get("/alerts/new/").content.decode())
    assert compose(sender, client_key=key).status_code == 302
    sent = Alert.objects.get(title="Courier on ET908")
    changed = compose(sender, client_key=key, title="Second courier on ET908")
    assert changed.status_code == 200
    page = changed.content.decode()
    assert f"This form has already sent alert #{sent.pk}. Nothing more was sent." in page
    assert not Alert.objects.filter(title="Second courier on ET908").exists()
    fresh = _key_of(page)
    assert fresh != key
    assert compose(sender, client_key=fresh, title="Second courier on ET908").status_code == 302
    assert Alert.objects.filter(title="Second courier on ET908").count() == 1
