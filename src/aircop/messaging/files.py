"""Serving attachments: /files/attachments/<id>/ and /files/attachments/<id>/thumbnail/.

The only way out for an attachment's bytes. Each request goes through the same visibility
check as the alert (404 for anyone outside it), is written to the audit log, and answers
with the content type sniffed at upload, never one guessed from the name."""

from __future__ import annotations

from django.http import FileResponse
from django.views.decorators.http import require_safe

from aircop.messaging.attachments import PDF, read_attachment


def attachment_response(user, attachment_id: int, *, thumbnail: bool = False) -> FileResponse:
    """The file as an HTTP response, after the visibility check and the audit entry.
    Shared by these views and the API."""
    path, content_type, name = read_attachment(user, attachment_id, thumbnail=thumbnail)
    response = FileResponse(
        path.open("rb"),
        content_type=content_type,
        as_attachment=content_type == PDF,  # a PDF is downloaded, never rendered in our origin
        filename=name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def download(request, attachment_id: int):
    return attachment_response(request.user, attachment_id)


@require_safe
def thumbnail(request, attachment_id: int):
    return attachment_response(request.user, attachment_id, thumbnail=True)
