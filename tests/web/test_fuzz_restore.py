"""Property tests of `aircop restore` (docs/backup.md, "Restore rules"; web/backup_restore.py)
with damaged archives: ``read_archive`` and ``restore_backup`` raise nothing but
``BackupError``, whatever the file: random bytes, a valid archive with bytes flipped, inserted or
cut off (compressed or not), members renamed, doubled, dropped or of another type (links,
folders, devices, unsafe names), and a manifest that is not JSON, not an object, or has keys
missing or of the wrong type. A refused restore leaves the database, the stored files and the
var directory as they were (the staging folder is removed).

``read_archive`` needs no database: it is fuzzed with a small archive built here. The whole
``restore_backup`` runs against the test database with a real backup of it, damaged; the
database is not empty, so an archive that passes every check is refused at step 3 — before
anything is written."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import tarfile
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aircop.accounts.models import User
from aircop.audit.models import AuditEntry
from aircop.network.models import Unit
from aircop.web.backup import FORMAT, MANIFEST, BackupError, create_backup
from aircop.web.backup_restore import read_archive, restore_backup
from tests.fuzzing import counts, fuzz, note

DATA = {
    "data/network_region.jsonl": b'{"table": "network_region", "columns": ["id", "code"]}\n[1, "af"]\n',
    "data/audit_auditentry.jsonl": b'{"table": "audit_auditentry", "columns": []}\n',
    "files/attachments/0123abcd": b"\x89PNG\r\n\x1a\nnot really",
}


def manifest_for(members: dict[str, bytes]) -> dict:
    return {
        "format": FORMAT,
        "created_at": "2026-05-01T00:00:00+00:00",
        "database": "sqlite",
        "migrations": ["audit.0001_initial"],
        "tables": {"network_region": 1, "audit_auditentry": 0},
        "members": {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in members.items()},
        "audit": {"entries": 0, "last_seq": 0, "last_hash": ""},
    }


def tar_bytes(entries: list[tuple[str, bytes, bytes]], compress: bool = True) -> bytes:
    """(name, data, tar type) in order, as a .tar.gz (or a plain .tar)."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data, kind in entries:
            info = tarfile.TarInfo(name)
            info.type = kind
            if kind == tarfile.REGTYPE:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                info.linkname = "../../etc/passwd"
                tar.addfile(info)
    raw = out.getvalue()
    return gzip.compress(raw, mtime=0) if compress else raw


def entries_of(members: dict[str, bytes], manifest: bytes) -> list[tuple[str, bytes, bytes]]:
    return [(n, d, tarfile.REGTYPE) for n, d in members.items()] + [(MANIFEST, manifest, tarfile.REGTYPE)]


GOOD_ENTRIES = entries_of(DATA, json.dumps(manifest_for(DATA)).encode())
GOOD = tar_bytes(GOOD_ENTRIES)
NAMES = ["../escape", "/etc/passwd", "files/../../x", "files/", "files//x", "files/a\\b", "data/x.jsonl"]
NAMES += [
    "data/../data/network_region.jsonl",
    "other.txt",
    MANIFEST,
    "files/attachments/0123abcd",
    "files/./x",
]
JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


@st.composite
def damaged_manifest(draw) -> bytes:
    manifest = manifest_for(DATA)
    op = draw(st.sampled_from(["drop", "value", "member", "not_object", "text", "nested"]))
    if op == "drop":
        manifest.pop(draw(st.sampled_from(sorted(manifest))))
    elif op == "value":
        manifest[draw(st.sampled_from(sorted(manifest)))] = draw(JSON_VALUES)
    elif op == "member":
        name = draw(st.sampled_from(sorted(DATA)))
        manifest["members"][name] = draw(
            JSON_VALUES | st.fixed_dictionaries({"sha256": JSON_VALUES}) | st.just({"size": 1})
        )
    elif op == "not_object":
        return json.dumps(draw(JSON_VALUES)).encode()
    elif op == "text":
        return draw(st.binary(max_size=40))
    else:
        return b"[" * 100_000 + b"]" * 100_000
    return json.dumps(manifest).encode()


@st.composite
def damaged_archive(draw) -> bytes:
    kind = draw(st.sampled_from(["bytes", "bytes", "tar_bytes", "members", "manifest"]))
    if kind == "manifest":
        return tar_bytes(entries_of(DATA, draw(damaged_manifest())))
    if kind == "members":
        entries = list(GOOD_ENTRIES)
        for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
            i = draw(st.integers(min_value=0, max_value=len(entries) - 1)) if entries else 0
            op = draw(st.sampled_from(["drop", "double", "rename", "type", "content", "add"]))
            if not entries:
                entries.append(GOOD_ENTRIES[0])
            name, data, typ = entries[i]
            if op == "drop":
                del entries[i]
            elif op == "double":
                entries.insert(i, entries[i])
            elif op == "rename":
                entries[i] = (draw(st.sampled_from(NAMES)), data, typ)
            elif op == "type":
                entries[i] = (
                    name,
                    data,
                    draw(
                        st.sampled_from(
                            [
                                tarfile.SYMTYPE,
                                tarfile.LNKTYPE,
                                tarfile.DIRTYPE,
                                tarfile.CHRTYPE,
                                tarfile.FIFOTYPE,
                            ]
                        )
                    ),
                )
            elif op == "content":
                entries[i] = (name, draw(st.binary(max_size=30)), typ)
            else:
                entries.insert(i, (draw(st.sampled_from(NAMES)), b"x", tarfile.REGTYPE))
        return tar_bytes(entries)
    data = bytearray(GOOD if kind == "bytes" else tar_bytes(GOOD_ENTRIES, compress=False))
    for _ in range(draw(st.sampled_from([1, 1, 2, 4]))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        at = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[at : at + draw(st.integers(min_value=1, max_value=64))]
    data = bytes(data)
    return gzip.compress(data, mtime=0) if kind == "tar_bytes" else data


def test_the_synthetic_archive_reads(tmp_path):
    (tmp_path / "s").mkdir()
    assert read_archive(_write(tmp_path, GOOD), tmp_path / "s")["format"] == FORMAT


def _write(folder: Path, data: bytes) -> Path:
    path = folder / "fuzz.tar.gz"
    path.write_bytes(data)
    return path


@fuzz(250)
@given(st.one_of(st.binary(max_size=300), damaged_archive()))
def test_reading_a_damaged_archive_raises_only_backup_error(data):
    with tempfile.TemporaryDirectory() as name:
        check_read(Path(name), data)


def check_read(folder: Path, data: bytes) -> None:
    staging = folder / "staging"
    staging.mkdir()
    try:
        read_archive(_write(folder, data), staging)
    except BackupError as exc:
        note("refused")
        assert str(exc).startswith(str(folder / "fuzz.tar.gz")) and len(str(exc)) < 2000
        return
    note("read")
    # What reads must be the archive as written: every member present, each as in the manifest.
    assert sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()) == sorted(
        DATA
    )


# ----------------------------------------------------------------------------- the whole restore
@pytest.fixture
def backup(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    (tmp_path / "media" / "attachments").mkdir(parents=True)
    (tmp_path / "media" / "attachments" / "0123abcd").write_bytes(b"a stored file")
    (tmp_path / "var").mkdir()
    path = tmp_path / "backup.tar.gz"
    create_backup(path)
    with tarfile.open(path, "r:gz") as tar:
        entries = [(m.name, tar.extractfile(m).read(), tarfile.REGTYPE) for m in tar]
    return entries, tmp_path


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@st.composite
def damaged_backup(draw, entries) -> bytes:
    entries = list(entries)
    op = draw(st.sampled_from(["flip", "truncate", "content", "manifest", "drop", "as_is"]))
    if op in ("flip", "truncate"):
        data = bytearray(tar_bytes(entries))
        at = draw(st.integers(min_value=0, max_value=len(data) - 1))
        if op == "flip":
            data[at] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        else:
            del data[at:]
        return bytes(data)
    i = draw(st.integers(min_value=0, max_value=len(entries) - 2))  # the manifest is the last member
    name, data, typ = entries[i]
    if op == "content":
        at = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        entries[i] = (name, data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 1 :], typ)
    elif op == "manifest":
        manifest = json.loads(entries[-1][1])
        key = draw(st.sampled_from(["migrations", "tables", "audit", "members", "format"]))
        manifest[key] = draw(JSON_VALUES)
        entries[-1] = (MANIFEST, json.dumps(manifest).encode(), tarfile.REGTYPE)
    elif op == "drop":
        del entries[i]
    return tar_bytes(entries)


@fuzz(25, seconds=20)
@given(st.data())
def test_a_damaged_backup_is_refused_and_nothing_changes(backup, data):
    entries, root = backup
    archive = data.draw(damaged_backup(entries))
    path = root / "damaged.tar.gz"
    path.write_bytes(archive)
    before = counts(User, Unit, AuditEntry)
    media, var = _tree(root / "media"), sorted(p.name for p in (root / "var").iterdir())
    with pytest.raises(BackupError) as refused:
        restore_backup(path, log=lambda _line: None)
    note(str(refused.value).split(":")[1][:30] if ":" in str(refused.value) else "other")
    assert counts(User, Unit, AuditEntry) == before
    assert _tree(root / "media") == media
    assert sorted(p.name for p in (root / "var").iterdir()) == var  # no staging folder left


# ----------------------------------------------------------------------------- findings (fixed)
def _archive_with(manifest, extra: list[tuple[str, bytes, bytes]] = ()) -> bytes:
    body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    return tar_bytes([*entries_of(DATA, body)[:-1], *extra, (MANIFEST, body, tarfile.REGTYPE)])


FINDINGS = {
    "cut short inside the gzip header": (GOOD[:5], "not a readable backup archive"),
    "cut short in the middle": (GOOD[: len(GOOD) // 2], "damaged archive, cut short or corrupted"),
    "the manifest a list": (_archive_with(b"[1, 2]"), "not a JSON object"),
    "the manifest nested 100,000 deep": (_archive_with(b"[" * 100_000 + b"]" * 100_000), "not JSON"),
    "no members in the manifest": (_archive_with({**manifest_for(DATA), "members": None}), "'members'"),
    "a member without its sha256": (
        _archive_with({**manifest_for(DATA), "members": {n: {} for n in DATA}}),
        "'members'",
    ),
    "migrations not a list": (_archive_with({**manifest_for(DATA), "migrations": 5}), "'migrations'"),
    "table counts not numbers": (_archive_with({**manifest_for(DATA), "tables": {"x": "1"}}), "'tables'"),
    "a file under a file": (
        _archive_with(manifest_for(DATA), [("files/attachments/0123abcd/x", b"y", tarfile.REGTYPE)]),
        "is both a file and a folder",
    ),
}


@pytest.mark.parametrize("name", list(FINDINGS))
def test_damaged_archives_found_by_fuzzing_are_refused_naming_the_problem(tmp_path, name):
    data, message = FINDINGS[name]
    (tmp_path / "staging").mkdir()
    with pytest.raises(BackupError, match=re.escape(message)):
        read_archive(_write(tmp_path, data), tmp_path / "staging")
