"""What reading (reading.py) and building (building.py) a machine-readable zone share: the
character set, the check digit, the five formats and the layout of their fields, after ICAO
Doc 9303. Positions are 1-based columns, as in the specification. Plain Python."""

from __future__ import annotations

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

_VALUE = {c: i for i, c in enumerate(DIGITS)} | {c: 10 + i for i, c in enumerate(LETTERS)} | {FILLER: 0}
_WEIGHTS = (7, 3, 1)


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


class Field(NamedTuple):
    key: str
    line: int
    start: int  # 1-based column
    length: int
    kind: str  # a key of KINDS


# kind -> (characters allowed, how the field is named in messages)
KINDS = {
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
        Field("code", 1, 1, 2, "code"),
        Field("issuing_state", 1, 3, 3, "state"),
        Field("name", 1, name_start, width - name_start + 1, "name"),
        Field("number", 2, 1, 9, "text"),
        Field("number_check", 2, 10, 1, "check"),
        Field("nationality", 2, 11, 3, "state"),
        Field("birth", 2, 14, 6, "birth"),
        Field("birth_check", 2, 20, 1, "check"),
        Field("sex", 2, 21, 1, "sex"),
        Field("expiry", 2, 22, 6, "expiry"),
        Field("expiry_check", 2, 28, 1, "check"),
        Field("optional", 2, 29, optional_end - 28, "text"),
    ]
    if optional_check:
        fields.append(Field("optional_check", 2, optional_end + 1, 1, "check"))
    if composite:
        fields.append(Field("composite", 2, width, 1, "check"))
    return fields


LAYOUTS = {
    "TD3": _two_line(44, 6, 42, optional_check=True, composite=True),
    "MRVA": _two_line(44, 6, 44, optional_check=False, composite=False),
    "TD2": _two_line(36, 6, 35, optional_check=False, composite=True),
    "MRVB": _two_line(36, 6, 36, optional_check=False, composite=False),
    "TD1": [
        Field("code", 1, 1, 2, "code"),
        Field("issuing_state", 1, 3, 3, "state"),
        Field("number", 1, 6, 9, "text"),
        Field("number_check", 1, 15, 1, "check"),
        Field("optional", 1, 16, 15, "text"),
        Field("birth", 2, 1, 6, "birth"),
        Field("birth_check", 2, 7, 1, "check"),
        Field("sex", 2, 8, 1, "sex"),
        Field("expiry", 2, 9, 6, "expiry"),
        Field("expiry_check", 2, 15, 1, "check"),
        Field("nationality", 2, 16, 3, "state"),
        Field("optional_2", 2, 19, 11, "text"),
        Field("composite", 2, 30, 1, "check"),
        Field("name", 3, 1, 30, "name"),
    ],
}

# What the composite check digit covers: (line, first column, last column), inclusive.
COMPOSITE = {
    "TD3": [(2, 1, 10), (2, 14, 20), (2, 22, 43)],
    "TD2": [(2, 1, 10), (2, 14, 20), (2, 22, 35)],
    "TD1": [(1, 6, 30), (2, 1, 7), (2, 9, 15), (2, 19, 29)],
}

SHAPES = {(2, 44): ("TD3", "MRVA"), (2, 36): ("TD2", "MRVB"), (3, 30): ("TD1", "TD1")}
SHAPE_TEXT = "2 lines of 44 (passport, MRV-A visa), 2 lines of 36 (TD2, MRV-B visa) or 3 lines of 30 (TD1)"
