"""CSV flight manifests -> ``model.Manifest`` (docs/passenger-data.md, "CSV manifests").

One file is one flight: a header row, then one row per traveller, comma or semicolon
separated (told from the header line), UTF-8 with or without BOM. The flight columns repeat
the same values on every row. A file with any bad row is refused as a whole: the
``ManifestCsvError`` lists every problem of every row (line, column, reason), so the sender
can fix them all at once. What is only doubtful (an airport missing from the reference list,
a UTC offset that is not the airport's) is a warning.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from aircop.network import reference
from aircop.passengers.parsers import model

FLIGHT_COLUMNS = (
    "carrier",
    "flight_number",
    "departure_airport",
    "arrival_airport",
    "scheduled_departure",
    "scheduled_arrival",
)
TRAVELLER_COLUMNS = (
    "type",
    "surname",
    "given_names",
    "sex",
    "date_of_birth",
    "nationality",
    "residence_country",
    "place_of_birth",
    "document_type",
    "document_number",
    "document_issuing_country",
    "document_expiry_date",
    "embarkation",
    "debarkation",
    "booking_reference",
    "seat",
    "bag_tags",
)
COLUMNS = FLIGHT_COLUMNS + TRAVELLER_COLUMNS
REQUIRED_COLUMNS = (
    "carrier",
    "flight_number",
    "departure_airport",
    "arrival_airport",
    "scheduled_departure",
    "surname",
)
REQUIRED_FLIGHT_VALUES = REQUIRED_COLUMNS[:5]
COUNTRY_COLUMNS = ("nationality", "residence_country", "document_issuing_country")

_CARRIER = re.compile(r"^[A-Z0-9]{2}[A-Z]?$")
_FLIGHT_NUMBER = re.compile(r"^\d{1,4}[A-Z]?$")
_AIRPORT = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Problem:
    line: int  # in the file, the header being line 1
    column: str  # "" when the problem is the row (or the file) as a whole
    reason: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column or None, "reason": self.reason}

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


class ManifestCsvError(ValueError):
    """The manifest is refused; ``problems`` lists every reason, row by row."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class _Row:
    """One row's cells with the problems found while reading them."""

    def __init__(self, line: int, cells: dict[str, str], problems: list[Problem]):
        self.line, self.cells, self.problems = line, cells, problems

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def problem(self, column: str, reason: str) -> None:
        self.problems.append(Problem(self.line, column, reason))

    def code(self, column: str, pattern: re.Pattern, what: str) -> str | None:
        value = self.get(column).upper()
        if value and not pattern.match(value):
            self.problem(column, f"{value!r} is not {what}")
            return None
        return value or None

    def day(self, column: str, *, past: bool = False) -> date | None:
        value = self.get(column)
        if not value:
            return None
        try:
            if not _DATE.match(value):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            self.problem(column, f"{value!r} is not a date YYYY-MM-DD")
            return None
        if past and day > date.today():
            self.problem(column, f"{value} is in the future")
            return None
        return day

    def country(self, column: str) -> str | None:
        value = self.get(column)
        if not value:
            return None
        alpha3 = model.to_alpha3(value)
        if alpha3 is None:
            self.problem(column, f"{value!r} is not an ISO 3166 country code (alpha-2 or alpha-3)")
        return alpha3


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _column_name(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip().lower())


def _moment(row: _Row, column: str, airport: str | None, warnings: list[str]) -> datetime | None:
    """ISO 8601 local time; without an offset, the airport's offset is added."""
    value = row.get(column)
    if not value:
        return None
    try:
        if len(value) <= 10:
            raise ValueError
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        row.problem(column, f"{value!r} is not a date and time (ISO 8601, e.g. 2026-03-14T19:35)")
        return None
    if moment.tzinfo is None:
        return model.local_time(airport, moment)
    local = model.local_time(airport, moment.replace(tzinfo=None))
    if local is not None and local.tzinfo is not None and local.utcoffset() != moment.utcoffset():
        warnings.append(
            f"line {row.line}, column {column}: the offset of {value} is not the one of {airport} "
            f"on that date ({local.isoformat()[-6:]}): kept as sent"
        )
    return moment


def _flight(row: _Row, warnings: list[str]) -> dict:
    for column in REQUIRED_FLIGHT_VALUES:
        if not row.get(column):
            row.problem(column, "is required")
    carrier = row.code("carrier", _CARRIER, "an airline designator (2 or 3 characters)")
    number = row.get("flight_number").upper().replace(" ", "")
    if carrier and number.startswith(carrier) and len(number) > len(carrier):
        number = number[len(carrier) :]  # "UA0989" in the number column: the carrier once is enough
    if number and not _FLIGHT_NUMBER.match(number):
        row.problem("flight_number", f"{number!r} is not a flight number (1 to 4 digits, an optional letter)")
        number = ""
    departure = row.code("departure_airport", _AIRPORT, "an IATA airport code")
    arrival = row.code("arrival_airport", _AIRPORT, "an IATA airport code")
    return {
        "carrier": carrier,
        "number": number or None,
        "departure_airport": departure,
        "arrival_airport": arrival,
        "scheduled_departure": _moment(row, "scheduled_departure", departure, warnings),
        "scheduled_arrival": _moment(row, "scheduled_arrival", arrival, warnings),
    }


def _traveller(row: _Row) -> model.Traveller:
    kind = row.get("type").lower() or "passenger"
    if kind not in model.TRAVELLER_TYPES:
        row.problem("type", f"{row.get('type')!r} is not passenger or crew")
    surname = model.clean_name(row.get("surname"))
    if not surname:
        row.problem("surname", "is required")
    sex = row.get("sex").upper()
    if sex and sex not in model.SEXES:
        row.problem("sex", f"{row.get('sex')!r} is not M, F or X")
    traveller = model.Traveller(
        type=kind,
        surname=surname,
        given_names=model.clean_name(row.get("given_names")),
        sex=sex or None,
        date_of_birth=row.day("date_of_birth", past=True),
        nationality=row.country("nationality"),
        residence_country=row.country("residence_country"),
        place_of_birth=model.clean_name(row.get("place_of_birth")),
        embarkation=row.code("embarkation", _AIRPORT, "an IATA airport code"),
        debarkation=row.code("debarkation", _AIRPORT, "an IATA airport code"),
        booking_reference=row.get("booking_reference").upper() or None,
        seat=row.get("seat").upper() or None,
        bag_tags=[t.strip().upper() for t in row.get("bag_tags").split(";") if t.strip()],
    )
    number = row.get("document_number").upper()
    doc_fields = ("document_type", "document_issuing_country", "document_expiry_date")
    if number or any(row.get(c) for c in doc_fields):
        if not number:
            row.problem("document_number", "is required when the document has a type, country or expiry date")
        traveller.documents.append(
            model.Document(
                type=row.get("document_type").upper() or None,
                number=number or None,
                issuing_country=row.country("document_issuing_country"),
                expiry_date=row.day("document_expiry_date"),
            )
        )
    return traveller


def _check_header(columns: list[str], problems: list[Problem]) -> None:
    unknown = [c or "(empty)" for c in columns if c not in COLUMNS]
    if unknown:
        problems.append(Problem(1, ", ".join(unknown), f"unknown column(s): {', '.join(unknown)}"))
    seen: set[str] = set()
    for column in columns:
        if column in seen and column in COLUMNS:
            problems.append(Problem(1, column, "the column appears twice"))
        seen.add(column)
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            problems.append(Problem(1, column, "required column missing"))


def parse(text: str, name: str = "") -> model.Manifest:
    """The manifest of a CSV file; ``ManifestCsvError`` listing every problem when any row is bad."""
    try:
        return _parse(text, name)
    except csv.Error as exc:  # e.g. a field longer than the csv module accepts (131,072 characters)
        raise ManifestCsvError([Problem(0, "", f"the file cannot be read as CSV: {exc}")]) from None


def _parse(text: str, name: str) -> model.Manifest:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    problems: list[Problem] = []
    warnings: list[str] = []
    header = next(reader, None)
    if not header or not any(c.strip() for c in header):
        raise ManifestCsvError([Problem(1, "", "the file has no header row")])
    columns = [_column_name(c) for c in header]
    _check_header(columns, problems)
    flight: dict | None = None
    flight_line = 0
    travellers: list[model.Traveller] = []
    line = reader.line_num
    for values in reader:
        start, line = line + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        row = _Row(start, {}, problems)
        if len(values) > len(columns):
            row.problem("", f"{len(values)} values, the header has {len(columns)} columns")
        row.cells = {c: v.strip() for c, v in zip(columns, values, strict=False) if c in COLUMNS}
        before = len(problems)
        this_flight = _flight(row, warnings)
        if flight is None:
            if len(problems) == before:
                flight, flight_line = this_flight, start
        else:
            bad = {p.column for p in problems[before:]}
            for key, column in zip(this_flight, FLIGHT_COLUMNS, strict=True):
                if this_flight[key] != flight[key] and column not in bad:
                    row.problem(
                        column, f"{row.get(column)!r} differs from line {flight_line}: one flight per file"
                    )
        travellers.append(_traveller(row))
    if not travellers and not problems:
        problems.append(Problem(1, "", "the file has no traveller row"))
    if problems:
        raise ManifestCsvError(problems)
    leg = model.FlightLeg(**flight)
    for airport in dict.fromkeys([leg.departure_airport, leg.arrival_airport]):
        if reference.airport_record(airport) is None:
            warnings.append(f"airport {airport} is not in the reference list: its UTC offset is not known")
    for i, traveller in enumerate(travellers):
        for airport in (traveller.embarkation, traveller.debarkation):
            if airport and reference.airport_record(airport) is None:
                warnings.append(f"traveller {i + 1} ({traveller.surname}): airport {airport} is not known")
    kind = "crew" if all(t.type == "crew" for t in travellers) else "passenger"
    return model.Manifest(
        message_ref=name, kind=kind, flights=[leg], travellers=travellers, warnings=warnings
    )
