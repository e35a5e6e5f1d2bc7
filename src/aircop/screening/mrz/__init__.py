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
(tests and demo data). No database, no Django: this package is plain Python, plus pycountry
for the country codes.

The package's modules: layouts.py (character set, check digit, the formats' field layouts,
in 1-based columns as in the specification), reading.py (`read`, `Mrz`, `Check`, `MrzError`,
`is_known_code`) and building.py (`make_td3`, `make_td1`). Import from the package.
"""

from aircop.screening.mrz.building import make_td1, make_td3
from aircop.screening.mrz.layouts import CHARSET, DIGITS, FILLER, FORMATS, LETTERS, check_digit
from aircop.screening.mrz.reading import ICAO_SPECIAL_CODES, Check, Mrz, MrzError, is_known_code, read

__all__ = [
    "CHARSET",
    "DIGITS",
    "FILLER",
    "FORMATS",
    "ICAO_SPECIAL_CODES",
    "LETTERS",
    "Check",
    "Mrz",
    "MrzError",
    "check_digit",
    "is_known_code",
    "make_td1",
    "make_td3",
    "read",
]
