"""The hash chain: canonical content and its digest. Pure functions, no database."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64


def format_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    ip: str,
    channel: str,
    data: dict,
) -> str:
    content = {
        "seq": seq,
        "at": format_time(at),
        "actor_id": actor_id,
        "actor": actor_username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "ip": ip,
        "channel": channel,
        "data": data,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(prev_hash: str, canonical_content: str) -> str:
    return hashlib.sha256((prev_hash + canonical_content).encode("utf-8")).hexdigest()


def entry_digest(entry) -> str:
    return digest(
        entry.prev_hash,
        canonical(
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_username=entry.actor_username,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            ip=entry.ip,
            channel=entry.channel,
            data=entry.data,
        ),
    )
