"""Machine-readable zones (MRZ) of travel documents, after ICAO Doc 9303 (parts 3 to 7).

`read(text)` takes the two or three lines printed at the bottom of a passport, identity card
or visa and returns an `Mrz`: the fields, every check digit with what was expected and what
was found, and a list of problems in plain words. Input that cannot be an MRZ at all (wrong
line lengths, a character outside A–Z, 0–9 and ``<``, a letter where a digit must be, an
impossible date) raises `MrzError`, whose message names the line and the column. A check
digit that does not match is *not* an error: it is reported in ``checks`` and ``problems``,
and ``valid`` is then false. Nothing is auto-corrected.

Formats (``Mrz.format``)::

    TD3   2 x 44   passport booklet (part 4)
    TD2   2 x 36   official travel document, size 2 (part 6)
    TD1   3 x 30   identity card, size 1 (part 5)
    MRVA  2 x 44   visa, format A, first character V (part 7)
    MRVB  2 x 36   visa, format B, first character V (part 7)

Centuries (the MRZ writes years with two digits):

- date of birth: the latest century that does not put the date after ``today``;
- date of expiry: the year between 49 years before and 50 years after ``today``'s year, that
  is 20xx unless that is more than 50 years ahead (read in 2026: 00-76 are 2000-2076,
  77-99 are 1977-1999).

`make_td3` and `make_td1` build an MRZ from its fields, with every check digit computed
(tests and demo data). No database, no Django: this module is plain Python, plus pycountry
for the country codes.

Positions in the layouts below are 1-based columns, as in the specification.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

FILLER = "<"
DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHARSET = frozenset(DIGITS + LETTERS + FILLER)

FORMATS = {
    "TD1": "identity card (TD1, 3 lines of 30)",
    "TD2": "travel document (TD2, 2 lines of 36)",
    "TD3": "passport (TD3, 2 lines of 44)",
    "MRVA": "visa (MRV-A, 2 lines of 44)",
    "MRVB": "visa (MRV-B, 2 lines of 36)",
}

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

_VALUE = {c: i for i, c in enumerate(DIGITS)} | {c: 10 + i for i, c in enumerate(LETTERS)} | {FILLER: 0}
_WEIGHTS = (7, 3, 1)


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


def check_digit(text: str) -> str:
    """The Doc 9303 check digit of ``text``: each character's value (digits as themselves, A-Z
    as 10-35, ``<`` as 0) times the weights 7, 3, 1, 7, 3, 1, …, summed, modulo 10."""
    total = 0
    for i, ch in enumerate(text.upper()):
        if ch not in _VALUE:
            raise ValueError(f"{ch!r} cannot be part of an MRZ (only A-Z, 0-9 and <)")
        total += _VALUE[ch] * _WEIGHTS[i % 3]
    return str(total % 10)


# --- layouts -------------------------------------------------------------------------------


class _Field(NamedTuple):
    key: str
    line: int
    start: int  # 1-based column
    length: int
    kind: str  # a key of _KINDS


# kind -> (characters allowed, how the field is named in messages)
_KINDS = {
    "code": (LETTERS + FILLER, "a document code"),
    "state": (LETTERS + FILLER, "a country code"),
    "name": (LETTERS + FILLER, "a name"),
    "text": (LETTERS + DIGITS + FILLER, "this field"),
    "birth": (DIGITS + FILLER, "a date of birth"),
    "expiry": (DIGITS, "a date of expiry"),
    "check": (DIGITS + FILLER, "a check digit"),
    "sex": ("MFX" + FILLER, "the sex (M, F, X or <)"),
}


def _two_line(width: int, name_start: int, optional_end: int, optional_check: bool, composite: bool):
    fields = [
        _Field("code", 1, 1, 2, "code"),
        _Field("issuing_state", 1, 3, 3, "state"),
        _Field("name", 1, name_start, width - name_start + 1, "name"),
        _Field("number", 2, 1, 9, "text"),
        _Field("number_check", 2, 10, 1, "check"),
        _Field("nationality", 2, 11, 3, "state"),
        _Field("birth", 2, 14, 6, "birth"),
        _Field("birth_check", 2, 20, 1, "check"),
        _Field("sex", 2, 21, 1, "sex"),
        _Field("expiry", 2, 22, 6, "expiry"),
        _Field("expiry_check", 2, 28, 1, "check"),
        _Field("optional", 2, 29, optional_end - 28, "text"),
    ]
    if optional_check:
        fields.append(_Field("optional_check", 2, optional_end + 1, 1, "check"))
    if composite:
        fields.append(_Field("composite", 2, width, 1, "check"))
    return fields


_LAYOUTS = {
    "TD3": _two_line(44, 6, 42, optional_check=True, composite=True),
    "MRVA": _two_line(44, 6, 44, optional_check=False, composite=False),
    "TD2": _two_line(36, 6, 35, optional_check=False, composite=True),
    "MRVB": _two_line(36, 6, 36, optional_check=False, composite=False),
    "TD1": [
        _Field("code", 1, 1, 2, "code"),
        _Field("issuing_state", 1, 3, 3, "state"),
        _Field("number", 1, 6, 9, "text"),
        _Field("number_check", 1, 15, 1, "check"),
        _Field("optional", 1, 16, 15, "text"),
        _Field("birth", 2, 1, 6, "birth"),
        _Field("birth_check", 2, 7, 1, "check"),
        _Field("sex", 2, 8, 1, "sex"),
        _Field("expiry", 2, 9, 6, "expiry"),
        _Field("expiry_check", 2, 15, 1, "check"),
        _Field("nationality", 2, 16, 3, "state"),
        _Field("optional_2", 2, 19, 11, "text"),
        _Field("composite", 2, 30, 1, "check"),
        _Field("name", 3, 1, 30, "name"),
    ],
}

# What the composite check digit covers: (line, first column, last column), inclusive.
_COMPOSITE = {
    "TD3": [(2, 1, 10), (2, 14, 20), (2, 22, 43)],
    "TD2": [(2, 1, 10), (2, 14, 20), (2, 22, 35)],
    "TD1": [(1, 6, 30), (2, 1, 7), (2, 9, 15), (2, 19, 29)],
}

_SHAPES = {(2, 44): ("TD3", "MRVA"), (2, 36): ("TD2", "MRVB"), (3, 30): ("TD1", "TD1")}
_SHAPE_TEXT = "2 lines of 44 (passport, MRV-A visa), 2 lines of 36 (TD2, MRV-B visa) or 3 lines of 30 (TD1)"


# --- reading -------------------------------------------------------------------------------


def read(text: str, *, today: date | None = None) -> Mrz:
    """Read an MRZ (see the module's docstring). ``today`` fixes the centuries of the dates
    (default: the current date)."""
    today = today or date.today()
    lines = _split(text)
    fmt = _format(lines)
    layout = _LAYOUTS[fmt]
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
        data = "".join(lines[line - 1][first - 1 : last] for line, first, last in _COMPOSITE[fmt])
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
        for (count, width), _formats in _SHAPES.items():
            if length == count * width:
                return [lines[0][i * width : (i + 1) * width] for i in range(count)]
        raise MrzError(f"one line of {length} characters; an MRZ has {_SHAPE_TEXT}", 1)
    return lines


def _format(lines: list[str]) -> str:
    count = len(lines)
    if count > 3:
        raise MrzError(f"{count} lines; an MRZ has {_SHAPE_TEXT}", 4)
    widths = [w for (c, w) in _SHAPES if c == count]
    width = next((len(line) for line in lines if len(line) in widths), None)
    if width is None:
        raise MrzError(f"{len(lines[0])} characters; an MRZ has {_SHAPE_TEXT}", 1)
    for number, line in enumerate(lines, 1):
        if len(line) < width:
            raise MrzError(
                f"the line ends after {len(line)} characters; {width} expected", number, len(line) + 1
            )
        if len(line) > width:
            raise MrzError(
                f"the line is too long ({len(line)} characters; {width} expected)", number, width + 1
            )
    document, visa = _SHAPES[(count, width)]
    fmt = visa if lines[0][0] == "V" else document
    # Every character, field by field, in reading order: the first wrong one is reported.
    for field in sorted(_LAYOUTS[fmt], key=lambda f: (f.line, f.start)):
        allowed, what = _KINDS[field.kind]
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


def _take(lines: list[str], field: _Field) -> str:
    return lines[field.line - 1][field.start - 1 : field.start - 1 + field.length]


def _hint(ch: str, allowed: str) -> str:
    other = _LOOKALIKES.get(ch)
    if other and other in allowed:
        return f" ({ch} and {other} may have been confused)"
    return ""


def _month_day(raw: str, field: _Field, what: str) -> tuple[int, int]:
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


def _birth_date(raw: str, field: _Field, today: date, problems: list[str]) -> date | None:
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


def _expiry_date(raw: str, field: _Field, today: date) -> date:
    month, day = _month_day(raw, field, "date of expiry")
    first = today.year - 49
    year = first + (int(raw[:2]) - first) % 100
    if day > calendar.monthrange(year, month)[1]:
        raise MrzError(
            f"there is no 29 February in {year} (date of expiry {raw})", field.line, field.start + 4
        )
    return date(year, month, day)


def _country(raw: str, field: _Field, what: str, problems: list[str]) -> str:
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


# --- building ------------------------------------------------------------------------------


def make_td3(
    *,
    surname: str,
    given_names: str = "",
    document_number: str,
    nationality: str,
    date_of_birth: date | str | None,
    sex: str,
    expiry_date: date | str,
    issuing_state: str | None = None,
    document_code: str = "P",
    optional_data: str = "",
) -> str:
    """A passport MRZ (two lines of 44, joined by a newline) with every check digit. Dates are
    `date` objects or ``YYMMDD`` strings (``None`` for an unknown date of birth); the issuing
    state defaults to the nationality. Names must already be in A-Z (spaces, hyphens and commas
    become ``<``; apostrophes and full stops are dropped); raises ValueError when a field does
    not fit."""
    optional = _pad(optional_data, 14, "optional_data", LETTERS + DIGITS)
    line1 = (
        _pad(document_code, 2, "document_code", LETTERS)
        + _pad(issuing_state or nationality, 3, "issuing_state", LETTERS)
        + _name_field(surname, given_names, 39)
    )
    number = _pad(document_number, 9, "document_number", LETTERS + DIGITS)
    birth = _date_field(date_of_birth, "date_of_birth", unknown_ok=True)
    expiry = _date_field(expiry_date, "expiry_date", unknown_ok=False)
    line2 = (
        number
        + check_digit(number)
        + _pad(nationality, 3, "nationality", LETTERS)
        + birth
        + check_digit(birth)
        + _sex(sex)
        + expiry
        + check_digit(expiry)
        + optional
        + (FILLER if set(optional) == {FILLER} else check_digit(optional))
    )
    line2 += check_digit("".join(line2[first - 1 : last] for _line, first, last in _COMPOSITE["TD3"]))
    return f"{line1}\n{line2}"


def make_td1(
    *,
    surname: str,
    given_names: str = "",
    document_number: str,
    nationality: str,
    date_of_birth: date | str | None,
    sex: str,
    expiry_date: date | str,
    issuing_state: str | None = None,
    document_code: str = "I",
    optional_data: str = "",
    optional_data_2: str = "",
) -> str:
    """An identity-card MRZ (three lines of 30, joined by newlines) with every check digit. A
    document number longer than 9 characters is written the part 5 way: 9 characters, ``<`` in
    place of the check digit, the rest of the number and its check digit at the start of the
    optional data, then a filler. Other arguments as in `make_td3`."""
    number = document_number.upper()
    _pad(number, len(number) or 1, "document_number", LETTERS + DIGITS)
    if len(number) > 9:
        head = number[:9] + FILLER
        optional = number[9:] + check_digit(number) + FILLER + optional_data.upper()
    else:
        head = _pad(number, 9, "document_number", LETTERS + DIGITS)
        head += check_digit(head)
        optional = optional_data
    line1 = (
        _pad(document_code, 2, "document_code", LETTERS)
        + _pad(issuing_state or nationality, 3, "issuing_state", LETTERS)
        + head
        + _pad(optional, 15, "optional_data (with the long document number)", LETTERS + DIGITS)
    )
    birth = _date_field(date_of_birth, "date_of_birth", unknown_ok=True)
    expiry = _date_field(expiry_date, "expiry_date", unknown_ok=False)
    line2 = (
        birth
        + check_digit(birth)
        + _sex(sex)
        + expiry
        + check_digit(expiry)
        + _pad(nationality, 3, "nationality", LETTERS)
        + _pad(optional_data_2, 11, "optional_data_2", LETTERS + DIGITS)
    )
    lines = {1: line1, 2: line2}
    line2 += check_digit("".join(lines[line][first - 1 : last] for line, first, last in _COMPOSITE["TD1"]))
    return f"{line1}\n{line2}\n{_name_field(surname, given_names, 30)}"


def _pad(value: str, length: int, what: str, allowed: str) -> str:
    text = (value or "").upper()
    bad = [c for c in text if c not in allowed + FILLER]
    if bad:
        raise ValueError(f"{what}: {bad[0]!r} cannot be written in an MRZ")
    if len(text) > length:
        raise ValueError(f"{what}: {text!r} is longer than {length} characters")
    return text.ljust(length, FILLER)


def _name_field(surname: str, given_names: str, length: int) -> str:
    def clean(text: str, what: str) -> str:
        text = text.upper().strip()
        for ch in "'.":
            text = text.replace(ch, "")
        for ch in " -,":
            text = text.replace(ch, FILLER)
        bad = [c for c in text if c not in LETTERS + FILLER]
        if bad:
            raise ValueError(f"{what}: {bad[0]!r} cannot be written in an MRZ; transliterate it first")
        return text

    name = clean(surname, "surname")
    if given_names.strip():
        name += FILLER * 2 + clean(given_names, "given_names")
    if len(name) > length:
        raise ValueError(f"the name {name!r} is longer than the {length} characters of its field")
    return name.ljust(length, FILLER)


def _date_field(value: date | str | None, what: str, *, unknown_ok: bool) -> str:
    if value is None:
        if not unknown_ok:
            raise ValueError(f"{what} is required")
        return FILLER * 6
    if isinstance(value, date):
        return value.strftime("%y%m%d")
    text = value.upper()
    if len(text) != 6 or not all(c in DIGITS + (FILLER if unknown_ok else "") for c in text):
        raise ValueError(f"{what}: {value!r} is not YYMMDD")
    return text


def _sex(value: str) -> str:
    text = (value or FILLER).upper()
    if text not in ("M", "F", "X", FILLER):
        raise ValueError(f"sex: {value!r} is not M, F, X or <")
    return text
