"""The catalogue of fields a risk rule may use (docs/risk-rules.md, "Fields"), and the
protected words no rule may use.

Each field has a dotted name, a type, a category and a one-line description. The category
matters to the guard (rules/guard.py): only ``travel`` fields are behavioural or travel
indicators; ``person`` fields (nationality, sex, age, birth, residence) and ``document``
fields never make a rule acceptable on their own. Country codes are ISO 3166 alpha-3 in the
context, and a rule may write them as alpha-2 or alpha-3 (the parser converts them); airports
are IATA codes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Type(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    BOOL = "bool"
    DATE = "date"
    TEXT_LIST = "text list"


class Category(StrEnum):
    TRAVEL = "travel"  # a behavioural or travel indicator
    PERSON = "person"  # nationality, sex, age and date of birth, place of birth, residence
    DOCUMENT = "document"  # the travel document


class Code(StrEnum):
    """What the text values of a field are, so that a rule's literals can be checked."""

    COUNTRY = "country"  # ISO 3166 alpha-3 (alpha-2 accepted in rules)
    AIRPORT = "airport"  # IATA
    SEX = "sex"  # M, F or X


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    category: Category
    description: Promise | str
    code: Code | None = None


_T, _P, _D = Category.TRAVEL, Category.PERSON, Category.DOCUMENT

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        # --- the flight being screened
        Field("flight.carrier", Type.TEXT, _T, _("Airline designator of the flight, e.g. ET")),
        Field(
            "flight.departure_airport",
            Type.TEXT,
            _T,
            _("IATA code of the flight's first departure airport"),
            Code.AIRPORT,
        ),
        Field(
            "flight.arrival_airport",
            Type.TEXT,
            _T,
            _("IATA code of the flight's last arrival airport"),
            Code.AIRPORT,
        ),
        Field(
            "flight.departure_country",
            Type.TEXT,
            _T,
            _("Country of the flight's departure airport (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        Field(
            "flight.arrival_country",
            Type.TEXT,
            _T,
            _("Country of the flight's arrival airport (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        Field("flight.departure_date", Type.DATE, _T, _("Local date of the flight's departure")),
        Field(
            "flight.distance_km",
            Type.NUMBER,
            _T,
            _("Great-circle distance between the flight's departure and arrival airports, in km"),
        ),
        Field("flight.long_haul", Type.BOOL, _T, _("The flight covers more than 4,000 km")),
        # --- the traveller's journey
        Field(
            "route.airports",
            Type.TEXT_LIST,
            _T,
            _("Airports of the traveller's journey in order (booking itinerary, else API data)"),
            Code.AIRPORT,
        ),
        Field(
            "route.countries",
            Type.TEXT_LIST,
            _T,
            _("Countries of the journey's airports, each once, in order (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        Field("route.origin_airport", Type.TEXT, _T, _("Airport where the journey starts"), Code.AIRPORT),
        Field(
            "route.origin_country",
            Type.TEXT,
            _T,
            _("Country where the journey starts (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        Field(
            "route.destination_airport",
            Type.TEXT,
            _T,
            _("Where the outbound journey ends (the turning point of a return trip)"),
            Code.AIRPORT,
        ),
        Field(
            "route.destination_country",
            Type.TEXT,
            _T,
            _("Country where the outbound journey ends (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        # --- the booking (PNR)
        Field(
            "booking.hours_before_departure",
            Type.NUMBER,
            _T,
            _("Hours between the booking and the flight's scheduled departure"),
        ),
        Field("booking.one_way", Type.BOOL, _T, _("The itinerary has no return to the country of origin")),
        Field(
            "booking.stay_days",
            Type.NUMBER,
            _T,
            _("Days between arrival at the destination and the return flight"),
        ),
        Field("booking.paid_cash", Type.BOOL, _T, _("The ticket was paid, at least in part, in cash")),
        Field(
            "booking.travel_agency",
            Type.TEXT,
            _T,
            _("Travel agency or booking office: IATA number and office id, e.g. 20512345/SAOB22118"),
        ),
        Field(
            "booking.agency_country",
            Type.TEXT,
            _T,
            _("Country of the travel agency or booking office (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        Field("booking.checked_bags", Type.NUMBER, _T, _("Number of bags checked on the whole booking")),
        # --- the traveller: travel behaviour
        Field("traveller.checked_bags", Type.NUMBER, _T, _("Number of bag tags listed for the traveller")),
        Field(
            "traveller.in_transit",
            Type.BOOL,
            _T,
            _("The traveller is in transit and does not enter the country"),
        ),
        # --- the traveller: personal attributes (never enough on their own)
        Field(
            "traveller.nationality",
            Type.TEXT,
            _P,
            _("Nationality of the traveller (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        Field("traveller.sex", Type.TEXT, _P, _("Sex of the traveller: M, F or X"), Code.SEX),
        Field(
            "traveller.age", Type.NUMBER, _P, _("Age of the traveller in whole years on the day of departure")
        ),
        Field("traveller.date_of_birth", Type.DATE, _P, _("Date of birth of the traveller")),
        Field("traveller.place_of_birth", Type.TEXT, _P, _("Place of birth as sent")),
        Field(
            "traveller.residence_country",
            Type.TEXT,
            _P,
            _("Country of residence of the traveller (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        # --- the travel document (the first one that is not a visa)
        Field(
            "document.type", Type.TEXT, _D, _("Type of the travel document: P passport, I identity card ...")
        ),
        Field(
            "document.issuing_country",
            Type.TEXT,
            _D,
            _("Country that issued the travel document (ISO alpha-3)"),
            Code.COUNTRY,
        ),
        Field("document.expiry_date", Type.DATE, _D, _("Expiry date of the travel document")),
        Field(
            "document.expires_in_days",
            Type.NUMBER,
            _D,
            _("Days from the flight's departure date to the document's expiry (negative: expired)"),
        ),
        Field(
            "document.days_since_issue",
            Type.NUMBER,
            _D,
            _("Days from the document's issue to the flight's departure date"),
        ),
    )
}

FIELD_NAMES: tuple[str, ...] = tuple(FIELDS)


# ----------------------------------------------------------------------------- protected words
# Profiling on religion, ethnicity or race is forbidden: no field carries them, and no rule may
# mention them, in a field name or in a text. Words are compared after case folding and with
# accents removed ("religião" is "religiao"); a word followed by "s" counts too ("races").
PROTECTED: frozenset[str] = frozenset(
    {
        # English
        "religion",
        "religious",
        "faith",
        "creed",
        "ethnicity",
        "ethnicities",
        "ethnic",
        "ethnic origin",
        "race",
        "racial",
        "tribe",
        "tribal",
        "caste",
        # French
        "religieux",
        "religieuse",
        "ethnie",
        "ethnique",
        "origine ethnique",
        "raciale",
        "raciaux",
        "tribu",
        # Spanish
        "religión",
        "religioso",
        "religiosa",
        "etnia",
        "etnicidad",
        "étnico",
        "étnica",
        "origen étnico",
        "raza",
        "casta",
        # Portuguese
        "religião",
        "etnicidade",
        "origem étnica",
        "raça",
        "tribo",
        # Arabic
        "دين",
        "الدين",
        "ديانة",
        "الديانة",
        "عرق",
        "العرق",
        "قبيلة",
        "القبيلة",
        "إثنية",
    }
)
# Stems that mark a protected word wherever a word starts with them (religi-, ethni-, etni-):
# "traveller.ethnicOrigin", "religionCode", "étnicos".
_STEMS = ("religi", "ethni", "etni")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_WORD = re.compile(r"[^\w]+|_")


def fold(text: str) -> str:
    """Case folded, accents removed (NFKD without combining marks)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_WORDS = frozenset(fold(w) for w in PROTECTED if " " not in w)
_PHRASES = tuple(tuple(fold(w).split()) for w in PROTECTED if " " in w)


def protected_word(text: str) -> str | None:
    """The protected word (folded) that ``text`` mentions, or None. Field names are split at
    dots, underscores and camelCase humps; texts at anything that is not a letter or digit."""
    words = [w for w in _NON_WORD.split(fold(_CAMEL.sub(" ", text))) if w]
    for i, word in enumerate(words):
        for phrase in _PHRASES:
            if tuple(words[i : i + len(phrase)]) == phrase:
                return " ".join(phrase)
        if word in _WORDS:
            return word
        if word.endswith("s") and word[:-1] in _WORDS:
            return word[:-1]
        if word.startswith(_STEMS):
            return word
    return None


def protected_problem(text: str, word: str) -> str:
    """Why a field name or text mentioning a protected word is refused."""
    return gettext(
        "%(text)s mentions %(word)s: rules may not use religion, ethnicity or race, because the "
        "platform forbids profiling people on protected attributes"
    ) % {"text": text, "word": f"'{word}'"}
