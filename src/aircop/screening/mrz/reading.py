"""Reading a machine-readable zone: `read(text)` returns an `Mrz` with the fields, every check
digit (what was expected and what was found) and the problems in plain words, or raises
`MrzError` for text that cannot be an MRZ at all. The rules, the formats and the centuries
of the dates are in the package's docstring (aircop.screening.mrz). Plain Python, plus
pycountry for the country codes."""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from aircop.screening.mrz.layouts import (
    CHARSET,
    COMPOSITE,
    DIGITS,
    FILLER,
    KINDS,
    LAYOUTS,
    SHAPE_TEXT,
    SHAPES,
    Field,
    check_digit,
)

# Codes of Doc 9303 part 3 that are not ISO 3166-1 alpha-3 country codes: Germany's one
# letter, the specimen state, nationality categories, the United Nations, the EU, the
# British nationality classes, Kosovo, and other issuing organisations.
ICAO_SPECIAL_CODES = {
    "D": "Germany",
    "UTO": "Utopia (specimen documents)",
    "XXA": "stateless person",
    "XXB": "refugee (1951 Convention)",
    "XXC": "refugee (other)",
    "XXX": "unspecified nationality",
    "UNO": "United Nations Organization",
    "UNA": "specialized agency of the United Nations",
    "UNK": "resident of Kosovo (UN interim administration)",
    "EUE": "European Union",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "RKS": "Kosovo",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XEC": "Economic Community of West African States",
    "XPO": "Interpol",
    "XOM": "Sovereign Military Order of Malta",
    "XCE": "Council of Europe",
    "XES": "Organisation of Eastern Caribbean States",
    "XDC": "Southern African Development Community",
    "XMP": "Parliamentary Assembly of the Mediterranean",
}

# Characters that OCR and people typing an MRZ mix up; named in the error message when one
# of them stands where the other kind of character must be. Nothing is corrected.
_LOOKALIKES = {"O": "0", "0": "O", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8", "8": "B"}


class MrzError(ValueError):
    """Input that cannot be read as an MRZ. ``line`` and ``column`` (1-based) say where, when
    a place can be named; the message starts with them."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.line, self.column, self.reason = line, column, message
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class Check(NamedTuple):
    """One check digit: the field it protects, the digit it should be, the one printed."""

    field: str
    expected: str
    found: str
    ok: bool


@dataclass(frozen=True)
class Mrz:
    format: str  # TD1, TD2, TD3, MRVA, MRVB
    document_code: str  # "P", "ID", "V", … (trailing filler removed)
    issuing_state: str  # as written, fillers removed: "UTO", "D", "XXA"
    surname: str  # primary identifier, fillers as spaces
    given_names: str  # secondary identifier, fillers as spaces; "" when there is none
    document_number: str  # the whole number, including a TD1/TD2 overflow
    nationality: str
    date_of_birth: date | None  # None when unknown or partly unknown
    sex: str  # M, F or X (an unspecified "<" is X)
    expiry_date: date
    optional_data: str  # TD1: line 1's optional data (after a long number's overflow)
    optional_data_2: str  # TD1: line 2's optional data; "" for the other formats
    checks: tuple[Check, ...]
    problems: tuple[str, ...]
    lines: tuple[str, ...]  # the lines as read (upper case, surrounding whitespace removed)

    @property
    def valid(self) -> bool:
        """Every check digit matches. Other problems (an unknown country code) do not count."""
        return all(c.ok for c in self.checks)

    def as_json(self) -> dict:
        return {
            "format": self.format,
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "sex": self.sex,
            "expiry_date": self.expiry_date.isoformat(),
            "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2,
            "checks": [c._asdict() for c in self.checks],
            "valid": self.valid,
            "problems": list(self.problems),
            "lines": list(self.lines),
        }


# --- reading -------------------------------------------------------------------------------


def read(text: str, *, today: date | None = None) -> Mrz:
    """Read an MRZ (see the package's docstring). ``today`` fixes the centuries of the dates
    (default: the current date)."""
    today = today or date.today()
    lines = _split(text)
    fmt = _format(lines)
    layout = LAYOUTS[fmt]
    raw = {}
    for field in layout:
        raw[field.key] = _take(lines, field)
    problems: list[str] = []
    checks: list[Check] = []

    def check(what: str, data: str, found: str, line: int, column: int) -> None:
        expected = check_digit(data)
        ok = found == expected
        checks.append(Check(what, expected, found, ok))
        if not ok:
            subject = "the composite check digit" if what == "composite" else f"the check digit of the {what}"
            problems.append(
                f"{subject} is wrong: {expected} expected, {found} found (line {line}, column {column})"
            )

    where = {f.key: f for f in layout}
    issuing_state = _country(raw["issuing_state"], where["issuing_state"], "issuing state", problems)

    # Document number, and its overflow into the optional data (TD1, TD2: part 5 and 6).
    number, optional = raw["number"], raw["optional"]
    number_check = where["number_check"]
    overflow = ""
    if fmt in ("TD1", "TD2") and raw["number_check"] == FILLER and optional[:1] not in ("", FILLER):
        head = optional.split(FILLER, 1)[0]
        if len(head) >= 2:
            overflow, found = head[:-1], head[-1]
            opt = where["optional"]
            column = opt.start + len(head) - 1
            if found not in DIGITS:
                raise MrzError(
                    f"{found!r} is not allowed in a check digit: column {number_check.start} holds '<', "
                    f"so the document number goes on in the optional data and ends with its check digit"
                    + _hint(found, DIGITS),
                    opt.line,
                    column,
                )
            check("document number", number + overflow, found, opt.line, column)
            optional = optional[len(head) + 1 :]
    if not overflow:
        check("document number", number, raw["number_check"], number_check.line, number_check.start)
    document_number = (number + overflow).rstrip(FILLER)

    birth = _birth_date(raw["birth"], where["birth"], today, problems)
    f = where["birth_check"]
    check("date of birth", raw["birth"], raw["birth_check"], f.line, f.start)
    expiry = _expiry_date(raw["expiry"], where["expiry"], today)
    f = where["expiry_check"]
    check("date of expiry", raw["expiry"], raw["expiry_check"], f.line, f.start)

    if "optional_check" in raw:  # TD3: may be "<" or "0" when the optional data is all filler
        f = where["optional_check"]
        all_filler = set(raw["optional"]) == {FILLER}
        if not (all_filler and raw["optional_check"] in (FILLER, "0")):
            check("optional data", raw["optional"], raw["optional_check"], f.line, f.start)
    if "composite" in raw:
        f = where["composite"]
        data = "".join(lines[line - 1][first - 1 : last] for line, first, last in COMPOSITE[fmt])
        check("composite", data, raw["composite"], f.line, f.start)

    nationality = _country(raw["nationality"], where["nationality"], "nationality", problems)
    surname, given_names = _name(raw["name"], problems)
    return Mrz(
        format=fmt,
        document_code=raw["code"].rstrip(FILLER),
        issuing_state=issuing_state,
        surname=surname,
        given_names=given_names,
        document_number=document_number,
        nationality=nationality,
        date_of_birth=birth,
        sex="X" if raw["sex"] == FILLER else raw["sex"],
        expiry_date=expiry,
        optional_data=optional.rstrip(FILLER),
        optional_data_2=raw.get("optional_2", "").rstrip(FILLER),
        checks=tuple(checks),
        problems=tuple(problems),
        lines=tuple(lines),
    )


def _split(text: str) -> list[str]:
    if not isinstance(text, str):
        raise TypeError("read() takes the MRZ as a str")
    # Upper-case ASCII letters only: str.upper() would turn "ß" into "SS" and move columns.
    lines = [
        "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in line.strip())
        for line in text.splitlines()
        if line.strip()
    ]
    if not lines:
        raise MrzError("no MRZ: the text is empty")
    if len(lines) == 1:
        length = len(lines[0])
        for (count, width), _formats in SHAPES.items():
            if length == count * width:
                return [lines[0][i * width : (i + 1) * width] for i in range(count)]
        raise MrzError(f"one line of {length} characters; an MRZ has {SHAPE_TEXT}", 1)
    return lines


def _format(lines: list[str]) -> str:
    count = len(lines)
    if count > 3:
        raise MrzError(f"{count} lines; an MRZ has {SHAPE_TEXT}", 4)
    widths = [w for (c, w) in SHAPES if c == count]
    width = next((len(line) for line in lines if len(line) in widths), None)
    if width is None:
        raise MrzError(f"{len(lines[0])} characters; an MRZ has {SHAPE_TEXT}", 1)
    for number, line in enumerate(lines, 1):
        if len(line) < width:
            raise MrzError(
                f"the line ends after {len(line)} characters; {width} expected", number, len(line) + 1
            )
        if len(line) > width:
            raise MrzError(
                f"the line is too long ({len(line)} characters; {width} expected)", number, width + 1
            )
    document, visa = SHAPES[(count, width)]
    fmt = visa if lines[0][0] == "V" else document
    # Every character, field by field, in reading order: the first wrong one is reported.
    for field in sorted(LAYOUTS[fmt], key=lambda f: (f.line, f.start)):
        allowed, what = KINDS[field.kind]
        for offset, ch in enumerate(lines[field.line - 1][field.start - 1 : field.start - 1 + field.length]):
            column = field.start + offset
            if ch not in CHARSET:
                shown = repr(ch) if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"
                if ch == " ":
                    shown = "a space"
                raise MrzError(f"{shown} is not allowed in an MRZ (only A-Z, 0-9 and <)", field.line, column)
            if ch not in allowed:
                raise MrzError(f"{ch!r} is not allowed in {what}" + _hint(ch, allowed), field.line, column)
            if field.kind == "code" and offset == 0 and ch == FILLER:
                raise MrzError("a document code starts with a letter, not '<'", field.line, column)
    return fmt


def _take(lines: list[str], field: Field) -> str:
    return lines[field.line - 1][field.start - 1 : field.start - 1 + field.length]


def _hint(ch: str, allowed: str) -> str:
    other = _LOOKALIKES.get(ch)
    if other and other in allowed:
        return f" ({ch} and {other} may have been confused)"
    return ""


def _month_day(raw: str, field: Field, what: str) -> tuple[int, int]:
    """The month and day of ``raw`` (YYMMDD), allowing 29 February: the year decides that."""
    month, day = int(raw[2:4]), int(raw[4:6])
    if not 1 <= month <= 12:
        raise MrzError(f"{raw[2:4]} is not a month ({what} {raw})", field.line, field.start + 2)
    if not 1 <= day <= calendar.monthrange(2000, month)[1]:
        raise MrzError(
            f"{raw[4:6]} is not a day of {calendar.month_name[month]} ({what} {raw})",
            field.line,
            field.start + 4,
        )
    return month, day


def _birth_date(raw: str, field: Field, today: date, problems: list[str]) -> date | None:
    if raw == FILLER * 6:
        return None
    # Unknown parts are whole fillers: the day (YYMM<<), or the month and the day (YY<<<<).
    if raw[:2].isdigit() and raw[2:] == FILLER * 4 or raw[:4].isdigit() and raw[4:] == FILLER * 2:
        if raw[2:4] != FILLER * 2:
            _month_day(raw[:4] + "01", field, "date of birth")
        problems.append(f"the date of birth is only partly known ({raw})")
        return None
    if FILLER in raw:
        column = field.start + raw.index(FILLER)
        raise MrzError(
            "'<' is not allowed here in a date of birth (an unknown date is <<<<<<, an unknown day "
            "YYMM<<, an unknown month and day YY<<<<)",
            field.line,
            column,
        )
    month, day = _month_day(raw, field, "date of birth")
    century = today.year // 100 * 100
    yy = int(raw[:2])
    for year in (century + yy, century - 100 + yy):
        try:
            born = date(year, month, day)
        except ValueError:  # 29 February in a year that has none
            continue
        if born <= today:
            return born
    raise MrzError(
        f"there is no 29 February in {century - 100 + yy} (date of birth {raw})", field.line, field.start + 4
    )


def _expiry_date(raw: str, field: Field, today: date) -> date:
    month, day = _month_day(raw, field, "date of expiry")
    first = today.year - 49
    year = first + (int(raw[:2]) - first) % 100
    if day > calendar.monthrange(year, month)[1]:
        raise MrzError(
            f"there is no 29 February in {year} (date of expiry {raw})", field.line, field.start + 4
        )
    return date(year, month, day)


def _country(raw: str, field: Field, what: str, problems: list[str]) -> str:
    code = raw.rstrip(FILLER)
    if FILLER in code:
        raise MrzError(
            f"'<' inside a country code ({raw}): its letters come first, then fillers",
            field.line,
            field.start + code.index(FILLER),
        )
    if not code:
        problems.append(f"no {what} (line {field.line}, column {field.start})")
    elif not is_known_code(code):
        problems.append(f"unknown {what} {code!r}")
    return code


def is_known_code(code: str) -> bool:
    """An ISO 3166-1 alpha-3 code known to pycountry, or one of `ICAO_SPECIAL_CODES`."""
    return code in ICAO_SPECIAL_CODES or (len(code) == 3 and code in _iso_alpha3())


@functools.cache
def _iso_alpha3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def _name(raw: str, problems: list[str]) -> tuple[str, str]:
    if raw[-1] != FILLER:
        problems.append("the name fills its whole field and may have been cut short")
    primary, _sep, secondary = raw.rstrip(FILLER).partition(FILLER * 2)
    return _words(primary), _words(secondary)


def _words(text: str) -> str:
    return " ".join(part for part in text.split(FILLER) if part)
