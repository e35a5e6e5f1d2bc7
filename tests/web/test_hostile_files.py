"""Path traversal and downloads: the file routes of alert attachments, seizure photos and
library documents (pages and API) never read or write outside their store, whatever the id,
the stored name or the uploaded file name; downloads carry nosniff, no-store and, for what a
browser could render, Content-Disposition: attachment."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

SECRET = b"TOP-SECRET-OUTSIDE-THE-STORE"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVIL_IDS = [
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fsecret.txt",
    "%2e%2e/%2e%2e/secret.txt",
    "..%5c..%5csecret.txt",
    "..\\..\\secret.txt",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "1%00",
    "1%00.jpg",
    "1/../../secret.txt",
    "1%2f..%2f..%2fsecret.txt",
    "-1",
    "1e3",
    "０１",  # full-width digits
]
EVIL_NAMES = [
    "../../evil.jpg",
    "..\\..\\evil.jpg",
    "/etc/evil.jpg",
    "C:\\Windows\\evil.jpg",
    "evil\x00.jpg",
    "....//....//evil.jpg",
    "..",
    ".htaccess",
    "%2e%2e%2fevil.jpg",
]


def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def store(settings, tmp_path):
    """The file store in a fresh directory, with a secret file just outside it."""
    settings.MEDIA_ROOT = tmp_path / "files"
    (tmp_path / "secret.txt").write_bytes(SECRET)
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "secret.txt").write_bytes(SECRET)
    return tmp_path


@pytest.fixture
def records(store, user_named):
    from aircop.capacity import library
    from aircop.messaging import services
    from aircop.messaging.attachments import add_attachment
    from aircop.seizures import services as seizures
    from aircop.seizures.photos import add_photo

    alert = services.send_alert(
        sender=user_named("officer-gru"),
        kind="general",
        title="With files",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
    )
    lfw = user_named("officer-lfw")
    attachment = add_attachment(user=lfw, alert=alert, uploaded_file=SimpleUploadedFile("bag.jpg", jpeg()))
    pdf = add_attachment(user=lfw, alert=alert, uploaded_file=SimpleUploadedFile("waybill.pdf", PDF))
    seizure = seizures.create_seizure(
        actor=lfw,
        data={
            "occurred_at": "2026-03-14T08:30", "airport": "LFW", "flow": "checked_baggage", "phase": "arrival",
            "direction": "inbound", "concealment": "baggage_lining", "detection": "xray",
            "items": [{"category": "drugs", "subtype": "cocaine", "quantity": "4200", "unit": "g"}],
        },
    )  # fmt: skip
    photo = add_photo(user=lfw, seizure=seizure, uploaded_file=SimpleUploadedFile("goods.jpg", jpeg()))
    document = library.add_document(
        actor=user_named("analyst"),
        uploaded_file=SimpleUploadedFile("sop.txt", b"Standard operating procedure\n\nStep 1: check.\n"),
        data={"kind": "sop", "title": "SOP", "language": "en", "topics": ["cargo"], "readers": "network"},
    )
    return {"attachment": attachment, "pdf": pdf, "photo": photo, "document": document, "alert": alert}


def file_routes(r) -> list[str]:
    """Every route that answers a stored file, with the record's id as ``{id}``."""
    return [
        "/files/attachments/{id}/",
        "/files/attachments/{id}/thumbnail/",
        "/seizures/photos/{id}/",
        "/seizures/photos/{id}/thumbnail/",
        "/capacity/library/{id}/download/",
        "/api/v1/attachments/{id}",
        "/api/v1/attachments/{id}?thumbnail=true",
        "/api/v1/seizure-photos/{id}",
        "/api/v1/seizure-photos/{id}?thumbnail=true",
    ]


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_every_file_route_answers_the_file_to_its_reader(records, client_for):
    client = client_for("officer-lfw")
    ids = {
        "/files/attachments/": records["attachment"].pk, "/seizures/photos/": records["photo"].pk,
        "/capacity/library/": records["document"].pk, "/api/v1/attachments/": records["attachment"].pk,
        "/api/v1/seizure-photos/": records["photo"].pk,
    }  # fmt: skip
    answered = 0
    for route in file_routes(records):
        record_id = next(v for k, v in ids.items() if route.startswith(k))
        response = client.get(route.format(id=record_id))
        assert response.status_code == 200, route
        answered += 1
    assert answered == len(file_routes(records))


@pytest.mark.parametrize("evil", EVIL_IDS)
def test_traversal_in_the_id_of_every_file_route_is_refused(records, client_for, evil):
    client = client_for("officer-lfw")
    for route in file_routes(records):
        response = client.get(route.replace("{id}", evil))
        assert response.status_code in (400, 404, 405, 422), (route, evil, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body and b"root:" not in body


@pytest.mark.parametrize("kind", ["attachment", "photo", "document"])
@pytest.mark.parametrize(
    "stored",
    ["../secret.txt", "../../secret.txt", "/etc/passwd", "..\\secret.txt", "x/../../secret.txt", "a\x00b"],
)
def test_a_tampered_stored_name_never_leads_outside_the_store(records, client_for, kind, stored):
    """Should a row's stored name ever be changed (a restore, a bug), the download still stays in
    its directory: 404, not the file it points at."""
    from django.db import connection

    if "\x00" in stored and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL text cannot hold a NUL byte: no row can carry this name there")
    record = records[kind]
    type(record).objects.filter(pk=record.pk).update(stored_name=stored)
    client = client_for("officer-lfw")
    url = {
        "attachment": f"/files/attachments/{record.pk}/",
        "photo": f"/seizures/photos/{record.pk}/",
        "document": f"/capacity/library/{record.pk}/download/",
    }[kind]
    response = client.get(url)
    assert response.status_code in (400, 404), (kind, stored, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SECRET not in body and b"root:" not in body


def multipart(filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body carrying ``filename`` byte for byte (Django's test helpers would strip
    the directory part before sending)."""
    boundary = "hostileBoundary7MA4YWxk"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode("utf-8", "surrogateescape")
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def assert_stored_inside(store: Path, before: set[Path], folder: str):
    new = all_files(store) - before
    assert new, "nothing stored"
    for path in new:
        assert path.parent == store / "files" / folder, path
        assert re.fullmatch(r"[0-9a-f]{32}(-thumb\.jpg)?", path.name), path.name
    assert (store / "secret.txt").read_bytes() == SECRET  # nothing overwritten
    assert (store / "files" / "secret.txt").read_bytes() == SECRET
    assert not (store / "evil.jpg").exists() and not Path("/etc/evil.jpg").exists()


def assert_clean_name(name: str):
    assert "/" not in name and "\\" not in name and "\x00" not in name and not name.startswith("."), name


@pytest.mark.parametrize("name", EVIL_NAMES)
def test_uploaded_file_names_with_traversal_write_only_inside_the_store(records, store, client_for, name):
    alert = records["alert"]
    client = client_for("officer-lfw")
    # Through the page, the file name as the browser would send it.
    before = all_files(store)
    body, content_type = multipart(name, jpeg())
    response = client.generic("POST", f"/alerts/{alert.pk}/attachments/", body, content_type=content_type)
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 302:
        assert_stored_inside(store, before, "attachments")
        assert_clean_name(alert.attachments.order_by("-pk").first().name)
    # Through the services, with the name exactly as given (no parser in between).
    from aircop.capacity import library
    from aircop.messaging.attachments import add_attachment
    from aircop.seizures.models import Seizure
    from aircop.seizures.photos import add_photo

    def upload(data):
        f = SimpleUploadedFile("x", data)
        f._name = name  # past Django's own clean-up of the name
        return f

    user = records["attachment"].uploaded_by
    for kind, add in (
        ("attachments", lambda: add_attachment(user=user, alert=alert, uploaded_file=upload(jpeg()))),
        ("seizure-photos", lambda: add_photo(user=user, seizure=Seizure.objects.get(), uploaded_file=upload(jpeg()))),
        ("capacity-library", lambda: library.add_document(
            actor=records["document"].uploaded_by, uploaded_file=upload(PDF),
            data={"kind": "sop", "title": "T", "language": "en", "topics": ["cargo"], "readers": "network"})),
    ):  # fmt: skip
        before = all_files(store)
        row = add()
        assert_stored_inside(store, before, kind)
        assert_clean_name(row.name)


def test_downloads_are_nosniff_no_store_and_attachments_when_a_browser_could_render_them(records, client_for):
    client = client_for("officer-lfw")
    checks = [
        (f"/files/attachments/{records['attachment'].pk}/", "image/jpeg", False),
        (f"/files/attachments/{records['attachment'].pk}/thumbnail/", "image/jpeg", False),
        (f"/files/attachments/{records['pdf'].pk}/", "application/pdf", True),
        (f"/seizures/photos/{records['photo'].pk}/", "image/jpeg", False),
        (f"/capacity/library/{records['document'].pk}/download/", "text/plain", True),
    ]
    for url, kind, must_download in checks:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(kind), (url, response["Content-Type"])
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        disposition = response.get("Content-Disposition", "")
        if must_download:
            assert disposition.startswith("attachment"), (url, disposition)
        else:
            assert disposition.startswith(("inline", "attachment")), (url, disposition)
        assert "\n" not in disposition and "\r" not in disposition
        b"".join(response.streaming_content)  # not close(): that would signal the request's end


def test_a_hostile_file_name_cannot_inject_into_the_download_headers(records, client_for):
    from aircop.messaging.attachments import add_attachment

    user = records["attachment"].uploaded_by
    nasty = 'bag"; filename=evil.html\r\nSet-Cookie: x=1\r\n.jpg'
    attachment = add_attachment(
        user=user, alert=records["alert"], uploaded_file=SimpleUploadedFile(nasty, jpeg())
    )
    response = client_for("officer-lfw").get(f"/files/attachments/{attachment.pk}/")
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "Set-Cookie" not in response
    # One quoted file name: whatever the name held stays inside the quotes.
    assert re.fullmatch(r'inline; filename="(?:[^"\\]|\\.)*"', disposition), disposition
    b"".join(response.streaming_content)
