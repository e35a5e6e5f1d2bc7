"""Seizure photos: checked by content, stored outside the web root, served after the record's
visibility check (and the nominal rule for photos of people), every read audited."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aircop.audit.models import AuditEntry
from aircop.core.errors import ServiceError
from aircop.seizures import photos, services
from aircop.seizures.models import SeizurePhoto


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return tmp_path / "files" / photos.KIND


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (200, 180, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def seizure(user_named):
    return services.create_seizure(
        actor=user_named("officer-lfw"),
        submit=True,
        data={
            "occurred_at": "2026-03-14T08:30",
            "airport": "LFW",
            "flow": "checked_baggage",
            "phase": "arrival",
            "direction": "inbound",
            "concealment": "baggage_lining",
            "detection": "xray",
            "tlp": "green",
            "items": [
                {"category": "wildlife", "subtype": "pangolin_scales", "quantity": "120", "unit": "kg"}
            ],
        },
    )


def test_photo_round_trip_with_thumbnail_and_audited_reads(client_for, seizure, media):
    lome = client_for("officer-lfw")
    response = lome.post(
        f"/api/v1/seizures/{seizure.pk}/photos", {"file": SimpleUploadedFile("scales.jpg", jpeg())}
    )
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["content_type"] == "image/jpeg" and out["has_thumbnail"] and not out["nominal"]
    assert [p.name for p in media.iterdir()] != []  # stored under the seizure photos directory
    detail = lome.get(f"/api/v1/seizures/{seizure.pk}").json()
    assert [p["id"] for p in detail["photos"]] == [out["id"]]
    # GREEN and submitted: the community sees the record and its photo of goods.
    accra = client_for("officer-acc")
    file = accra.get(out["url"])
    assert file.status_code == 200 and file["Content-Type"] == "image/jpeg"
    assert b"".join(file.streaming_content) == jpeg()
    thumb = accra.get(out["thumbnail_url"])
    assert thumb.status_code == 200
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert max(image.size) <= 320
    assert AuditEntry.objects.filter(action="seizure.photo_read", object_id=str(out["id"])).count() == 2


def test_a_photo_of_a_person_follows_the_nominal_rule(client_for, seizure, media):
    lome = client_for("officer-lfw")
    out = lome.post(
        f"/api/v1/seizures/{seizure.pk}/photos",
        {"file": SimpleUploadedFile("courier.jpg", jpeg()), "nominal": "true"},
    ).json()
    assert out["nominal"]
    assert client_for("officer-acc").get(out["url"]).status_code == 404
    assert client_for("officer-acc").get(f"/api/v1/seizures/{seizure.pk}").json()["photos"] == []
    assert client_for("coordinator-tg").get(out["url"]).status_code == 200
    assert lome.get(out["url"]).status_code == 200


def test_only_the_recording_unit_adds_and_bad_files_are_refused(client_for, user_named, seizure, media):
    refused = client_for("officer-acc").post(
        f"/api/v1/seizures/{seizure.pk}/photos", {"file": SimpleUploadedFile("x.jpg", jpeg())}
    )
    assert refused.status_code == 403
    fake = client_for("officer-lfw").post(
        f"/api/v1/seizures/{seizure.pk}/photos",
        {"file": SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>")},
    )
    assert fake.status_code == 400 and fake.json()["field"] == "file"
    assert "text/html" in fake.json()["detail"]
    assert SeizurePhoto.objects.count() == 0
    assert not media.exists() or list(media.iterdir()) == []
    with pytest.raises(ServiceError):
        photos.add_photo(
            user=user_named("officer-acc"), seizure=seizure, uploaded_file=SimpleUploadedFile("x.jpg", jpeg())
        )


def test_photos_of_a_draft_stay_in_the_unit(client_for, user_named, media):
    draft = services.create_seizure(
        actor=user_named("officer-lfw"),
        data={
            "occurred_at": "2026-03-14",
            "airport": "LFW",
            "flow": "cargo",
            "phase": "arrival",
            "direction": "inbound",
            "concealment": "cargo_consignment",
            "detection": "dog",
            "tlp": "green",
            "items": [{"category": "drugs", "subtype": "cocaine", "quantity": "3", "unit": "kg"}],
        },
    )
    out = (
        client_for("officer-lfw")
        .post(f"/api/v1/seizures/{draft.pk}/photos", {"file": SimpleUploadedFile("a.jpg", jpeg())})
        .json()
    )
    assert client_for("officer-acc").get(out["url"]).status_code == 404


def test_photos_on_the_seizure_page(client_for, seizure, media):
    lome = client_for("officer-lfw")
    page = lome.get(f"/seizures/{seizure.pk}/")
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    sent = lome.post(f"/seizures/{seizure.pk}/photos/", {"file": SimpleUploadedFile("scales.jpg", jpeg())})
    assert sent.status_code == 302
    photo = SeizurePhoto.objects.get(seizure=seizure)
    page = client_for("officer-acc").get(f"/seizures/{seizure.pk}/")
    assert f"/seizures/photos/{photo.pk}/thumbnail/".encode() in page.content
    assert b"multipart/form-data" not in page.content  # only the recording unit uploads
    assert client_for("officer-acc").get(f"/seizures/photos/{photo.pk}/thumbnail/").status_code == 200
    bad = lome.post(
        f"/seizures/{seizure.pk}/photos/",
        {"file": SimpleUploadedFile("x.jpg", b"%!PS-Adobe-3.0 not a photo")},
    )
    assert bad.status_code == 400 and "not accepted" in bad.content.decode()


def test_a_validated_seizure_takes_no_photo_until_reopened(client_for, user_named, seizure, media):
    """A validated record is locked (docs/seizures.md): its photos too."""
    services.validate_seizure(actor=user_named("head-lfw"), seizure=seizure)
    refused = client_for("officer-lfw").post(
        f"/api/v1/seizures/{seizure.pk}/photos", {"file": SimpleUploadedFile("late.jpg", jpeg())}
    )
    assert refused.status_code == 403  # as editing or submitting a locked record
    assert refused.json()["detail"] == "status: " + (
        "a validated seizure cannot be changed; ask the unit head to reopen it"
    )
    assert SeizurePhoto.objects.filter(seizure=seizure).count() == 0
    assert not media.exists() or list(media.iterdir()) == []
    services.reopen_seizure(actor=user_named("head-lfw"), seizure=seizure)
    accepted = client_for("officer-lfw").post(
        f"/api/v1/seizures/{seizure.pk}/photos", {"file": SimpleUploadedFile("late.jpg", jpeg())}
    )
    assert accepted.status_code == 201
