"""Infrastructure failures answered plainly: a full file store is a 507 and leaves nothing
behind (no row, no partly written file); an unreachable database is a 503; both say that
nothing was saved and carry Retry-After."""

from __future__ import annotations

import contextlib
import os
import subprocess
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client, RequestFactory

from aircop.core import failures, uploads
from aircop.messaging.models import Attachment
from tests.messaging.conftest import PASSENGER
from tests.messaging.test_attachments import jpeg_with_gps


@contextlib.contextmanager
def small_disk(path, size="2m"):
    """A real, small file system (tmpfs) at ``path``; skips where mounting is not allowed."""
    path.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip()}): the full-disk test needs one")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(path) -> None:
    """Write until the file system says ENOSPC."""
    with open(path / "filler", "wb") as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
            os.fsync(fh.fileno())


def test_a_full_store_is_a_507_and_nothing_is_left_behind(settings, tmp_path, api_as):
    api = api_as("officer-gru")
    alert = api.post("/api/v1/alerts", PASSENGER, content_type="application/json").json()["id"]
    with small_disk(tmp_path / "files") as store:
        settings.MEDIA_ROOT = store
        (store / "attachments").mkdir()
        fill(store)
        before = Attachment.objects.count()
        client = api_as("officer-gru")
        client.raise_request_exception = False
        response = client.post(
            f"/api/v1/alerts/{alert}/attachments",
            {"file": SimpleUploadedFile("photo.jpg", jpeg_with_gps(), content_type="image/jpeg")},
        )
        assert response.status_code == 507, response.content
        assert response["Retry-After"] == str(failures.RETRY_AFTER_SECONDS)
        assert response.json() == {"detail": "The file store is full: nothing was saved. Try again later."}
        assert Attachment.objects.count() == before
        assert list((store / "attachments").iterdir()) == []  # no partly written file
        (store / "filler").unlink()
        again = client.post(
            f"/api/v1/alerts/{alert}/attachments",
            {"file": SimpleUploadedFile("photo.jpg", jpeg_with_gps(), content_type="image/jpeg")},
        )
        assert again.status_code == 201


def test_a_write_that_fails_half_way_removes_its_file(tmp_path):
    with small_disk(tmp_path / "disk", "1m") as disk:
        with pytest.raises(uploads.StoreFull):
            uploads._write_new(disk / "big", b"x" * (3 * 1024 * 1024))
        assert list(disk.iterdir()) == []


@pytest.mark.parametrize("path", ["/api/v1/alerts", "/alerts/"])
def test_an_unreachable_database_is_a_503(path):
    request = RequestFactory().post(path)
    try:
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    except OperationalError:
        response = failures.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == str(failures.RETRY_AFTER_SECONDS)
    text = response.content.decode()
    assert "The database is not reachable at the moment: nothing was saved. Try again." in text
    assert "5432" not in text  # nothing of the server's address or the exception goes out


def test_other_failures_stay_500_without_details(db):
    request = RequestFactory().get("/api/v1/whatever")
    marker = uuid.uuid4().hex
    try:
        raise RuntimeError(marker)
    except RuntimeError:
        response = failures.server_error(request)
    assert response.status_code == 500 and marker not in response.content.decode()
    client = Client(raise_request_exception=False)
    assert client.get("/healthz").status_code == 200
