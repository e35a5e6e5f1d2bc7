"""Decoders for single PNRGOV segments and the free text they carry (``pnrgov`` walks the groups).

Each decoder takes one ``edifact.Segment`` and a ``warn`` callback: a value that does not read
(a bad date, a country that is not one) is left out with a warning, never guessed. Positions
follow the IATA/ICAO PNRGOV implementation guide (versions 10.1 to 13.1 read alike).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from aircop.passengers.parsers import edifact, model, values

Warn = Callable[[str], None]
DEFAULT_SEPARATORS = edifact.Separators()

# Every tag a PNRGOV message may carry; others are reported as not read.
_TAGS = "MSG ORG TVL EQN SRC RCI SSR DAT IFT ADD EBD TIF FTI REF FAR TKT MON PTK TXD FOP RPI APD SSD TBD LTS"
KNOWN_TAGS = frozenset((_TAGS + " ABI SAC TRI TRA ERC").split())
WEIGHT_UNITS = {"700": 1.0, "K": 1.0, "KG": 1.0, "701": 0.45359237, "L": 0.45359237, "LB": 0.45359237}
PAYMENT_KINDS = {"CA": "cash", "CC": "card", "DC": "card", "CK": "check", "MS": "miscellaneous"}


def where(seg: edifact.Segment) -> str:
    return f"segment {seg.number} ({seg.tag})"


def text_of(seg: edifact.Segment, first: int = 1, seps: edifact.Separators = DEFAULT_SEPARATORS) -> str:
    """Elements ``first``.. put back together with the message's separators: free text in which
    the sender did not release them."""
    elements = seg.elements[first - 1 :]
    return seps.element.join(seps.component.join(el).strip() for el in elements).strip(" " + seps.element)


def country(code: str, what: str, seg: edifact.Segment, warn: Warn) -> str | None:
    code = (code or "").strip()
    if not code:
        return None
    alpha3 = model.to_alpha3(code)
    if alpha3 is None:
        warn(f"{where(seg)}: {what} {code!r} is not a country code")
    return alpha3


# ----------------------------------------------------------------------------- dates and times
def clock(raw: str) -> time | None:
    """HHMM, or HHMMSS (RCI creation times)."""
    raw = raw.strip()
    if len(raw) == 6 and raw.isdigit():
        moment = values.hhmm(raw[:4])
        seconds = int(raw[4:])
        if seconds > 59:
            raise ValueError(f"not a time HHMMSS: {raw!r}")
        return moment.replace(second=seconds)
    return values.hhmm(raw)


def utc_moment(day: str, hhmm: str = "") -> datetime | None:
    """A transaction date and time (RCI, DAT): UTC, as the guide has them unless agreed otherwise.
    A date without a time is taken at 00:00."""
    on = values.ddmmyy(day)
    if on is None:
        return None
    return datetime.combine(on, clock(hhmm) or time(0), tzinfo=UTC)


def arrival(departure: datetime, arr_airport: str, arr_time: time) -> datetime:
    """The arrival when only its time is sent: the first moment 0 to 20 hours after departure,
    using both airports' UTC offsets; with an airport we cannot place, the departure day (the
    next one when the time is earlier)."""
    base = departure.date()
    found = []
    for shift in (0, 1, -1, 2):
        moment = model.local_time(arr_airport, datetime.combine(base + timedelta(days=shift), arr_time))
        if departure.tzinfo is not None and moment.tzinfo is not None:
            flown = moment - departure
            if timedelta(0) < flown <= timedelta(hours=20):
                found.append((flown, moment))
    if found:
        return min(found)[1]
    naive = datetime.combine(base, arr_time)
    if arr_time <= departure.time():
        naive += timedelta(days=1)
    return model.local_time(arr_airport, naive)


# ----------------------------------------------------------------------------- flights
def is_continuation(seg: edifact.Segment) -> bool:
    """TVL+++++624:M: the operating flight of a code share, after the marketing TVL."""
    return not (seg.el(1) or seg.el(1, 2) or seg.el(2) or seg.el(3))


def read_tvl(seg: edifact.Segment, warn: Warn) -> model.FlightLeg:
    """TVL: dep. date:time:arr. date:time + from + to + marketing:operating carrier + number:class.
    Times are the airports' local times."""
    dep_day, dep_time, arr_day, arr_time = (seg.el(1, n) for n in (1, 2, 3, 4))
    if len(arr_day) == 4 and not arr_time:  # TVL+120518:1220:1505: the arrival time in the date's place
        warn(f"{where(seg)}: arrival time {arr_day!r} sent in the place of the arrival date")
        arr_day, arr_time = "", arr_day
    dep_airport, arr_airport = seg.el(2).upper() or None, seg.el(3).upper() or None
    leg = model.FlightLeg(
        carrier=seg.el(4).upper() or None,
        number=seg.el(5) or None,
        departure_airport=dep_airport,
        arrival_airport=arr_airport,
        booking_class=seg.el(5, 2).upper() or None,
        operating_carrier=seg.el(4, 2).upper() or None,
    )
    try:
        on, at = values.ddmmyy(dep_day), values.hhmm(dep_time)
    except ValueError as exc:
        warn(f"{where(seg)}: departure left out: {exc}")
        on = at = None
    if on and at:
        leg.scheduled_departure = model.local_time(dep_airport, datetime.combine(on, at))
    try:
        arr_on, arr_at = values.ddmmyy(arr_day), values.hhmm(arr_time)
    except ValueError as exc:
        warn(f"{where(seg)}: arrival left out: {exc}")
        arr_on = arr_at = None
    if arr_on and arr_at:
        leg.scheduled_arrival = model.local_time(arr_airport, datetime.combine(arr_on, arr_at))
    elif arr_at and leg.scheduled_departure:
        leg.scheduled_arrival = arrival(leg.scheduled_departure, arr_airport, arr_at)
    return leg


def same_flight(a: model.FlightLeg, b: model.FlightLeg) -> bool:
    """The pushed flight (header TVL) found in an itinerary: same route and departure day, or
    the same flight number when a date is missing (code shares carry another number)."""
    if (a.departure_airport, a.arrival_airport) != (b.departure_airport, b.arrival_airport):
        return False
    if a.scheduled_departure and b.scheduled_departure:
        return a.scheduled_departure.date() == b.scheduled_departure.date()
    return (a.number or "").lstrip("0") == (b.number or "").lstrip("0")


# ----------------------------------------------------------------------------- travellers
@dataclass
class Tif:
    surname: str | None
    given_names: str | None
    kind: str  # A adult, C child, IN infant ... as sent
    reference: str | None
    with_infant: bool

    @property
    def infant(self) -> bool:
        return self.kind in ("IN", "INF", "I")

    def traveller(self) -> model.Traveller:
        return model.Traveller(
            surname=self.surname,
            given_names=self.given_names,
            reference=self.reference,
            infant=self.infant,
            with_infant=self.with_infant,
        )


def read_tif(seg: edifact.Segment) -> list[Tif]:
    """TIF+surname:qualifier+given names:type:reference:infant indicator (+ more given names).
    A group name (qualifier G) names nobody: an empty list."""
    if seg.el(1, 2).upper() == "G":
        return []
    surname = model.clean_name(seg.el(1))
    out = []
    for n in range(2, max(len(seg.elements), 2) + 1):
        out.append(
            Tif(
                surname=surname,
                given_names=model.clean_name(seg.el(n)),
                kind=seg.el(n, 2).upper(),
                reference=seg.el(n, 3) or None,
                with_infant=seg.el(n, 4).upper() in ("1", "Y"),
            )
        )
    return out


def same_person(t: model.Traveller, surname: str | None, given: str | None) -> bool:
    """Names as a PNR and an SSR write them: same surname, one first given name the start of the
    other (TIF "ISABELLE MRS", DOCS "ISABELLE RUTH")."""
    if not surname or (t.surname or "").replace(" ", "") != surname.replace(" ", ""):
        return False
    a, b = (t.given_names or "").split()[:1], (given or "").split()[:1]
    return bool(a and b) and (a[0].startswith(b[0]) or b[0].startswith(a[0]))


# ----------------------------------------------------------------------------- contacts
_CTC = re.compile(r"(?:^|[\s/])CTC(?:\s?([A-Z])(?=\s))?\s*(.*)$")
_PHONE_KINDS = "BHMPTF"


def decode_email(raw: str) -> str:
    """An e-mail address as airline teletype writes it: // for @, ./ for -, .. for _ ."""
    value = raw.strip().split()[0] if raw.strip() else ""
    value = value.replace("//", "@", 1).replace("./", "-").replace("..", "_")
    if "@" in value:
        local, _, domain = value.partition("@")
        value = f"{local}@{domain.split('/')[0]}"
    return value.lower()


def read_ctc(text: str) -> tuple[str, str] | None:
    """(kind, value) of a CTC text (OSI or SSR): CTCE e-mail, CTCA address, CTCB/H/M/P/T/F phones,
    CTC + city code; None for CTCR (the passenger declined to give a contact) or no CTC."""
    match = _CTC.search(text.upper())
    if not match:
        return None
    letter, value = match.group(1) or "", model.clean_name(match.group(2)) or ""
    if not value or letter == "R":
        return None
    if letter == "E":
        return ("email", decode_email(value))
    if letter == "A":
        return ("address", value)
    if letter in _PHONE_KINDS or sum(c.isdigit() for c in value) >= 5:
        return ("phone", value)
    return None


def read_add(seg: edifact.Segment, warn: Warn) -> list[tuple[str, str]]:
    """ADD++purpose:street:city:state::country:postal code:telephone."""
    c = seg.components(2) + [""] * 8
    alpha3 = country(c[5], "ADD country", seg, warn)
    out = []
    parts = [p for p in (c[1], c[2], c[3], c[6], alpha3 or c[5]) if p]
    if parts:
        out.append(("address", ", ".join(parts)))
    phone = c[7].strip()
    if phone:
        found = read_ctc(phone) if "CTC" in phone.upper() else None
        out.append(found or ("phone", phone))
    return out


def read_org(seg: edifact.Segment, warn: Warn) -> model.Party | None:
    """ORG+system:location+IATA agency number:office id+agent's city+company+type+country:currency."""
    code = "/".join(p for p in (seg.el(2), seg.el(2, 2)) if p) or None
    party = model.Party(
        code=code,
        city=seg.el(3).upper() or None,
        country=country(seg.el(6), "ORG country", seg, warn),
    )
    return party if (party.code or party.city or party.country) else None


# ----------------------------------------------------------------------------- payments, bags
def mask(raw: str) -> str | None:
    """A card number as ``model.mask_card`` writes it, also when the sender masked it already
    (XXXXXXXX1186): the last four are kept only when they are digits."""
    chars = re.sub(r"[^0-9Xx*#]", "", raw or "")
    if not chars:
        return None
    if not chars[-4:].isdigit():
        return "*" * len(chars)
    return model.mask_card(re.sub(r"\D", "0", chars))


def read_fop(seg: edifact.Segment) -> list[model.Payment]:
    """FOP+type:data indicator:amount:card type:card number:expiry (+ more forms of payment)."""
    out = []
    for n in range(1, len(seg.elements) + 1):
        kind = seg.el(n).upper()
        if not kind:
            continue
        out.append(
            model.Payment(
                kind=PAYMENT_KINDS.get(kind, "other"),
                card_type=seg.el(n, 4).upper() or None,
                card_number=mask(seg.el(n, 5)),
                card_expiry=seg.el(n, 6) or None,
                amount=seg.el(n, 3) or None,
            )
        )
    return out


def _number(raw: str) -> float | None:
    try:
        return float(raw)
    except ValueError:
        return None


def _kg(weight: float | None, unit: str) -> float | None:
    if weight is None:
        return None
    return round(weight * WEIGHT_UNITS.get(unit.upper(), 1.0), 1)


@dataclass
class Bags:
    count: int | None
    weight_kg: float | None
    tags: list[tuple[str, str | None]]  # (tag, destination)


def read_tbd(seg: edifact.Segment, warn: Warn) -> Bags:
    """TBD++count:weight:unit (700 kg, 701 lb)++pool+carrier:tag number:consecutive tags:destination.
    Consecutive tags are spelt out only when they add up to the bag count: real feeds put other
    numbers there."""
    count, weight = _number(seg.el(2)), _number(seg.el(2, 2))
    found: list[tuple[str, str, int, str | None]] = []
    for n in range(5, len(seg.elements) + 1):
        carrier, number = seg.el(n).upper(), seg.el(n, 2).replace(" ", "")
        if not number:
            continue
        dest = seg.el(n, 4).upper() or None
        if dest and not (len(dest) == 3 and dest.isalpha()):
            warn(f"{where(seg)}: bag tag destination {dest!r} is not an airport code")
            dest = None
        run = int(seg.el(n, 3)) if seg.el(n, 3).isdigit() else 1
        found.append((carrier, number, run, dest))
    spell = count is not None and sum(r for _, _, r, _ in found) == count
    if not spell and any(r != 1 for _, _, r, _ in found):
        warn(f"{where(seg)}: consecutive tag counts do not add up to {seg.el(2)!r} bags: tags kept as sent")
    tags: list[tuple[str, str | None]] = []
    for carrier, number, run, dest in found:
        for i in range(run if spell and number.isdigit() else 1):
            serial = str(int(number) + i).zfill(len(number)) if i else number
            # A ten-digit tag is the full licence plate; a shorter one needs its carrier.
            tags.append((serial if len(serial) >= 10 else f"{carrier}{serial}", dest))
    return Bags(int(count) if count is not None else None, _kg(weight, seg.el(2, 3)), tags)


def read_ebd(seg: edifact.Segment) -> dict:
    """EBD+currency:rate per unit+number in excess::N (pieces) or W (weight):unit."""
    number = _number(seg.el(2))
    by_weight = seg.el(2, 3).upper() == "W"
    return {
        "tag": None,
        "count": None if by_weight or number is None else int(number),
        "weight_kg": _kg(number, seg.el(2, 4)) if by_weight else None,
        "destination": None,
        "excess": True,
        "rate": seg.el(1, 2) or None,
        "currency": seg.el(1).upper() or None,
    }


# ----------------------------------------------------------------------------- card numbers in text
_DIGITS = re.compile(r"\d+")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card(digits: str) -> bool:
    # 13 digits is a ticket number (no card is issued with 13 digits any more); card numbers
    # start with 1 (UATP) to 6, telephone numbers often with 0.
    return 14 <= len(digits) <= 19 and digits[0] in "123456" and _luhn(digits)


def scrub_cards(text: str) -> str:
    """``text`` with every payment card number masked (all but the last four digits): runs of 14
    to 19 digits, whole or in groups split by one space or dash, that pass the Luhn check."""
    if not text or sum(c.isdigit() for c in text) < 14:
        return text
    groups = list(_DIGITS.finditer(text))
    hide: set[int] = set()  # positions of digits to mask
    for i, first in enumerate(groups):
        digits, spans = "", []
        for j in range(i, len(groups)):
            g = groups[j]
            if j > i and (g.start() - groups[j - 1].end() != 1 or text[g.start() - 1] not in " -"):
                break
            digits += g.group()
            spans.append(g.span())
            if len(digits) > 19:
                break
            if _card(digits):
                positions = [p for a, b in spans for p in range(a, b)]
                hide.update(positions[:-4])
        whole = first.group()
        if len(whole) > 19 and whole[0] in "123456":  # a card glued to what follows (its expiry)
            for size in range(19, 13, -1):
                if _luhn(whole[:size]):
                    hide.update(range(first.start(), first.start() + size - 4))
                    break
    if not hide:
        return text
    return "".join("*" if i in hide else ch for i, ch in enumerate(text))


# ----------------------------------------------------------------------------- glued segments
_QUOTES = "\u2019\u2018`\u00b4"
_GLUED = re.compile(r"^(.*?)([" + _QUOTES + r"]?)(" + "|".join(sorted(KNOWN_TAGS)) + r")$")
# Segments of a fixed size: more elements than this means the next segment is glued on.
_MAX_ELEMENTS = {"RPI": 2, "ORG": 10, "TRI": 2, "EQN": 2, "MSG": 2, "SAC": 4, "FTI": 2, "TKT": 2, "SSD": 6}


def _glue_point(seg: edifact.Segment) -> tuple[int, str, str] | None:
    limit = _MAX_ELEMENTS.get(seg.tag)
    for n, el in enumerate(seg.elements[:-1]):
        match = _GLUED.match(el[-1]) if el else None
        if not match or not match.group(1):
            continue
        before, quote = match.group(1), match.group(2)
        # A typographic quote typed for the terminator; or, in a segment grown past its size,
        # a short code run into the next tag (RPI+1+HKIFT+...).
        overgrown = limit is not None and len(seg.elements) > limit and n < limit
        if quote or (overgrown and len(before) <= 12 and not re.search(r"[\s/.]", before)):
            return n, before, match.group(3)
    return None


def unglue(segments: list[edifact.Segment], warn: Warn) -> list[edifact.Segment]:
    """Split segments whose terminator was lost or mistyped (RPI+1+HKIFT+4:19+..., a closing ’
    instead of '): the element that ends with a known tag starts the next segment. Names that
    end like a tag (BORG, LATIF) are left alone: see ``_glue_point``."""
    out = []
    for seg in segments:
        cur = seg
        while (cut := _glue_point(cur)) is not None:
            n, keep, tag = cut
            warn(f"{where(cur)}: segment {tag} glued to it without a terminator: read as two segments")
            out.append(
                edifact.Segment(cur.tag, cur.elements[:n] + [cur.elements[n][:-1] + [keep]], cur.number)
            )
            cur = edifact.Segment(tag, cur.elements[n + 1 :], cur.number)
        out.append(cur)
    return out
