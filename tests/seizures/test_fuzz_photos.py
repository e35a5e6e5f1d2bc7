"""Property test of seizure photos end to end (seizures/photos.py): whatever the bytes and the
name, ``add_photo`` either stores one row, its audit entry and its files, or raises
``ServiceError`` on the field ``file`` and leaves no row and no file behind. The upload checks
themselves (core/uploads.py) are fuzzed with many more inputs in
tests/messaging/test_fuzz_attachments.py; the same inputs are used here."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from hypothesis import given
from hypothesis import strategies as st

from aircop.audit.models import AuditEntry
from aircop.core import uploads
from aircop.core.errors import ServiceError
from aircop.seizures import photos
from aircop.seizures.models import SeizurePhoto
from tests.fuzzing import counts, fuzz, in_savepoint
from tests.messaging.test_fuzz_attachments import NAMES, RANDOM, SEEDS, files_under, mutated_file
from tests.seizures.test_photos import seizure  # noqa: F401  (the fixture)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return tmp_path / "files"


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
@fuzz(30)
@given(st.one_of(RANDOM, mutated_file(), st.sampled_from(SEEDS)), st.sampled_from(NAMES), st.booleans())
def test_a_photo_is_stored_whole_or_not_at_all(user_named, seizure, media, data, name, nominal):  # noqa: F811
    officer = user_named("officer-lfw")

    def run():
        before, files = counts(SeizurePhoto, AuditEntry), files_under(media)
        try:
            photo = photos.add_photo(
                user=officer, seizure=seizure, uploaded_file=ContentFile(data, name=name), nominal=nominal
            )
        except ServiceError as exc:
            assert exc.field == "file" and exc.message
            assert counts(SeizurePhoto, AuditEntry) == before and files_under(media) == files
            return
        after = counts(SeizurePhoto, AuditEntry)
        assert after == {k: v + 1 for k, v in before.items()}
        assert len(files_under(media) - files) == (2 if photo.has_thumbnail else 1)
        assert photo.content_type == uploads.sniff(data)
        assert (media / photos.KIND / photo.stored_name).read_bytes() == data

    in_savepoint(run)
