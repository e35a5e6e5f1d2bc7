"""The operation's closed audience in messaging: alerts "to the operation" reach only its
members while it runs, only from them; afterwards the channel is read-only but the outcome
loop can still close."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aircop.core.errors import ServiceError
from aircop.messaging import attachments
from aircop.messaging import services as messaging
from aircop.messaging.models import Alert, AudienceEntry, Recipient
from aircop.operations import services
from tests.operations.conftest import alert_to, midnight

MEMBERS = ["hq-co", "jaitf-gru", "jaitf-lfw", "jaitf-lis"]  # without the sender, jaitf-bog


def send(user, name="cocaine-bridge", **changes):
    return messaging.send_alert(sender=user, **alert_to(name, **changes))


def test_an_alert_to_the_operation_reaches_its_members_only(running, user_named):
    alert = send(user_named("officer-bog"))
    assert alert.operation == running
    assert sorted(Recipient.objects.filter(alert=alert).values_list("unit__code", flat=True)) == MEMBERS
    assert set(Recipient.objects.filter(alert=alert).values_list("via", flat=True)) == {"operation"}
    assert AudienceEntry.objects.get(alert=alert).operation == running
    # A non-participant does not receive it and may not open it.
    from aircop.messaging import selectors

    for outsider in ("officer-bko", "officer-dss", "coordinator-sn", "admin", "analyst"):
        assert not selectors.alerts(user_named(outsider)).filter(pk=alert.pk).exists(), outsider
    assert selectors.alerts(user_named("coordinator-co")).filter(pk=alert.pk).exists()


def test_the_user_s_participating_unit_sends_by_default(running, user_named):
    from aircop.network import services as network

    officer = user_named("officer-bko")  # also made a member of Bogota's task force
    network.add_member(actor=None, user=officer, unit=running.units.get(code="jaitf-bog"), agency="customs")
    officer = user_named("officer-bko")
    assert send(officer).sender_unit.code == "jaitf-bog"


@pytest.mark.parametrize(
    ("sender", "words"),
    [
        ("officer-bko", "no joint operation named 'cocaine-bridge'"),  # another unit: as if absent
        ("analyst", "does not take part"),  # oversight sees the operation but is not in it
    ],
)
def test_non_participants_cannot_send_to_it(running, user_named, sender, words):
    with pytest.raises(ServiceError) as err:
        send(user_named(sender))
    assert err.value.field == "audience[0].target" and words in err.value.message
    assert not Alert.objects.filter(operation=running).exists()


def test_a_planned_or_finished_operation_takes_no_alert(make_operation, user_named):
    make_operation(name="later", starts_at=midnight(2), ends_at=midnight(9))
    make_operation(name="over", starts_at=midnight(-9), ends_at=midnight(-2))
    officer = user_named("officer-bog")
    with pytest.raises(ServiceError) as err:
        send(officer, "later")
    assert err.value.field == "audience[0].target" and "has not started" in err.value.message
    with pytest.raises(ServiceError) as err:
        send(officer, "over")
    assert err.value.field == "audience[0].target" and "read-only" in err.value.message


def test_an_operation_goes_alone_and_never_as_tlp_red(running, user_named):
    officer = user_named("officer-bog")
    both = [{"scope": "operation", "target": "cocaine-bridge"}, {"scope": "unit", "target": "jaitf-bko"}]
    with pytest.raises(ServiceError) as err:
        send(officer, audience_entries=both)
    assert err.value.field == "audience[0]" and "alone" in err.value.message
    with pytest.raises(ServiceError) as err:
        send(officer, tlp="red")
    assert err.value.field == "audience[0]" and "joint operation" in err.value.message
    with pytest.raises(ServiceError) as err:
        send(officer, "no-such-op")
    assert err.value.field == "audience[0].target"


def test_after_the_end_the_channel_is_read_only_but_the_loop_closes(running, user_named):
    alert = send(user_named("officer-bog"))
    services.update_operation(actor=user_named("coordinator-co"), operation=running, ends_at=midnight(0))
    running.refresh_from_db()
    assert running.has_ended()
    alert = Alert.objects.get(pk=alert.pk)
    lfw = user_named("officer-lfw")
    for call in (
        lambda: messaging.post_message(user=lfw, alert=alert, body="late reply"),
        lambda: messaging.update_alert(user=user_named("officer-bog"), alert=alert, body="changed"),
        lambda: send(user_named("officer-bog")),
        lambda: attachments.add_attachment(
            user=lfw, alert=alert, uploaded_file=SimpleUploadedFile("x.pdf", b"%PDF-1.4 tiny")
        ),
    ):
        with pytest.raises(ServiceError) as err:
            call()
        assert "read-only" in err.value.message
    # Acknowledgements and outcomes are still accepted.
    messaging.acknowledge(user=lfw, alert=alert)
    outcome = messaging.record_outcome(user=lfw, alert=alert, result="negative", note="nothing found")
    assert outcome.result == "negative"
    assert Recipient.objects.get(alert=alert, unit__code="jaitf-lfw").acknowledged_at is not None


def test_an_operation_alert_is_never_forwarded(running, user_named):
    alert = send(user_named("officer-bog"))
    with pytest.raises(ServiceError) as err:
        messaging.request_forward(
            user=user_named("officer-lfw"), alert=alert, unit_codes=["jaitf-bko"], reason="x"
        )
    assert err.value.field == "operation"


def test_the_composer_offers_the_running_operations_of_my_units(running, client_for):
    client = client_for("officer-bog")
    page = client.get("/alerts/new/?operation=cocaine-bridge").content.decode()
    assert 'value="cocaine-bridge" selected' in page
    assert "cocaine-bridge" not in client_for("officer-bko").get("/alerts/new/").content.decode()
    response = client.post(
        "/alerts/new/",
        {
            "kind": "general",
            "sender_unit": "jaitf-bog",
            "priority": "routine",
            "tlp": "amber",
            "title": "Shift change at 18:00",
            "to_operation": "cocaine-bridge",
            "to_units": ["jaitf-bko"],
        },
    )
    assert response.status_code == 200 and "alone" in response.content.decode()
    response = client.post(
        "/alerts/new/",
        {
            "kind": "general",
            "sender_unit": "jaitf-bog",
            "priority": "routine",
            "tlp": "amber",
            "title": "Shift change at 18:00",
            "to_operation": "cocaine-bridge",
        },
    )
    assert response.status_code == 302
    alert = Alert.objects.get(title="Shift change at 18:00")
    assert alert.operation == running
    page = client_for("officer-lfw").get(f"/alerts/{alert.pk}/").content.decode()
    assert 'id="alert-operation"' in page and "read-only" not in page
