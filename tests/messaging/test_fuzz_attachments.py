"""Property tests of the upload checks (core/uploads.py: content sniffing, Pillow decoding,
thumbnails) and of alert attachments end to end (messaging/attachments.py).

``uploads.check`` raises nothing but ``ServiceError`` naming the field ``file``, whatever the
bytes: random bytes, and valid PNG, JPEG, WebP, GIF and PDF files mutated (bits flipped, bytes
inserted or removed, cut short, chunks doubled, dimensions in the header changed, two files
glued together). What it accepts has the type the bytes show and a thumbnail that is a small
JPEG without metadata. Decompression bombs are refused before decoding, and a file's name and
announced type never decide its type. ``add_attachment`` either stores one row, its audit entry,
its event and its files, or raises ``ServiceError`` and leaves no row and no file behind."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from aircop.audit.models import AuditEntry
from aircop.core import uploads
from aircop.core.errors import ServiceError
from aircop.messaging import attachments
from aircop.messaging.models import Attachment, Event
from tests.fuzzing import counts, fuzz, in_savepoint, note
from tests.messaging.conftest import PASSENGER


def _image(fmt: str, mode: str = "RGB", size=(40, 30), **save) -> bytes:
    out = io.BytesIO()
    image = Image.new(mode, size, (200, 40, 40) if mode == "RGB" else None)
    image.save(out, fmt, **save)
    return out.getvalue()


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (48, 32), (10, 120, 200))
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: rotated
    exif[0x010F] = "Camera maker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
SEEDS = [
    _image("PNG"),
    _image("PNG", "RGBA", (33, 17)),
    _image("PNG", "P", (20, 20), transparency=0),
    _image("JPEG"),
    _image("JPEG", "L", (64, 8)),
    _jpeg_with_exif(),
    _image("JPEG", progressive=True),
    _image("WEBP"),
    _image("GIF", "P"),
    PDF,
]
MAGIC = [
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"%PDF-",
    b"GIF89a",
    b"PK\x03\x04",
]
MAGIC += [b"<svg", b"<!doctype html>", b"\xef\xbb\xbf<html>", b"II*\x00", b"BM", b"\x00\x00\x00\x0cjP  "]


@st.composite
def mutated_file(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.sampled_from([1, 1, 2, 3, 8]))):
        op = draw(st.sampled_from(["flip", "flip", "insert", "delete", "truncate", "double", "size", "glue"]))
        at = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(min_value=1, max_value=16))]
        elif op == "truncate":
            del data[at:]
        elif op == "double":  # a stretch of bytes (a chunk, a marker) repeated
            end = at + draw(st.integers(min_value=1, max_value=64))
            data[at:at] = data[at:end]
        elif op == "size":  # a 16- or 32-bit big-endian number (dimensions, lengths) changed
            if at + 4 <= len(data):
                data[at : at + 4] = struct.pack(
                    ">I", draw(st.sampled_from([0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF]))
                )
        else:
            data += draw(st.sampled_from(SEEDS))
    return bytes(data)


RANDOM = st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from(MAGIC), st.binary(max_size=300)).map(b"".join),
)


def check(data: bytes) -> None:
    try:
        content_type, thumbnail = uploads.check(data)
    except ServiceError as exc:
        assert exc.field == "file" and exc.message
        note("refused")
        return
    note(f"accepted {content_type}")
    assert content_type in uploads.ALLOWED_TYPES
    if content_type == uploads.PDF:
        assert thumbnail is None and data.startswith(b"%PDF-")
        return
    with Image.open(io.BytesIO(thumbnail)) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= uploads.THUMBNAIL_SIZE
        assert not thumb.getexif() and "icc_profile" not in thumb.info


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
@fuzz(300)
@given(st.one_of(RANDOM, mutated_file()))
def test_the_upload_check_raises_only_a_service_error_on_the_file(data):
    check(data)


def test_the_seeds_are_accepted_except_gif():
    for seed in SEEDS:
        if seed.startswith(b"GIF"):
            with pytest.raises(ServiceError, match="image/gif"):
                uploads.check(seed)
        else:
            assert uploads.check(seed)[0] in uploads.ALLOWED_TYPES


# ----------------------------------------------------------------------------- decompression bombs
def _png_header_only(width: int, height: int, data: bytes = b"") -> bytes:
    """A PNG that announces ``width`` x ``height`` with (almost) no pixels behind it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(data))
        + chunk(b"IEND", b"")
    )


def _jpeg_with_size(width: int, height: int) -> bytes:
    """A valid JPEG whose frame header (SOF0) is rewritten to announce another size."""
    data = bytearray(_image("JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_png_header_only(100_000, 100_000), "megapixels"),
        (_png_header_only(2**31 - 1, 2**31 - 1), "megapixels"),  # Pillow's own limit is passed too
        (_png_header_only(7071, 7072), "megapixels"),  # just over 50 megapixels
        (_png_header_only(7000, 7000, b"\x00" * 1000), "cannot be read"),  # under: decoding fails
        (_png_header_only(0, 0), "cannot be read"),
        (_jpeg_with_size(65_000, 65_000), "megapixels"),
        (_jpeg_with_size(40, 0), "cannot be read"),
    ],
    ids=[
        "100k x 100k PNG",
        "2^31 PNG",
        "50.01 MP PNG",
        "49 MP PNG without pixels",
        "0 x 0 PNG",
        "65k x 65k JPEG",
        "zero-height JPEG",
    ],
)
def test_decompression_bombs_and_impossible_sizes_are_refused(data, message):
    with pytest.raises(ServiceError, match=message) as refused:
        uploads.check(data)
    assert refused.value.field == "file"


def test_a_real_bomb_of_56_megapixels_in_a_few_kilobytes_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (8000, 7000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ServiceError, match="megapixels"):
        uploads.check(out.getvalue())


# ----------------------------------------------------------------------------- end to end
@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return tmp_path / "files"


@pytest.fixture
def alert(db, user_named):
    from aircop.messaging import services

    return services.send_alert(
        sender=user_named("officer-gru"),
        kind=PASSENGER["kind"],
        title="Fuzzing the attachments",
        audience_entries=PASSENGER["audience"],
        details=PASSENGER["details"],
        nominal=PASSENGER["nominal"],
    )


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


NAMES = [
    "photo.jpg",
    "report.pdf",
    "x.png",
    "scan.webp",
    "../../etc/passwd",
    "",
    "a\x00b.jpg",
    "\u202egpj.exe",
]


@fuzz(50)
@given(
    st.one_of(RANDOM, mutated_file(), st.sampled_from(SEEDS)),
    st.sampled_from(NAMES),
    st.sampled_from(["image/jpeg", "application/pdf", "text/html", "image/png"]),
)
def test_an_attachment_is_stored_whole_or_not_at_all(user_named, alert, media, data, name, announced):
    officer = user_named("officer-gru")

    def run():
        before, files = counts(Attachment, AuditEntry, Event), files_under(media)
        upload = ContentFile(data, name=name)  # SimpleUploadedFile refuses some names before we see them
        upload.content_type = announced
        try:
            attachment = attachments.add_attachment(user=officer, alert=alert, uploaded_file=upload)
        except ServiceError as exc:
            assert exc.field == "file"
            assert counts(Attachment, AuditEntry, Event) == before and files_under(media) == files
            return
        after = counts(Attachment, AuditEntry, Event)
        assert after["messaging.Attachment"] == before["messaging.Attachment"] + 1
        assert after["audit.AuditEntry"] == before["audit.AuditEntry"] + 1
        new = files_under(media) - files
        assert len(new) == (2 if attachment.has_thumbnail else 1)
        assert attachment.content_type == uploads.sniff(data)  # the bytes decide, not the name
        stored = media / attachments.KIND / attachment.stored_name
        assert stored.read_bytes() == data

    in_savepoint(run)


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (PDF, "photo.jpg", "application/pdf"),
        (SEEDS[0], "report.pdf", "image/png"),
        (SEEDS[3], "scan.png", "image/jpeg"),
        (b"<html><script>alert(1)</script>", "photo.jpg", None),
        (SEEDS[8], "photo.png", None),
        (b"%PDF-" + SEEDS[0], "both.pdf", "application/pdf"),
        (SEEDS[0] + PDF, "both.png", "image/png"),
    ],
)
def test_the_content_decides_the_type_never_the_name(user_named, alert, media, data, name, expected):
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    officer = user_named("officer-gru")
    if expected is None:
        with pytest.raises(ServiceError, match="not accepted"):
            attachments.add_attachment(user=officer, alert=alert, uploaded_file=upload)
        assert files_under(media) == set()
    else:
        assert (
            attachments.add_attachment(user=officer, alert=alert, uploaded_file=upload).content_type
            == expected
        )
