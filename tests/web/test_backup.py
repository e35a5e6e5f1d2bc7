"""`aircop backup` and `aircop restore` (docs/backup.md): a round trip through a fresh
database gives a byte-identical export and an audit chain that verifies.

The first backup is taken in this process, inside the test's transaction (the demo world
plus what the test adds); the restore, the second backup and the verification run as real
`aircop` commands on a fresh database: a new SQLite file under tmp_path, or a scratch
PostgreSQL database when AIRCOP_DATABASE_URL is set."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from aircop.messaging import attachments
from aircop.messaging import services as messaging
from aircop.screening.services import add_entry, create_watchlist
from aircop.seizures import photos
from aircop.seizures import services as seizures
from aircop.web.backup import SEEDED_TABLES, backup_models
from tests.conftest import run_aircop
from tests.messaging.conftest import PASSENGER
from tests.seizures.test_services import record


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_database(tmp_path):
    """Environment of a fresh, migrated database of our own, dropped afterwards on PostgreSQL."""
    env = {"AIRCOP_VAR_DIR": str(tmp_path / "restored")}
    scratch = admin = None
    base = os.environ.get("AIRCOP_DATABASE_URL", "")
    if connection.vendor == "postgresql":
        import psycopg

        parts = urlsplit(base)
        scratch = f"{connection.settings_dict['NAME']}_restore"[:63]
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{scratch}"')
        env["AIRCOP_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{scratch}"))
    else:
        env["AIRCOP_DATABASE_URL"] = ""
    migrated = run_aircop("migrate", "-v", "0", env=env, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    yield env
    if scratch:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def add_some_data(user_named) -> None:
    officer, receiver = user_named("officer-gru"), user_named("officer-lfw")
    alert = messaging.send_alert(
        sender=officer,
        kind=PASSENGER["kind"],
        title="Courier on ET908, backup round trip",
        audience_entries=PASSENGER["audience"],
        details=PASSENGER["details"],
        nominal=PASSENGER["nominal"],
    )
    attachments.add_attachment(
        user=officer,
        alert=alert,
        uploaded_file=SimpleUploadedFile("photo.jpg", jpeg(), content_type="image/jpeg"),
    )
    seizure = seizures.create_seizure(actor=receiver, data=record(), submit=True)
    photos.add_photo(user=receiver, seizure=seizure, uploaded_file=SimpleUploadedFile("scales.jpg", jpeg()))
    owner = user_named("officer-dss")
    wanted = create_watchlist(
        actor=owner, name="backup-list", title="Wanted", kind="wanted", source="t", owner="jaitf-dss"
    )
    add_entry(
        actor=owner, watchlist=wanted, reference="B-1", names=["Jean Dupont", "جان دوبون"], nationality="FRA"
    )


def test_round_trip_gives_a_byte_identical_export_and_a_verifying_chain(
    user_named, media, fresh_database, tmp_path
):
    add_some_data(user_named)
    first = tmp_path / "first.tar.gz"
    call_command("backup", str(first))
    manifest = json.loads(members(first)["manifest.json"])
    assert (
        manifest["tables"]["messaging_attachment"] >= 1 and manifest["tables"]["seizures_seizurephoto"] >= 1
    )
    assert manifest["tables"]["screening_watchlistentry"] >= 1
    assert manifest["audit"]["last_seq"] == manifest["audit"]["entries"] > 0
    assert any(name.startswith("files/attachments/") for name in manifest["members"])
    assert any(name.startswith("files/seizure-photos/") for name in manifest["members"])
    assert "data/django_session.jsonl" not in manifest["members"]

    restored = run_aircop("restore", str(first), env=fresh_database, timeout=300)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"audit chain OK: {manifest['audit']['entries']} entries verified" in restored.stdout

    verified = run_aircop("audit", "verify", env=fresh_database)
    assert verified.returncode == 0 and "audit chain OK" in verified.stdout, verified.stderr

    second = tmp_path / "second.tar.gz"
    again = run_aircop("backup", str(second), env=fresh_database, timeout=300)
    assert again.returncode == 0, again.stderr
    one, two = members(first), members(second)
    assert sorted(one) == sorted(two)
    for name in one:
        if name != "manifest.json":
            assert one[name] == two[name], f"{name} differs after the round trip"
    m1, m2 = json.loads(one["manifest.json"]), json.loads(two["manifest.json"])
    for key in ("tables", "members", "migrations", "audit"):
        assert m1[key] == m2[key]
    files = Path(fresh_database["AIRCOP_VAR_DIR"]) / "files"
    assert sorted(p.relative_to(files).as_posix() for p in files.rglob("*") if p.is_file()) == sorted(
        n.removeprefix("files/") for n in one if n.startswith("files/")
    )

    # A second restore into the now full database is refused, naming the tables.
    refused = run_aircop("restore", str(first), env=fresh_database)
    assert refused.returncode == 1 and "not empty" in refused.stderr and "--replace" in refused.stderr
    # With --replace it empties everything (the append-only audit table included) and loads again.
    replaced = run_aircop("restore", "--replace", str(first), env=fresh_database, timeout=300)
    assert replaced.returncode == 0, replaced.stderr
    assert "audit chain OK" in replaced.stdout


def test_a_damaged_archive_or_other_migrations_are_refused(db, media, fresh_database, tmp_path):
    good = tmp_path / "good.tar.gz"
    call_command("backup", str(good))
    with pytest.raises(CommandError, match="exists; use --force"):
        call_command("backup", str(good))
    call_command("backup", str(good), "--force")
    assert not good.with_name("good.tar.gz.tmp").exists()

    content = members(good)

    def rewrite(path: Path, changed: dict[str, bytes]) -> None:
        with tarfile.open(path, "w:gz") as tar:
            for name, data in {**content, **changed}.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))

    damaged = tmp_path / "damaged.tar.gz"
    rewrite(damaged, {"data/network_region.jsonl": content["data/network_region.jsonl"] + b"[99]\n"})
    out = run_aircop("restore", str(damaged), env=fresh_database)
    assert out.returncode == 1 and "data/network_region.jsonl: SHA-256 does not match" in out.stderr

    manifest = json.loads(content["manifest.json"])
    manifest["migrations"] = [m for m in manifest["migrations"] if m != "seizures.0005_item_codes"]
    manifest["migrations"].append("seizures.9999_future")
    other = tmp_path / "other.tar.gz"
    rewrite(other, {"manifest.json": json.dumps(manifest).encode()})
    out = run_aircop("restore", str(other), env=fresh_database)
    assert out.returncode == 1
    assert "applied in the backup but not here: seizures.9999_future" in out.stderr
    assert "applied here but not in the backup: seizures.0005_item_codes" in out.stderr


def test_only_the_seeded_tables_hold_rows_in_a_fresh_database(fresh_database):
    """A new data migration must be added to SEEDED_TABLES, or restores will be refused."""
    out = run_aircop(
        "shell",
        "-c",
        "from aircop.web.backup import backup_models; from aircop.web.backup_restore import tables_with_rows;"
        "from django.db import connection;"
        "print(','.join(tables_with_rows(connection, [m._meta.db_table for m in backup_models()])))",
        env=fresh_database,
    )
    assert out.returncode == 0, out.stderr
    found = set(out.stdout.strip().splitlines()[-1].split(",")) - {""}
    assert found <= SEEDED_TABLES
    assert {m._meta.db_table for m in backup_models()} >= {"audit_auditentry", "accounts_user_groups"}
