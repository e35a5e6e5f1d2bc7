"""The structured part of each kind of alert. ``details`` holds what every recipient sees;
``nominal`` holds names, documents and dates of birth, which the sender may restrict to the
units named directly (docs/handling.md). Unknown fields are refused, so nominal data cannot
slip into ``details`` by a misspelt key."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from aircop.core.errors import ServiceError
from aircop.messaging import validators
from aircop.messaging.models import Kind
from aircop.network import reference

TEXT_LIMIT = 2000

# kind -> (detail fields, nominal fields, required detail fields)
_ROUTE = ("flight", "flight_date", "route")
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    Kind.PASSENGER: (
        (*_ROUTE, "indicators", "nationality", "sex"),
        (
            "surname",
            "given_names",
            "date_of_birth",
            "document_type",
            "document_number",
            "document_country",
            "booking_reference",
        ),
        (),
    ),
    Kind.BAGGAGE: ((*_ROUTE, "bag_tag", "description"), ("passenger_name",), ("bag_tag",)),
    Kind.CARGO: (
        (*_ROUTE, "awb", "goods_description", "pieces", "weight_kg"),
        ("shipper", "consignee"),
        ("awb",),
    ),
    Kind.MAIL: ((*_ROUTE, "item_id", "declared_contents"), ("sender_name", "addressee"), ("item_id",)),
    Kind.SEIZURE_NOTICE: ((*_ROUTE, "commodity", "quantity", "concealment"), ("offender_name",), ()),
    Kind.RFI: (("flight", "route"), ("subject_name",), ()),
    Kind.GENERAL: ((), (), ()),
}


def _err(field: str, message: str) -> ServiceError:
    return ServiceError(message, field=field)


def _text(field: str, value) -> str:
    if not isinstance(value, str | int | float):
        raise _err(field, _("expected text"))
    text = str(value).strip()
    if len(text) > TEXT_LIMIT:
        raise _err(field, _("longer than %(n)d characters") % {"n": TEXT_LIMIT})
    return text


def _iso_date(field: str, value) -> str:
    try:
        return date.fromisoformat(_text(field, value)).isoformat()
    except ValueError:
        raise _err(field, _("expected a date as YYYY-MM-DD")) from None


def _country(field: str, value) -> str:
    record = reference.country_record(_text(field, value))
    if record is None:
        raise _err(field, _("unknown country %(code)r (ISO 3166 alpha-2 or alpha-3)") % {"code": value})
    return record.alpha_3


def _route(field: str, value) -> list[str]:
    items = value.split("-") if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise _err(field, _("expected a list of IATA airport codes"))
    route = []
    for i, code in enumerate(items):
        code = str(code).strip().upper()
        if reference.airport_record(code) is None:
            raise _err(f"{field}[{i}]", _("unknown airport %(code)r") % {"code": code})
        route.append(code)
    return route


def _via(validator, field: str, value) -> str:
    try:
        return validator(_text(field, value))
    except ValueError as exc:
        raise _err(field, str(exc)) from None


def _clean_value(field: str, name: str, value):
    if name == "route":
        return _route(field, value)
    if name in ("flight_date", "date_of_birth"):
        return _iso_date(field, value)
    if name in ("nationality", "document_country"):
        return _country(field, value)
    if name == "flight":
        return _via(validators.flight_number, field, value)
    if name == "awb":
        return _via(validators.air_waybill, field, value)
    if name == "item_id":
        return _via(validators.mail_item, field, value)
    if name == "bag_tag":
        return _via(validators.bag_tag, field, value)
    if name == "sex":
        sex = _text(field, value).upper()
        if sex not in ("M", "F", "X"):
            raise _err(field, _("expected M, F or X"))
        return sex
    if name == "indicators":
        if not isinstance(value, list):
            raise _err(field, _("expected a list of indicators"))
        return [_text(f"{field}[{i}]", v) for i, v in enumerate(value) if str(v).strip()]
    if name in ("pieces",):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _err(field, _("expected a whole number")) from None
    if name in ("weight_kg",):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _err(field, _("expected a number")) from None
    return _text(field, value)


def clean(kind: str, details: dict | None, nominal: dict | None) -> tuple[dict, dict]:
    if kind not in FIELDS:
        raise _err("kind", _("unknown kind %(kind)r") % {"kind": kind})
    allowed_details, allowed_nominal, required = FIELDS[kind]
    out = []
    for section, data, allowed in (
        ("details", details or {}, allowed_details),
        ("nominal", nominal or {}, allowed_nominal),
    ):
        if not isinstance(data, dict):
            raise _err(section, _("expected an object"))
        cleaned = {}
        for name, value in data.items():
            field = f"{section}.{name}"
            if name not in allowed:
                raise _err(field, _("not a field of this kind of alert"))
            if value in (None, "", []):
                continue
            cleaned[name] = _clean_value(field, name, value)
        out.append(cleaned)
    for name in required:
        if name not in out[0]:
            raise _err(f"details.{name}", _("required for this kind of alert"))
    return out[0], out[1]
