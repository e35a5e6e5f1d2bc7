"""Checking what people type, for the services and the CSV import alike. Each cleaner
returns the clean value or adds a Problem naming the field; the services raise
CapacityInvalid with every problem found, so one answer lists them all."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import pycountry
from django.utils.translation import gettext as _

from aircop.capacity.codes import Sex, TopicCode
from aircop.core.errors import ServiceError
from aircop.network import reference
from aircop.network.models import AgencyKind, Airport, Country, Unit

TEXT_LIMIT = 2000


@dataclass
class Problem:
    field: str
    message: str

    def __str__(self):
        return f"{self.field}: {self.message}" if self.field else self.message


class CapacityInvalid(ServiceError):
    """A write refused, with every problem found (the first one is the exception's own)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        super().__init__(first.message, field=first.field)


class Problems(list):
    def add(self, field: str, message: str) -> None:
        self.append(Problem(field, message))

    def raise_if_any(self) -> None:
        if self:
            raise CapacityInvalid(list(self))


def fold(text: str) -> str:
    """Case, accents and spacing ignored: "  Adébáyọ̀  OKAFOR" -> "adebayo okafor"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def name_key(family_name: str, given_names: str) -> str:
    return f"{fold(family_name)}|{fold(given_names)}"[:260]


def _str(value) -> str:
    return "" if value is None else str(value).strip()


def text(problems: Problems, value, field: str, *, limit: int, required: bool = False) -> str:
    value = _str(value)
    if required and not value:
        problems.add(field, _("required"))
    elif len(value) > limit:
        problems.add(field, _("at most %(n)d characters") % {"n": limit})
    # Cc: control characters; Cs: lone surrogates (a JSON "\ud800" escape), which no database stores
    elif any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\r\t" for c in value):
        problems.add(field, _("contains control characters"))
    return value


def choice(problems: Problems, value, field: str, choices, *, required: bool = True) -> str:
    value = _str(value)
    if not value:
        if required:
            problems.add(field, _("required"))
        return ""
    normalised = value.lower()
    values = list(choices.values)
    if normalised not in values:
        problems.add(
            field,
            _("unknown value %(value)r (one of: %(list)s)") % {"value": value, "list": ", ".join(values)},
        )
        return ""
    return normalised


def sex(problems: Problems, value, field: str = "sex") -> str:
    value = _str(value).upper()
    if value not in Sex.values:
        problems.add(field, _("F, M or X") if value else _("required: F, M or X"))
        return ""
    return value


def agency(problems: Problems, value, field: str = "agency", *, required: bool = True) -> str:
    return choice(problems, value, field, AgencyKind, required=required)


def day(problems: Problems, value, field: str, *, required: bool = True) -> date | None:
    if isinstance(value, date):
        return value
    value = _str(value)
    if not value:
        if required:
            problems.add(field, _("required"))
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.add(field, _("not a date: %(value)r (use 2026-03-14)") % {"value": value})
        return None


def country(problems: Problems, value, field: str, *, required: bool = True) -> Country | None:
    """A country by ISO 3166 alpha-2 or alpha-3 (pycountry), as it is in our table."""
    code = _str(value).upper()
    if not code:
        if required:
            problems.add(field, _("required"))
        return None
    record = reference.country_record(code)
    found = Country.objects.filter(iso2=record.alpha_2).first() if record else None
    if found is None:
        problems.add(field, _("unknown country %(code)r (ISO 3166 alpha-2 or alpha-3)") % {"code": code})
    return found


def currency(problems: Problems, value, field: str) -> str:
    code = _str(value).upper()
    if not code:
        problems.add(field, _("required with a value"))
        return ""
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        problems.add(field, _("unknown currency %(code)r (ISO 4217, e.g. USD, EUR, XOF)") % {"code": code})
        return ""
    return code


def amount(problems: Problems, value, field: str) -> Decimal | None:
    raw = _str(value).replace(" ", "")
    if not raw:
        return None
    try:
        number = Decimal(raw.replace(",", "")) if raw.count(",") and "." in raw else Decimal(raw)
    except InvalidOperation:
        problems.add(field, _("not a number: %(value)r") % {"value": value})
        return None
    if not number.is_finite() or number < 0:
        problems.add(field, _("a number, 0 or more"))
        return None
    if number >= Decimal("1e12") or number != number.quantize(Decimal("0.01")):
        problems.add(field, _("at most 12 digits and 2 decimals"))
        return None
    return number.quantize(Decimal("0.01"))


def unit(problems: Problems, value, field: str, *, required: bool = True, keep=()) -> Unit | None:
    """An existing, active unit by its code (or one of ``keep``: the units a record already
    names, which stay acceptable after they close)."""
    code = _str(value).lower()
    if not code:
        if required:
            problems.add(field, _("required"))
        return None
    found = Unit.objects.filter(code=code).select_related("country").first()
    if found is None:
        problems.add(field, _("no unit %(code)r in the network") % {"code": code})
        return None
    if not found.is_active and code not in keep:
        problems.add(field, _("unit %(code)r is no longer active") % {"code": code})
        return None
    return found


def units(problems: Problems, values, field: str, *, keep=()) -> list[Unit]:
    if values in (None, ""):
        return []
    if isinstance(values, str):
        values = [v for v in values.replace(";", ",").split(",") if v.strip()]
    if not isinstance(values, list | tuple):
        problems.add(field, _("a list of unit codes"))
        return []
    found = []
    for i, value in enumerate(values):
        one = unit(problems, value, f"{field}[{i}]", keep=keep)
        if one is not None and one not in found:
            found.append(one)
    return found


def airport(problems: Problems, value, field: str) -> str:
    """An IATA airport code that airportsdata knows (the service adds it to our table)."""
    code = _str(value).upper()
    if code and not Airport.objects.filter(iata=code).exists() and reference.airport_record(code) is None:
        problems.add(field, _("unknown airport %(code)r (IATA code)") % {"code": code})
        return ""
    return code


def topics(problems: Problems, values, field: str = "topics", *, required: bool = True) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.replace(";", ",").replace("|", ",").split(",") if v.strip()]
    if not values:
        if required:
            problems.add(field, _("choose at least one topic"))
        return []
    if not isinstance(values, list | tuple):
        problems.add(field, _("a list of topics"))
        return []
    found = []
    for i, value in enumerate(values):
        code = _str(value).lower()
        if code not in TopicCode.values:
            problems.add(
                f"{field}[{i}]",
                _("unknown topic %(value)r (one of: %(list)s)")
                % {"value": _str(value), "list": ", ".join(TopicCode.values)},
            )
        elif code not in found:
            found.append(code)
    return found
