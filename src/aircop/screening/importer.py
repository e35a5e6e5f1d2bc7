"""Importing watchlist entries from CSV or JSON (docs/screening.md, "Importing a list").

Every line is checked first; when any is wrong nothing is written and the report lists each
problem with its line (the entry's position in a JSON list) and field. A reference already in
the list is updated, a new one added; with ``replace`` the entries not in the file are removed
(a full refresh of a list from its source). One transaction, one audit entry, no names in it."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.passengers.parsers.model import to_alpha3
from aircop.screening.matcher.engine import _dob
from aircop.screening.models import ListKind, Watchlist, WatchlistEntry

COLUMNS = (
    "reference",
    "names",
    "date_of_birth",
    "nationality",
    "sex",
    "document_number",
    "document_country",
    "document_type",
    "reason",
)
BATCH = 5000


@dataclass
class Problem:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}" + (f", {self.field}" if self.field else "") + f": {self.reason}"


@dataclass
class ImportReport:
    name: str
    sha256: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportFileError(ValueError):
    """The file cannot be read at all."""


def _records(data: bytes, fmt: str, report: ImportReport) -> list[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("the file is not UTF-8 text")) from None
    if "\x00" in text:  # no text has one, and PostgreSQL refuses it in a text column
        raise ImportFileError(
            _("line %(line)d: a NUL character (byte 0x00): not a text file")
            % {"line": text.count("\n", 0, text.index("\x00")) + 1}
        )
    if fmt == "json":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                _("not JSON: %(error)s (line %(line)d, column %(column)d)")
                % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
            ) from None
        except RecursionError:
            raise ImportFileError(
                _("not JSON that can be read: lists or objects nested too deeply")
            ) from None
        except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
            limit = sys.get_int_max_str_digits()
            found = re.search(rf"\d{{{limit + 1},}}", text)
            at = found.start() if found else 0
            line = text.count("\n", 0, at) + 1
            raise ImportFileError(
                _(
                    "not JSON that can be read: a number of more than %(n)d digits (line %(line)d, column %(column)d)"
                )
                % {"n": limit, "line": line, "column": at - text.rfind("\n", 0, at)}
            ) from None
        items = loaded.get("entries") if isinstance(loaded, dict) else loaded
        if not isinstance(items, list):
            raise ImportFileError(_('JSON: expected a list of entries, or {"entries": [...]}'))
        out = []
        for n, item in enumerate(items, 1):
            if not isinstance(item, dict):
                report.problems.append(Problem(n, "", _("not an object")))
                continue
            values = {k: item.get(k) for k in COLUMNS}
            if isinstance(values["names"], list):
                values["names"] = "|".join(str(x) for x in values["names"])
            values = {k: "" if v is None else str(v).strip() for k, v in values.items()}
            for k, v in values.items():  # \u0000 and \ud800-\udfff escapes: JSON, but not text
                if any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in v):
                    report.problems.append(
                        Problem(
                            n, k, _("holds a \\u0000 or lone surrogate (\\ud800-\\udfff) escape: not text")
                        )
                    )
            out.append((n, values))
        return out
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(
        io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ","
    )
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as exc:  # e.g. a header field longer than the csv module accepts
        raise ImportFileError(_("line %(line)d: not CSV: %(error)s") % {"line": 1, "error": exc}) from None
    if not header:
        raise ImportFileError(_("no header row (the first line names the columns)"))
    reader.fieldnames = header
    unknown = [h for h in header if h not in COLUMNS]
    for column in unknown:
        report.problems.append(
            Problem(1, column, _("unknown column (expected: %(columns)s)") % {"columns": ", ".join(COLUMNS)})
        )
    if "reference" not in header:
        report.problems.append(Problem(1, "reference", _("required column missing")))
    if report.problems:
        return []
    out = []
    try:
        for row in reader:
            values = {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
            if any(values.values()):
                out.append((reader.line_num, values))
    except csv.Error as exc:
        raise ImportFileError(
            _("line %(line)d: not CSV: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from None
    return out


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def clean_entry(values: dict, kind: str, *, line: int = 0) -> tuple[dict | None, list[Problem]]:
    """Check one entry by the rules of a file's line, and give it as stored.

    ``values``: ``reference``, ``names`` (a list, or aliases separated by ``|``),
    ``date_of_birth``, ``nationality``, ``sex``, ``reason``, and the travel documents either as a
    file's columns (``document_number``, ``document_country``, ``document_type``: one document)
    or as ``documents``, a list of ``{"number", "country", "type"}`` (problems then name
    ``documents[0].country`` and the like). Returns ``(entry, [])``, or ``(None, problems)``
    with every problem found, each naming its field. Used by the import of files and by the
    services that add or change one entry (services.add_entry, update_entry)."""
    problems: list[Problem] = []

    def problem(field_name: str, reason: str) -> None:
        problems.append(Problem(line, field_name, reason))

    reference = _text(values.get("reference"))
    if not reference:
        problem("reference", _("required"))
    elif len(reference) > 80:
        problem("reference", _("longer than 80 characters"))
    raw_names = values.get("names")
    if isinstance(raw_names, list | tuple):
        raw_names = "|".join(_text(n) for n in raw_names)
    names = [n.strip() for n in _text(raw_names).split("|") if n.strip()]
    in_columns = "documents" not in values
    if in_columns:
        number = _text(values.get("document_number"))
        rows = [(0, number, _text(values.get("document_country")), _text(values.get("document_type")))]
    else:
        raw_documents = values.get("documents") or []
        if not isinstance(raw_documents, list | tuple):
            problem("documents", _("a list of documents (number, country, type)"))
            raw_documents = []
        rows = []
        for n, doc in enumerate(raw_documents):
            if not isinstance(doc, dict):
                problem(f"documents[{n}]", _("not an object"))
                continue
            rows.append((n, _text(doc.get("number")), _text(doc.get("country")), _text(doc.get("type"))))
    if kind != ListKind.DOCUMENTS and not names:
        problem("names", _("required (at least one name)"))
    if kind == ListKind.DOCUMENTS and not any(row[1] for row in rows):
        problem(
            "document_number" if in_columns else "documents",
            _("required in a list of travel documents"),
        )
    dob = _text(values.get("date_of_birth"))
    try:
        _dob(dob)
    except ValueError as exc:
        problem("date_of_birth", str(exc))
    nationality = _text(values.get("nationality"))
    if nationality and to_alpha3(nationality) is None:
        problem(
            "nationality",
            _("unknown country %(code)r (ISO 3166 alpha-2 or alpha-3)") % {"code": nationality},
        )
    sex = _text(values.get("sex")).upper()
    if sex not in ("", "M", "F", "X"):
        problem("sex", _("not M, F or X: %(value)r") % {"value": sex})
    documents = []
    for n, number, country, doc_type in rows:
        if not in_columns and not (number or country or doc_type):
            continue  # an empty row of a form
        where = "document_%s" if in_columns else f"documents[{n}].%s"
        if not in_columns and not number:
            problem(where % "number", _("required"))
        if number and not country:
            problem(where % "country", _("required with a document number"))
        elif country and to_alpha3(country) is None:
            problem(where % "country", _("unknown country %(code)r") % {"code": country})
        if number:
            documents.append(
                {"number": number.upper(), "country": to_alpha3(country), "type": doc_type.upper()}
            )
    if problems:
        return None, problems
    return {
        "reference": reference,
        "names": names,
        "date_of_birth": dob,
        "nationality": to_alpha3(nationality) or "",
        "sex": sex,
        "documents": documents,
        "reason": _text(values.get("reason")),
    }, []


def _clean(line: int, v: dict, kind: str, problems: list[Problem]) -> dict | None:
    entry, found = clean_entry(v, kind, line=line)
    problems.extend(found)
    return entry


def import_entries(
    *, actor, watchlist: Watchlist, data: bytes, name: str = "", fmt: str = "csv", replace: bool = False
) -> ImportReport:
    report = ImportReport(name=name, sha256=hashlib.sha256(data).hexdigest())
    records = _records(data, fmt, report)
    report.rows = len(records)
    clean: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    for line, values in records:
        entry = _clean(line, values, watchlist.kind, report.problems)
        if entry is None:
            continue
        if entry["reference"] in clean:
            report.problems.append(
                Problem(
                    line,
                    "reference",
                    _("%(reference)r already on line %(line)d")
                    % {"reference": entry["reference"], "line": first_line[entry["reference"]]},
                )
            )
            continue
        clean[entry["reference"]] = entry
        first_line[entry["reference"]] = line
    if not records and not report.problems:
        report.problems.append(Problem(1, "", _("the file has no entries")))
    if report.problems:
        return report
    _write(actor, watchlist, clean, report, replace=replace)
    return report


def _insert(watchlist: Watchlist, rows: list[dict], now) -> None:
    """New entries by ``COPY`` on PostgreSQL, ``executemany`` in batches on SQLite, values
    prepared by each field as Django would (a million model instances would cost memory and
    time for nothing)."""
    fields = [f for f in WatchlistEntry._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(WatchlistEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    fixed = {"watchlist_id": watchlist.pk, "added_at": now, "updated_at": now}
    prepare = [(f.attname, f.get_db_prep_save) for f in fields]

    def prepared(chunk):
        for row in chunk:
            values = {**fixed, **row}
            yield [prep(values[name], connection) for name, prep in prepare]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: several times faster than INSERTs
            copy_sql = f"COPY {table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for values in prepared(rows):
                    copy.write_row(values)
            return
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, list(prepared(rows[start : start + BATCH])))


@transaction.atomic
def _write(
    actor, watchlist: Watchlist, clean: dict[str, dict], report: ImportReport, *, replace: bool
) -> None:
    now = timezone.now()
    existing = dict(WatchlistEntry.objects.filter(watchlist=watchlist).values_list("reference", "pk"))
    new, changed = [], []
    for reference, fields in clean.items():
        pk = existing.get(reference)
        if pk is None:
            new.append(fields)
        else:
            changed.append(WatchlistEntry(pk=pk, watchlist=watchlist, updated_at=now, **fields))
    _insert(watchlist, new, now)
    if changed:
        WatchlistEntry.objects.bulk_update(
            changed,
            ["names", "date_of_birth", "nationality", "sex", "documents", "reason", "updated_at"],
            batch_size=BATCH,
        )
    if replace:
        gone = [pk for reference, pk in existing.items() if reference not in clean]
        for start in range(0, len(gone), BATCH):
            WatchlistEntry.objects.filter(pk__in=gone[start : start + BATCH]).delete()
        report.removed = len(gone)
    report.created, report.updated = len(new), len(changed)
    watchlist.touch(now)
    record(
        actor,
        "watchlist.imported",
        watchlist,
        data={
            "file": report.name,
            "sha256": report.sha256,
            "created": report.created,
            "updated": report.updated,
            "removed": report.removed,
        },
    )
