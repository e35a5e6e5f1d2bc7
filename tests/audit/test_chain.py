"""The audit log is append-only and tamper-evident."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from aircop.audit import guard
from aircop.audit.models import AuditEntry
from aircop.audit.services import record, verify
from aircop.core.context import ActorContext, acting_from


def test_entries_chain_and_verify(user_named):
    user = user_named("officer-lfw")
    before = AuditEntry.objects.count()
    with acting_from(ActorContext(ip="10.1.2.3", channel="web")):
        first = record(user, "test.first", user, data={"n": 1})
        second = record(user, "test.second", data={"n": 2})
    assert AuditEntry.objects.count() == before + 2
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1
    assert first.ip == "10.1.2.3" and first.actor_username == "officer-lfw"
    assert first.object_type == "accounts.user" and first.object_id == str(user.pk)
    result = verify()
    assert result.ok and result.checked == before + 2


def test_guard_is_installed(db):
    assert guard.installed(connection)


def test_update_is_refused_by_the_database(user_named):
    entry = record(user_named("officer-lfw"), "test.entry")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.forged")


def test_delete_is_refused_by_the_database(user_named):
    entry = record(user_named("officer-lfw"), "test.entry")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


def _tamper(sql: str, params: list):
    guard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    guard.install(connection)


def test_altered_row_is_named_by_verify(user_named):
    user = user_named("officer-lfw")
    record(user, "test.a")
    victim = record(user, "test.b", data={"weight_kg": 12})
    record(user, "test.c")
    _tamper("UPDATE audit_auditentry SET data = %s WHERE id = %s", ['{"weight_kg": 1}', victim.pk])
    result = verify()
    assert not result.ok
    assert result.broken_seq == victim.seq
    assert "altered" in result.reason
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify")
    assert f"#{victim.seq}" in str(caught.value)
    assert caught.value.returncode == 1


def test_deleted_row_is_named_by_verify(user_named):
    user = user_named("officer-lfw")
    record(user, "test.a")
    victim = record(user, "test.b")
    record(user, "test.c")
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    result = verify()
    assert not result.ok and result.broken_seq == victim.seq + 1
    assert f"#{victim.seq} is missing" in result.reason


def test_rewritten_row_with_recomputed_hash_breaks_the_link(user_named):
    """A forger who recomputes the altered entry's own hash still breaks the next link."""
    from aircop.audit import chain

    user = user_named("officer-lfw")
    victim = record(user, "test.b", data={"seized": True})
    follower = record(user, "test.c")
    victim.data = {"seized": False}
    forged_hash = chain.entry_digest(victim)
    _tamper(
        "UPDATE audit_auditentry SET data = %s, hash = %s WHERE id = %s",
        ['{"seized": false}', forged_hash, victim.pk],
    )
    result = verify()
    assert not result.ok and result.broken_seq == follower.seq


def test_audit_write_rolls_back_with_its_transaction(user_named):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(user_named("officer-lfw"), "test.doomed")
        raise RuntimeError("the write failed")
    assert AuditEntry.objects.count() == before


def test_verify_command_ok(db, capsys):
    call_command("audit", "verify")
    assert "audit chain OK" in capsys.readouterr().out
