"""/api/v1/alerts/{id}/attachments and /api/v1/attachments/{id}: thin, like messaging/api.py.
A ServiceError becomes 400 (403 for a refusal) naming its field; an alert or attachment
outside the caller's view is 404."""

from __future__ import annotations

from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aircop.core.api_schemas import DetailErrorOut
from aircop.core.errors import ServiceError
from aircop.messaging import attachments, selectors
from aircop.messaging.files import attachment_response

router = Router(tags=["attachments"])


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    has_thumbnail: bool
    url: str
    thumbnail_url: str | None


def _out(a) -> dict:
    url = reverse("api:attachment_file", kwargs={"attachment_id": a.pk})
    return {
        "id": a.pk,
        "name": a.name,
        "content_type": a.content_type,
        "size": a.size,
        "sha256": a.sha256,
        "has_thumbnail": a.has_thumbnail,
        "url": url,
        "thumbnail_url": f"{url}?thumbnail=true" if a.has_thumbnail else None,
    }


@router.post(
    "/alerts/{alert_id}/attachments",
    response={201: AttachmentOut, 400: DetailErrorOut, 403: DetailErrorOut},
    summary="Attach a photo (JPEG, PNG, WebP) or a PDF to an alert",
)
def upload(request, alert_id: int, file: File[UploadedFile], nominal: Form[bool] = False):
    """Multipart form with one part, ``file``. The type is read from the content, not the
    name; images get a 320-pixel JPEG thumbnail without metadata. ``nominal=true`` marks a
    photo of a person or an identity document: it is then restricted like names."""
    alert = selectors.alert(request.user, alert_id)
    try:
        attachment = attachments.add_attachment(
            user=request.user, alert=alert, uploaded_file=file, nominal=nominal
        )
    except ServiceError as exc:
        status = 403 if exc.code == "forbidden" else 400
        raise HttpError(status, f"{exc.field}: {exc.message}" if exc.field else exc.message) from None
    return Status(201, _out(attachment))


@router.get(
    "/attachments/{attachment_id}",
    url_name="attachment_file",
    summary="The attached file itself (or its thumbnail with ?thumbnail=true)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file, with the content type detected at upload",
                "content": {t: {} for t in (*attachments.IMAGE_TYPES, attachments.PDF)},
            },
            "404": {"description": "No such attachment, or not visible to you"},
        }
    },
)
def download(request, attachment_id: int, thumbnail: bool = False):
    return attachment_response(request.user, attachment_id, thumbnail=thumbnail)
