"""`aircop restore`: an archive of `aircop backup` into an empty, migrated database
(docs/backup.md).

Order: read and check the whole archive into a staging folder under the var directory
(every member's SHA-256 against the manifest, no member missing or unknown), compare the
applied migrations, make sure the database is empty (or empty it with ``replace``), load
every table in one transaction, rebuild the search index, reset the sequences, commit;
then move the files into ``MEDIA_ROOT`` and verify the audit chain.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import secrets
import shutil
import tarfile
import zlib
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import JSONField
from django.utils.module_loading import import_string

from aircop.web.backup import (
    CHUNK,
    FORMAT,
    MANIFEST,
    SEARCH_TABLES,
    SEEDED_TABLES,
    BackupError,
    audit_head,
    backup_models,
    columns,
    migration_state,
)

BATCH = 1000
_DATA = re.compile(r"^data/[A-Za-z0-9_]+\.jsonl$")
_REINDEX = "aircop.messaging.search.reindex_all"
_GUARD = "aircop.audit.guard"
_AUDIT = "audit_auditentry"
_VERIFY = "aircop.audit.services.verify"


@dataclass
class RestoreResult:
    manifest: dict
    rows: int
    files: int
    verified: object  # audit.services.VerifyResult


def _safe_file(name: str) -> bool:
    if not name.startswith("files/") or "\\" in name or "\x00" in name:
        return False
    parts = name.split("/")[1:]
    return bool(parts) and all(p and p not in (".", "..") for p in parts)


def read_archive(path: Path, staging: Path) -> dict:
    """Unpack into ``staging`` and check every member against the manifest."""
    try:
        tar = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed below
    except (OSError, EOFError, zlib.error, tarfile.TarError) as exc:
        raise BackupError(f"{path}: not a readable backup archive ({exc})") from None
    try:
        with tar:
            manifest, seen = _unpack(path, tar, staging)
    except (EOFError, gzip.BadGzipFile, zlib.error, tarfile.TarError) as exc:  # cut short, or damaged
        raise BackupError(f"{path}: damaged archive, cut short or corrupted ({exc})") from None
    if manifest is None:
        raise BackupError(f"{path}: no {MANIFEST}; not an AIRCOP backup")
    _check_manifest(path, manifest)
    expected = {name: item["sha256"] for name, item in manifest["members"].items()}
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    if missing or extra:
        raise BackupError(f"{path}: members missing {missing or '-'}, not in the manifest {extra or '-'}")
    for name in sorted(expected):
        if seen[name] != expected[name]:
            raise BackupError(f"{path}: {name}: SHA-256 does not match the manifest (damaged archive)")
    return manifest


# The manifest's keys that restore reads, and what each must hold.
_MANIFEST_SHAPE = {
    "members": "an object of member names, each with its sha256",
    "migrations": "a list of migration names",
    "tables": "an object of table names and row counts",
    "audit": "an object (the audit log's head)",
}


def _check_manifest(path: Path, manifest) -> None:
    """The manifest has the shape restore reads (the members' checksums do not cover it)."""
    if not isinstance(manifest, dict):
        raise BackupError(f"{path}: the manifest is not a JSON object; not an AIRCOP backup")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r}, this version reads {FORMAT}")
    members, migrations = manifest.get("members"), manifest.get("migrations")
    tables, audit = manifest.get("tables"), manifest.get("audit")
    good = {
        "members": isinstance(members, dict)
        and all(isinstance(m, dict) and isinstance(m.get("sha256"), str) for m in members.values()),
        "migrations": isinstance(migrations, list) and all(isinstance(m, str) for m in migrations),
        "tables": isinstance(tables, dict)
        and all(isinstance(n, int) and not isinstance(n, bool) for n in tables.values()),
        "audit": isinstance(audit, dict),
    }
    for key, ok in good.items():
        if not ok:
            raise BackupError(
                f"{path}: the manifest's {key!r} is not {_MANIFEST_SHAPE[key]} (damaged archive)"
            )


def _unpack(path: Path, tar: tarfile.TarFile, staging: Path) -> tuple[object, dict[str, str]]:
    """Every member into ``staging``: (the manifest as read, {member name: SHA-256})."""
    seen: dict[str, str] = {}
    folders: set[str] = set()
    manifest = None
    for member in tar:
        name = member.name
        if not member.isfile():
            raise BackupError(f"{path}: member {name!r} is not a regular file")
        if name in seen or (name == MANIFEST and manifest is not None):
            raise BackupError(f"{path}: member {name!r} appears twice")
        source = tar.extractfile(member)
        if name == MANIFEST:
            try:
                manifest = json.loads(source.read())
            except (ValueError, RecursionError) as exc:  # RecursionError: nested too deeply
                raise BackupError(f"{path}: the manifest is not JSON ({exc})") from None
            continue
        if not (_DATA.match(name) or _safe_file(name)):
            raise BackupError(f"{path}: unexpected member {name!r}")
        parents = {name.rsplit("/", n)[0] for n in range(1, name.count("/") + 1)}
        if name in folders or parents & seen.keys():
            raise BackupError(f"{path}: member {name!r} is both a file and a folder in the archive")
        folders.update(parents)
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        with target.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        target.chmod(0o600)
        seen[name] = digest.hexdigest()
    return manifest, seen


def check_migrations(manifest: dict, connection) -> None:
    here, there = set(migration_state(connection)), set(manifest["migrations"])
    if here != there:
        parts = []
        if there - here:
            parts.append("applied in the backup but not here: " + ", ".join(sorted(there - here)))
        if here - there:
            parts.append("applied here but not in the backup: " + ", ".join(sorted(here - there)))
        raise BackupError(
            "the database's migrations differ from the backup's; run the AIRCOP version that made it "
            "(or `aircop migrate` to the same state). " + "; ".join(parts)
        )


def _quote(connection, table: str) -> str:
    return connection.ops.quote_name(table)


def tables_with_rows(connection, tables) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {_quote(connection, table)} LIMIT 1")  # noqa: S608 - our table names
            if cursor.fetchone():
                found.append(table)
    return found


def _search_table(connection) -> str | None:
    table = SEARCH_TABLES.get(connection.vendor)
    with connection.cursor() as cursor:
        present = table in connection.introspection.table_names(cursor)
    return table if present else None


def empty_tables(connection, tables: list[str]) -> None:
    """Inside the restore's transaction. PostgreSQL: TRUNCATE (which the audit table's row
    trigger does not see). SQLite: the append-only guard is removed, the rows deleted, and
    the guard installed again, all in the same transaction (SQLite's DDL is transactional).
    Only the seeded tables (no audit table among them): a DELETE, their referrers being empty."""
    search = _search_table(connection) if _AUDIT in tables else None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and _AUDIT in tables:
            names = [*tables, *([search] if search else [])]
            cursor.execute("TRUNCATE " + ", ".join(_quote(connection, t) for t in names))
            return
        guard = import_module(_GUARD) if _AUDIT in tables else None
        if guard:
            guard.remove(connection)
        for table in [*tables, *([search] if search else [])]:
            cursor.execute(f"DELETE FROM {_quote(connection, table)}")  # noqa: S608 - our table names
        if guard:
            guard.install(connection)


def load_table(connection, model, path: Path) -> int:
    fields = columns(model)
    table = model._meta.db_table
    with path.open("rb") as source:
        header = json.loads(source.readline())
        wanted = [f.column for f in fields]
        if header.get("table") != table or header.get("columns") != wanted:
            raise BackupError(
                f"table {table}: the backup's columns {header.get('columns')} differ from this database's {wanted}"
            )
        names = ", ".join(connection.ops.quote_name(c) for c in wanted)
        marks = ", ".join(["%s"] * len(wanted))
        sql = f"INSERT INTO {_quote(connection, table)} ({names}) VALUES ({marks})"  # noqa: S608
        convert = [_converter(connection, f) for f in fields]
        rows, batch = 0, []
        with connection.cursor() as cursor:
            for line in source:
                values = json.loads(line)
                batch.append([c(v) for c, v in zip(convert, values, strict=True)])
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    rows, batch = rows + len(batch), []
            if batch:
                cursor.executemany(sql, batch)
                rows += len(batch)
    return rows


def _converter(connection, field):
    """JSON value -> what the database driver takes, exactly as the ORM would write it
    (but without pre_save: auto_now fields keep their stored times)."""
    if isinstance(field, JSONField):

        def json_value(value):
            if value is None and field.null:
                return None
            return connection.ops.adapt_json_value(value, field.encoder)

        return json_value

    def plain(value):
        return None if value is None else field.get_db_prep_save(field.to_python(value), connection)

    return plain


def restore_backup(
    path: str | Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS, log=print
) -> RestoreResult:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    connection = connections[using]
    var = Path(settings.VAR_DIR)
    staging = var / f".restore-{secrets.token_hex(6)}"
    staging.mkdir(mode=0o700)
    try:
        manifest = read_archive(path, staging)
        log(f"archive checked: {len(manifest['members'])} members, SHA-256 as in the manifest")
        check_migrations(manifest, connection)
        models = backup_models()
        here = {m._meta.db_table for m in models}
        if here != set(manifest["tables"]):
            raise BackupError(
                f"tables differ: only in the backup {sorted(set(manifest['tables']) - here) or '-'}, "
                f"only here {sorted(here - set(manifest['tables'])) or '-'}"
            )
        total = 0
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            tables = [m._meta.db_table for m in models]
            busy = tables_with_rows(connection, [t for t in tables if t not in SEEDED_TABLES])
            if busy and not replace:
                raise BackupError(
                    "the database is not empty (rows in "
                    + ", ".join(busy[:8])
                    + (" …" if len(busy) > 8 else "")
                    + "); restore into a freshly migrated database, or use --replace to empty it first"
                )
            empty_tables(connection, tables if replace else sorted(SEEDED_TABLES & here))
            for model in models:
                table = model._meta.db_table
                rows = load_table(connection, model, staging / "data" / f"{table}.jsonl")
                if rows != manifest["tables"][table]:
                    raise BackupError(
                        f"table {table}: {rows} rows read, the manifest says {manifest['tables'][table]}"
                    )
                total += rows
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
            if apps.is_installed("aircop.messaging"):
                import_string(_REINDEX)(using)
            head = audit_head(using)
            if head != manifest["audit"]:
                raise BackupError(
                    f"audit log after loading {head} differs from the manifest's {manifest['audit']}"
                )
        log(f"database restored: {len(models)} tables, {total} rows")
        files = place_files(staging / "files", Path(settings.MEDIA_ROOT), replace=replace)
        log(f"files restored: {files}")
        result = import_string(_VERIFY)()
        return RestoreResult(manifest=manifest, rows=total, files=files, verified=result)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def place_files(source: Path, media: Path, *, replace: bool) -> int:
    """Move the staged files into MEDIA_ROOT (same file system: renames). With ``replace``
    the files already there go first: they belonged to the database just emptied."""
    if replace and media.exists():
        old = media.with_name(f".{media.name}-replaced-{secrets.token_hex(4)}")
        media.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    media.mkdir(parents=True, exist_ok=True, mode=0o700)
    count = 0
    if not source.is_dir():
        return 0
    for staged in sorted(source.rglob("*")):
        target = media / staged.relative_to(source)
        if staged.is_dir():
            target.mkdir(exist_ok=True, mode=0o700)
            continue
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        staged.replace(target)
        count += 1
    return count
