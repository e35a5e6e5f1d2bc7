"""/api/v1/operations: joint operations, their situation reports, missing reports and results
(docs/operations.md). Thin: parse, call a service or selector, return a schema. A refused
write answers 400 naming the field (403 for a refused role or unit); an operation the caller
may not see answers 404 for every verb."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from aircop.core.api_schemas import Day, DetailErrorOut
from aircop.core.errors import ServiceError
from aircop.operations import report, selectors, services

router = Router(tags=["operations"])


# ------------------------------------------------------------------ schemas
class OperationIn(Schema):
    name: str = Field(description="stable identifier: lower-case letters, digits and hyphens")
    title: str
    lead_organisation: str
    starts_at: datetime = Field(description="UTC when no offset is given")
    ends_at: datetime = Field(description="UTC when no offset is given; after starts_at")
    units: list[str] = Field(description="codes of the participating units")
    coordinator_unit: str = Field(
        description="unit code; one of your own units unless you are an administrator"
    )
    coordinators: list[str] = Field(
        [], description="user names, members of the coordinator or a participating unit"
    )
    commodities: list[str] = Field([], description="seizure register codes: categories or subtypes")
    routes: list[str] = Field([], description='airport chains such as "GRU-LIS", or free text')
    threats: list[str] = []
    tlp: str = Field("amber", description="clear, green, amber or amber_strict (never red)")
    description: str = ""


class OperationUpdateIn(Schema):
    title: str | None = None
    lead_organisation: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    units: list[str] | None = None
    coordinator_unit: str | None = None
    coordinators: list[str] | None = None
    commodities: list[str] | None = None
    routes: list[str] | None = None
    threats: list[str] | None = None
    tlp: str | None = None
    description: str | None = None


class OperationListItem(Schema):
    name: str
    title: str
    lead_organisation: str
    state: str = Field(description="planned, running or finished")
    starts_at: datetime
    ends_at: datetime
    tlp: str
    coordinator_unit: str


class OperationOut(OperationListItem):
    description: str
    units: list[str]
    coordinators: list[str]
    commodities: list[str]
    routes: list[str]
    threats: list[str]
    created_at: datetime
    updated_at: datetime


class SitrepIn(Schema):
    controls: int = 0
    passengers_checked: int = 0
    bags_checked: int = 0
    consignments_checked: int = 0
    mail_checked: int = 0
    seizures: list[int | str] = Field([], description="seizure record ids or references (SZ-123)")
    remarks: str = Field("", description="no names, documents or dates of birth")


class SitrepPostIn(SitrepIn):
    unit: str | None = Field(None, description="unit code, when you belong to several participating units")
    day: date = Field(description="the unit's local day")


class SitrepOut(Schema):
    operation: str
    unit: str
    day: date
    controls: int
    passengers_checked: int
    bags_checked: int
    consignments_checked: int
    mail_checked: int
    seizures: list[int] = Field(description="the linked records you may open")
    seizures_linked: int = Field(description="every linked record, including those you may not open")
    remarks: str
    filed_by: str
    filed_at: datetime
    updated_by: str | None
    updated_at: datetime


class UnitRef(Schema):
    code: str
    name: str
    airport: str | None


class MissingOut(Schema):
    day: date
    missing: list[UnitRef]
    reported: list[UnitRef]
    not_due: list[UnitRef] = Field(
        description="the day is not an operation day, or not begun, in their local time"
    )


class SourcesOut(Schema):
    total: int
    linked: int = Field(description="linked in a situation report")
    window: int = Field(description="recorded by a participating unit within the window")
    both: int
    linked_drafts: int = Field(description="linked drafts, not counted")


class CommodityOut(Schema):
    category: str
    subtype: str
    seizures: int
    mass_kg: float
    count: int = Field(description="tablets, pieces and animals together")
    counts: dict[str, int] = Field(description="the count per unit: tablets, pieces, animals")
    amounts: dict[str, float] = Field(description="money per ISO 4217 currency")


class OperationAirportOut(Schema):
    airport: str
    name: str
    seizures: int
    mass_kg: float


class RouteOut(Schema):
    route: str = Field(description='IATA codes joined by ">"')
    seizures: int
    mass_kg: float


class AlertsOut(Schema):
    alerts: int
    flash: int
    senders: int
    recipients: int
    acknowledged: int
    outcomes: dict[str, int]
    no_outcome: int


class ParticipationOut(Schema):
    unit: str
    name: str
    airport: str | None
    reports: int
    days_due: int
    share: float
    controls: int
    passengers_checked: int
    bags_checked: int
    consignments_checked: int
    mail_checked: int
    seizures_linked: int
    alerts_sent: int


class ResultsOut(Schema):
    operation: str
    state: str
    starts_at: datetime
    ends_at: datetime
    days: int
    seizures: SourcesOut
    by_commodity: list[CommodityOut]
    by_airport: list[OperationAirportOut]
    by_route: list[RouteOut]
    routes_withheld: int
    seizures_without_route: int
    min_cell: int
    alerts: AlertsOut
    participation: list[ParticipationOut]
    reports: int
    totals: dict[str, int]


# ------------------------------------------------------------------ helpers
def _service(call):
    try:
        return call()
    except ServiceError as exc:
        status = 403 if exc.code == "forbidden" else 400
        raise HttpError(status, f"{exc.field}: {exc.message}" if exc.field else exc.message) from None


def _list_out(o) -> dict:
    return {
        "name": o.name,
        "title": o.title,
        "lead_organisation": o.lead_organisation,
        "state": o.state(),
        "starts_at": o.starts_at,
        "ends_at": o.ends_at,
        "tlp": o.tlp,
        "coordinator_unit": o.coordinator_unit.code,
    }


def _operation_out(o) -> dict:
    return {
        **_list_out(o),
        "description": o.description,
        "units": list(o.units.order_by("code").values_list("code", flat=True)),
        "coordinators": list(o.coordinators.order_by("username").values_list("username", flat=True)),
        "commodities": o.commodities,
        "routes": o.routes,
        "threats": o.threats,
        "created_at": o.created_at,
        "updated_at": o.updated_at,
    }


def _sitrep_out(user, r) -> dict:
    return {
        "operation": r.operation.name,
        "unit": r.unit.code,
        "day": r.day,
        **{f: getattr(r, f) for f in services.COUNT_FIELDS},
        "seizures": sorted(selectors.linked_seizures(user, r).values_list("pk", flat=True)),
        "seizures_linked": r.seizures.count(),
        "remarks": r.remarks,
        "filed_by": r.filed_by.username,
        "filed_at": r.filed_at,
        "updated_by": r.updated_by.username if r.updated_by_id else None,
        "updated_at": r.updated_at,
    }


def _member_operation(user, name: str):
    operation = selectors.operation(user, name)
    if not selectors.access(user, operation).member:
        raise Http404("not found")  # oversight reads the results, not the reports
    return operation


def _unit_ref(u) -> dict:
    return {"code": u.code, "name": u.name, "airport": u.airport.iata if u.airport_id else None}


# ------------------------------------------------------------------ operations
@router.get("/operations", response=list[OperationListItem], summary="Joint operations I may see")
def list_operations(request, state: str | None = None):
    """``state``: planned, running or finished."""
    return [_list_out(o) for o in selectors.operations(request.user, state=state)]


@router.post(
    "/operations",
    response={201: OperationOut, 400: DetailErrorOut, 403: DetailErrorOut},
    summary="Create a joint operation (national coordinators and administrators)",
)
def create_operation(request, payload: OperationIn):
    operation = _service(lambda: services.create_operation(actor=request.user, **payload.dict()))
    return Status(201, _operation_out(operation))


@router.get("/operations/{name}", response=OperationOut, summary="One joint operation")
def get_operation(request, name: str):
    return _operation_out(selectors.operation(request.user, name))


@router.patch(
    "/operations/{name}",
    response={200: OperationOut, 400: DetailErrorOut, 403: DetailErrorOut},
    summary="Change a joint operation (its coordinators); absent fields stay as they are",
)
def update_operation(request, name: str, payload: OperationUpdateIn):
    operation = selectors.operation(request.user, name)
    _service(lambda: services.update_operation(actor=request.user, operation=operation, **payload.dict()))
    return _operation_out(selectors.operation(request.user, name))


# ------------------------------------------------------------------ situation reports
@router.get(
    "/operations/{name}/sitreps", response=list[SitrepOut], summary="The operation's situation reports"
)
def list_sitreps(request, name: str, day: Day | None = None, unit: str | None = None):
    operation = _member_operation(request.user, name)
    return [
        _sitrep_out(request.user, r) for r in selectors.sitreps(request.user, operation, day=day, unit=unit)
    ]


def _file(request, operation, *, unit, day, payload: SitrepIn):
    data = payload.dict(exclude={"unit", "day"})
    report_obj, created = _service(
        lambda: services.file_report(user=request.user, operation=operation, unit=unit, day=day, **data)
    )
    return Status(201 if created else 200, _sitrep_out(request.user, report_obj))


@router.post(
    "/operations/{name}/sitreps",
    response={200: SitrepOut, 201: SitrepOut, 400: DetailErrorOut, 403: DetailErrorOut},
    summary="File a unit's report for a day (201), or replace it when there is one (200)",
)
def post_sitrep(request, name: str, payload: SitrepPostIn):
    operation = _member_operation(request.user, name)
    return _file(request, operation, unit=payload.unit, day=payload.day, payload=payload)


@router.put(
    "/operations/{name}/sitreps/{unit}/{day}",
    response={200: SitrepOut, 201: SitrepOut, 400: DetailErrorOut, 403: DetailErrorOut},
    summary="File or replace the report of a unit for a day",
)
def put_sitrep(request, name: str, unit: str, day: str, payload: SitrepIn):
    operation = _member_operation(request.user, name)
    return _file(request, operation, unit=unit, day=day, payload=payload)


@router.get(
    "/operations/{name}/missing-reports",
    response={200: MissingOut, 400: DetailErrorOut},
    summary="Participating units that have not reported on a day (default: today, UTC)",
)
def missing_reports(request, name: str, day: str | None = None):
    operation = selectors.operation(request.user, name)
    try:
        wanted = date.fromisoformat(day) if day else timezone.now().date()
    except ValueError:
        raise HttpError(400, "day: " + _("expected a date, e.g. 2026-05-04")) from None
    found = selectors.missing_reports(operation, wanted)
    return {
        "day": found["day"],
        **{k: [_unit_ref(u) for u in found[k]] for k in ("missing", "reported", "not_due")},
    }


@router.get("/operations/{name}/results", response=ResultsOut, summary="The operation's figures")
def results(request, name: str):
    operation = selectors.operation(request.user, name)
    return report.figures_for(request.user, operation)
