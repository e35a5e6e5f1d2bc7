"""Attachments on alerts: real files made here, the real database, the real API and views."""

from __future__ import annotations

import hashlib
import io
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageDraw

from aircop.audit.models import AuditEntry
from aircop.core import uploads
from aircop.messaging import attachments
from aircop.messaging.models import Alert, Attachment, Event
from tests.messaging.conftest import PASSENGER

GPS = ExifTags.Base.GPSInfo

# A minimal but complete PDF (one empty page), with its cross-reference table.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    b"0000000115 00000 n \ntrailer << /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n"
)


def jpeg_with_gps(width=1200, height=800) -> bytes:
    """A photo as a phone makes it: EXIF with GPS position, camera, and orientation 6
    (stored landscape, shown portrait)."""
    image = Image.new("RGB", (width, height), (30, 90, 160))
    ImageDraw.Draw(image).rectangle((100, 100, 500, 400), fill=(220, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.Orientation] = 6
    exif[GPS] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (6.0, 9.0, 55.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (1.0, 15.0, 17.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes(), comment=b"taken at gate 4")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS), "the test photo must carry GPS data"
    return data


def png_with_alpha() -> bytes:
    image = Image.new("RGBA", (640, 480), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((50, 50, 400, 300), fill=(0, 160, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return tmp_path / "files" / "attachments"


@pytest.fixture
def alert_id(api_as):
    response = api_as("officer-gru").post("/api/v1/alerts", PASSENGER, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def upload(api, alert_id, data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return api.post(
        f"/api/v1/alerts/{alert_id}/attachments",
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def stored_files(media) -> list[str]:
    return sorted(p.name for p in media.iterdir()) if media.exists() else []


def test_photo_upload_keeps_the_original_and_makes_a_clean_thumbnail(api_as, alert_id, media):
    photo = jpeg_with_gps()
    response = upload(api_as("officer-gru"), alert_id, photo)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["name"] == "photo.jpg" and out["content_type"] == "image/jpeg"
    assert out["size"] == len(photo) and out["has_thumbnail"] is True
    assert out["sha256"] == hashlib.sha256(photo).hexdigest()
    assert out["url"] == f"/api/v1/attachments/{out['id']}"
    assert out["thumbnail_url"] == f"/api/v1/attachments/{out['id']}?thumbnail=true"

    row = Attachment.objects.get(pk=out["id"])
    assert row.alert_id == alert_id and row.uploaded_by.username == "officer-gru"
    assert row.sha256 == hashlib.sha256(photo).hexdigest()
    # stored under a random name, never the user's; original kept byte for byte (evidence)
    assert len(row.stored_name) == 32 and int(row.stored_name, 16) >= 0
    assert stored_files(media) == sorted([row.stored_name, f"{row.stored_name}-thumb.jpg"])
    assert (media / row.stored_name).read_bytes() == photo

    thumb_bytes = (media / f"{row.stored_name}-thumb.jpg").read_bytes()
    thumb = Image.open(io.BytesIO(thumb_bytes))
    assert thumb.format == "JPEG"
    assert thumb.size == (213, 320)  # orientation 6 applied: the landscape original shows as portrait
    assert not thumb.getexif() and "exif" not in thumb.info and "comment" not in thumb.info
    assert b"Exif" not in thumb_bytes and b"PhoneMaker" not in thumb_bytes and b"gate 4" not in thumb_bytes

    event = Event.objects.get(alert_id=alert_id, type="attachment.added")
    assert event.data == {
        "attachment": row.pk,
        "name": "photo.jpg",
        "content_type": "image/jpeg",
        "size": len(photo),
    }
    entry = AuditEntry.objects.get(action="attachment.added", object_id=str(row.pk))
    assert entry.actor_username == "officer-gru" and entry.object_type == "messaging.attachment"
    assert entry.data["sha256"] == row.sha256 and entry.data["size"] == len(photo)
    assert entry.data["name"] == "photo.jpg" and entry.data["content_type"] == "image/jpeg"


def test_recipient_downloads_through_the_api_and_the_web_views(api_as, client_for, alert_id):
    photo = jpeg_with_gps()
    out = upload(api_as("officer-gru"), alert_id, photo).json()
    api = api_as("officer-lfw")

    response = api.get(out["url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="photo.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"

    thumb = api.get(out["thumbnail_url"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (213, 320)

    web = client_for("officer-lfw")
    page = web.get(f"/files/attachments/{out['id']}/")
    assert page.status_code == 200 and b"".join(page.streaming_content) == photo
    assert page["Cache-Control"] == "private, no-store"
    small = web.get(f"/files/attachments/{out['id']}/thumbnail/")
    assert small.status_code == 200 and small["Content-Type"] == "image/jpeg"
    assert web.post(f"/files/attachments/{out['id']}/").status_code == 405

    reads = AuditEntry.objects.filter(action="attachment.read", object_id=str(out["id"])).order_by("seq")
    assert [(e.actor_username, e.channel, e.data["thumbnail"]) for e in reads] == [
        ("officer-lfw", "api", False),
        ("officer-lfw", "api", True),
        ("officer-lfw", "web", False),
        ("officer-lfw", "web", True),
    ]
    assert all(e.data["alert"] == alert_id for e in reads)


def test_pdf_is_a_download_without_thumbnail(api_as, alert_id):
    out = upload(
        api_as("officer-lfw"), alert_id, PDF_BYTES, name="statement.pdf", content_type="application/pdf"
    )
    assert out.status_code == 201, out.content
    out = out.json()
    assert out["content_type"] == "application/pdf" and out["has_thumbnail"] is False
    assert out["thumbnail_url"] is None
    api = api_as("officer-gru")
    response = api.get(out["url"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statement.pdf"'
    assert api.get(f"{out['url']}?thumbnail=true").status_code == 404


def test_png_with_transparency_and_the_type_comes_from_the_content(api_as, alert_id):
    out = upload(
        api_as("officer-gru"), alert_id, png_with_alpha(), name="report.pdf", content_type="application/pdf"
    )
    assert out.status_code == 201, out.content
    out = out.json()
    assert out["content_type"] == "image/png" and out["has_thumbnail"] is True
    response = api_as("officer-lfw").get(out["url"])
    assert response["Content-Type"] == "image/png"
    thumb = Image.open(
        io.BytesIO(b"".join(api_as("officer-lfw").get(out["thumbnail_url"]).streaming_content))
    )
    assert thumb.size == (320, 240) and thumb.mode == "RGB"
    assert thumb.getpixel((5, 5)) == (255, 255, 255)  # transparent parts on white, not black


def test_outsider_gets_404_for_the_file_the_thumbnail_and_the_upload(api_as, client_for, alert_id, media):
    out = upload(api_as("officer-gru"), alert_id, jpeg_with_gps()).json()
    api = api_as("officer-acc")
    assert api.get(out["url"]).status_code == 404
    assert api.get(out["thumbnail_url"]).status_code == 404
    assert upload(api, alert_id, jpeg_with_gps()).status_code == 404
    web = client_for("officer-acc")
    assert web.get(f"/files/attachments/{out['id']}/").status_code == 404
    assert web.get(f"/files/attachments/{out['id']}/thumbnail/").status_code == 404
    # not there at all answers the same
    assert api.get(f"/api/v1/attachments/{out['id'] + 1000}").status_code == 404
    assert Attachment.objects.filter(alert_id=alert_id).count() == 1
    assert len(stored_files(media)) == 2
    assert not AuditEntry.objects.filter(action="attachment.read", actor_username="officer-acc").exists()


def test_signed_out_browser_is_sent_to_sign_in(client, alert_id, api_as):
    out = upload(api_as("officer-gru"), alert_id, jpeg_with_gps()).json()
    response = client.get(f"/files/attachments/{out['id']}/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert client.get(out["url"]).status_code == 401


def test_too_large_is_refused_naming_the_field_and_nothing_is_left(api_as, alert_id, media, settings):
    settings.AIRCOP_ATTACHMENT_MAX_BYTES = 2048
    response = upload(api_as("officer-gru"), alert_id, jpeg_with_gps())
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("file: ") and "too large" in detail and "2 KB" in detail
    assert not Attachment.objects.filter(alert_id=alert_id).exists()
    assert stored_files(media) == []
    assert not Event.objects.filter(alert_id=alert_id, type="attachment.added").exists()
    assert not AuditEntry.objects.filter(action="attachment.added").exists()


@pytest.mark.parametrize(
    "data, detected",
    [
        (b"<!DOCTYPE html><html><script>fetch('/api/v1/me')</script></html>", "text/html"),
        (b"  <script>alert(document.cookie)</script>", "text/html"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "application/x-msdownload"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
        (b"PK\x03\x04" + b"\x00" * 100, "application/zip"),
    ],
)
def test_forbidden_type_named_photo_jpg_is_refused_naming_the_detected_type(
    api_as, alert_id, media, data, detected
):
    response = upload(api_as("officer-gru"), alert_id, data)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith("file: ") and detected in detail and "not accepted" in detail
    assert not Attachment.objects.filter(alert_id=alert_id).exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "make",
    [
        lambda: b"\xff\xd8\xff\xe0" + secrets.token_bytes(4000),  # JPEG magic, then garbage
        lambda: jpeg_with_gps()[:6000],  # a real photo cut short
        lambda: png_with_alpha()[:-40] + b"\x00" * 40,  # PNG with a broken end
        lambda: b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 50,  # WebP header, no picture
    ],
    ids=["jpeg-garbage", "jpeg-truncated", "png-broken", "webp-empty"],
)
def test_damaged_image_is_refused(api_as, alert_id, media, make):
    response = upload(api_as("officer-gru"), alert_id, make())
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert detail.startswith("file: ") and "cannot be read as an image" in detail
    assert not Attachment.objects.filter(alert_id=alert_id).exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF1.4\n" + PDF_BYTES[9:], "does not start with the PDF header %PDF-"),
        (b"%PDX-1.4\n" + PDF_BYTES[9:], "text/plain"),
        (b"\n" + PDF_BYTES, "text/plain"),
    ],
)
def test_pdf_must_start_with_the_pdf_header(api_as, alert_id, data, message):
    response = upload(api_as("officer-gru"), alert_id, data, name="x.pdf", content_type="application/pdf")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("file: ") and message in response.json()["detail"]


def test_image_with_too_many_pixels_is_refused_before_decoding(api_as, alert_id, media):
    out = io.BytesIO()
    Image.new("1", (8000, 7000)).save(out, "PNG")  # 56 megapixels in a few kilobytes
    response = upload(api_as("officer-gru"), alert_id, out.getvalue(), name="bomb.png")
    assert response.status_code == 400
    assert "megapixels" in response.json()["detail"]
    assert stored_files(media) == []


def test_empty_and_missing_file(api_as, alert_id):
    api = api_as("officer-gru")
    empty = upload(api, alert_id, b"")
    assert empty.status_code == 400 and empty.json()["detail"] == "file: the file is empty"
    missing = api.post(f"/api/v1/alerts/{alert_id}/attachments", {})
    assert missing.status_code == 422 and "file" in str(missing.json())


def test_path_traversal_in_the_name_is_kept_as_a_harmless_name_only(api_as, alert_id, media, tmp_path):
    photo = jpeg_with_gps()
    boundary = "aircop-test-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="../../etc/passwd.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = api_as("officer-gru").post(
        f"/api/v1/alerts/{alert_id}/attachments",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 201, response.content
    row = Attachment.objects.get(pk=response.json()["id"])
    assert row.name == "passwd.jpg"
    assert "/" not in row.stored_name and "passwd" not in row.stored_name
    assert stored_files(media) == sorted([row.stored_name, f"{row.stored_name}-thumb.jpg"])
    assert not (tmp_path / "etc").exists() and not (tmp_path / "files" / "etc").exists()
    download = api_as("officer-lfw").get(response.json()["url"])
    assert download["Content-Disposition"] == 'inline; filename="passwd.jpg"'


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd.jpg", "passwd.jpg"),
        ("..\\..\\Windows\\system32\\evil.png", "evil.png"),
        ("/absolute/path/scan.pdf", "scan.pdf"),
        ("..", "attachment"),
        ("", "attachment"),
        (".hidden.jpg", "hidden.jpg"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # right-to-left override removed
        ("line\r\nbreak\x00.jpg", "linebreak.jpg"),
        ("صورة جواز.jpg", "صورة جواز.jpg"),
        ("a" * 300 + ".jpeg", "a" * 195 + ".jpeg"),
    ],
)
def test_clean_name(raw, clean):
    assert attachments.clean_name(raw) == clean
    assert len(attachments.clean_name(raw)) <= 200


def test_a_stored_name_leading_outside_the_directory_is_never_opened(api_as, alert_id, user_named, tmp_path):
    out = upload(api_as("officer-gru"), alert_id, PDF_BYTES, name="a.pdf").json()
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(PDF_BYTES)
    Attachment.objects.filter(pk=out["id"]).update(stored_name="../../secret.pdf")
    assert api_as("officer-lfw").get(out["url"]).status_code == 404
    with pytest.raises(attachments.Http404):
        attachments.open_attachment(user_named("officer-lfw"), out["id"])


def test_open_attachment_returns_path_type_and_name(api_as, alert_id, user_named, media):
    out = upload(api_as("officer-gru"), alert_id, jpeg_with_gps(), name="gate4.jpg").json()
    path, content_type, name = attachments.open_attachment(user_named("officer-lfw"), out["id"])
    assert path.parent == media.resolve() and content_type == "image/jpeg" and name == "gate4.jpg"
    path, content_type, name = attachments.open_attachment(
        user_named("officer-lfw"), out["id"], thumbnail=True
    )
    assert path.name.endswith("-thumb.jpg") and content_type == "image/jpeg" and name == "gate4-thumbnail.jpg"
    with pytest.raises(attachments.Http404):
        attachments.open_attachment(user_named("officer-acc"), out["id"])


def test_files_are_removed_when_the_database_write_fails(user_named, alert_id, media, monkeypatch):
    """Nothing half-saved: a row that cannot be written takes its files with it."""
    user = user_named("officer-gru")
    alert = Alert.objects.get(pk=alert_id)
    first = attachments.add_attachment(
        user=user, alert=alert, uploaded_file=SimpleUploadedFile("a.jpg", jpeg_with_gps())
    )
    for path in media.iterdir():  # the files of the first row go; its stored name stays taken
        path.unlink()
    monkeypatch.setattr(uploads.secrets, "token_hex", lambda n: first.stored_name)
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        attachments.add_attachment(
            user=user, alert=alert, uploaded_file=SimpleUploadedFile("b.jpg", jpeg_with_gps())
        )
    assert stored_files(media) == []
    assert list(Attachment.objects.filter(alert=alert).values_list("name", flat=True)) == ["a.jpg"]
    assert AuditEntry.objects.filter(action="attachment.added", data__name="b.jpg").count() == 0


def test_message_of_another_alert_is_refused(api_as, user_named, alert_id):
    from aircop.messaging import services

    other = (
        api_as("officer-gru").post("/api/v1/alerts", PASSENGER, content_type="application/json").json()["id"]
    )
    message = services.post_message(
        user=user_named("officer-gru"), alert=Alert.objects.get(pk=other), body="see photo"
    )
    with pytest.raises(attachments.ServiceError) as refused:
        attachments.add_attachment(
            user=user_named("officer-gru"),
            alert=Alert.objects.get(pk=alert_id),
            uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES),
            message=message,
        )
    assert refused.value.field == "message"


def test_the_announced_size_is_not_trusted(user_named, alert_id, media, settings):
    settings.AIRCOP_ATTACHMENT_MAX_BYTES = 4096
    upload_ = SimpleUploadedFile("a.jpg", jpeg_with_gps())
    upload_.size = 100  # what a client or handler claims, not what arrives
    with pytest.raises(attachments.ServiceError) as refused:
        attachments.add_attachment(
            user=user_named("officer-gru"), alert=Alert.objects.get(pk=alert_id), uploaded_file=upload_
        )
    assert refused.value.field == "file" and "4 KB" in refused.value.message
    assert stored_files(media) == []


def test_nominal_attachment_follows_the_restriction(api_as, settings, tmp_path):
    """A passport scan marked nominal is withheld from broad recipients of a restricted alert."""
    import io

    from PIL import Image

    from tests.messaging.conftest import PASSENGER

    settings.MEDIA_ROOT = tmp_path
    payload = dict(
        PASSENGER,
        nominal_restricted=True,
        audience=[{"scope": "unit", "target": "jaitf-lfw"}, {"scope": "country", "target": "NG"}],
    )
    alert_id = (
        api_as("officer-gru").post("/api/v1/alerts", payload, content_type="application/json").json()["id"]
    )
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buffer, "PNG")
    sender = api_as("officer-gru")
    scan = sender.post(
        f"/api/v1/alerts/{alert_id}/attachments",
        {"file": _named(buffer.getvalue(), "passport.png"), "nominal": "true"},
    )
    assert scan.status_code == 201, scan.content
    scan_id = scan.json()["id"]
    buffer2 = io.BytesIO()
    Image.new("RGB", (400, 300), "blue").save(buffer2, "PNG")
    bag = sender.post(
        f"/api/v1/alerts/{alert_id}/attachments", {"file": _named(buffer2.getvalue(), "bag.png")}
    )
    bag_id = bag.json()["id"]
    assert api_as("officer-lfw").get(f"/api/v1/attachments/{scan_id}").status_code == 200
    assert api_as("officer-los").get(f"/api/v1/attachments/{scan_id}").status_code == 404
    assert api_as("officer-los").get(f"/api/v1/attachments/{bag_id}").status_code == 200


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_a_truncated_photo_is_refused_even_after_a_pdf_report(api_as, alert_id, media):
    """WeasyPrint switches Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when imported."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as the import left it before the fix
    response = upload(api_as("officer-gru"), alert_id, jpeg_with_gps()[:6000])
    assert response.status_code == 400, response.content
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
