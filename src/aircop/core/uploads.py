"""Uploaded files (photos, PDFs) for any record that carries them: alert attachments and
seizure photos. Checked by their bytes, stored outside the web root under random names.

- The type is decided by the bytes (filetype's magic numbers; Pillow must decode an image,
  a PDF must start with ``%PDF-``), never by the file's name or the client's Content-Type.
- Files live under ``MEDIA_ROOT/<kind>``, outside the web root, under a random name; the
  user's file name is kept, cleaned, in the row only. Nothing serves those directories:
  files go out through views that check visibility first.
- The original is kept byte for byte as uploaded (evidence integrity) with its SHA-256.
  Images get a small JPEG thumbnail for slow links, with the EXIF orientation applied and
  every piece of metadata (GPS position, camera, comments) left out.
- Nothing half-saved: callers write the files first, then the row inside a transaction, and
  call ``remove`` on the files written when anything fails before the commit.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import secrets
import unicodedata
from pathlib import Path

import filetype
from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps

from aircop.core.errors import ServiceError

log = logging.getLogger("aircop.core.uploads")

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


def storage_dir(kind: str) -> Path:
    """Where files of ``kind`` (attachments, seizure-photos) live."""
    return Path(settings.MEDIA_ROOT) / kind


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


def read_limited(uploaded_file, limit: int) -> bytes:
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
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # a library switched it on for the whole process
        log.warning("PIL.ImageFile.LOAD_TRUNCATED_IMAGES was on: switched off for upload checks")
        ImageFile.LOAD_TRUNCATED_IMAGES = False
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
    except Image.DecompressionBombError:  # Pillow's own limit (far above ours), met in open()
        raise ServiceError(
            _("the image is too large; the limit is %(n)d megapixels") % {"n": MAX_PIXELS // 1_000_000},
            field="file",
        ) from None
    except Exception as exc:  # Pillow's decoders raise many kinds (OSError, SyntaxError, struct.error ...)
        log.info("refused an image that does not decode: %r", exc)
        raise _unreadable_image(content_type) from None
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def check(data: bytes) -> tuple[str, bytes | None]:
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


class StoreFull(Exception):
    """The file store has no room left (or the quota is spent): nothing of the file was kept.
    Answered as 507 with Retry-After (core/failures.py)."""


def _write_new(path: Path, data: bytes) -> None:
    """Write a new file completely or not at all: a write that fails half-way (a full disk)
    leaves nothing behind."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException as exc:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("could not remove the partly written %s", path)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            log.error("file store full: %s not written (%d bytes)", path.name, len(data))
            raise StoreFull(str(path.parent)) from exc
        raise


def keep_for_task(directory: Path, data: bytes, suffix: str) -> str:
    """Keep an uploaded file for a background task, outside the web root (mode 600, in a
    mode-700 folder); the bare name the task gets back in its payload."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = secrets.token_hex(16) + suffix
    _write_new(directory / stored, data)
    return stored


def remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("could not remove %s after a failed upload", path)


def store(kind: str, data: bytes, thumbnail: bytes | None, written: list[Path]) -> str:
    """Write the original (and its thumbnail) under a new random name; every path written is
    appended to ``written`` so that the caller can remove them if its transaction fails."""
    directory = storage_dir(kind)
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


def stored_path(kind: str, stored_name: str, *, thumbnail: bool = False, label: str = "") -> Path:
    """Where a stored file is on disk; 404 when the stored name would lead outside the
    directory of ``kind`` or the file is missing."""
    base = storage_dir(kind).resolve()
    if "\x00" in stored_name:  # resolve() raises ValueError on a NUL: a 500 instead of a 404
        log.error("%s: stored name %r holds a NUL byte", label, stored_name)
        raise Http404("not found")
    path = (base / (stored_name + (THUMBNAIL_SUFFIX if thumbnail else ""))).resolve()
    if path.parent != base:
        log.error("%s: stored name %r leads outside %s", label, stored_name, base)
        raise Http404("not found")
    if not path.is_file():
        log.error("%s: file %s is missing", label, path)
        raise Http404("not found")
    return path


def thumbnail_name(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}-thumbnail.jpg"
