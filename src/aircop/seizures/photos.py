"""Photos of a seizure: the goods, the concealment, a person or a document. Files are checked
and stored by core/uploads.py; the recording unit adds them; readers follow the record's
visibility, and a nominal photo its nominal-data rule (docs/handling.md, Seizures)."""

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
from aircop.core.visibility import get_visible_or_404
from aircop.seizures import codes
from aircop.seizures.models import Seizure, SeizurePhoto
from aircop.seizures.services import RECORDING_ROLES

KIND = "seizure-photos"
MAX_PHOTOS = 30


def _may_add(user, seizure: Seizure) -> None:
    if seizure.unit_id not in user.unit_ids():
        raise ServiceError(_("only the recording unit adds photos"), field="file", code="forbidden")
    if user.role not in RECORDING_ROLES:  # liaison officers, airline contacts, auditors
        raise ServiceError(_("your role cannot record seizures"), field="file", code="forbidden")
    if seizure.status == codes.Status.VALIDATED:  # a validated record is locked (docs/seizures.md)
        raise ServiceError(  # the same answer as editing or submitting it: 403 on status
            _("a validated seizure cannot be changed; ask the unit head to reopen it"),
            field="status",
            code="forbidden",
        )
    if seizure.photos.count() >= MAX_PHOTOS:
        raise ServiceError(_("a seizure has at most %(n)d photos") % {"n": MAX_PHOTOS}, field="file")


def add_photo(*, user, seizure: Seizure, uploaded_file, nominal: bool = False) -> SeizurePhoto:
    """Check the file (before any transaction: decoding an image must not hold the write lock),
    write it, then the row and the audit entry atomically; the files go again if that fails."""
    with transaction.atomic():
        _may_add(user, seizure)
    name = uploads.clean_name(getattr(uploaded_file, "name", ""))
    data = uploads.read_limited(uploaded_file, uploads.max_bytes())
    content_type, thumbnail = uploads.check(data)
    written: list[Path] = []
    try:
        stored_name = uploads.store(KIND, data, thumbnail, written)
        with transaction.atomic():
            _may_add(user, seizure)
            sha256 = hashlib.sha256(data).hexdigest()
            photo = SeizurePhoto.objects.create(
                seizure=seizure,
                uploaded_by=user,
                name=name,
                content_type=content_type,
                size=len(data),
                sha256=sha256,
                stored_name=stored_name,
                has_thumbnail=thumbnail is not None,
                nominal=nominal,
                created_at=timezone.now(),
            )
            record(
                user,
                "seizure.photo_added",
                photo,
                data={
                    "seizure": seizure.pk,
                    "name": name,
                    "size": len(data),
                    "sha256": sha256,
                    "nominal": nominal,
                },
            )
            return photo
    except BaseException:
        uploads.remove(written)
        raise


def read_photo(user, photo_id: int, *, thumbnail: bool = False) -> tuple[Path, str, str]:
    """(path, content type, name) of a photo the user may see, the read audited; 404 otherwise."""
    photo = get_visible_or_404(SeizurePhoto, user, pk=photo_id)
    if thumbnail and not photo.has_thumbnail:
        raise Http404("not found")
    path = uploads.stored_path(
        KIND, photo.stored_name, thumbnail=thumbnail, label=f"seizure photo {photo.pk}"
    )
    record(user, "seizure.photo_read", photo, data={"seizure": photo.seizure_id, "thumbnail": thumbnail})
    if thumbnail:
        return path, "image/jpeg", uploads.thumbnail_name(photo.name)
    return path, photo.content_type, photo.name


def photo_response(user, photo_id: int, *, thumbnail: bool = False):
    """The file as an HTTP response, after the visibility check and the audit entry (API and pages)."""
    from django.http import FileResponse

    path, content_type, name = read_photo(user, photo_id, thumbnail=thumbnail)
    response = FileResponse(
        path.open("rb"), content_type=content_type, as_attachment=content_type == uploads.PDF, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
