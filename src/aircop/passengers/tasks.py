"""Background handlers of passenger data (core/tasks.py): a file uploaded through the API or
the web is read and stored by the worker (in the server's process when embedded, by `aircop
worker` beside PostgreSQL and Redis), with its progress visible."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings

from aircop.core.tasks import handler
from aircop.passengers import services

INGEST_KIND = "passengers.ingest"


def uploads_dir() -> Path:
    """Files waiting to be read, outside the web root; removed once read."""
    return Path(settings.MEDIA_ROOT) / "passenger-uploads"


def keep_upload(data: bytes) -> str:
    directory = uploads_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = secrets.token_hex(16) + ".dat"
    path = directory / stored
    with path.open("xb") as fd:
        fd.write(data)
    path.chmod(0o600)
    return stored


@handler(INGEST_KIND)
def run_ingest(task, progress) -> dict:
    payload = task.payload
    path = uploads_dir() / Path(payload["stored"]).name  # a bare name: never a path from elsewhere
    try:
        report = services.ingest(
            path.read_bytes(),
            name=payload.get("name", ""),
            source=payload.get("source", "api"),
            actor=task.created_by,
            progress=progress,
        )
    finally:
        path.unlink(missing_ok=True)
    return report.as_json()
