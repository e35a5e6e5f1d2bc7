"""Dates and times as airline messages write them. Each function returns None for an empty
value and raises ``ValueError`` with a short reason for a bad one; the readers turn that
into an ``EdifactError`` that says where.

Two-digit years: a date of birth is never in the future (``past``), so 53 is 1953 and 05
is 2005 in 2026; an expiry or a flight date is taken within 50 years of today (``near``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache

MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_DDMMMYY = re.compile(r"^(\d{1,2})([A-Z]{3})(\d{2}|\d{4})$")


def _year(yy: int, *, past: bool, today: date | None = None) -> int:
    today = today or date.today()
    century = today.year // 100 * 100
    year = century + yy
    if past:
        return year if year <= today.year else year - 100
    if year > today.year + 50:
        return year - 100
    if year < today.year - 50:
        return year + 100
    return year


def _make(year: int, month: int, day: int, raw: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"not a calendar date: {raw!r}") from None


@lru_cache(maxsize=8192)  # dates repeat within a message: values are immutable
def yymmdd(raw: str, *, past: bool = False) -> date | None:
    """YYMMDD (also CCYYMMDD)."""
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) not in (6, 8):
        raise ValueError(f"not a date YYMMDD or CCYYMMDD: {raw!r}")
    if len(raw) == 8:
        return _make(int(raw[:4]), int(raw[4:6]), int(raw[6:]), raw)
    return _make(_year(int(raw[:2]), past=past), int(raw[2:4]), int(raw[4:]), raw)


@lru_cache(maxsize=8192)  # dates repeat within a message: values are immutable
def ddmmyy(raw: str, *, past: bool = False) -> date | None:
    """DDMMYY (PNRGOV dates), also DDMMCCYY."""
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) not in (6, 8):
        raise ValueError(f"not a date DDMMYY: {raw!r}")
    year = int(raw[4:]) if len(raw) == 8 else _year(int(raw[4:]), past=past)
    return _make(year, int(raw[2:4]), int(raw[:2]), raw)


@lru_cache(maxsize=8192)  # dates repeat within a message: values are immutable
def ddmmmyy(raw: str, *, past: bool = False) -> date | None:
    """05FEB53 or 05FEB1953 (SSR DOCS)."""
    raw = raw.strip().upper()
    if not raw:
        return None
    match = _DDMMMYY.match(raw)
    if not match or match.group(2) not in MONTHS:
        raise ValueError(f"not a date like 05FEB53: {raw!r}")
    day, month, year = int(match.group(1)), MONTHS[match.group(2)], match.group(3)
    full = int(year) if len(year) == 4 else _year(int(year), past=past)
    return _make(full, month, day, raw)


@lru_cache(maxsize=8192)  # dates repeat within a message: values are immutable
def hhmm(raw: str) -> time | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) != 4 or int(raw[:2]) > 23 or int(raw[2:]) > 59:
        raise ValueError(f"not a time HHMM: {raw!r}")
    return time(int(raw[:2]), int(raw[2:]))


@lru_cache(maxsize=8192)  # dates repeat within a message: values are immutable
def dtm(raw: str, fmt: str = "", *, past: bool = False) -> datetime | date | None:
    """A DTM value by its format qualifier: 102 CCYYMMDD, 201 YYMMDDHHMM, 203 CCYYMMDDHHMM,
    204 CCYYMMDDHHMMSS; without a qualifier, guessed from the length (6 YYMMDD, 8 CCYYMMDD,
    10 YYMMDDHHMM, 12 CCYYMMDDHHMM). Dates come back as ``date``, date-times as ``datetime``.
    ``past``: a two-digit year is in the past (a date of birth)."""
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError(f"not a date or time: {raw!r}")
    n = len(raw)
    fmt = fmt.strip()
    if fmt in ("102",) or (not fmt and n == 8):
        return yymmdd(raw, past=past)
    if fmt in ("201",) or (not fmt and n == 10):
        if n != 10:
            raise ValueError(f"format 201 wants YYMMDDHHMM: {raw!r}")
        day = yymmdd(raw[:6])
        return datetime.combine(day, hhmm(raw[6:]))
    if fmt in ("203", "204") or (not fmt and n in (12, 14)):
        if n not in (12, 14):
            raise ValueError(f"format {fmt or '203'} wants CCYYMMDDHHMM: {raw!r}")
        day = yymmdd(raw[:8])
        seconds = int(raw[12:14]) if n == 14 else 0
        moment = datetime.combine(day, hhmm(raw[8:12]))
        return moment.replace(second=seconds) if seconds < 60 else moment
    if not fmt and n == 6:
        return yymmdd(raw, past=past)
    raise ValueError(f"unknown date format {fmt!r} for {raw!r}")
