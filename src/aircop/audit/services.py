"""Appending to the audit log. Call :func:`record` inside the same transaction as the
write it describes: if the write rolls back, so does its audit entry."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from aircop.audit import chain
from aircop.audit.models import AuditEntry
from aircop.core import context

# Any constant: serialises writers of the chain on PostgreSQL. On SQLite the IMMEDIATE
# transaction mode already gives one writer at a time.
_PG_LOCK_KEY = 0x41495243  # "AIRC"


def lock_chain() -> None:
    """Serialise writers of the chain until the transaction ends (re-entrant)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def _jsonable(data: dict | None) -> dict:
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, sort_keys=True))


def record(
    actor, action: str, obj=None, *, data: dict | None = None, object_type: str = "", object_id=""
) -> AuditEntry:
    """Append one entry. ``actor`` is a user or None (system); ``obj`` a model instance or None."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = str(obj.pk)
    ctx = context.current()
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_username = actor.get_username() if actor_id else ""
    payload = _jsonable(data)
    with transaction.atomic():
        lock_chain()
        last = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
        seq = last["seq"] + 1 if last else 1
        prev_hash = last["hash"] if last else chain.GENESIS
        at = timezone.now()
        content = chain.canonical(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_username=actor_username,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            ip=ctx.ip or "",
            channel=ctx.channel,
            data=payload,
        )
        return AuditEntry.objects.create(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_username=actor_username,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            ip=ctx.ip or "",
            channel=ctx.channel,
            data=payload,
            prev_hash=prev_hash,
            hash=chain.digest(prev_hash, content),
        )


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in order; stop at the first entry whose link or digest does not hold."""
    expected_prev = chain.GENESIS
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return VerifyResult(
                False, checked, entry.seq, f"entry #{expected_seq} is missing (next present is #{entry.seq})"
            )
        if entry.prev_hash != expected_prev:
            return VerifyResult(
                False, checked, entry.seq, "its previous-hash does not match the entry before it"
            )
        if chain.entry_digest(entry) != entry.hash:
            return VerifyResult(False, checked, entry.seq, "its content does not match its hash (altered)")
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    return VerifyResult(True, checked)
