"""Attachments on alerts: photos (JPEG, PNG, WebP) and PDFs, checked and stored by
core/uploads.py (by their bytes, outside the web root, originals kept byte for byte,
thumbnails without metadata). Nothing half-saved: the files are written before the
transaction and removed again when it does not commit."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.core import uploads
from aircop.core.errors import ServiceError
from aircop.core.uploads import IMAGE_TYPES, PDF, clean_name, max_bytes  # noqa: F401  (used by the API and tests)
from aircop.core.visibility import get_visible_or_404
from aircop.messaging import audience, services
from aircop.messaging.events import publish
from aircop.messaging.models import Alert, Attachment, Message

KIND = "attachments"


def _may_attach(user, alert: Alert) -> None:
    """The same people who may reply in the thread: the sending unit or a receiving unit
    (which also means the alert is visible to them)."""
    if alert.sender_unit_id not in user.unit_ids():
        services._member_recipient(user, alert)
    audience.check_channel_open(alert)


def add_attachment(
    *, user, alert: Alert, uploaded_file, message: Message | None = None, nominal: bool = False
) -> Attachment:
    """Attach a photo or PDF to an alert (and optionally to one message of its thread).

    Reading, checking and thumbnailing the file happen before the transaction starts, so
    the database's write lock is not held while an image decodes. The files are written,
    then the row, audit entry and event in one atomic transaction; when that transaction
    does not commit (including a failing commit) the files written are removed again."""
    with transaction.atomic():  # refuse early, before decoding anything
        _may_attach(user, alert)
    if message is not None and message.alert_id != alert.pk:
        raise ServiceError(_("this message belongs to another alert"), field="message")
    name = clean_name(getattr(uploaded_file, "name", ""))
    data = uploads.read_limited(uploaded_file, max_bytes())
    content_type, thumbnail = uploads.check(data)
    written: list[Path] = []
    try:
        stored_name = uploads.store(KIND, data, thumbnail, written)
        return _save(
            user=user,
            alert=alert,
            message=message,
            name=name,
            content_type=content_type,
            data=data,
            stored_name=stored_name,
            has_thumbnail=thumbnail is not None,
            nominal=nominal,
        )
    except BaseException:
        uploads.remove(written)
        raise


@transaction.atomic
def _save(
    *,
    user,
    alert: Alert,
    message,
    name: str,
    content_type: str,
    data: bytes,
    stored_name: str,
    has_thumbnail,
    nominal: bool = False,
) -> Attachment:
    _may_attach(user, alert)
    sha256 = hashlib.sha256(data).hexdigest()
    attachment = Attachment.objects.create(
        alert=alert,
        message=message,
        uploaded_by=user,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=sha256,
        stored_name=stored_name,
        has_thumbnail=has_thumbnail,
        nominal=nominal,
        created_at=timezone.now(),
    )
    Alert.objects.filter(pk=alert.pk).update(updated_at=attachment.created_at)
    record(
        user,
        "attachment.added",
        attachment,
        data={
            "alert": alert.pk,
            "message": message.pk if message is not None else None,
            "name": name,
            "content_type": content_type,
            "size": len(data),
            "sha256": sha256,
            "nominal": nominal,
        },
    )
    # A nominal file's name may itself be nominal ("passport DOE.jpg"): the event, heard by
    # the whole audience, then says only that a restricted file was added.
    publish(
        alert,
        "attachment.added",
        {"attachment": attachment.pk, "nominal": True}
        if nominal
        else {"attachment": attachment.pk, "name": name, "content_type": content_type, "size": len(data)},
    )
    return attachment


def get_attachment(user, attachment_id: int) -> Attachment:
    """The attachment if the user may see its alert; 404 otherwise."""
    return get_visible_or_404(Attachment, user, pk=attachment_id)


def stored_path(attachment: Attachment, *, thumbnail: bool = False) -> Path:
    """Where the file is on disk; 404 when it is not where it should be."""
    return uploads.stored_path(
        KIND, attachment.stored_name, thumbnail=thumbnail, label=f"attachment {attachment.pk}"
    )


def download_name(attachment: Attachment, *, thumbnail: bool = False) -> str:
    return uploads.thumbnail_name(attachment.name) if thumbnail else attachment.name


def _open(user, attachment_id: int, thumbnail: bool) -> tuple[Attachment, Path, str, str]:
    attachment = get_attachment(user, attachment_id)
    if thumbnail and not attachment.has_thumbnail:
        raise Http404("not found")
    path = stored_path(attachment, thumbnail=thumbnail)
    content_type = "image/jpeg" if thumbnail else attachment.content_type
    return attachment, path, content_type, download_name(attachment, thumbnail=thumbnail)


def open_attachment(user, attachment_id: int, *, thumbnail: bool = False) -> tuple[Path, str, str]:
    """(path on disk, sniffed content type, name to show) of an attachment the user may see.
    404 when it is not visible, has no thumbnail, or its file is not where it should be."""
    _attachment, path, content_type, name = _open(user, attachment_id, thumbnail)
    return path, content_type, name


def read_attachment(user, attachment_id: int, *, thumbnail: bool = False) -> tuple[Path, str, str]:
    """open_attachment, and the read written to the audit log ("attachment.read")."""
    attachment, path, content_type, name = _open(user, attachment_id, thumbnail)
    record(user, "attachment.read", attachment, data={"alert": attachment.alert_id, "thumbnail": thumbnail})
    return path, content_type, name
