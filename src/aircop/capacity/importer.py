"""Importing an activity's participant list from a CSV file (docs/capacity.md, "Participant
lists"). One row is one person: an existing participant by number (``participant``), or
family_name, given_names, sex, unit, agency and job_title.

All or nothing, as the seizure import: every row is checked first, with the same rules as
one participant added by hand (services_people), inside one transaction that locks the
activity; when any row is bad nothing is written and the report names every problem by line
and column. The same person twice in the file, or a person who already attends, is a
problem. A good file adds every row at once, with one audit entry naming the file and its
SHA-256 (no names)."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.capacity import validation as v
from aircop.capacity.models import Activity, Attendance, Participant
from aircop.capacity.services import clash_message, clashes
from aircop.capacity.services_people import clean_person, refuse_unless_organiser
from aircop.core.errors import RowProblem
from aircop.core.visibility import visible_to

PERSON_COLUMNS = ("family_name", "sex", "unit", "agency")
COLUMNS = ("participant", "family_name", "given_names", "sex", "unit", "agency", "job_title")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000


class ImportFileError(Exception):
    """The file itself cannot be read (not UTF-8, not CSV, too large): one line, no report."""


@dataclass
class ImportReport:
    name: str
    sha256: str
    rows: int = 0
    created: int = 0  # attendances added
    new_participants: int = 0  # participant records created among them
    dry_run: bool = False
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    line: int
    column: str  # where a problem about the person as a whole goes
    person: Participant | None = None  # an existing record
    new: dict | None = None  # the fields of a record to create
    key: tuple = ()


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("the file is larger than %(n)d MB") % {"n": MAX_BYTES // (1024 * 1024)})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _('not UTF-8 text (byte 0x%(byte)02x at position %(pos)d): save the file as "CSV UTF-8"')
            % {"byte": data[exc.start], "pos": exc.start}
        ) from None
    if "\x00" in text:  # no text has one, and PostgreSQL refuses it in a text column
        raise ImportFileError(
            _("line %(line)d: a NUL character (byte 0x00): not a text file")
            % {"line": text.count("\n", 0, text.index("\x00")) + 1}
        )
    return text


def _read(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            report.problems.append(RowProblem(1, "", _("no header row (the first line names the columns)")))
            return []
        names = [h.strip().lower() for h in header]
        for name in names:
            if name not in COLUMNS:
                report.problems.append(
                    RowProblem(
                        1,
                        name or "(empty)",
                        _("unknown column (expected: %(c)s)") % {"c": ", ".join(COLUMNS)},
                    )
                )
        for name in sorted({n for n in names if names.count(n) > 1 and n in COLUMNS}):
            report.problems.append(RowProblem(1, name, _("this column appears twice")))
        if "participant" not in names:
            for name in PERSON_COLUMNS:
                if name not in names:
                    report.problems.append(RowProblem(1, name, _("missing column")))
        if report.problems:
            return []
        rows, previous_end = [], reader.line_num
        for values in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(x.strip() for x in values):
                continue
            if len(values) > len(names) and any(x.strip() for x in values[len(names) :]):
                report.problems.append(
                    RowProblem(
                        line,
                        "",
                        _("%(n)d values but the header names %(m)d columns")
                        % {"n": len(values), "m": len(names)},
                    )
                )
                continue
            rows.append((line, {k: (x or "").strip() for k, x in zip(names, values, strict=False)}))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(_("more than %(n)d rows: split the file") % {"n": MAX_ROWS})
    except csv.Error as exc:
        raise ImportFileError(
            _("line %(line)d: not CSV: %(error)s") % {"line": reader.line_num, "error": exc}
        ) from None
    if not rows and not report.problems:
        report.problems.append(RowProblem(1, "", _("the file has a header but no rows")))
    return rows


class _Units:
    """v.unit once per code: a file names the same few units on every row."""

    def __init__(self):
        self.seen: dict[str, tuple] = {}

    def clean(self, p: v.Problems, value):
        code = (value or "").strip().lower()
        if code not in self.seen:
            own = v.Problems()
            self.seen[code] = (v.unit(own, value, "unit"), list(own))
        unit, problems = self.seen[code]
        p.extend(problems)
        return unit


def _check_rows(actor, rows, report: ImportReport) -> list[_Row]:
    units = _Units()
    visible = Participant.objects.all() if actor is None else visible_to(Participant, actor)
    wanted_ids, checked = {}, []
    for line, raw in rows:
        p = v.Problems()
        number = raw.get("participant", "")
        if number:
            # ASCII digits that fit the database's 64-bit ids (18 digits do): int() also takes
            # "-5", "١" or a number that overflows the column.
            if number.isascii() and number.isdigit() and len(number) <= 18:
                wanted_ids[line] = int(number)
            else:
                p.add("participant", _("not a participant number: %(value)r") % {"value": number})
            checked.append((line, p, None))
            continue
        c = clean_person(p, raw, units=units)
        checked.append((line, p, c))
    found = visible.in_bulk(set(wanted_ids.values()))
    keys = {
        (c["unit"].pk, v.name_key(c["family_name"], c["given_names"])) for _l, p, c in checked if c and not p
    }
    existing: dict[tuple, list[Participant]] = {}
    if keys:
        candidates = Participant.objects.filter(
            unit_id__in={u for u, _k in keys}, name_key__in={k for _u, k in keys}
        ).order_by("id")
        for person in candidates:
            existing.setdefault((person.unit_id, person.name_key), []).append(person)
    out: list[_Row] = []
    for line, p, c in checked:
        if c is None:
            if line in wanted_ids and wanted_ids[line] not in found:
                p.add("participant", _("no participant %(id)s that you may see") % {"id": wanted_ids[line]})
            row = _Row(line, "participant", person=found.get(wanted_ids.get(line)))
        else:
            row = _Row(line, "family_name")
            if not p:
                key = (c["unit"].pk, v.name_key(c["family_name"], c["given_names"]))
                same = existing.get(key, [])
                if len(same) > 1:
                    p.add(
                        "family_name", _("several participants of this unit have this name: use their number")
                    )
                elif same:
                    row.person = same[0]
                    for name in ("sex", "agency"):
                        if getattr(same[0], name) != c[name]:
                            p.add(
                                name,
                                _(
                                    "participant %(id)s of this unit, with this name, is recorded with %(value)s"
                                )
                                % {"id": same[0].pk, "value": getattr(same[0], name)},
                            )
                else:
                    row.new, row.key = c, ("new", *key)
        if row.person is not None:
            row.key = ("id", row.person.pk)
        report.problems.extend(RowProblem(line, x.field, x.message) for x in p)
        if not p:
            out.append(row)
    return out


def _check_against_activity(activity: Activity, rows: list[_Row], report: ImportReport) -> None:
    first_line: dict[tuple, int] = {}
    for row in rows:
        if row.key in first_line:
            report.problems.append(
                RowProblem(
                    row.line, row.column, _("the same person as on line %(n)d") % {"n": first_line[row.key]}
                )
            )
        else:
            first_line[row.key] = row.line
    existing = [r for r in rows if r.person is not None]
    attending = set(
        Attendance.objects.filter(
            activity=activity, participant_id__in=[r.person.pk for r in existing]
        ).values_list("participant_id", flat=True)
    )
    found = clashes(
        kind=activity.kind,
        start=activity.start_date,
        end=activity.end_date,
        city=activity.city,
        country_id=activity.country_id,
        exclude_activity=activity,
        participants=[r.person.pk for r in existing],
    )
    for row in existing:
        if row.person.pk in attending:
            report.problems.append(RowProblem(row.line, row.column, _("already attends this activity")))
        elif ("participant", row.person.pk) in found:
            report.problems.append(
                RowProblem(row.line, row.column, clash_message(found[("participant", row.person.pk)]))
            )


def import_participants(
    data: bytes, *, actor, activity: Activity, name: str = "", dry_run: bool = False
) -> ImportReport:
    """Import the participant list ``data`` (the file's bytes) into ``activity``. Returns the
    report; nothing is written when it has problems (or with ``dry_run``). Raises
    ServiceError (forbidden) for a user who may not change who attends, ImportFileError for
    a file that cannot be read at all."""
    report = ImportReport(name=name[:200], sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().select_related("organising_unit").get(pk=activity.pk)
        refuse_unless_organiser(actor, activity)
        rows = _read(_decode(data), report)
        report.rows = len(rows) + sum(1 for p in report.problems if p.line > 1)
        good = _check_rows(actor, rows, report)
        _check_against_activity(activity, good, report)
        if report.problems:
            report.problems.sort(
                key=lambda p: (p.line, COLUMNS.index(p.column) if p.column in COLUMNS else -1)
            )
            return report
        if dry_run:
            return report
        now = timezone.now()
        new = [
            Participant(
                **row.new,
                name_key=v.name_key(row.new["family_name"], row.new["given_names"]),
                created_by=actor,
                created_at=now,
            )
            for row in good
            if row.new is not None
        ]
        Participant.objects.bulk_create(new)
        people = iter(new)
        attendances = [
            Attendance(
                activity=activity,
                participant=row.person if row.person is not None else next(people),
                added_by=actor,
                added_at=now,
            )
            for row in good
        ]
        Attendance.objects.bulk_create(attendances)
        report.created, report.new_participants = len(attendances), len(new)
        record(
            actor,
            "activity.participants_imported",
            activity,
            data={
                "file": report.name,
                "sha256": report.sha256,
                "rows": report.rows,
                "added": report.created,
                "new_records": report.new_participants,
            },
        )
    return report
