"""Attachments on alerts: photos (JPEG, PNG, WebP) and PDFs.

- The type is decided by the bytes (filetype's magic numbers; Pillow must decode an image,
  a PDF must start with ``%PDF-``), never by the file's name or the client's Content-Type.
- Files live under ``MEDIA_ROOT/attachments``, outside the web root, under a random name;
  the user's file name is kept, cleaned, in the row only. Nothing serves that directory:
  files go out through views that check visibility first (messaging/files.py).
- The original is kept byte for byte as uploaded (evidence integrity) with its SHA-256.
  Images get a small JPEG thumbnail for slow links, with the EXIF orientation applied and
  every piece of metadata (GPS position, camera, comments) left out.
- Nothing half-saved: the files are written inside the transaction and removed again when
  anything fails before the commit.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import secrets
import unicodedata
from pathlib import Path

import filetype
from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.core.visibility import get_visible_or_404
from aircop.messaging import services
from aircop.messaging.events import publish
from aircop.messaging.models import Alert, Attachment, Message

log = logging.getLogger("aircop.messaging.attachments")

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg": {"JPEG", "MPO"}, "image/png": {"PNG"}, "image/webp": {"WEBP"}}
PDF = "application/pdf"
ALLOWED_TYPES = (*IMAGE_TYPES, PDF)
NAME_LIMIT = 200
THUMBNAIL_SIZE = 320
THUMBNAIL_QUALITY = 70
THUMBNAIL_SUFFIX = "-thumb.jpg"
# Pixels, not bytes: a small compressed file can expand to gigabytes once decoded.
MAX_PIXELS = 50_000_000


def max_bytes() -> int:
    return getattr(settings, "AIRCOP_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def storage_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "attachments"


def _human(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} B"


def clean_name(name: str | None) -> str:
    """The user's file name, for display and download only: last path part, no control or
    direction-override characters, no leading dots, at most 200 characters (extension kept)."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] not in "CZ" or c == " ")
    name = name.strip().lstrip(".").strip()
    if not name:
        return "attachment"
    if len(name) > NAME_LIMIT:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: NAME_LIMIT - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:NAME_LIMIT].rstrip()
    return name


def _read_limited(uploaded_file, limit: int) -> bytes:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise ServiceError(
            _("the file is too large (%(size)s); the limit is %(limit)s")
            % {"size": _human(size), "limit": _human(limit)},
            field="file",
        )
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    chunks, total = [], 0
    for chunk in uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]:
        total += len(chunk)
        if total > limit:  # the announced size was wrong: never trust it alone
            raise ServiceError(
                _("the file is larger than the limit of %(limit)s") % {"limit": _human(limit)},
                field="file",
            )
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise ServiceError(_("the file is empty"), field="file")
    return data


_TEXT_SIGNS = (
    (b"<!doctype html", "text/html"),
    (b"<html", "text/html"),
    (b"<script", "text/html"),
    (b"<svg", "image/svg+xml"),
    (b"<?xml", "application/xml"),
)


def sniff(data: bytes) -> str:
    """The content type the bytes show, whatever the file is called."""
    kind = filetype.guess(data)
    if kind is not None:
        return kind.mime
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for sign, mime in _TEXT_SIGNS:
        if head.startswith(sign):
            return mime
    if b"<script" in head or b"<html" in head:
        return "text/html"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def _refuse_type(detected: str) -> ServiceError:
    return ServiceError(
        _("files of type %(type)s are not accepted (detected from the content); allowed: %(allowed)s")
        % {"type": detected, "allowed": "JPEG, PNG, WebP, PDF"},
        field="file",
    )


def _unreadable_image(detected: str) -> ServiceError:
    return ServiceError(
        _("the file looks like %(type)s but cannot be read as an image (damaged or incomplete)")
        % {"type": detected},
        field="file",
    )


def _thumbnail(data: bytes, content_type: str) -> bytes:
    """Decode the image completely (a damaged one is refused) and return a JPEG thumbnail
    made from the pixels alone: no EXIF, XMP, ICC profile or comment is carried over."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_TYPES[content_type]:
                raise _unreadable_image(content_type)
            if probe.width * probe.height > MAX_PIXELS:
                raise ServiceError(
                    _("the image is too large (%(w)d x %(h)d pixels); the limit is %(n)d megapixels")
                    % {"w": probe.width, "h": probe.height, "n": MAX_PIXELS // 1_000_000},
                    field="file",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as decoded:
            decoded.draft("RGB", (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))  # JPEG: decode at reduced scale
            image = ImageOps.exif_transpose(decoded)  # loads (decodes) every pixel
            image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
            if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                image = image.convert("RGBA")
                mask = image.getchannel("A")
            else:
                mask = None
            rgb = image.convert("RGB")
            clean = Image.new("RGB", rgb.size, "white")  # a fresh image: pixels only, empty info
            clean.paste(rgb, mask=mask)
    except ServiceError:
        raise
    except Exception as exc:  # Pillow's decoders raise many kinds (OSError, SyntaxError, struct.error ...)
        log.info("refused an image that does not decode: %r", exc)
        raise _unreadable_image(content_type) from None
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def _validate(data: bytes) -> tuple[str, bytes | None]:
    """(content type, thumbnail or None), or a ServiceError naming the field ``file``."""
    detected = sniff(data)
    if detected not in ALLOWED_TYPES:
        raise _refuse_type(detected)
    if detected == PDF:
        if not data.startswith(b"%PDF-"):
            raise ServiceError(
                _("the file does not start with the PDF header %(header)s") % {"header": "%PDF-"},
                field="file",
            )
        return detected, None
    return detected, _thumbnail(data, detected)


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("could not remove %s after a failed upload", path)


def _may_attach(user, alert: Alert) -> None:
    """The same people who may reply in the thread: the sending unit or a receiving unit
    (which also means the alert is visible to them)."""
    if alert.sender_unit_id not in user.unit_ids():
        services._member_recipient(user, alert)


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
    data = _read_limited(uploaded_file, max_bytes())
    content_type, thumbnail = _validate(data)
    written: list[Path] = []
    try:
        stored_name = _store(data, thumbnail, written)
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
        _remove(written)
        raise


def _store(data: bytes, thumbnail: bytes | None, written: list[Path]) -> str:
    directory = storage_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = secrets.token_hex(16)
    original = directory / stored_name
    _write_new(original, data)
    written.append(original)
    if thumbnail is not None:
        thumb = directory / f"{stored_name}{THUMBNAIL_SUFFIX}"
        _write_new(thumb, thumbnail)
        written.append(thumb)
    return stored_name


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
    """Where the file is on disk; 404 when the stored name would lead outside the
    attachments directory or the file is missing."""
    base = storage_dir().resolve()
    file_name = attachment.stored_name + (THUMBNAIL_SUFFIX if thumbnail else "")
    path = (base / file_name).resolve()
    if path.parent != base:
        log.error(
            "attachment %s: stored name %r leads outside %s", attachment.pk, attachment.stored_name, base
        )
        raise Http404("not found")
    if not path.is_file():
        log.error("attachment %s: file %s is missing", attachment.pk, path)
        raise Http404("not found")
    return path


def download_name(attachment: Attachment, *, thumbnail: bool = False) -> str:
    if not thumbnail:
        return attachment.name
    stem = attachment.name.rsplit(".", 1)[0] if "." in attachment.name else attachment.name
    return f"{stem}-thumbnail.jpg"


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
