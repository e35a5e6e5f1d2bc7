"""/api/v1/capacity: activities and their participants (one by one or a CSV list)
(docs/capacity.md, "API"). The trainers, library and equipment routers are added below. Thin: parse,
call a service or selector, return a schema. A refused write answers 400 (403 for a refused
role or unit) naming each field; a record the user may not see answers 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aircop.audit.services import record
from aircop.capacity import importer, selectors, services, services_people
from aircop.capacity.api_common import REFUSED, choice, page, read_body, refused
from aircop.capacity.api_equipment import router as equipment_router
from aircop.capacity.api_library import router as library_router
from aircop.capacity.api_trainers import router as trainers_router
from aircop.capacity.codes import ActivityKind, Level, TopicCode
from aircop.core.api_schemas import DetailErrorOut, ErrorOut, Offset
from aircop.core.errors import ServiceError

router = Router(tags=["capacity"])


class ActivityIn(Schema):
    """Checked by the service, which lists every problem at once; types are loose here."""

    kind: Any = Field(None, description=", ".join(ActivityKind.values))
    level: Any = Field(None, description="national or regional")
    title: Any = None
    start_date: Any = Field(None, description="YYYY-MM-DD")
    end_date: Any = Field(None, description="YYYY-MM-DD, not before start_date")
    city: Any = None
    country: Any = Field(None, description="ISO 3166 alpha-2 or alpha-3")
    airport: Any = Field(None, description="IATA code, optional")
    organising_unit: Any = Field(None, description="unit code")
    host_unit: Any = Field(None, description="unit code; required for an exchange")
    beneficiary_units: Any = Field(None, description="unit codes; for an exchange the one visiting unit")
    topics: Any = Field(None, description=", ".join(TopicCode.values))
    trainers: Any = Field(None, description="trainer ids")
    language: Any = Field(None, description="en, fr, es, pt or ar")
    notes: Any = None


class TrainerSummaryOut(Schema):
    id: int
    name: str
    nationality: str = Field(description="ISO 3166 alpha-3")


class SexCountsOut(Schema):
    F: int
    M: int
    X: int
    total: int


class ActivitySummaryOut(Schema):
    id: int
    kind: str
    level: str
    title: str
    start_date: date
    end_date: date
    city: str
    country: str
    organising_unit: str
    participants: int


class ActivityOut(ActivitySummaryOut):
    airport: str | None
    host_unit: str | None
    beneficiary_units: list[str]
    topics: list[str]
    trainers: list[TrainerSummaryOut]
    language: str
    notes: str
    sex_counts: SexCountsOut
    created_at: datetime
    updated_at: datetime


class ParticipantIn(Schema):
    participant: Any = Field(None, description="number of an existing participant; or the fields below")
    family_name: Any = None
    given_names: Any = None
    sex: Any = Field(None, description="F, M or X")
    unit: Any = Field(None, description="unit code")
    agency: Any = Field(None, description="police, customs, immigration, ...")
    job_title: Any = None
    user: Any = Field(None, description="username of the participant's own account, optional")


class AttendanceOut(Schema):
    attendance: int
    participant: int | None = Field(description="null when the name is withheld")
    family_name: str | None
    given_names: str | None
    sex: str
    unit: str
    agency: str
    job_title: str | None


class CapacityLineProblemOut(Schema):
    line: int
    column: str
    message: str


class CapacityImportRefusedOut(Schema):
    detail: str
    rows: int
    problems: list[CapacityLineProblemOut]


class CapacityImportOut(Schema):
    file: str
    sha256: str
    rows: int
    added: int
    new_participants: int
    dry_run: bool


def _summary(a) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "level": a.level,
        "title": a.title,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "city": a.city,
        "country": a.country_id,
        "organising_unit": a.organising_unit.code,
        "participants": a.participant_count if hasattr(a, "participant_count") else a.attendances.count(),
    }


def _detail(user, activity_id: int) -> dict:
    a = selectors.activity(user, activity_id)
    counts = selectors.sex_counts(user, a)
    return {
        **_summary(a),
        "participants": counts["total"],
        "airport": a.airport.iata if a.airport_id else None,
        "host_unit": a.host_unit.code if a.host_unit_id else None,
        "beneficiary_units": sorted(u.code for u in a.beneficiary_units.all()),
        "topics": sorted(t.code for t in a.topics.all()),
        "trainers": [
            {"id": t.pk, "name": str(t), "nationality": t.nationality.iso3}
            for t in selectors.activity_trainers(user, a)
        ],
        "language": a.language,
        "notes": a.notes,
        "sex_counts": counts,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def _attendance_out(row) -> dict:
    p = row.participant
    return {
        "attendance": row.pk,
        "participant": p.pk if row.named else None,
        "family_name": p.family_name if row.named else None,
        "given_names": p.given_names if row.named else None,
        "sex": p.sex,
        "unit": p.unit.code,
        "agency": p.agency,
        "job_title": p.job_title if row.named else None,
    }


# ------------------------------------------------------------------ activities
@router.get(
    "/capacity/activities",
    response={200: list[ActivitySummaryOut], 400: DetailErrorOut},
    summary="Activities I may see, newest first",
)
def list_activities(
    request,
    kind: str | None = None,
    topic: str | None = None,
    level: str | None = None,
    year: Annotated[int | None, Query(ge=1, le=9999)] = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-2")] = None,
    unit: Annotated[str | None, Query(description="organising, host or beneficiary unit code")] = None,
    limit: int = 50,
    offset: Offset = 0,
):
    qs = selectors.activities(
        request.user,
        kind=choice("kind", kind, ActivityKind),
        topic=choice("topic", topic, TopicCode),
        level=choice("level", level, Level),
        year=year,
        country=country,
        unit=unit,
    )
    return [_summary(a) for a in page(qs, limit, offset)]


@router.post("/capacity/activities", response={201: ActivityOut, **REFUSED}, summary="Record an activity")
def create_activity(request, payload: ActivityIn):
    try:
        activity = services.create_activity(actor=request.user, data=payload.dict(exclude_unset=True))
    except ServiceError as exc:
        return refused(exc)
    return Status(201, _detail(request.user, activity.pk))


@router.get("/capacity/activities/{activity_id}", response=ActivityOut, summary="One activity")
def get_activity(request, activity_id: int):
    return _detail(request.user, activity_id)


@router.put(
    "/capacity/activities/{activity_id}",
    response={200: ActivityOut, **REFUSED},
    summary="Change an activity (the fields given; programme staff or the organising unit)",
)
def update_activity(request, activity_id: int, payload: ActivityIn):
    activity = selectors.activity(request.user, activity_id)
    try:
        services.update_activity(actor=request.user, activity=activity, data=payload.dict(exclude_unset=True))
    except ServiceError as exc:
        return refused(exc)
    return _detail(request.user, activity_id)


# ------------------------------------------------------------------ participants
@router.get(
    "/capacity/activities/{activity_id}/participants",
    response=list[AttendanceOut],
    summary="Who attended (names only where you may see them)",
)
def list_participants(request, activity_id: int):
    """Names are shown to programme staff, the organising unit and each participant's own
    unit; every read that shows names is audited."""
    activity = selectors.activity(request.user, activity_id)
    rows = selectors.attendances(request.user, activity)
    named = sum(1 for r in rows if r.named)
    if named:
        with transaction.atomic():
            record(request.user, "activity.participants_read", activity, data={"via": "api", "names": named})
    return [_attendance_out(r) for r in rows]


@router.post(
    "/capacity/activities/{activity_id}/participants",
    response={201: AttendanceOut, **REFUSED},
    summary="Add one participant (an existing record by number, or a new person)",
)
def add_participant(request, activity_id: int, payload: ParticipantIn):
    activity = selectors.activity(request.user, activity_id)
    try:
        row = services_people.add_participant(
            actor=request.user, activity=activity, data=payload.dict(exclude_unset=True)
        )
    except ServiceError as exc:
        return refused(exc)
    row.named = True
    return Status(201, _attendance_out(row))


@router.post(
    "/capacity/activities/{activity_id}/participants/import",
    # 422: a wrong line (nothing imported), or a parameter the framework refuses (ErrorOut).
    response={200: CapacityImportOut, 422: CapacityImportRefusedOut | ErrorOut, **REFUSED},
    summary="Import a participant list (CSV): all rows or none",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
                "text/csv": {"schema": {"type": "string"}},
            }
        }
    },
)
def import_participants(
    request,
    activity_id: int,
    file: File[UploadedFile] = None,
    dry_run: Annotated[bool, Query(description="only check the file")] = False,
):
    """The file as the ``file`` part of a multipart form, or the CSV as the body
    (``Content-Type: text/csv``). Columns: participant, family_name, given_names, sex, unit,
    agency, job_title (docs/capacity.md). When a row is wrong nothing is imported and the
    answer is 422 with every problem by line and column."""
    activity = selectors.activity(request.user, activity_id)
    too_big = _("the file is larger than %(n)d MB") % {"n": importer.MAX_BYTES // (1024 * 1024)}
    if file is not None:
        if file.size > importer.MAX_BYTES:
            raise HttpError(413, too_big)
        data, name = b"".join(file.chunks()), (file.name or "")[:200]
    else:
        data, name = read_body(request, importer.MAX_BYTES, too_big), ""
    if not data.strip():
        return refused(ServiceError(_("the file is empty"), field="file"))
    try:
        report = importer.import_participants(
            data, actor=request.user, activity=activity, name=name, dry_run=dry_run
        )
    except importer.ImportFileError as exc:
        return refused(ServiceError(str(exc), field="file"))
    except ServiceError as exc:
        return refused(exc)
    if not report.ok:
        return Status(
            422,
            {
                "detail": ngettext(
                    "%(n)d problem in the file; nothing imported",
                    "%(n)d problems in the file; nothing imported",
                    len(report.problems),
                )
                % {"n": len(report.problems)},
                "rows": report.rows,
                "problems": [
                    {"line": p.line, "column": p.column, "message": p.message} for p in report.problems
                ],
            },
        )
    return {
        "file": report.name,
        "sha256": report.sha256,
        "rows": report.rows,
        "added": report.created,
        "new_participants": report.new_participants,
        "dry_run": report.dry_run,
    }


router.add_router("", trainers_router)
router.add_router("", library_router)
router.add_router("", equipment_router)
