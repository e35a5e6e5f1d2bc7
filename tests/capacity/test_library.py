"""The good-practices library: files checked by content and stored outside the web root,
published by programme staff, read per their readers scope (404 otherwise), downloaded
only by signed-in readers, every download audited; search."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from aircop.audit.models import AuditEntry
from aircop.capacity import library, selectors_library
from aircop.capacity.models import Document
from aircop.capacity.validation import CapacityInvalid
from aircop.core.errors import ServiceError
from aircop.network.models import Unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXT = "Standard operating procedure\n\nÉtape 1 : contrôle.\n".encode()


def make_document(**overrides) -> Document:
    now = timezone.now()
    fields = {
        "kind": "sop", "title": "SOP", "language": "en", "owner_unit": Unit.objects.get(code="aircop-pcu"),
        "name": "sop.txt", "content_type": "text/plain", "size": 3, "sha256": "0" * 64,
        "stored_name": hashlib.sha256(str(overrides).encode()).hexdigest()[:32], "created_at": now, "updated_at": now,
    }  # fmt: skip
    fields.update(overrides)
    return Document.objects.create(**fields)


def details(**overrides) -> dict:
    data = {
        "kind": "sop",
        "title": "Controlled delivery of air cargo",
        "summary": "How to follow a consignment with the other agencies.",
        "language": "en",
        "topics": ["cargo", "intelligence"],
        "readers": "network",
        "targets": [],
    }
    data.update(overrides)
    return data


def publish(user_named, data=None, content=PDF, name="sop.pdf", by="analyst") -> Document:
    return library.add_document(
        actor=user_named(by), uploaded_file=SimpleUploadedFile(name, content), data=data or details()
    )


def stored_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / library.KIND
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_pdf_is_stored_outside_the_web_root_under_a_random_name(user_named):
    document = publish(user_named)
    (path,) = stored_files()
    assert path.name == document.stored_name and "sop" not in path.name
    assert path.read_bytes() == PDF and document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (document.content_type, document.size, document.name) == ("application/pdf", len(PDF), "sop.pdf")
    assert sorted(document.topics.values_list("code", flat=True)) == ["cargo", "intelligence"]
    assert document.owner_unit.code == "aircop-pcu"
    entry = AuditEntry.objects.get(action="document.added", object_id=str(document.pk))
    assert entry.data["sha256"] == document.sha256 and entry.data["readers"] == "network"


def test_plain_text_is_accepted(user_named):
    document = publish(user_named, content=TEXT, name="note.txt")
    assert document.content_type == "text/plain"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "note.txt"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "note.pdf"),
        (b"\xff\xfe\x00n\x00o\x00t", "note.txt"),
        (b"", "empty.pdf"),
    ],
)
def test_other_content_is_refused_naming_the_file(user_named, content, name):
    with pytest.raises(ServiceError) as exc:
        publish(user_named, content=content, name=name)
    assert exc.value.field == "file"
    assert not stored_files() and not Document.objects.exists()


def test_the_size_limit(user_named, settings):
    settings.AIRCOP_LIBRARY_MAX_BYTES = 20
    with pytest.raises(ServiceError) as exc:
        publish(user_named)
    assert exc.value.field == "file" and "limit" in exc.value.message


def test_bad_details_are_named_and_nothing_is_stored(user_named):
    with pytest.raises(CapacityInvalid) as exc:
        publish(user_named, details(title="", language="de", topics=[], readers="region", targets=["SN"]))
    assert [p.field for p in exc.value.problems] == ["title", "language", "topics", "targets[0]"]
    with pytest.raises(CapacityInvalid) as exc:
        publish(user_named, details(targets=["wca"]))
    assert [p.field for p in exc.value.problems] == ["targets"]
    assert not stored_files()


def test_only_programme_staff_publish(user_named):
    for username in ("officer-lfw", "coordinator-tg", "auditor"):
        with pytest.raises(ServiceError) as exc:
            publish(user_named, by=username)
        assert exc.value.code == "forbidden"
    assert publish(user_named, by="admin").pk


@pytest.mark.parametrize(
    ("readers", "targets", "may", "may_not"),
    [
        (
            "network",
            [],
            ["officer-lfw", "coordinator-tg", "analyst", "auditor"],
            ["liaison-gh", "airline-af"],
        ),
        ("region", ["wca"], ["officer-lfw", "officer-dss", "coordinator-sn"], ["officer-bog", "liaison-gh"]),
        ("country", ["SN"], ["officer-dss", "coordinator-sn", "admin"], ["officer-lfw", "airline-af"]),
        (
            "units",
            ["jaitf-acc", "liaison-gh"],
            ["officer-acc", "liaison-gh"],
            ["officer-lfw", "coordinator-tg"],
        ),
    ],
)
def test_who_reads_a_document(user_named, readers, targets, may, may_not):
    document = publish(user_named, details(readers=readers, targets=targets))
    for username in may:
        assert selectors_library.document(user_named(username), document.pk) == document, username
    for username in may_not:
        assert not selectors_library.documents(user_named(username)).filter(pk=document.pk).exists(), username


def test_the_download_is_for_signed_in_readers_only_and_audited(user_named, client_for, api_as):
    document = publish(user_named, details(readers="country", targets=["SN"]))
    url = f"/capacity/library/{document.pk}/download/"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    assert client_for("officer-lfw").get(url).status_code == 404
    response = client_for("officer-dss").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    read = AuditEntry.objects.filter(action="document.read", object_id=str(document.pk))
    assert read.count() == 1 and read.get().actor.username == "officer-dss"
    api_url = f"/api/v1/capacity/library/{document.pk}/file"
    assert Client().get(api_url).status_code == 401
    assert api_as("officer-lfw").get(api_url).status_code == 404
    assert api_as("coordinator-sn").get(api_url).status_code == 200
    assert not (Path(settings.STATIC_ROOT) / library.KIND).exists()


def test_a_text_download_says_its_charset(user_named, client_for):
    document = publish(user_named, content=TEXT, name="note.txt")
    response = client_for("officer-lfw").get(f"/capacity/library/{document.pk}/download/")
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_search_by_words_topic_language_and_kind(user_named):
    cargo = publish(user_named)
    note = publish(
        user_named,
        details(kind="good_practice", title="Swallowers at arrival", summary="Behavioural indicators", language="fr",
                topics=["behavioural_analysis"]),
        content=TEXT, name="n.txt",
    )  # fmt: skip
    officer = user_named("officer-lfw")
    assert list(selectors_library.documents(officer, q="cargo delivery")) == [cargo]
    assert list(selectors_library.documents(officer, q="INDICATORS")) == [note]
    assert list(selectors_library.documents(officer, topic="behavioural_analysis")) == [note]
    assert list(selectors_library.documents(officer, language="en")) == [cargo]
    assert list(selectors_library.documents(officer, kind="good_practice")) == [note]
    assert list(selectors_library.documents(officer, q="nothing-like-this")) == []


def test_update_changes_details_and_readers(user_named):
    document = publish(user_named)
    library.update_document(
        actor=user_named("analyst"), document=document, data={"readers": "units", "targets": ["jaitf-acc"]}
    )
    assert library.as_input(document)["targets"] == ["jaitf-acc"]
    assert not selectors_library.documents(user_named("officer-lfw")).filter(pk=document.pk).exists()
    with pytest.raises(ServiceError):
        library.update_document(actor=user_named("officer-acc"), document=document, data={"title": "Mine"})
