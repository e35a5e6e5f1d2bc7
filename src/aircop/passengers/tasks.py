"""Background handlers of passenger data (core/tasks.py): a file uploaded through the API or
the web is read and stored by the worker (in the server's process when embedded, by `aircop
worker` beside PostgreSQL and Redis), with its progress visible."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from aircop.core import uploads
from aircop.core.tasks import handler, upload_consumed
from aircop.passengers import services

INGEST_KIND = "passengers.ingest"


def uploads_dir() -> Path:
    """Files waiting to be read, outside the web root; removed once read."""
    return Path(settings.MEDIA_ROOT) / "passenger-uploads"


def keep_upload(data: bytes) -> str:
    return uploads.keep_for_task(uploads_dir(), data, ".dat")


@handler(INGEST_KIND)
def run_ingest(task, progress) -> dict:
    payload = task.payload
    path = uploads_dir() / Path(payload["stored"]).name  # a bare name: never a path from elsewhere
    with upload_consumed(path):
        report = services.ingest(
            path.read_bytes(),
            name=payload.get("name", ""),
            source=payload.get("source", "api"),
            actor=task.created_by,
            progress=progress,
        )
    return report.as_json()
