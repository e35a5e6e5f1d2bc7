"""Checking a seizure before anything is written: one function for the API, the web form
and the CSV import, which collects every problem (field path and reason) instead of
stopping at the first, so that an import can report all bad rows at once.

Input is a plain dict (docs/seizures.md, "Fields"); output a ``Clean`` ready for
services.create_seizure, or a list of ``Problem``. Nothing here writes: airports that are
valid IATA codes but not yet in our table are created by the service (ensure_airport)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from aircop.messaging.models import Tlp
from aircop.messaging.validators import flight_number
from aircop.network import reference
from aircop.network.models import AgencyKind, Airport, Country
from aircop.seizures import codes

# Django rebuilds a choices list on every .values access: read each once (an import checks many rows).
CATEGORIES = tuple(codes.Category.values)
DRUG_FORMS = tuple(codes.DrugForm.values)
QUANTITY_UNITS = tuple(codes.QuantityUnit.values)
ROLES = tuple(codes.PersonRole.values)
SEXES = tuple(codes.Sex.values)
AGE_BANDS = tuple(codes.AgeBand.values)
AGENCIES = tuple(AgencyKind.values)
FLOWS = tuple(codes.Flow.values)
PHASES = tuple(codes.Phase.values)
DIRECTIONS = tuple(codes.Direction.values)
CONCEALMENTS = tuple(codes.Concealment.values)
DETECTIONS = tuple(codes.Detection.values)
TLPS = tuple(Tlp.values)
MAX_ITEMS = 50
MAX_PERSONS = 50
NOTES_LIMIT = 20000
NOMINAL_FIELDS = (
    "surname",
    "given_names",
    "date_of_birth",
    "document_type",
    "document_number",
    "document_country",
)


@dataclass
class Problem:
    field: str
    message: str

    def __str__(self):
        return f"{self.field}: {self.message}"


@dataclass
class Clean:
    occurred_at: datetime
    airport: str  # IATA
    unit: str | None  # unit code, or None: the caller decides
    reporting_agency: str
    flow: str
    phase: str
    direction: str
    flight: str
    origin: str | None
    transit: list[str]
    destination: str | None
    goods_origin_country: str | None  # ISO alpha-2
    concealment: str
    detection: str
    triggering_alert: int | None
    alerts: list[int]
    tlp: str
    notes: str
    items: list[dict] = field(default_factory=list)
    persons: list[dict] = field(default_factory=list)

    @property
    def route_key(self) -> str:
        parts = [self.origin or "", *self.transit, self.destination or ""]
        return ">".join(parts) if (self.origin or self.destination) else ""


class References:
    """Airports and countries looked up once per import, not once per row."""

    def __init__(self):
        self._airports: dict[str, bool] = {}
        self._tz: dict[str, str] = {}
        self.countries_by_code: dict[str, str] = {}
        for iso2, iso3 in Country.objects.values_list("iso2", "iso3"):
            self.countries_by_code[iso2] = iso2
            self.countries_by_code[iso3] = iso2
        for iata, tz in Airport.objects.values_list("iata", "tz"):
            self._airports[iata] = True
            self._tz[iata] = tz

    def airport(self, code: str) -> bool:
        code = code.upper()
        if code not in self._airports:
            record = reference.airport_record(code)
            self._airports[code] = record is not None
            if record is not None:
                self._tz[code] = record["tz"]
        return self._airports[code]

    def airport_tz(self, code: str) -> str:
        return self._tz.get(code.upper(), "UTC")

    def country(self, code: str) -> str | None:
        return self.countries_by_code.get(code.upper())


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _choice(problems, name, value, choices, *, required=True, default=""):
    value = _text(value).lower()
    if not value:
        if required:
            problems.append(Problem(name, _("required")))
        return default
    if value not in choices:
        problems.append(
            Problem(
                name,
                _("unknown value %(value)r (one of: %(list)s)")
                % {"value": value, "list": ", ".join(choices)},
            )
        )
        return default
    return value


def _airport(problems, refs, name, value, *, required=False) -> str | None:
    code = _text(value).upper()
    if not code:
        if required:
            problems.append(Problem(name, _("required")))
        return None
    if len(code) != 3 or not code.isalpha() or not refs.airport(code):
        problems.append(Problem(name, _("unknown airport %(code)r (an IATA code like LFW)") % {"code": code}))
        return None
    return code


def _country(problems, refs, name, value) -> str | None:
    code = _text(value)
    if not code:
        return None
    found = refs.country(code)
    if found is None:
        problems.append(
            Problem(name, _("unknown country %(code)r (ISO 3166 alpha-2 or alpha-3)") % {"code": code})
        )
    return found


def _decimal(problems, name, value, *, required=True, positive=True) -> Decimal | None:
    raw = _text(value).replace(",", ".") if isinstance(value, str) else value
    if raw in ("", None):
        if required:
            problems.append(Problem(name, _("required")))
        return None
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        problems.append(Problem(name, _("not a number: %(value)r") % {"value": raw}))
        return None
    if not number.is_finite() or (positive and number <= 0) or number < 0:
        problems.append(Problem(name, _("must be a number above zero")))
        return None
    if abs(number) >= Decimal("1e13"):
        problems.append(Problem(name, _("too large")))
        return None
    return number


def parse_when(problems, name, value, tz_name: str) -> datetime | None:
    """ISO 8601 date-time; without an offset it is the airport's local time. A bare date
    means noon local time (the day is what matters for figures)."""
    if isinstance(value, datetime):
        moment = value
    else:
        raw = _text(value)
        if not raw:
            problems.append(Problem(name, _("required")))
            return None
        try:
            moment = parse_datetime(raw.replace(" ", "T", 1)) if ("T" in raw or " " in raw) else None
            if moment is None:
                day = parse_date(raw)
                moment = datetime(day.year, day.month, day.day, 12) if day else None
        except ValueError:
            moment = None
        if moment is None:
            problems.append(
                Problem(
                    name,
                    _("not a date or date-time: %(value)r (use 2026-03-14 or 2026-03-14T08:30)")
                    % {"value": raw},
                )
            )
            return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=ZoneInfo(tz_name))
    if moment > timezone.now() + timezone.timedelta(days=1):
        problems.append(Problem(name, _("is in the future")))
        return None
    if moment.year < 1990:
        problems.append(Problem(name, _("is before 1990")))
        return None
    return moment


def clean_item(problems, prefix: str, raw: dict, refs: References) -> dict:
    category = _choice(problems, f"{prefix}.category", raw.get("category"), CATEGORIES)
    subtype = _text(raw.get("subtype")).lower()
    if not subtype:
        problems.append(Problem(f"{prefix}.subtype", _("required")))
    elif category and codes.SUBTYPE_CATEGORY.get(subtype) != category:
        allowed = ", ".join(codes.SUBTYPES.get(category, {}))
        problems.append(
            Problem(
                f"{prefix}.subtype",
                _("%(subtype)r is not a subtype of %(category)s (one of: %(list)s)")
                % {"subtype": subtype, "category": category, "list": allowed},
            )
        )
    drug_form = _choice(problems, f"{prefix}.drug_form", raw.get("drug_form"), DRUG_FORMS, required=False)
    quantity = _decimal(problems, f"{prefix}.quantity", raw.get("quantity"))
    unit = _choice(problems, f"{prefix}.unit", raw.get("unit"), QUANTITY_UNITS)
    currency = _text(raw.get("currency")).upper()
    if unit == codes.QuantityUnit.CURRENCY:
        if not currency:
            problems.append(
                Problem(f"{prefix}.currency", _("an amount of money needs its ISO 4217 currency code"))
            )
        elif not _is_currency(currency):
            problems.append(
                Problem(f"{prefix}.currency", _("unknown currency %(code)r (ISO 4217)") % {"code": currency})
            )
    elif currency:
        problems.append(Problem(f"{prefix}.currency", _("a currency goes with the unit 'currency' only")))
    if unit in codes.COUNT_UNITS and quantity is not None and quantity != quantity.to_integral_value():
        problems.append(
            Problem(f"{prefix}.quantity", _("a count of %(unit)s must be a whole number") % {"unit": unit})
        )
    value = _decimal(problems, f"{prefix}.estimated_value", raw.get("estimated_value"), required=False)
    value_currency = _text(raw.get("value_currency")).upper()
    if value is not None and not value_currency:
        problems.append(
            Problem(f"{prefix}.value_currency", _("an estimated value needs its ISO 4217 currency code"))
        )
    elif value_currency and not _is_currency(value_currency):
        problems.append(
            Problem(
                f"{prefix}.value_currency",
                _("unknown currency %(code)r (ISO 4217)") % {"code": value_currency},
            )
        )
    description = _text(raw.get("description"))
    if len(description) > 300:
        problems.append(Problem(f"{prefix}.description", _("longer than 300 characters")))
    mass = codes.mass_kg(quantity, unit) if quantity is not None and unit else None
    count = int(quantity) if quantity is not None and unit in codes.COUNT_UNITS else None
    return {
        "category": category,
        "subtype": subtype,
        "drug_form": drug_form,
        "quantity": quantity,
        "unit": unit,
        "currency": currency if unit == codes.QuantityUnit.CURRENCY else "",
        "mass_kg": mass,
        "count": count,
        "estimated_value": value,
        "value_currency": value_currency,
        "description": description,
    }


def _is_currency(code: str) -> bool:
    import pycountry

    return len(code) == 3 and pycountry.currencies.get(alpha_3=code) is not None


def clean_person(problems, prefix: str, raw: dict, refs: References) -> dict:
    role = _choice(problems, f"{prefix}.role", raw.get("role"), ROLES)
    nationality = _country(problems, refs, f"{prefix}.nationality", raw.get("nationality"))
    sex = _text(raw.get("sex")).upper() or codes.Sex.UNKNOWN
    if sex not in SEXES:
        problems.append(Problem(f"{prefix}.sex", _("unknown value %(value)r (M, F or X)") % {"value": sex}))
        sex = codes.Sex.UNKNOWN
    band = _text(raw.get("age_band"))
    age = _text(raw.get("age"))
    if age:
        # ASCII digits, few of them: str.isdigit() also accepts "²", which int() refuses,
        # and int() refuses more than 4,300 digits.
        if not (age.isascii() and age.isdigit() and len(age) <= 6) or not 0 < int(age) < 120:
            problems.append(Problem(f"{prefix}.age", _("not an age in years: %(value)r") % {"value": age}))
            band = codes.AgeBand.UNKNOWN
        else:
            band = codes.age_band(int(age))
    elif band and band not in AGE_BANDS:
        problems.append(
            Problem(
                f"{prefix}.age_band",
                _("unknown value %(value)r (one of: %(list)s)")
                % {"value": band, "list": ", ".join(AGE_BANDS)},
            )
        )
        band = codes.AgeBand.UNKNOWN
    nominal_raw = raw.get("nominal") or {}
    if not isinstance(nominal_raw, dict):
        problems.append(Problem(f"{prefix}.nominal", _("must be an object")))
        nominal_raw = {}
    nominal = {}
    for key, value in nominal_raw.items():
        if key not in NOMINAL_FIELDS:
            problems.append(
                Problem(
                    f"{prefix}.nominal.{key}",
                    _("unknown field (one of: %(list)s)") % {"list": ", ".join(NOMINAL_FIELDS)},
                )
            )
            continue
        text = _text(value)
        if len(text) > 200:
            problems.append(Problem(f"{prefix}.nominal.{key}", _("longer than 200 characters")))
            continue
        if key == "date_of_birth" and text:
            day = parse_date(text) if len(text) == 10 else None
            if day is None or day > date.today() or day.year < 1900:
                problems.append(
                    Problem(
                        f"{prefix}.nominal.date_of_birth",
                        _("not a date of birth (YYYY-MM-DD): %(value)r") % {"value": text},
                    )
                )
                continue
        if key == "document_country" and text:
            found = refs.country(text)
            if found is None:
                problems.append(
                    Problem(
                        f"{prefix}.nominal.document_country",
                        _("unknown country %(code)r (ISO 3166 alpha-2 or alpha-3)") % {"code": text},
                    )
                )
                continue
        if text:
            nominal[key] = text
    return {
        "role": role,
        "nationality": nationality,
        "sex": sex,
        "age_band": band or codes.AgeBand.UNKNOWN,
        "nominal": nominal,
    }


def _ids(problems, name, value) -> list[int]:
    if value in (None, "", []):
        return []
    values = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    out = []
    for i, v in enumerate(values):
        text = _text(v)
        # ASCII digits that fit the database's 64-bit ids (18 digits do): "²" passes
        # str.isdigit() but not int(), and a longer number overflows the column.
        if not (text.isascii() and text.isdigit() and len(text) <= 18):
            problems.append(Problem(f"{name}[{i}]", _("not an alert number: %(value)r") % {"value": text}))
        else:
            out.append(int(text))
    return out


def clean(raw: dict, refs: References | None = None) -> tuple[Clean | None, list[Problem]]:
    """Every problem of ``raw``; a ``Clean`` only when there is none."""
    refs = refs or References()
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        return None, [Problem("seizure", _("must be an object"))]
    airport = _airport(problems, refs, "airport", raw.get("airport"), required=True)
    occurred_at = parse_when(problems, "occurred_at", raw.get("occurred_at"), refs.airport_tz(airport or ""))
    unit = _text(raw.get("unit")) or None
    agency = _choice(problems, "reporting_agency", raw.get("reporting_agency") or "customs", AGENCIES)
    flow = _choice(problems, "flow", raw.get("flow"), FLOWS)
    phase = _choice(problems, "phase", raw.get("phase"), PHASES)
    direction = _choice(problems, "direction", raw.get("direction"), DIRECTIONS)
    flight = _text(raw.get("flight")).upper().replace(" ", "")
    if flight:
        try:
            flight = flight_number(flight)
        except ValueError as exc:  # the validator's message names the problem
            problems.append(Problem("flight", str(exc)))
    origin = _airport(problems, refs, "origin", raw.get("origin"))
    transit_raw = raw.get("transit") or []
    if isinstance(transit_raw, str):
        transit_raw = [t for t in transit_raw.replace(",", ";").split(";") if t.strip()]
    elif not isinstance(transit_raw, list):
        problems.append(Problem("transit", _("must be a list")))
        transit_raw = []
    transit = []
    for i, code in enumerate(transit_raw[:10]):
        found = _airport(problems, refs, f"transit[{i}]", code, required=True)
        if found:
            transit.append(found)
    if len(transit_raw) > 10:
        problems.append(Problem("transit", _("at most 10 transit airports")))
    destination = _airport(problems, refs, "destination", raw.get("destination"))
    route = [c for c in (origin, *transit, destination) if c]
    if len(route) != len(set(route)) and len(route) > 1:
        problems.append(Problem("transit", _("an airport appears twice in the route")))
    goods_origin = _country(problems, refs, "goods_origin_country", raw.get("goods_origin_country"))
    concealment = _choice(problems, "concealment", raw.get("concealment"), CONCEALMENTS)
    detection = _choice(problems, "detection", raw.get("detection"), DETECTIONS)
    triggering = _ids(problems, "triggering_alert", raw.get("triggering_alert"))
    if len(triggering) > 1:
        problems.append(Problem("triggering_alert", _("one alert only")))
    if detection == codes.Detection.INTERNATIONAL_ALERT and not triggering:
        problems.append(
            Problem(
                "triggering_alert", _("detection by international alert: name the alert that triggered it")
            )
        )
    alerts = _ids(problems, "alerts", raw.get("alerts"))
    tlp = _text(raw.get("tlp")).lower().removeprefix("tlp:").replace("+", "_") or Tlp.AMBER
    if tlp not in TLPS:
        problems.append(
            Problem(
                "tlp",
                _("unknown value %(value)r (one of: %(list)s)") % {"value": tlp, "list": ", ".join(TLPS)},
            )
        )
    notes = _text(raw.get("notes"))
    if len(notes) > NOTES_LIMIT:
        problems.append(Problem("notes", _("longer than %(n)d characters") % {"n": NOTES_LIMIT}))
    items_raw = raw.get("items") or []
    persons_raw = raw.get("persons") or []
    if not isinstance(items_raw, list):
        problems.append(Problem("items", _("must be a list")))
        items_raw = []
    if not isinstance(persons_raw, list):
        problems.append(Problem("persons", _("must be a list")))
        persons_raw = []
    if len(items_raw) > MAX_ITEMS:
        problems.append(Problem("items", _("at most %(n)d items") % {"n": MAX_ITEMS}))
    if len(persons_raw) > MAX_PERSONS:
        problems.append(Problem("persons", _("at most %(n)d persons") % {"n": MAX_PERSONS}))
    items = [
        clean_item(problems, f"items[{i}]", r if isinstance(r, dict) else {}, refs)
        for i, r in enumerate(items_raw[:MAX_ITEMS])
    ]
    persons = [
        clean_person(problems, f"persons[{i}]", r if isinstance(r, dict) else {}, refs)
        for i, r in enumerate(persons_raw[:MAX_PERSONS])
    ]
    if not items and not any(p["role"] == codes.PersonRole.HIGH_RISK for p in persons):
        problems.append(
            Problem("items", _("record at least one item, or a person with the role 'high-risk passenger'"))
        )
    if problems:
        return None, problems
    return (
        Clean(
            occurred_at=occurred_at,
            airport=airport,
            unit=unit,
            reporting_agency=agency,
            flow=flow,
            phase=phase,
            direction=direction,
            flight=flight,
            origin=origin,
            transit=transit,
            destination=destination,
            goods_origin_country=goods_origin,
            concealment=concealment,
            detection=detection,
            triggering_alert=triggering[0] if triggering else None,
            alerts=alerts,
            tlp=tlp,
            notes=notes,
            items=items,
            persons=persons,
        ),
        [],
    )
