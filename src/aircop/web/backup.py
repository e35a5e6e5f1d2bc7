"""`aircop backup`: one archive with every table, every stored file and a manifest
(docs/backup.md). Restoring is in ``backup_restore.py``.

The archive (tar.gz) holds

- ``data/<table>.jsonl``: one line of header (table, model, columns), then one JSON array
  per row in primary-key order. Values are written from the ORM's Python values (times in
  ISO 8601 UTC, decimals as strings, JSON with sorted keys), so the same data gives the
  same bytes whatever the database;
- ``files/<path>``: everything under ``MEDIA_ROOT`` (attachments, seizure photos, library
  documents, uploads waiting for their task);
- ``manifest.json`` (last): version and commit, applied migrations, row counts, the SHA-256
  and size of every other member, and the audit chain's last entry.

Everything is read in one read transaction: REPEATABLE READ on PostgreSQL, one deferred
``BEGIN`` on SQLite (WAL: writers carry on), so a running server does not disturb it.

A backup knows every app: the tables are found through the app registry, and the only
names of other apps written here are the search tables, which are derived data, not
backed up, and rebuilt on restore.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import ipaddress
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.duration import duration_string

FORMAT = 1
MANIFEST = "manifest.json"
# Not backed up: sign-in sessions (a restored server signs everyone in again).
EXCLUDED_TABLES = {"django_session"}
# Filled by `migrate` itself (post_migrate signals, data migrations): a freshly migrated
# database holds rows there, and a restore replaces them with the backup's.
SEEDED_TABLES = {"django_content_type", "auth_permission", "capacity_topic"}
# Derived from the alerts in raw SQL (messaging/search.py): not backed up, rebuilt on restore.
SEARCH_TABLES = {"sqlite": "messaging_alert_fts", "postgresql": "messaging_alert_search"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A refusal, with a message for the operator."""


# ------------------------------------------------------------------ the tables
def backup_models() -> list:
    """Every table Django knows (many-to-many tables included) but the excluded ones,
    parents before children (their foreign keys are deferred anyway), ties by table name."""
    models = {
        m._meta.db_table: m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.db_table not in EXCLUDED_TABLES
    }
    needs = {
        table: {
            f.related_model._meta.db_table
            for f in m._meta.local_concrete_fields
            if f.is_relation and f.related_model._meta.db_table in models
        }
        - {table}
        for table, m in models.items()
    }
    ordered: list[str] = []
    while needs:
        ready = sorted(t for t, deps in needs.items() if not deps - set(ordered))
        if not ready:  # a cycle: the deferred constraints carry it
            ready = sorted(needs)[:1]
        for table in ready:
            ordered.append(table)
            del needs[table]
    return [models[t] for t in ordered]


def columns(model) -> list:
    return list(model._meta.local_concrete_fields)


# ------------------------------------------------------------------ values
def _plain(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def dumps(value) -> str:
    return json.dumps(value, default=_plain, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# ------------------------------------------------------------------ consistency
@contextmanager
def read_snapshot(connection):
    """One consistent view of the database for everything read inside. Called inside a
    transaction already (tests), it reads that transaction's view."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        # DEFERRED, not the connection's IMMEDIATE: a reader must not hold the write lock.
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def migration_state(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def audit_head(using: str) -> dict:
    entry = apps.get_model("audit", "AuditEntry")
    last = entry.objects.using(using).order_by("-seq").values("seq", "hash").first()
    return {
        "entries": entry.objects.using(using).count(),
        "last_seq": last["seq"] if last else 0,
        "last_hash": last["hash"] if last else None,
    }


def version() -> dict:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        number = package_version("aircop")
    except PackageNotFoundError:
        number = None
    commit = None
    source = Path(__file__).resolve().parents[3]
    git = shutil.which("git")
    if (source / ".git").exists() and git:
        out = subprocess.run(  # noqa: S603 - git, a fixed argument list
            [git, "-C", str(source), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        )
        commit = out.stdout.strip() or None
    return {"aircop": number, "commit": commit}


# ------------------------------------------------------------------ writing
def export_table(model, path: Path, using: str) -> tuple[int, str, int]:
    """Write one table's member; returns (rows, sha256, size)."""
    fields = columns(model)
    digest, rows = hashlib.sha256(), 0
    header = {
        "columns": [f.column for f in fields],
        "model": model._meta.label,
        "table": model._meta.db_table,
    }
    query = model._base_manager.using(using).order_by("pk").values_list(*[f.attname for f in fields])
    with path.open("wb") as out:

        def put(obj) -> None:
            line = (dumps(obj) + "\n").encode("utf-8")
            digest.update(line)
            out.write(line)

        put(header)
        for row in query.iterator(chunk_size=2000):
            put(list(row))
            rows += 1
    return rows, digest.hexdigest(), path.stat().st_size


def media_files(root: Path) -> list[tuple[str, Path]]:
    """(relative name, path) of every regular file under root, sorted; symbolic links skipped."""
    found = []
    if root.is_dir():
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                path = Path(folder) / name
                if path.is_file() and not path.is_symlink():
                    found.append((path.relative_to(root).as_posix(), path))
    return found


class _Hashing:
    def __init__(self, raw):
        self.raw, self.digest = raw, hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.digest.update(data)
        return data


def _info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o600
    return info


def create_backup(path: str | Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to ``path`` (through ``path.tmp``, renamed at the end) and return
    its manifest."""
    path = Path(path)
    if path.exists() and not force:
        raise BackupError(f"{path} exists; use --force to overwrite it")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    connection = connections[using]
    tmp = path.with_name(path.name + ".tmp")
    staging = Path(tempfile.mkdtemp(prefix=".aircop-backup-", dir=path.parent))
    now = dt.datetime.now(dt.UTC)
    mtime = int(now.timestamp())
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "version": version(),
        "database": connection.vendor,
        "migrations": [],
        "tables": {},
        "members": {},
        "audit": {},
    }
    try:
        with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
            with read_snapshot(connection):
                manifest["migrations"] = migration_state(connection)
                manifest["audit"] = audit_head(using)
                for model in backup_models():
                    table = model._meta.db_table
                    member = f"data/{table}.jsonl"
                    rows, sha, size = export_table(model, staging / f"{table}.jsonl", using)
                    manifest["tables"][table] = rows
                    manifest["members"][member] = {"sha256": sha, "size": size}
                    with (staging / f"{table}.jsonl").open("rb") as raw:
                        tar.addfile(_info(member, size, mtime), raw)
                    (staging / f"{table}.jsonl").unlink()
                # Files after the rows: a row's file is written before its row commits, so
                # every file a row of the snapshot names is there by now.
                for name, file_path in media_files(Path(settings.MEDIA_ROOT)):
                    with file_path.open("rb") as raw:
                        size = os.fstat(raw.fileno()).st_size
                        hashing = _Hashing(raw)
                        tar.addfile(_info(f"files/{name}", size, mtime), hashing)
                    manifest["members"][f"files/{name}"] = {
                        "sha256": hashing.digest.hexdigest(),
                        "size": size,
                    }
            body = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
            tar.addfile(_info(MANIFEST, len(body), mtime), io.BytesIO(body))
        with tmp.open("rb") as done:
            os.fsync(done.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest
