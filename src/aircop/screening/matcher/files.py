"""Watchlists and passenger lists as CSV files for the stateless `aircop screen` (docs/screening.md).

Every row is checked before anything is screened; every problem is reported with its line and
column, and nothing is screened when there is one."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from aircop.screening.matcher.engine import Entry, Person, _dob

WATCHLIST_COLUMNS = (
    "id",
    "names",
    "date_of_birth",
    "nationality",
    "sex",
    "document_number",
    "document_country",
)
PASSENGER_COLUMNS = (
    "id",
    "surname",
    "given_names",
    "date_of_birth",
    "nationality",
    "sex",
    "document_number",
    "document_country",
)
REQUIRED = {"watchlist": ("id", "names"), "passengers": ("id", "surname")}


@dataclass
class Problem:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.file}, line {self.line}"
            + (f", column {self.column}" if self.column else "")
            + f": {self.reason}"
        )


class FileProblems(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]))


def _rows(text: str, name: str, kind: str, columns: tuple[str, ...], problems: list[Problem]):
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(
        io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ","
    )
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not header:
        problems.append(Problem(name, 1, "", "no header row"))
        return []
    reader.fieldnames = header
    for column in REQUIRED[kind]:
        if column not in header:
            problems.append(Problem(name, 1, column, "required column missing"))
    for column in header:
        if column not in columns:
            problems.append(Problem(name, 1, column, f"unknown column (expected: {', '.join(columns)})"))
    if problems:
        return []
    rows = []
    try:
        for row in reader:
            values = {k: (v or "").strip() for k, v in row.items() if k}
            if any(values.values()):
                rows.append((reader.line_num, values))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, "", f"not CSV: {exc}"))
    return rows


def _required(values: dict, column: str, name: str, line: int, problems: list[Problem]) -> str:
    value = values.get(column, "")
    if not value:
        problems.append(Problem(name, line, column, "required"))
    return value


def _sex(values: dict, name: str, line: int, problems: list[Problem]) -> str:
    sex = values.get("sex", "").upper()
    if sex not in ("", "M", "F", "X", "U"):
        problems.append(Problem(name, line, "sex", f"not M, F or X: {sex!r}"))
    return "" if sex == "U" else sex


def _document(values: dict) -> list[tuple[str, str]]:
    number = values.get("document_number", "")
    return [(number, values.get("document_country", ""))] if number else []


def read_watchlist(text: str, name: str = "watchlist") -> list[Entry]:
    problems: list[Problem] = []
    entries = []
    for line, values in _rows(text, name, "watchlist", WATCHLIST_COLUMNS, problems):
        names = [n.strip() for n in _required(values, "names", name, line, problems).split("|") if n.strip()]
        dob = values.get("date_of_birth", "")
        try:
            _dob(dob)
        except ValueError as exc:
            problems.append(Problem(name, line, "date_of_birth", str(exc)))
        entries.append(
            Entry(
                id=_required(values, "id", name, line, problems),
                names=names,
                date_of_birth=dob,
                nationality=values.get("nationality", "").upper(),
                sex=_sex(values, name, line, problems),
                documents=_document(values),
            )
        )
    if problems:
        raise FileProblems(problems)
    return entries


def read_passengers(text: str, name: str = "passengers") -> list[Person]:
    problems: list[Problem] = []
    people = []
    for line, values in _rows(text, name, "passengers", PASSENGER_COLUMNS, problems):
        raw = values.get("date_of_birth", "")
        born = None
        if raw:
            try:
                born = date.fromisoformat(raw)
            except ValueError:
                problems.append(Problem(name, line, "date_of_birth", f"not a date YYYY-MM-DD: {raw!r}"))
        people.append(
            Person(
                id=_required(values, "id", name, line, problems),
                surname=_required(values, "surname", name, line, problems),
                given_names=values.get("given_names", ""),
                date_of_birth=born,
                nationality=values.get("nationality", "").upper(),
                sex=_sex(values, name, line, problems),
                documents=_document(values),
            )
        )
    if problems:
        raise FileProblems(problems)
    return people
