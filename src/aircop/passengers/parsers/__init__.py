"""Readers of advance passenger data: UN/EDIFACT PAXLST and PNRGOV, and CSV manifests.

``read_file(data)`` tells the format from the content (an EDIFACT file starts with UNA, UNB or
UNH; anything else is read as a CSV manifest), reads every message, and returns one
``ParsedMessage`` per message: its envelope, the normalised result (``model.Manifest`` or a
list of ``model.Booking``) or the errors that rejected it. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from aircop.passengers.parsers import edifact
from aircop.passengers.parsers.model import Booking, Manifest

EDIFACT_STARTS = ("UNA", "UNB", "UNH")


class UnreadableFile(ValueError):
    """The file is not text we can read at all (not UTF-8 or Latin-1, empty)."""


@dataclass
class ParsedMessage:
    kind: str  # paxlst | pnrgov | csv
    sender: str
    interchange_ref: str
    message_ref: str
    version: str
    manifest: Manifest | None = None
    bookings: list[Booking] = field(default_factory=list)
    errors: list[dict] = field(
        default_factory=list
    )  # {"message", "segment", "tag", "element", "component", "reason"}
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict:
        out = {
            "kind": self.kind,
            "sender": self.sender or None,
            "interchange_ref": self.interchange_ref or None,
            "message_ref": self.message_ref or None,
            "version": self.version or None,
            "ok": self.ok,
            "errors": self.errors,
            "warnings": self.warnings,
        }
        if self.manifest is not None:
            out["manifest"] = self.manifest.as_json()
        if self.kind == "pnrgov":
            out["bookings"] = [b.as_json() for b in self.bookings]
        return out


@dataclass
class ParsedFile:
    name: str
    sha256: str
    format: str  # edifact | csv
    messages: list[ParsedMessage]
    warnings: list[str]
    errors: list[dict]  # about the file itself, not one message


def decode(data: bytes) -> str:
    if not data.strip():
        raise UnreadableFile("the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older airline systems send Latin-1 (syntax level B/C); every byte decodes.
        return data.decode("latin-1")


def is_edifact(text: str) -> bool:
    return text.lstrip(" \t\r\n\ufeff").startswith(EDIFACT_STARTS)


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _read_edifact_message(msg: edifact.Message, separators: edifact.Separators) -> ParsedMessage:
    env = msg.envelope
    parsed = ParsedMessage(
        kind=msg.type.lower(),
        sender=env.sender or env.group_sender,
        interchange_ref=env.control_ref,
        message_ref=msg.ref,
        version=msg.version,
        warnings=list(msg.warnings),
    )
    try:
        if msg.type == "PAXLST":
            from aircop.passengers.parsers import paxlst

            parsed.manifest = paxlst.parse(msg)
            parsed.warnings += parsed.manifest.warnings
        elif msg.type == "PNRGOV":
            from aircop.passengers.parsers import pnrgov

            parsed.bookings = pnrgov.parse(msg, separators)  # free text is rejoined with them
            for booking in parsed.bookings:
                parsed.warnings += [f"PNR {booking.record_locator}: {w}" for w in booking.warnings]
        else:
            raise edifact.EdifactError(
                f"message type {msg.type!r} is not passenger data (PAXLST or PNRGOV)",
                message=msg.ref,
                segment=1,
                tag="UNH",
                element=2,
            )
    except edifact.EdifactError as exc:
        parsed.errors.append(exc.as_dict())
        parsed.manifest, parsed.bookings = None, []
    return parsed


def read_file(data: bytes | str, name: str = "") -> ParsedFile:
    """Every message of the file, read (never raises for bad content: errors are reported)."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    sha = hashlib.sha256(raw).hexdigest()
    text = data if isinstance(data, str) else decode(data)
    if is_edifact(text):
        try:
            reading = edifact.read(text)
        except edifact.EdifactError as exc:
            return ParsedFile(name, sha, "edifact", [], [], [exc.as_dict()])
        messages = [_read_edifact_message(m, reading.separators) for m in reading.messages]
        # Messages with no envelope reference are told apart by their content.
        for parsed, msg in zip(messages, reading.messages, strict=True):
            if not parsed.interchange_ref:
                body = "\n".join(f"{s.tag}{s.elements}" for s in msg.segments)
                parsed.interchange_ref = _digest(body)
        return ParsedFile(
            name, sha, "edifact", messages, reading.warnings, [e.as_dict() for e in reading.errors]
        )
    from aircop.passengers.parsers import manifest_csv

    parsed = ParsedMessage(
        kind="csv", sender="", interchange_ref="sha256:" + sha[:32], message_ref="", version=""
    )
    try:
        parsed.manifest = manifest_csv.parse(text, name=name)
        parsed.warnings += parsed.manifest.warnings
    except manifest_csv.ManifestCsvError as exc:
        parsed.errors = [p.as_dict() if hasattr(p, "as_dict") else {"reason": str(p)} for p in exc.problems]
    return ParsedFile(name, sha, "csv", [parsed], [], [])
