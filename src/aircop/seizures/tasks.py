"""Background handlers of the seizure register (core/tasks.py): the web's CSV import."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from aircop.core import uploads
from aircop.core.tasks import handler, upload_consumed
from aircop.seizures import importer

IMPORT_KIND = "seizures.import"
MAX_PROBLEMS_KEPT = 1000


def imports_dir() -> Path:
    """Uploaded files waiting for their import, outside the web root; removed once imported."""
    return Path(settings.MEDIA_ROOT) / "imports"


def keep_upload(data: bytes) -> str:
    return uploads.keep_for_task(imports_dir(), data, ".csv")


@handler(IMPORT_KIND)
def run_import(task, progress) -> dict:
    payload = task.payload
    path = imports_dir() / Path(payload["stored"]).name  # a bare name: never a path from elsewhere
    with upload_consumed(path):
        report = importer.import_csv(
            path.read_bytes(),
            actor=task.created_by,
            name=payload.get("name", ""),
            unit=payload.get("unit") or None,
            dry_run=bool(payload.get("dry_run")),
            submit=bool(payload.get("submit", True)),
            progress=progress,
        )
    return {
        "name": report.name,
        "rows": report.rows,
        "created": report.created,
        "dry_run": report.dry_run,
        "problem_count": len(report.problems),
        "problems": [
            {"line": p.line, "column": p.column, "message": p.message}
            for p in report.problems[:MAX_PROBLEMS_KEPT]
        ],
    }
