"""Building blocks of the PAXLST reader (``paxlst.py``): code tables, warnings that repeat,
dates and countries with a position, flight designators, bag tags, and the flight legs of one
TDT group built from its LOC/DTM pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from aircop.passengers.parsers import model, values
from aircop.passengers.parsers.edifact import EdifactError, Segment

# BGM element 1 (document name code): what the list reports.
DOCUMENT_KINDS = {
    "745": "passenger",  # passenger list
    "250": "crew",  # crew list declaration
    "336": "crew",  # master crew list
    "266": "passenger",  # flight status update (flight close, cancel...): usually no traveller
    "655": "passenger",  # gate pass request
}
# BGM element 2 (document identifier) values that change what storage must do with the list:
# they are written to the warnings so that a reader of the manifest sees them.
DOCUMENT_NOTES = {
    ("745", "C"): "a change to a passenger list sent before",
    ("745", "CP"): "changed passenger data (replaces what was sent before)",
    ("745", "XR"): "cancelled reservations (travellers to remove)",
    ("745", "RP"): "a reduction in party",
    ("250", "CC"): "a crew change",
    ("250", "BC"): "a crew change (cargo flight)",
    ("250", "EC"): "a crew change (domestic continuance)",
    ("250", "FC"): "a crew change (domestic continuance of a cargo flight)",
    ("266", "CL"): "flight close",
    ("266", "CLNB"): "flight close, with travellers not on board",
    ("266", "CLOB"): "flight close, with travellers on board",
    ("266", "XF"): "flight cancelled",
    ("266", "CF"): "flight changed",
    ("336", "G"): "master crew list: additions",
    ("336", "H"): "master crew list: deletions",
    ("336", "I"): "master crew list: changes",
}
# BGM element 3 (message function code).
MESSAGE_FUNCTIONS = {"1": "a cancellation", "4": "a change", "5": "a replacement"}

# NAD element 1 of a traveller: (type, in transit).
TRAVELLER_ROLES = {
    "FL": ("passenger", False),
    "FM": ("crew", False),
    "DDU": ("passenger", True),
    "DDT": ("crew", True),
}
PARTY_ROLES = ("MS",)
# US CEDIPAX PDT element 3 (person status).
PDT_STATUS = {"PAX": ("passenger", False), "CRW": ("crew", False), "ITI": ("passenger", True)}
SEXES = {"M": "M", "F": "F", "X": "X", "U": None}
COMMUNICATION = {"TE": "phone", "FX": "fax", "EM": "email"}

# LOC qualifiers of the flight route (segment group 3; 5/8/PT from the US CEDIPAX layout).
DEPARTURES = ("125", "5", "005")
ARRIVALS = ("87", "130", "8", "008")
VIAS = ("PT",)  # a stop on the way: arrival there, then departure
ROUTING = ("92",)  # departure or arrival: alternating (the US "routing" style)
FLIGHT_LOCATIONS = DEPARTURES + ARRIVALS + VIAS + ROUTING
IGNORED_FLIGHT_LOCATIONS = ("188", "172")  # filing and reporting locations
DEPARTURE_TIMES = ("189", "136")
ARRIVAL_TIMES = ("232", "132")
# RFF qualifiers of a traveller that are known but have no place in the model.
IGNORED_REFERENCES = ("ABO", "AEA", "CR", "ACD", "TN", "YZY", "ZZZ")
# Segments of the traveller groups that are known but carry nothing the model keeps.
IGNORED_TRAVELLER_TAGS = ("MEA", "GEI", "EMP", "QTY", "CPI", "GID", "AUT")

_TIME_KINDS = {"189": "departure", "136": "departure", "232": "arrival", "132": "arrival"}
_DESIGNATOR = (
    re.compile(r"^([A-Z]{3})(\d{1,4}[A-Z]?)$"),  # ICAO: DLH400
    re.compile(r"^([A-Z0-9]{2})(\d{1,4}[A-Z]?)$"),  # IATA: UA0989, U21234, 9W123
    re.compile(r"^([A-Z]+)(\d.*)$"),  # anything else that starts with letters
)
MAX_BAG_SEQUENCE = 99


class Context:
    """What the handlers of one message share: its reference (for errors) and its warnings.
    A warning that repeats (the same deviation on 260 travellers) is written once with a count."""

    def __init__(self, message_ref: str):
        self.ref = message_ref
        self._warnings: dict[str, list] = {}

    def warn(self, text: str, key: str | None = None) -> None:
        entry = self._warnings.setdefault(key or text, [text, 0])
        entry[1] += 1

    def warn_at(self, seg: Segment, text: str, key: str | None = None) -> None:
        self.warn(f"segment {seg.number} ({seg.tag}): {text}", key or f"{seg.tag}:{text}")

    def warnings(self) -> list[str]:
        return [
            text if n == 1 else f"{text} (and {n - 1} more like it)" for text, n in self._warnings.values()
        ]

    def error(
        self, seg: Segment, reason: str, element: int | None = None, component: int | None = None
    ) -> EdifactError:
        return seg.error(reason, self.ref, element, component)


def dtm_value(seg: Segment) -> tuple[str, str, int, int]:
    """Value, format and position of a DTM: ``DTM+329:850412:102`` (UN: element 1, component 2)
    or ``DTM+136+020131+1030+M05`` (US CEDIPAX: date and time in elements 2 and 3)."""
    if seg.el(1, 2) or not seg.el(2):
        return seg.el(1, 2), seg.el(1, 3), 1, 2
    raw = seg.el(2) + seg.el(3)
    return raw, ("201" if len(raw) == 10 else ""), 2, 1


def read_date(
    ctx: Context,
    seg: Segment,
    raw: str,
    fmt: str,
    where: tuple[int, int],
    what: str,
    *,
    past: bool = False,
    strict: bool = False,
) -> date | datetime | None:
    """A date by ``values.dtm``. ``strict``: a value that is not a date makes the message
    unusable (an EdifactError at ``where``); otherwise it is a warning and None."""
    try:
        try:
            value = values.dtm(raw, fmt, past=past)
        except ValueError:
            if not fmt:
                raise
            # A format code that does not fit the value (203 with YYMMDDHHMM...): the length says.
            value = values.dtm(raw, "", past=past)
            ctx.warn_at(seg, f"format {fmt} does not fit {raw!r}: read by its length", key=f"fmt:{fmt}")
    except ValueError as exc:
        if strict:
            raise ctx.error(seg, f"{what}: {exc}", *where) from None
        ctx.warn_at(seg, f"{what} is not read ({exc}): left empty", key=f"date:{seg.tag}:{what}")
        return None
    if past and value is not None:
        day = value.date() if isinstance(value, datetime) else value
        if day > date.today():
            if strict:
                raise ctx.error(seg, f"{what} {day.isoformat()} is in the future", *where)
            ctx.warn_at(seg, f"{what} {day.isoformat()} is in the future: left empty")
            return None
        return day
    return value


def country(ctx: Context, seg: Segment, code: str, what: str) -> str | None:
    """Alpha-3 for a country code; an unknown code is a warning and None."""
    if not code:
        return None
    alpha3 = model.to_alpha3(code)
    if alpha3 is None:
        ctx.warn_at(seg, f"{what}: country code {code!r} is not known: left empty", key=f"country:{code}")
    return alpha3


def airport(code: str) -> str | None:
    """An IATA airport code; the US CEDIPAX layout prefixes it with the alpha-2 country (NZAKL)."""
    code = code.strip().upper()
    if len(code) == 5 and code[:2].isalpha():
        return code[2:]
    return code or None


def split_flight(conveyance: str, carriers: list[str]) -> tuple[str | None, str | None]:
    """Carrier and flight number from TDT element 2 (``UA0989``) and the carrier elements."""
    conv = conveyance.replace(" ", "").upper()
    for carrier in carriers:
        if carrier and conv.startswith(carrier) and len(conv) > len(carrier):
            return carrier, conv[len(carrier) :]
    for pattern in _DESIGNATOR:
        match = pattern.match(conv)
        if match and not match.group(1).isdigit():
            return next((c for c in carriers if c), match.group(1)), match.group(2)
    return next((c for c in carriers if c), None), conv or None


def bag_tags(ctx: Context, seg: Segment, ident: str, count: str) -> list[str]:
    """FTX+BAG+++AF012345:3 is three tags numbered on from AF012345."""
    if not ident:
        return []
    if not count or count == "1":
        return [ident]
    match = re.match(r"^(.*?)(\d+)$", ident)
    if not count.isdigit() or not match or int(count) > MAX_BAG_SEQUENCE:
        ctx.warn_at(seg, f"bag tag count {count!r} is not a sequence of tags: only {ident} kept")
        return [ident]
    prefix, digits = match.groups()
    start, width = int(digits), len(digits)
    return [f"{prefix}{start + i:0{width}d}" for i in range(int(count))]


@dataclass
class Stop:
    airport: str | None
    qualifier: str
    seg: Segment
    departure: datetime | None = None
    arrival: datetime | None = None


class Route:
    """The legs of one TDT group: each LOC (with the DTM after it) is a stop, and every
    departure -> arrival pair is a FlightLeg. LOC+92 alternates between departure and
    arrival, and continues as the next departure when a DTM+189 follows it (a progressive
    route); LOC+PT is an arrival and the next departure."""

    def __init__(self, ctx: Context, tdt: Segment, carrier: str | None, number: str | None):
        self.ctx, self.tdt, self.carrier, self.number = ctx, tdt, carrier, number
        self.stops: list[Stop] = []

    def loc(self, seg: Segment, qualifier: str) -> None:
        self.stops.append(Stop(airport(seg.el(2)), qualifier, seg))

    def dtm(self, seg: Segment, qualifier: str) -> None:
        kind = _TIME_KINDS.get(qualifier)
        if kind is None:
            self.ctx.warn_at(seg, f"DTM qualifier {qualifier!r} is not a flight time: ignored")
            return
        if not self.stops:
            self.ctx.warn_at(seg, "a flight time before any LOC of its flight: ignored")
            return
        raw, fmt, element, component = dtm_value(seg)
        moment = read_date(self.ctx, seg, raw, fmt, (element, component), f"{kind} time", strict=True)
        if moment is not None and not isinstance(moment, datetime):
            self.ctx.warn_at(seg, f"{kind} time {raw!r} has no time of day: left empty")
            return
        setattr(self.stops[-1], kind, moment)

    def _leg(self, dep: Stop | None, arr: Stop | None) -> model.FlightLeg:
        leaving = dep.departure if dep else None
        if dep and leaving is None and dep.arrival and dep.qualifier in DEPARTURES:
            self.ctx.warn_at(
                dep.seg, "the departure time is sent as an arrival time (DTM+232): read as departure"
            )
            leaving = dep.arrival
        arriving = arr.arrival if arr else None
        if arr and arriving is None and arr.departure and arr.qualifier in ARRIVALS:
            self.ctx.warn_at(
                arr.seg, "the arrival time is sent as a departure time (DTM+189): read as arrival"
            )
            arriving = arr.departure
        dep_airport = dep.airport if dep else None
        arr_airport = arr.airport if arr else None
        return model.FlightLeg(
            carrier=self.carrier,
            number=self.number,
            departure_airport=dep_airport,
            arrival_airport=arr_airport,
            scheduled_departure=model.local_time(dep_airport, leaving),
            scheduled_arrival=model.local_time(arr_airport, arriving),
        )

    def legs(self) -> list[model.FlightLeg]:
        legs: list[model.FlightLeg] = []
        pending: Stop | None = None  # the departure waiting for its arrival
        continued = False  # pending is the end of the previous leg (a via or progressive stop)
        orphan: Stop | None = None  # an arrival sent before its departure
        for stop in self.stops:
            q = stop.qualifier
            if q in DEPARTURES:
                if pending is not None and not continued:
                    self.ctx.warn_at(pending.seg, f"departure {pending.airport} has no arrival")
                    legs.append(self._leg(pending, None))
                pending, continued = stop, False
                if orphan is not None:
                    self.ctx.warn_at(
                        orphan.seg, "the arrival comes before the departure: read in flight order"
                    )
                    legs.append(self._leg(stop, orphan))
                    pending, orphan = None, None
            elif q in ARRIVALS or (q in ROUTING and pending is None and stop.arrival and not stop.departure):
                if pending is not None:
                    legs.append(self._leg(pending, stop))
                    pending = None
                else:
                    if orphan is not None:
                        self.ctx.warn_at(orphan.seg, f"arrival {orphan.airport} has no departure")
                        legs.append(self._leg(None, orphan))
                    orphan = stop
            elif q in VIAS or q in ROUTING:
                if pending is not None:
                    legs.append(self._leg(pending, stop))
                    pending, continued = (stop, True) if (q in VIAS or stop.departure) else (None, False)
                elif q in VIAS:
                    self.ctx.warn_at(stop.seg, f"transit stop {stop.airport} has no departure before it")
                    pending, continued = stop, True
                else:
                    pending, continued = stop, False
        if pending is not None and not continued:
            self.ctx.warn_at(pending.seg, f"departure {pending.airport} has no arrival")
            legs.append(self._leg(pending, None))
        if orphan is not None:
            self.ctx.warn_at(orphan.seg, f"arrival {orphan.airport} has no departure")
            legs.append(self._leg(None, orphan))
        if not legs:
            self.ctx.warn_at(self.tdt, f"flight {self.carrier or ''}{self.number or ''} names no airport")
            legs.append(self._leg(None, None))
        return legs


def pdt_traveller(ctx: Context, seg: Segment) -> model.Traveller:
    """US CEDIPAX person: PDT+P/number:expiry:country+SURNAME:GIVEN:MIDDLE:YYMMDD:SEX
    +PAX|CRW|ITI+embarkation:debarkation (airports prefixed with their alpha-2 country)."""
    surname = model.clean_name(seg.el(2, 1))
    if not surname:
        raise ctx.error(seg, "the traveller has no surname", 2, 1)
    status = seg.el(3).upper()
    kind = PDT_STATUS.get(status or "PAX")
    if kind is None:
        ctx.warn_at(seg, f"person status {status!r} is not PAX, CRW or ITI: read as a passenger")
        kind = ("passenger", False)
    sex = seg.el(2, 5).upper()
    if sex and sex not in SEXES:
        ctx.warn_at(seg, f"sex {sex!r} is not M, F, U or X: left empty")
    traveller = model.Traveller(
        type=kind[0],
        in_transit=kind[1],
        surname=surname,
        given_names=model.clean_name(" ".join(c for c in seg.components(2)[1:3] if c)),
        sex=SEXES.get(sex),
        date_of_birth=read_date(ctx, seg, seg.el(2, 4), "", (2, 4), "date of birth", past=True, strict=True),
        embarkation=airport(seg.el(4, 1)),
        debarkation=airport(seg.el(4, 2)),
    )
    doc = seg.el(1)
    if doc:
        doc_type, _, number = doc.rpartition("/")
        traveller.documents.append(
            model.Document(
                type=doc_type.upper() or None,
                number=number.upper() or None,
                issuing_country=country(ctx, seg, seg.el(1, 3), "issuing country"),
                expiry_date=read_date(ctx, seg, seg.el(1, 2), "", (1, 2), "expiry date"),
            )
        )
    return traveller


def check_counts(
    ctx: Context, unh: Segment, counts: list[tuple[Segment, str, int]], passengers: int, crew: int
) -> None:
    """CNT+42 (passengers) and CNT+41 (crew) against what the message reports: a warning when
    they differ. A list sent in parts (UNH element 4) may count every part."""
    part, flag = unh.el(4, 1), unh.el(4, 2).upper()
    multipart = bool(part) and not (part.lstrip("0") in ("", "1") and flag == "F")
    for seg, qualifier, total in counts:
        if qualifier == "42":
            what, found = "passengers", passengers
        elif qualifier == "41":
            what, found = "crew members", crew
        else:
            ctx.warn_at(seg, f"CNT qualifier {qualifier!r} is not 41 or 42: ignored")
            continue
        if total != found:
            text = f"CNT+{qualifier} counts {total} {what}, the message reports {found}"
            if found != passengers + crew:
                text += f" ({passengers + crew} travellers in all)"
            if multipart:
                text += f"; it is part {part}{' (the last)' if flag == 'F' else ''} of a list sent in parts"
            ctx.warn_at(seg, text)
