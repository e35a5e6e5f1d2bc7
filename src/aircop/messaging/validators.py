"""Check digits and formats of the identifiers an alert carries. Each function returns the
normalised value or raises ValueError with a message for the user."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_AWB = re.compile(r"^(\d{3})[-\s]?(\d{8})$")
_FLIGHT = re.compile(r"^([A-Z]{3}|[A-Z]{2}|[A-Z]\d|\d[A-Z])\s?(\d{1,4}[A-Z]?)$")
_BAG_NUMERIC = re.compile(r"^\d{10}$")
_BAG_PRINTED = re.compile(r"^[A-Z0-9]{2}\d{6}$")
_S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def air_waybill(value: str) -> str:
    """IATA air waybill: 3-digit airline prefix + 8-digit serial whose last digit is the
    first seven digits modulo 7. Returns "ppp-ssssssss"."""
    match = _AWB.match((value or "").strip())
    if not match:
        raise ValueError(
            _("an air waybill number has 11 digits: airline prefix and serial, e.g. 176-12345675")
        )
    prefix, serial = match.groups()
    if int(serial[:7]) % 7 != int(serial[7]):
        raise ValueError(
            _("check digit of air waybill %(awb)s is wrong (expected %(digit)d)")
            % {"awb": f"{prefix}-{serial}", "digit": int(serial[:7]) % 7}
        )
    return f"{prefix}-{serial}"


def s10_check_digit(serial: str) -> int:
    total = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return 0 if check == 10 else 5 if check == 11 else check


def mail_item(value: str) -> str:
    """UPU S10 item identifier, e.g. RR123456785FR, with its check digit."""
    text = re.sub(r"\s", "", (value or "").upper())
    match = _S10.match(text)
    if not match:
        raise ValueError(_("a postal item identifier looks like RR123456785FR (UPU S10)"))
    _service, serial, check, _country = match.groups()
    if s10_check_digit(serial) != int(check):
        raise ValueError(
            _("check digit of postal item %(item)s is wrong (expected %(digit)d)")
            % {"item": text, "digit": s10_check_digit(serial)}
        )
    return text


def bag_tag(value: str) -> str:
    """IATA bag tag: the 10-digit licence plate, or the printed form (airline code + 6 digits)."""
    text = re.sub(r"\s", "", (value or "").upper())
    if _BAG_NUMERIC.match(text) or _BAG_PRINTED.match(text):
        return text
    raise ValueError(
        _("a bag tag is 10 digits (e.g. 0057123456) or airline code and 6 digits (e.g. AF123456)")
    )


def flight_number(value: str) -> str:
    text = (value or "").strip().upper()
    match = _FLIGHT.match(text)
    if not match:
        raise ValueError(_("a flight number is the airline code and 1 to 4 digits, e.g. AF718"))
    return "".join(match.groups())
