"""A UN/EDIFACT reader for what airline systems really send (docs/passenger-data.md, "Reading").

- The UNA service string advice sets the separators and the release character; without it
  the defaults of syntax level A (``:+.? '``) apply. A UNA of five characters whose fifth is
  the terminator (seen in real feeds) is accepted with a warning.
- Line breaks are not part of the data (feeds wrap long segments and put one segment per
  line): they are dropped, unless the segment terminator is itself a line break. Spaces and
  tabs before a segment's tag are ignored.
- One file may hold several interchanges (UNB ... UNZ), functional groups (UNG ... UNE) and
  messages (UNH ... UNT), or messages with no envelope at all, or a whole interchange on one line.
- Known deviations are warnings, not failures: a wrong or missing segment count or reference
  in UNT, UNE or UNZ; a missing UNT (the message ends at the next UNH, UNE, UNZ or the end
  of the file); a last segment without its terminator; text outside any message.

Errors are ``EdifactError``: they name the message (its reference), the segment's number in
the message (UNH is 1, as UNT counts), the segment tag and the element and component
positions (1-based, after the tag). A broken message does not stop the others.

Speed: when the text holds no release character, segments, elements and components come
from ``str.split`` alone; otherwise each released character is swapped for a private-use
code point first, split the same way, and swapped back only in the values that had one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_UNA = ":+.? '"
SERVICE_TAGS = ("UNB", "UNG", "UNH")
_ENDS_A_MESSAGE = frozenset(("UNH", "UNE", "UNZ", "UNB", "UNG"))
_PLACEHOLDER_BASE = 0xE000  # private use area: never in airline data


class EdifactError(ValueError):
    """A message (or the file) that cannot be read, and where."""

    def __init__(
        self,
        reason: str,
        *,
        message: str | None = None,
        segment: int | None = None,
        tag: str | None = None,
        element: int | None = None,
        component: int | None = None,
    ):
        self.reason = reason
        self.message = message
        self.segment = segment
        self.tag = tag
        self.element = element
        self.component = component
        super().__init__(str(self))

    def where(self) -> str:
        parts = []
        if self.message is not None:
            parts.append(f"message {self.message}")
        if self.segment is not None:
            parts.append(f"segment {self.segment}" + (f" ({self.tag})" if self.tag else ""))
        elif self.tag:
            parts.append(f"segment {self.tag}")
        if self.element is not None:
            parts.append(f"element {self.element}")
        if self.component is not None:
            parts.append(f"component {self.component}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.reason}" if where else self.reason

    def as_dict(self) -> dict:
        return {
            "message": self.message,
            "segment": self.segment,
            "tag": self.tag,
            "element": self.element,
            "component": self.component,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Separators:
    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str = "?"
    reserved: str = " "
    segment: str = "'"


class Segment:
    """One segment: its tag and its elements, each a list of components. Built by the
    tokenizer from the raw element texts, split into components only when first read: most
    reads are of one component (``el``), which needs no split."""

    __slots__ = ("tag", "number", "_elements", "_raw", "_comp")

    def __init__(
        self,
        tag: str,
        elements: list[list[str]] | None = None,
        number: int = 0,  # position in its message (UNH = 1); in the file outside messages
        raw: list[str] | None = None,
        component: str = ":",
    ):
        self.tag = tag
        self.number = number
        self._elements = elements if elements is not None or raw is not None else []
        self._raw = raw
        self._comp = component

    @property
    def elements(self) -> list[list[str]]:
        if self._elements is None:
            comp = self._comp
            self._elements = [p.split(comp) for p in self._raw]
        return self._elements

    def __eq__(self, other) -> bool:
        if not isinstance(other, Segment):
            return NotImplemented
        return (self.tag, self.elements, self.number) == (other.tag, other.elements, other.number)

    def __repr__(self) -> str:
        return f"Segment({self.tag!r}, {self.elements!r}, {self.number})"

    def el(self, element: int, component: int = 1, default: str = "") -> str:
        """Element ``element``, component ``component`` (both 1-based), stripped; ``default``
        when absent."""
        if self._elements is None:
            try:
                raw = self._raw[element - 1]
            except IndexError:
                return default
            if component == 1:
                cut = raw.find(self._comp)
                value = raw if cut < 0 else raw[:cut]
            else:
                parts = raw.split(self._comp)
                if component > len(parts) or component < 1:
                    return default
                value = parts[component - 1]
            return value.strip() or default
        try:
            value = self._elements[element - 1][component - 1]
        except IndexError:
            return default
        return value.strip() or default

    def components(self, element: int) -> list[str]:
        try:
            return [c.strip() for c in self.elements[element - 1]]
        except IndexError:
            return []

    def error(
        self, reason: str, message: str | None, element: int | None = None, component: int | None = None
    ):
        return EdifactError(
            reason, message=message, segment=self.number, tag=self.tag, element=element, component=component
        )


@dataclass
class Envelope:
    """What UNB (interchange) and UNG (group) say about a message."""

    syntax: str = ""
    sender: str = ""
    recipient: str = ""
    prepared: str = ""  # YYMMDD:HHMM as sent
    control_ref: str = ""
    application_ref: str = ""
    group_type: str = ""
    group_sender: str = ""
    group_ref: str = ""
    group_version: str = ""


@dataclass
class Message:
    ref: str
    type: str  # PAXLST, PNRGOV ...
    version: str  # "D:05B", "13:1" (version:release)
    agency: str
    segments: list[Segment]  # from UNH to UNT inclusive (UNT may be missing)
    envelope: Envelope
    number: int  # 1-based position among the file's messages
    warnings: list[str] = field(default_factory=list)
    association: str = ""  # UNH element 2 component 5 (e.g. IATA)
    common_access_ref: str = ""  # UNH element 3

    @property
    def body(self) -> list[Segment]:
        """The segments between UNH and UNT."""
        end = (
            len(self.segments) - 1 if self.segments and self.segments[-1].tag == "UNT" else len(self.segments)
        )
        return self.segments[1:end]

    def error(self, reason: str) -> EdifactError:
        return EdifactError(reason, message=self.ref)


@dataclass
class Reading:
    separators: Separators
    messages: list[Message]
    warnings: list[str]  # about the file and its envelopes
    errors: list[EdifactError]  # messages or parts of the file that could not be read


# ----------------------------------------------------------------------------- tokenizing
def _una(text: str, warnings: list[str]) -> tuple[Separators, str]:
    """The separators and the text after the UNA advice (if any). Two deviations of real feeds
    are repaired, with a warning: a five-character advice (the decimal mark left out, the
    line break after it taken for the terminator), and a terminator that the rest of the file
    never uses while it ends its segments with the default ``'`` (a "smart quote" in the advice)."""
    stripped = text.lstrip(" \t\r\n\ufeff")
    if not stripped.startswith("UNA"):
        return Separators(*DEFAULT_UNA), stripped
    six = stripped[3:9]
    if len(six) < 6:
        raise EdifactError("the UNA service string advice is cut short (it needs six characters)", tag="UNA")
    c, e, d, r, reserved, s = six
    rest = stripped[9:]
    if s in "\r\n" and reserved not in " \t" and rest.count(reserved) >= max(1, rest.count(s) // 2):
        # "UNA:+\\*'" + line break: component, element, release, reserved, terminator.
        c, e, r, reserved, s = six[:5]
        d = "."
        rest = stripped[8:]
        warnings.append(
            f"the UNA advice has five characters instead of six: read as component {c!r}, element {e!r}, "
            f"release {r!r}, reserved {reserved!r}, terminator {s!r}"
        )
    elif s not in rest and "'" in rest and "'" not in (c, e, r):
        warnings.append(
            f"the UNA advice names {s!r} (U+{ord(s):04X}) as segment terminator, which the file never uses; "
            'read with the default "\'"'
        )
        s = "'"
    if len({c, e, s}) < 3:
        raise EdifactError(
            f"the UNA advice gives the same character to two separators: {six!r}", tag="UNA", element=1
        )
    if r == " ":  # a space as release character means "none"
        r = ""
    return Separators(c, e, d, r, reserved, s), rest


def _protect(text: str, seps: Separators) -> tuple[str, dict[str, str] | None, list[str]]:
    """Swap each released character for a placeholder; the map back (None if nothing released)."""
    r = seps.release
    if not r or r not in text:
        return text, None, []
    out, back, warnings = [], {}, []
    codes: dict[str, str] = {}
    i, n = 0, len(text)
    start = 0
    while True:
        i = text.find(r, start)
        if i < 0:
            out.append(text[start:])
            break
        out.append(text[start:i])
        if i + 1 >= n:
            warnings.append(f"the text ends with the release character {r!r}: it is dropped")
            break
        ch = text[i + 1]
        if ch in (seps.component, seps.element, seps.segment, r):
            code = codes.get(ch)
            if code is None:
                code = chr(_PLACEHOLDER_BASE + len(codes))
                codes[ch] = code
                back[code] = ch
            out.append(code)
        else:  # a release before an ordinary character: the character itself
            out.append(ch)
        start = i + 2
    return "".join(out), (back or None), warnings


def tokenize(text: str) -> tuple[Separators, list[Segment], list[str]]:
    """Separators, every segment of the text (numbered in file order), and warnings."""
    warnings: list[str] = []
    seps, body = _una(text, warnings)
    if seps.segment not in "\r\n":
        body = body.replace("\r", "").replace("\n", "")
    body, back, released = _protect(body, seps)
    warnings += released
    table = str.maketrans(back) if back else None
    raw = body.split(seps.segment)
    last = raw[-1].strip(" \t\r\n")
    if last:
        warnings.append(f"the last segment ({last[:3]!r}) has no segment terminator {seps.segment!r}")
    else:
        raw.pop()
    segments: list[Segment] = []
    append = segments.append
    el_sep, comp_sep = seps.element, seps.component
    marks = tuple(back) if back else ()
    for number, chunk in enumerate(raw, 1):
        chunk = chunk.lstrip(" \t\r\n")
        if not chunk:
            continue
        parts = chunk.split(el_sep)
        # Only segments that had a released character (placeholders are not ASCII, and the
        # ASCII test of a str is constant-time).
        if marks and not chunk.isascii() and any(m in chunk for m in marks):
            elements = [[c.translate(table) for c in p.split(comp_sep)] for p in parts[1:]]
            append(Segment(parts[0].strip().translate(table), elements, number))
        else:
            append(Segment(parts[0].strip(), None, number, parts[1:], comp_sep))
    return seps, segments, warnings


# ----------------------------------------------------------------------------- structure
def _envelope_from_unb(seg: Segment) -> Envelope:
    return Envelope(
        syntax=":".join(c for c in seg.components(1) if c),
        sender=seg.el(2),
        recipient=seg.el(3),
        prepared=":".join(c for c in seg.components(4) if c),
        control_ref=seg.el(5),
        application_ref=seg.el(7),
    )


def read(text: str) -> Reading:
    """Every message in ``text`` with its envelope; file-level warnings and errors."""
    seps, segments, warnings = tokenize(text)
    messages: list[Message] = []
    errors: list[EdifactError] = []
    interchange = Envelope()
    unb: Segment | None = None
    group_messages = interchange_messages = interchange_groups = 0
    seen = 0  # UNH segments so far: a message's position in the file
    current: Message | None = None
    outside: list[str] = []

    def close(msg: Message, unt: Segment | None) -> None:
        if unt is None:
            msg.warnings.append("no UNT trailer: the message ends where the next one (or the file) begins")
        else:
            count = unt.el(1)
            if not count.isdigit():
                msg.warnings.append(f"UNT gives no segment count ({count!r})")
            elif int(count) != len(msg.segments):
                msg.warnings.append(f"UNT counts {int(count)} segments, the message has {len(msg.segments)}")
            ref = unt.el(2)
            if ref != msg.ref:
                msg.warnings.append(
                    f"UNT reference {ref!r} is not the UNH reference {msg.ref!r}"
                    if ref
                    else "UNT has no reference"
                )
        messages.append(msg)

    position, add = 0, None  # in the current message: the last segment's number, its segments.append
    for seg in segments:
        tag = seg.tag
        if current is not None:
            if tag not in _ENDS_A_MESSAGE:
                position += 1
                seg.number = position
                add(seg)
                if tag == "UNT":
                    close(current, seg)
                    current = None
                continue
            close(current, None)  # a service segment before this message's UNT
            current = None
        if tag == "UNB":
            unb = seg
            interchange = _envelope_from_unb(seg)
            interchange_messages = interchange_groups = 0
        elif tag == "UNG":
            interchange_groups += 1
            interchange.group_type = seg.el(1)
            interchange.group_sender = seg.el(2)
            interchange.group_ref = seg.el(5)
            interchange.group_version = ":".join(c for c in seg.components(7) if c)
            group_messages = 0
        elif tag == "UNE":
            count = seg.el(1)
            if count.isdigit() and int(count) != group_messages:
                warnings.append(f"UNE counts {int(count)} messages, the group has {group_messages}")
            if seg.el(2) and interchange.group_ref and seg.el(2) != interchange.group_ref:
                warnings.append(
                    f"UNE reference {seg.el(2)!r} is not the UNG reference {interchange.group_ref!r}"
                )
        elif tag == "UNZ":
            count = seg.el(1)
            expected, what = (
                (interchange_groups, "group(s)")
                if interchange_groups
                else (interchange_messages, "message(s)")
            )
            if count.isdigit() and unb is not None and int(count) != expected:
                warnings.append(f"UNZ counts {int(count)}, the interchange has {expected} {what}")
            if unb is not None and seg.el(2) != interchange.control_ref:
                warnings.append(
                    f"UNZ reference {seg.el(2)!r} is not the UNB reference {interchange.control_ref!r}"
                )
            unb = None
        elif tag == "UNH":
            seen += 1
            number = seen
            seg.number = 1
            ref = seg.el(1)
            kind = seg.el(2, 1).upper()
            env = Envelope(**interchange.__dict__)
            if not kind:
                errors.append(
                    EdifactError(
                        "UNH names no message type",
                        message=ref or f"#{number}",
                        segment=1,
                        tag="UNH",
                        element=2,
                    )
                )
                # Its segments up to UNT are skipped with it.
                current = Message(ref or f"#{number}", "", "", "", [seg], env, number)
                current.warnings.append("skipped")
                position, add = 1, current.segments.append
                continue
            version = ":".join(x for x in (seg.el(2, 2), seg.el(2, 3)) if x)
            current = Message(
                ref=ref or f"#{number}",
                type=kind,
                version=version,
                agency=seg.el(2, 4),
                segments=[seg],
                envelope=env,
                number=number,
                association=seg.el(2, 5),
                common_access_ref=seg.el(3),
            )
            position, add = 1, current.segments.append
            if not ref:
                current.warnings.append("UNH has no message reference")
            group_messages += 1
            interchange_messages += 1
        else:
            outside.append(tag)
    if current is not None:
        close(current, None)
    if outside:
        shown = ", ".join(dict.fromkeys(outside))
        warnings.append(f"{len(outside)} segment(s) outside any message were ignored ({shown})")
    messages = [m for m in messages if m.type]  # those without a type are in errors
    if not messages and not errors:
        errors.append(EdifactError("no message (UNH ... UNT) in the file"))
    return Reading(seps, messages, warnings, errors)
