"""Property tests of the library uploads (docs/capacity.md, "Library"; capacity/library.py):
``check_file`` raises nothing but ``ServiceError`` on the field ``file`` whatever the bytes,
and what it accepts is PDF, UTF-8 text without NUL, DOCX or ODT by content; ``add_document``,
given random details and random or mutated files, either stores the row, its readers and its
file, or raises ``ServiceError`` (``CapacityInvalid`` naming each field) and leaves no row and
no file behind."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from hypothesis import given
from hypothesis import strategies as st

from aircop.audit.models import AuditEntry
from aircop.capacity import library
from aircop.capacity.models import Document, DocumentReader
from aircop.core.errors import ServiceError
from tests.fuzzing import NASTY, counts, fuzz, in_savepoint, note
from tests.messaging.test_fuzz_attachments import files_under


def _zip(mimetype: str, name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        if mimetype:
            z.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr(name, "<xml/>")
    return out.getvalue()


SEEDS = [
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "Standard operating procedure\n\nÉtape 1 : contrôle.\n".encode(),
    _zip("", "word/document.xml") + b"",
    _zip("application/vnd.oasis.opendocument.text", "content.xml"),
    b"\xef\xbb\xbfplain text with a BOM\n",
]


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.sampled_from([1, 1, 2, 5]))):
        op = draw(st.sampled_from(["flip", "insert", "truncate", "nul"]))
        at = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=6))
        elif op == "truncate":
            del data[at:]
        else:
            data[at:at] = b"\x00"
    return bytes(data)


FILES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
    mutated(),
)


@fuzz(250)
@given(FILES)
def test_the_file_check_raises_only_a_service_error_on_the_file(data):
    try:
        detected = library.check_file(data)
    except ServiceError as exc:
        assert exc.field == "file" and exc.message
        note("refused")
        return
    note(f"accepted {library.ALLOWED[detected]}")
    assert detected in library.ALLOWED
    if detected == library.TEXT:
        assert b"\x00" not in data
        data.decode("utf-8")


def test_the_seeds_are_accepted():
    assert [library.ALLOWED[library.check_file(s)] for s in SEEDS] == ["PDF", "TXT", "DOCX", "ODT", "TXT"]


VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=20),
    st.none(),
    st.integers(),
    st.lists(st.sampled_from(NASTY), max_size=3),
)
DETAILS = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["sop", "curriculum", "good_practice", "SOP"]) | VALUE,
        "title": st.sampled_from(["Controlled delivery", "T" * 201]) | VALUE,
        "summary": VALUE,
        "language": st.sampled_from(["en", "fr", "xx"]) | VALUE,
        "topics": st.sampled_from([["cargo"], "cargo;intelligence", ["nope"], []]) | VALUE,
        "readers": st.sampled_from(["network", "region", "country", "unit"]) | VALUE,
        "targets": st.sampled_from([[], ["TG"], "jaitf-lfw", ["west_africa"], ["x"] * 51]) | VALUE,
        "extra": VALUE,
    },
)
VALID = {
    "kind": "sop",
    "title": "Controlled delivery",
    "language": "en",
    "topics": ["cargo"],
    "readers": "network",
}


@fuzz(50)
@given(st.one_of(DETAILS, DETAILS.map(lambda d: {**VALID, **d})), st.one_of(FILES, st.sampled_from(SEEDS)))
def test_a_document_is_stored_whole_or_not_at_all(db, settings, tmp_path, user_named, details, data):
    settings.MEDIA_ROOT = tmp_path / "files"
    media = tmp_path / "files"
    analyst = user_named("analyst")

    def run():
        before, files = counts(Document, DocumentReader, AuditEntry), files_under(media)
        try:
            document = library.add_document(
                actor=analyst, uploaded_file=ContentFile(data, name="doc"), data=details
            )
        except ServiceError as exc:
            note("refused")
            assert exc.message and exc.field
            assert counts(Document, DocumentReader, AuditEntry) == before and files_under(media) == files
            return
        note("stored")
        after = counts(Document, DocumentReader, AuditEntry)
        assert after["capacity.Document"] == before["capacity.Document"] + 1
        assert after["audit.AuditEntry"] == before["audit.AuditEntry"] + 1
        assert len(files_under(media) - files) == 1
        assert (media / library.KIND / document.stored_name).read_bytes() == data

    in_savepoint(run)


@pytest.mark.parametrize("title", ["a\x00b", "\ud800"])
def test_control_characters_and_lone_surrogates_in_the_details(db, settings, tmp_path, user_named, title):
    settings.MEDIA_ROOT = tmp_path / "files"
    with pytest.raises(ServiceError):
        library.add_document(
            actor=user_named("analyst"),
            uploaded_file=ContentFile(SEEDS[0], name="x.pdf"),
            data={**VALID, "title": title},
        )
    assert files_under(tmp_path / "files") == set()
