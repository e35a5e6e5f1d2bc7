"""The alert pages: inbox, composer, alert page with acknowledgement, outcome, thread."""

import pytest

from aircop.messaging.models import Alert, Recipient


def compose(client, **fields):
    data = {
        "kind": "passenger",
        "sender_unit": "jaitf-gru",
        "priority": "flash",
        "tlp": "amber",
        "title": "Courier on ET908",
        "body": "Swallowed pellets suspected.",
        "to_units": ["jaitf-lfw"],
        "passenger__flight": "ET908",
        "passenger__route": "GRU-ADD-LFW",
        "passenger__indicators": "one-way\ncash",
        "passenger__surname": "DOE",
        "passenger__given_names": "JOHN",
        "passenger__date_of_birth": "1990-04-02",
        "passenger__document_number": "P1234567",
        "passenger__document_country": "BRA",
    }
    data.update(fields)
    return client.post("/alerts/new/", data)


def test_compose_send_and_receive(client_for):
    sender = client_for("officer-gru")
    assert sender.get("/alerts/new/").status_code == 200
    response = compose(sender)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    alert = Alert.objects.get(title="Courier on ET908")
    assert response.url == f"/alerts/{alert.pk}/"
    assert alert.details["route"] == ["GRU", "ADD", "LFW"] and alert.details["indicators"] == [
        "one-way",
        "cash",
    ]
    assert alert.nominal["surname"] == "DOE"
    receiver = client_for("officer-lfw")
    inbox = receiver.get("/alerts/").content.decode()
    assert "Courier on ET908" in inbox and 'id="nav-unread"' in inbox
    page = receiver.get(f"/alerts/{alert.pk}/").content.decode()
    assert "DOE" in page and "GRU → ADD → LFW" in page and 'id="ack-button"' in page
    assert receiver.post(f"/alerts/{alert.pk}/ack/").status_code == 302
    assert Recipient.objects.get(alert=alert).acknowledged_at is not None
    assert receiver.post(f"/alerts/{alert.pk}/reply/", {"body": "On our way to the gate."}).status_code == 302
    assert (
        receiver.post(
            f"/alerts/{alert.pk}/outcome/", {"result": "seized", "seizure_reference": "LFW-1"}
        ).status_code
        == 302
    )
    assert (
        sender.post(
            f"/alerts/{alert.pk}/update/", {"priority": "immediate", "body": "Confirmed."}
        ).status_code
        == 302
    )
    alert.refresh_from_db()
    assert alert.priority == "immediate" and alert.body == "Confirmed."
    refused = receiver.post(f"/alerts/{alert.pk}/update/", {"priority": "routine"}, follow=True)
    assert "only the originating unit" in refused.content.decode()
    alert.refresh_from_db()
    assert alert.priority == "immediate"  # refused: only the originating unit updates
    seen = sender.get(f"/alerts/{alert.pk}/").content.decode()
    assert "On our way to the gate." in seen and "officer-lfw" in seen and "LFW-1" in seen


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"to_units": []}, "choose at least one recipient"),
        ({"tlp": "red", "to_units": [], "to_regions": ["wca"]}, "cannot go to a whole region"),
        ({"passenger__route": "GRU-XQX-LFW"}, "unknown airport"),
        ({"kind": "cargo", "cargo__awb": "176-12345670"}, "check digit"),
    ],
)
def test_compose_errors_name_the_problem_and_save_nothing(client_for, fields, error):
    before = Alert.objects.count()
    response = compose(client_for("officer-gru"), **fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Alert.objects.count() == before


def test_alert_page_is_404_for_outsiders(client_for):
    compose(client_for("officer-gru"))
    alert = Alert.objects.get(title="Courier on ET908")
    outsider = client_for("officer-acc")
    assert outsider.get(f"/alerts/{alert.pk}/").status_code == 404
    assert outsider.post(f"/alerts/{alert.pk}/ack/").status_code == 404
    assert "Courier on ET908" not in outsider.get("/alerts/").content.decode()


def test_restricted_nominal_is_withheld_on_the_page(client_for):
    compose(client_for("officer-gru"), to_countries=["NG"], nominal_restricted="on")
    alert = Alert.objects.get(title="Courier on ET908")
    page = client_for("officer-los").get(f"/alerts/{alert.pk}/").content.decode()
    assert "DOE" not in page and "Withheld" in page
    assert "DOE" in client_for("officer-lfw").get(f"/alerts/{alert.pk}/").content.decode()


def test_upload_a_photo_from_the_alert_page(client_for, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    compose(client_for("officer-gru"))
    alert = Alert.objects.get(title="Courier on ET908")
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "orange").save(buffer, "JPEG")
    receiver = client_for("officer-lfw")
    photo = SimpleUploadedFile("bag.jpg", buffer.getvalue(), content_type="image/jpeg")
    assert receiver.post(f"/alerts/{alert.pk}/attachments/", {"file": photo}).status_code == 302
    page = client_for("officer-gru").get(f"/alerts/{alert.pk}/").content.decode()
    assert "bag.jpg" in page and "/thumbnail/" in page
    fake = SimpleUploadedFile("bag.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    refused = receiver.post(f"/alerts/{alert.pk}/attachments/", {"file": fake})
    assert refused.status_code == 400 and "text/html" in refused.content.decode()
