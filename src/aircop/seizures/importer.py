"""Importing seizures from a CSV file (docs/seizures-csv.md): one row is one seizure with
one item and at most one offender.

All or nothing: every row is checked first (validation.clean with one shared References
cache, the recording unit, the triggering alert); a single bad row means nothing is written
and the report names every problem by line and column. A good file is written in one
transaction with bulk inserts, and one audit entry names the file and its SHA-256."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.core.errors import RowProblem, ServiceError
from aircop.core.visibility import visible_to
from aircop.messaging.models import Alert
from aircop.network import reference as network_reference
from aircop.network.models import Airport
from aircop.network.services import ensure_airport
from aircop.seizures import codes, figures, services, validation
from aircop.seizures.models import Seizure, SeizureItem, SeizurePerson, item_copies

# The columns every file must have (values may be empty where the field is optional).
REQUIRED_COLUMNS = (
    "date",
    "airport",
    "flow",
    "phase",
    "direction",
    "flight",
    "origin",
    "transit",
    "destination",
    "category",
    "subtype",
    "quantity",
    "unit",
    "concealment",
    "detection",
    "offender_nationality",
    "offender_sex",
    "offender_age",
)
OPTIONAL_COLUMNS = (
    "reference",
    "time",
    "recording_unit",
    "reporting_agency",
    "tlp",
    "goods_origin_country",
    "triggering_alert",
    "drug_form",
    "currency",
    "estimated_value",
    "value_currency",
    "description",
    "offender_role",
    "offender_surname",
    "offender_given_names",
    "offender_date_of_birth",
    "offender_document_type",
    "offender_document_number",
    "offender_document_country",
    "notes",
)
# The order of an export (exporter.py): an export re-imports.
COLUMNS = (
    "reference",
    "date",
    "time",
    "airport",
    "recording_unit",
    "reporting_agency",
    "flow",
    "phase",
    "direction",
    "flight",
    "origin",
    "transit",
    "destination",
    "goods_origin_country",
    "concealment",
    "detection",
    "triggering_alert",
    "tlp",
    "category",
    "subtype",
    "drug_form",
    "quantity",
    "unit",
    "currency",
    "estimated_value",
    "value_currency",
    "description",
    "offender_role",
    "offender_nationality",
    "offender_sex",
    "offender_age",
    "offender_surname",
    "offender_given_names",
    "offender_date_of_birth",
    "offender_document_type",
    "offender_document_number",
    "offender_document_country",
    "notes",
)
KNOWN_COLUMNS = frozenset(COLUMNS)  # = REQUIRED_COLUMNS + OPTIONAL_COLUMNS (tests check it)

ITEM_COLUMNS = (
    "category",
    "subtype",
    "drug_form",
    "quantity",
    "unit",
    "currency",
    "estimated_value",
    "value_currency",
    "description",
)
NOMINAL_COLUMNS = {f"offender_{name}": name for name in validation.NOMINAL_FIELDS}
PERSON_COLUMNS = ("offender_role", "offender_nationality", "offender_sex", "offender_age", *NOMINAL_COLUMNS)
# Seizure-level validation fields whose CSV column has another name.
FIELD_COLUMN = {"occurred_at": "date", "unit": "recording_unit", "alerts": "triggering_alert"}
PERSON_FIELD_COLUMN = {
    "role": "offender_role",
    "nationality": "offender_nationality",
    "sex": "offender_sex",
    "age": "offender_age",
    "age_band": "offender_age",
}
# The external reference is kept as the first line of the notes: "reference: <id>".
REFERENCE_PREFIX = "reference: "
REFERENCE_LIMIT = 100
WRITE_BATCH = 1000
PROGRESS_EVERY = 500
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")
_ITEM_FIELD = re.compile(r"^items\[\d+\]\.(\w+)")
_PERSON_FIELD = re.compile(r"^persons\[\d+\]\.(\w+)(?:\.(\w+))?")
_INDEXED = re.compile(r"^(\w+)\[\d+\]$")

Progress = Callable[[str, int, int], None]  # (stage "validated" or "written", done, total)


class ImportFileError(Exception):
    """The file itself cannot be read (missing, not UTF-8): one line, no report."""


@dataclass
class ImportReport:
    name: str
    sha256: str
    rows: int = 0
    created: int = 0
    dry_run: bool = False
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    line: int
    clean: validation.Clean
    unit_id: int | None = None


def column_of(field_path: str) -> str:
    """The CSV column of a validation field path (items[0].quantity -> quantity)."""
    match = _ITEM_FIELD.match(field_path)
    if match:
        return match.group(1)
    if field_path == "items":
        return "category"
    match = _PERSON_FIELD.match(field_path)
    if match:
        if match.group(1) == "nominal" and match.group(2):
            return f"offender_{match.group(2)}"
        return PERSON_FIELD_COLUMN.get(match.group(1), "offender_role")
    if field_path == "persons":
        return "offender_role"
    match = _INDEXED.match(field_path)
    if match:
        field_path = match.group(1)
    return FIELD_COLUMN.get(field_path, field_path)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "not UTF-8 text (byte 0x%(byte)02x at position %(pos)d): save the file as "
                '"CSV UTF-8" and try again'
            )
            % {"byte": data[exc.start], "pos": exc.start}
        ) from None
    if "\x00" in text:  # no text has one, and PostgreSQL refuses it in a text column
        raise ImportFileError(
            _("line %(line)d: a NUL character (byte 0x00): not a text file")
            % {"line": text.count("\n", 0, text.index("\x00")) + 1}
        )
    return text


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _blank(values: list[str]) -> bool:
    return not any(v.strip() for v in values)


def _is_date(text: str) -> bool:
    try:
        return parse_date(text) is not None
    except ValueError:
        return False


def _row_to_raw(row: dict[str, str], default_unit: str | None, line: int, problems: list[RowProblem]) -> dict:
    """The input dict of validation.clean for one row (docs/seizures-csv.md)."""

    def get(name: str) -> str:
        return (row.get(name) or "").strip()

    occurred = get("date")
    time = get("time")
    if time:
        if not _TIME.match(time):
            problems.append(
                RowProblem(line, "time", _("not a time: %(value)r (use 08:30)") % {"value": time})
            )
        elif "T" in occurred or " " in occurred:
            problems.append(
                RowProblem(line, "time", _("the date already has a time: leave one of them empty"))
            )
        elif _is_date(occurred):  # else validation names the date alone
            occurred = f"{occurred}T{time}"
    notes = get("notes")
    ref = get("reference")
    if ref:
        if len(ref) > REFERENCE_LIMIT or "\n" in ref or "\r" in ref:
            problems.append(
                RowProblem(
                    line,
                    "reference",
                    _("at most %(n)d characters on one line") % {"n": REFERENCE_LIMIT},
                )
            )
        else:
            notes = f"{REFERENCE_PREFIX}{ref}\n{notes}" if notes else f"{REFERENCE_PREFIX}{ref}"
    raw = {
        "occurred_at": occurred,
        "airport": get("airport"),
        "unit": get("recording_unit") or default_unit,
        "reporting_agency": get("reporting_agency"),
        "flow": get("flow"),
        "phase": get("phase"),
        "direction": get("direction"),
        "flight": get("flight"),
        "origin": get("origin"),
        "transit": get("transit"),
        "destination": get("destination"),
        "goods_origin_country": get("goods_origin_country"),
        "concealment": get("concealment"),
        "detection": get("detection"),
        "triggering_alert": get("triggering_alert"),
        "tlp": get("tlp"),
        "notes": notes,
        "items": [],
        "persons": [],
    }
    if any(get(c) for c in ITEM_COLUMNS):
        raw["items"].append({c: get(c) for c in ITEM_COLUMNS})
    if any(get(c) for c in PERSON_COLUMNS):
        age = get("offender_age")
        person = {
            "role": get("offender_role") or codes.PersonRole.COURIER,
            "nationality": get("offender_nationality"),
            "sex": get("offender_sex"),
        }
        if age in codes.AgeBand.values:
            person["age_band"] = age
        else:
            person["age"] = age
        nominal = {key: get(col) for col, key in NOMINAL_COLUMNS.items() if get(col)}
        if nominal:
            person["nominal"] = nominal
        raw["persons"].append(person)
    return raw


def _read_rows(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]] | None:
    """(line, row) for every well-formed non-blank row, the problems of the others in the
    report; None when the header itself is bad (or the file is not CSV)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
        if header is None or _blank(header):
            report.problems.append(RowProblem(1, "", _("no header row (the first line names the columns)")))
            return None
        names = [h.strip().lower() for h in header]
        unknown = [n for n in names if n not in KNOWN_COLUMNS]
        for name in unknown:
            report.problems.append(
                RowProblem(
                    1,
                    name or "(empty)",
                    _("unknown column (see docs/seizures-csv.md for the columns)"),
                )
            )
        seen = set()
        for name in names:
            if name in seen and name in KNOWN_COLUMNS:
                report.problems.append(RowProblem(1, name, _("this column appears twice")))
            seen.add(name)
        for name in REQUIRED_COLUMNS:
            if name not in seen:
                report.problems.append(RowProblem(1, name, _("missing column")))
        if report.problems:
            return None
        rows = []
        previous_end = reader.line_num
        for values in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if _blank(values):
                continue
            if len(values) > len(names) and not _blank(values[len(names) :]):
                report.problems.append(
                    RowProblem(
                        line,
                        "",
                        _("%(n)d values but the header names %(m)d columns")
                        % {"n": len(values), "m": len(names)},
                    )
                )
                continue
            rows.append((line, dict(zip(names, values, strict=False))))
    except csv.Error as exc:
        report.problems.append(RowProblem(reader.line_num, "", _("not readable as CSV: %(e)s") % {"e": exc}))
        return None
    if not rows and not report.problems:
        report.problems.append(RowProblem(1, "", _("the file has a header but no rows")))
        return None
    return rows


def _transient_airport(code: str) -> Airport | None:
    """An unsaved airport for placing a row whose airport is not in our table yet; its id
    (-1) matches no unit, so only the country decides."""
    data = network_reference.airport_record(code)
    if data is None:
        return None
    return Airport(id=-1, iata=code, name=data["name"], country_id=data["country"].upper(), tz=data["tz"])


def import_csv(
    source: bytes | str | Path,
    *,
    actor=None,
    name: str = "",
    unit: str | None = None,
    dry_run: bool = False,
    submit: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the CSV file ``source`` (a path, or the file's bytes).

    ``actor`` is the user importing (None: an operator's command, which may name any unit);
    ``unit`` the recording unit of rows that name none. Records are submitted unless
    ``submit`` is false (drafts). Returns the report; nothing is written when it has problems."""
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        name = name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFileError(f"{path}: {exc.strerror or exc}") from None
    report = ImportReport(name=name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    rows = _read_rows(_decode(data), report)
    if rows is None:
        return report
    total = len(rows)
    report.rows = total + len(report.problems)  # rows of the wrong shape count too

    refs = validation.References()
    good: list[_Row] = []
    for done, (line, row) in enumerate(rows, 1):
        row_problems: list[RowProblem] = []
        raw = _row_to_raw(row, unit, line, row_problems)
        clean, problems = validation.clean(raw, refs)
        row_problems.extend(RowProblem(line, column_of(p.field), p.message) for p in problems)
        if row_problems:
            report.problems.extend(row_problems)
        else:
            good.append(_Row(line, clean))
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress("validated", done, total)

    airports = _place(actor, good, report)
    _check_alerts(actor, good, report)
    if report.problems:
        report.problems.sort(key=lambda p: p.line)
        return report
    if dry_run:
        return report
    report.created = _write(actor, good, airports, report, submit=submit, progress=progress)
    return report


def _place(actor, rows: list[_Row], report: ImportReport) -> dict[str, Airport]:
    """The recording unit of every row, one look-up per (unit, airport) pair."""
    needed = {c for r in rows for c in (r.clean.airport, r.clean.origin, r.clean.destination) if c}
    needed |= {c for r in rows for c in r.clean.transit}
    airports = {a.iata: a for a in Airport.objects.select_related("country").filter(iata__in=needed)}
    placed: dict[tuple[str | None, str], int | ServiceError] = {}
    for row in rows:
        key = (row.clean.unit, row.clean.airport)
        if key not in placed:
            airport = airports.get(row.clean.airport) or _transient_airport(row.clean.airport)
            try:
                placed[key] = services.place(actor, row.clean.unit, airport).pk
            except ServiceError as exc:
                placed[key] = exc
        outcome = placed[key]
        if isinstance(outcome, ServiceError):
            column = "recording_unit" if outcome.field == "unit" else "airport"
            report.problems.append(RowProblem(row.line, column, outcome.message))
        else:
            row.unit_id = outcome
    return airports


def _check_alerts(actor, rows: list[_Row], report: ImportReport) -> None:
    wanted = {r.clean.triggering_alert for r in rows if r.clean.triggering_alert}
    if not wanted:
        return
    qs = Alert.objects.all() if actor is None else visible_to(Alert, actor)
    found: set[int] = set()
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):
        found.update(qs.filter(pk__in=ids[start : start + 500]).values_list("pk", flat=True))
    for row in rows:
        alert_id = row.clean.triggering_alert
        if alert_id and alert_id not in found:
            report.problems.append(
                RowProblem(
                    row.line, "triggering_alert", _("no alert %(id)s that you may see") % {"id": alert_id}
                )
            )


def _write(
    actor,
    rows: list[_Row],
    airports: dict[str, Airport],
    report: ImportReport,
    *,
    submit: bool,
    progress: Progress | None,
) -> int:
    total = len(rows)
    status = codes.Status.SUBMITTED if submit else codes.Status.DRAFT
    through = Seizure.alerts.through
    cells = set()
    with transaction.atomic():
        needed = {c for r in rows for c in (r.clean.airport, r.clean.origin, r.clean.destination) if c}
        needed |= {c for r in rows for c in r.clean.transit}
        for code in sorted(needed - set(airports)):
            airports[code] = ensure_airport(actor=actor, iata=code)
        now = timezone.now()
        for start in range(0, total, WRITE_BATCH):
            batch = rows[start : start + WRITE_BATCH]
            seizures = []
            for row in batch:
                c = row.clean
                airport = airports[c.airport]
                seizures.append(
                    Seizure(
                        occurred_at=c.occurred_at,
                        airport_id=airport.pk,
                        unit_id=row.unit_id,
                        country_id=airport.country_id,
                        region_id=airport.country.region_id,
                        reporting_agency=c.reporting_agency,
                        flow=c.flow,
                        phase=c.phase,
                        direction=c.direction,
                        flight=c.flight,
                        origin_id=airports[c.origin].pk if c.origin else None,
                        transit=c.transit,
                        destination_id=airports[c.destination].pk if c.destination else None,
                        route_key=c.route_key,
                        goods_origin_country_id=c.goods_origin_country,
                        concealment=c.concealment,
                        detection=c.detection,
                        triggering_alert_id=c.triggering_alert,
                        tlp=c.tlp,
                        status=status,
                        notes=c.notes,
                        created_by=actor,
                        created_at=now,
                        updated_at=now,
                        submitted_at=now if submit else None,
                    )
                )
            Seizure.objects.bulk_create(seizures)
            cells |= figures.cells_of(seizures)
            items, persons, links = [], [], []
            for seizure, row in zip(seizures, batch, strict=True):
                for position, item in enumerate(row.clean.items):
                    items.append(
                        SeizureItem(
                            seizure_id=seizure.pk,
                            position=position,
                            **item_copies(seizure),
                            **item,
                        )
                    )
                for position, p in enumerate(row.clean.persons):
                    persons.append(
                        SeizurePerson(
                            seizure_id=seizure.pk,
                            position=position,
                            role=p["role"],
                            nationality_id=p["nationality"],
                            sex=p["sex"],
                            age_band=p["age_band"],
                            nominal=p["nominal"],
                        )
                    )
                if row.clean.triggering_alert:
                    links.append(through(seizure_id=seizure.pk, alert_id=row.clean.triggering_alert))
            SeizureItem.objects.bulk_create(items)
            SeizurePerson.objects.bulk_create(persons)
            if links:
                through.objects.bulk_create(links)
            if progress:
                progress("written", start + len(batch), total)
        record(
            actor,
            "seizures.imported",
            data={"file": report.name, "sha256": report.sha256, "rows": total, "status": status},
            object_type="seizures.seizure",
        )
        if status in codes.COUNTED_STATUSES:
            figures.refresh(cells)
    return total
