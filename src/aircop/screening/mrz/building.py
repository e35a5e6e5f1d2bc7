"""Building a machine-readable zone from its fields, with every check digit computed:
`make_td3` (passport) and `make_td1` (identity card), for tests and demo data. Plain Python."""

from __future__ import annotations

from datetime import date

from aircop.screening.mrz.layouts import COMPOSITE, DIGITS, FILLER, LETTERS, check_digit


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
    line2 += check_digit("".join(line2[first - 1 : last] for _line, first, last in COMPOSITE["TD3"]))
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
    line2 += check_digit("".join(lines[line][first - 1 : last] for line, first, last in COMPOSITE["TD1"]))
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
