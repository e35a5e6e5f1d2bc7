"""Shared by `aircop paxlst parse` and `aircop pnr parse`: read a file, print what it holds.

Exit codes: 0 every message was read; 1 some message (or the file's structure) has errors,
the others are still printed; 2 the file cannot be read at all or holds the other kind."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aircop.passengers import parsers


def run(command: BaseCommand, *, kind: str, file: str, as_json: bool, other: str) -> None:
    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"{file}: {exc.strerror or exc}", returncode=2) from None
    try:
        parsed = parsers.read_file(data, path.name)
    except parsers.UnreadableFile as exc:
        raise CommandError(f"{file}: {exc}", returncode=2) from None
    kinds = {m.kind for m in parsed.messages}
    if kinds and kind not in kinds:
        raise CommandError(
            f"{file}: holds {', '.join(sorted(k.upper() for k in kinds))}, not {kind.upper()} (use `aircop {other} parse`)",
            returncode=2,
        )
    messages = [m for m in parsed.messages if m.kind == kind]
    skipped = len(parsed.messages) - len(messages)
    warnings = list(parsed.warnings)
    if skipped:
        warnings.append(f"{skipped} message(s) of another type skipped")
    failed = parsed.errors or any(not m.ok for m in messages)
    if as_json:
        command.stdout.write(
            json.dumps(document(parsed, messages, warnings, failed), ensure_ascii=False, indent=2)
        )
    else:
        for m in messages:
            command.stdout.write(_summary(m))
        for w in warnings:
            command.stderr.write(f"warning: {w}")
        for e in parsed.errors:
            command.stderr.write(f"error: {e['reason']}")
    if failed:
        raise CommandError(f"{file}: some messages could not be read (see errors)", returncode=1)


def document(parsed: parsers.ParsedFile, messages: list, warnings: list[str], failed: bool) -> dict:
    """The printed JSON (docs/passenger-data.md, "JSON"): one entry per message (envelope,
    status, errors, warnings), and the content of every message that was read at the top
    level: ``flights`` and ``travellers`` (PAXLST, CSV) or ``bookings`` (PNRGOV), each
    naming its ``message_ref``."""
    out = {
        "file": parsed.name,
        "sha256": parsed.sha256,
        "format": parsed.format,
        "ok": not failed,
        "messages": [],
        "warnings": warnings,
        "errors": parsed.errors,
    }
    flights, travellers, bookings = [], [], []
    for m in messages:
        head = m.as_json()
        manifest = head.pop("manifest", None)
        head.pop("bookings", None)
        if manifest is not None:
            head["reporting_party"] = manifest["reporting_party"]
            head["list_type"] = manifest["kind"]
            flights += [{**f, "message_ref": m.message_ref} for f in manifest["flights"]]
            travellers += [{**t, "message_ref": m.message_ref} for t in manifest["travellers"]]
        bookings += [{**b.as_json(), "message_ref": m.message_ref} for b in m.bookings]
        out["messages"].append(head)
    if parsed.format == "csv" or any(m.kind in ("paxlst", "csv") for m in messages):
        out["flights"], out["travellers"] = flights, travellers
    else:
        out["bookings"] = bookings
    return out


def _summary(m: parsers.ParsedMessage) -> str:
    head = f"{m.kind.upper()} {m.version} message {m.message_ref} from {m.sender or '?'}"
    if not m.ok:
        return head + ": REJECTED\n" + "\n".join(f"  error: {_where(e)}" for e in m.errors)
    lines = [head]
    if m.manifest is not None:
        for leg in m.manifest.flights:
            lines.append(
                f"  flight {leg.carrier}{leg.number} {leg.departure_airport} {_t(leg.scheduled_departure)}"
                f" -> {leg.arrival_airport} {_t(leg.scheduled_arrival)}"
            )
        lines.append(f"  {len(m.manifest.travellers)} traveller(s)")
    for b in m.bookings:
        lines.append(
            f"  PNR {b.record_locator}: {len(b.travellers)} traveller(s), {len(b.itinerary)} segment(s)"
        )
    lines += [f"  warning: {w}" for w in m.warnings]
    return "\n".join(lines)


def _t(moment) -> str:
    return moment.isoformat() if moment else "?"


def _where(e: dict) -> str:
    parts = [f"{k} {e[k]}" for k in ("segment", "tag", "element", "component") if e.get(k) is not None]
    return (", ".join(parts) + ": " if parts else "") + e["reason"]
