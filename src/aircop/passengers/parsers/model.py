"""The normalised passenger data that every reader produces (PAXLST, PNRGOV, CSV manifests) and
that storage writes (docs/passenger-data.md, "The normalised model"). Plain dataclasses:
``as_json()`` gives the documented JSON (ISO dates and times, None for unknown).

Conventions, the same for every reader:
- Codes are upper case. Countries are ISO 3166 alpha-3 (``to_alpha3`` converts alpha-2 and
  the few non-ISO codes airlines use, e.g. ``D`` for Germany in MRZ-style data); airports IATA.
- Times of flights are the airport's local time as sent, written with the airport's UTC
  offset when the airport is known (``local_time``), so they also say the instant.
- Names: ``surname`` and ``given_names`` as sent (upper or mixed case), whitespace collapsed.
- Nothing is invented: a value the message does not carry is None (or an empty list).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aircop.network import reference

TRAVELLER_TYPES = ("passenger", "crew")
SEXES = ("M", "F", "X")

# Codes seen in airline data that are not ISO 3166 alpha-3 (ICAO 9303 and habit).
_NON_ISO = {
    "D": "DEU",
    "GBD": "GBR",
    "GBN": "GBR",
    "GBO": "GBR",
    "GBP": "GBR",
    "GBS": "GBR",
    "UNK": "XKX",
    "RKS": "XKX",
}
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=2048)
def to_alpha3(code: str | None) -> str | None:
    """ISO alpha-3 for an alpha-2 or alpha-3 country code (or an ICAO 9303 variant); None if unknown."""
    if not code:
        return None
    code = code.strip().upper()
    if code in _NON_ISO:
        return _NON_ISO[code]
    if code in ("XKX", "XXA", "XXB", "XXC", "XXX"):  # Kosovo; stateless, refugee, unspecified (ICAO)
        return code
    record = reference.country_record(code)
    return record.alpha_3 if record is not None else None


def clean_name(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SPACES.sub(" ", value).strip()
    return value or None


def local_time(airport: str | None, moment: datetime | None) -> datetime | None:
    """``moment`` (naive, the airport's local time) with the airport's offset, when known."""
    if moment is None or moment.tzinfo is not None:
        return moment
    record = reference.airport_record(airport or "")
    if record and record.get("tz"):
        try:
            return moment.replace(tzinfo=ZoneInfo(record["tz"]))
        except ZoneInfoNotFoundError:
            return moment
    return moment


def _json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


class _Json:
    def as_json(self) -> dict:
        return _json(asdict(self))


@dataclass
class Document(_Json):
    type: str | None = None  # P passport, I identity card, V visa, A/C crew documents... as sent (upper case)
    number: str | None = None
    issuing_country: str | None = None  # alpha-3
    expiry_date: date | None = None
    issue_date: date | None = None


@dataclass
class FlightLeg(_Json):
    carrier: str | None = None  # IATA (or ICAO) airline designator
    number: str | None = None  # flight number without the carrier: "123", "0989", "474A"
    departure_airport: str | None = None
    arrival_airport: str | None = None
    scheduled_departure: datetime | None = None  # local time of departure_airport (with offset when known)
    scheduled_arrival: datetime | None = None  # local time of arrival_airport
    # PNR itinerary only:
    booking_class: str | None = None
    status: str | None = None  # HK, TK ...
    operating_carrier: str | None = None  # code share: who flies it


@dataclass
class Contact(_Json):
    kind: str  # phone | email | address
    value: str
    traveller: int | None = None  # index in travellers, when the contact is one traveller's


@dataclass
class Payment(_Json):
    kind: str  # cash | card | check | miscellaneous | other
    card_type: str | None = None  # VI, CA, AX ...
    card_number: str | None = None  # masked: only the last four digits are kept ("************1234")
    card_holder: str | None = None
    card_expiry: str | None = None
    amount: str | None = None
    currency: str | None = None


@dataclass
class Traveller(_Json):
    type: str = "passenger"  # passenger | crew
    surname: str | None = None
    given_names: str | None = None
    sex: str | None = None  # M | F | X | None
    date_of_birth: date | None = None
    nationality: str | None = None  # alpha-3
    residence_country: str | None = None  # alpha-3
    place_of_birth: str | None = None
    documents: list[Document] = field(default_factory=list)
    embarkation: str | None = None  # IATA airport where the journey (with this carrier) starts
    debarkation: str | None = None  # IATA airport where it ends
    transit: list[str] = field(default_factory=list)  # IATA airports in transit
    in_transit: bool = False  # a transit traveller (not entering the country)
    booking_reference: str | None = None  # record locator (PNR)
    seat: str | None = None
    bag_tags: list[str] = field(default_factory=list)
    # PNR only:
    reference: str | None = None  # the traveller's reference in the PNR (TIF element 3)
    infant: bool = False
    with_infant: bool = False
    frequent_flyer: list[str] = field(default_factory=list)  # "LH 992001234567"
    addresses: list[str] = field(default_factory=list)  # SSR DOCA
    ticket_numbers: list[str] = field(default_factory=list)


@dataclass
class Party(_Json):
    """Who sent the manifest (PAXLST NAD+MS), or the travel agency (PNR)."""

    name: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None
    code: str | None = None  # IATA agency number, office id ...
    city: str | None = None
    country: str | None = None


@dataclass
class Manifest(_Json):
    """One PAXLST message (or CSV manifest): the flight's legs and its travellers."""

    message_ref: str
    sender: str | None = None  # interchange sender
    version: str | None = None  # "D:05B"
    kind: str = "passenger"  # passenger | crew: what the message reports (BGM 745 / 250 ...)
    reporting_party: Party | None = None
    flights: list[FlightLeg] = field(default_factory=list)
    travellers: list[Traveller] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class HistoryEntry(_Json):
    action: str | None = None  # as sent (A add, X cancel, C change...)
    what: str | None = None
    at: datetime | None = None
    text: str | None = None


@dataclass
class Booking(_Json):
    """One PNR of a PNRGOV message."""

    record_locator: str
    sender: str | None = None
    version: str | None = None  # "13:1"
    message_ref: str | None = None
    flight: FlightLeg | None = None  # the flight the push was made for (TVL in the message header)
    created_at: datetime | None = None  # booking date
    ticketed_at: list[datetime] = field(default_factory=list)
    last_modified_at: datetime | None = None
    travel_agency: Party | None = None
    itinerary: list[FlightLeg] = field(default_factory=list)
    travellers: list[Traveller] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    seats: list[dict] = field(default_factory=list)  # {"traveller", "flight", "seat"}
    bags: list[dict] = field(
        default_factory=list
    )  # {"traveller", "tag", "count", "weight_kg", "destination"}
    history: list[HistoryEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def mask_card(number: str | None) -> str | None:
    """A payment card number with every character but the last four digits replaced by ``*``
    (a number the airline already masked, ``XXXXXXXX1186``, keeps its last four too)."""
    if not number:
        return None
    kept = re.sub(r"[\s-]", "", number)
    if len(kept) <= 4:
        return "*" * len(kept)
    tail = kept[-4:] if kept[-4:].isdigit() else ""
    return "*" * (len(kept) - len(tail)) + tail
