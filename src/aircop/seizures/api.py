"""/api/v1/seizures: the seizure register over REST (docs/api-seizures.md). Thin: parse,
call a service or selector, return a schema.

A refused write answers 400 (403 for a refused role or unit) with every problem found:
``{"detail": "field: first message", "field": "field", "problems": [{"field", "message"}]}``.
A record the user may not see answers 404 for every verb."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aircop.audit.services import record
from aircop.core import uploads
from aircop.core.api_schemas import Day, DetailErrorOut, ErrorOut, Offset
from aircop.core.errors import ServiceError
from aircop.seizures import codes, photos, selectors, services
from aircop.seizures.models import Seizure
from aircop.seizures.services import SeizureInvalid

router = Router(tags=["seizures"])

MAX_LIMIT = 500


# ------------------------------------------------------------------ schemas
class ItemIn(Schema):
    category: Any = Field(None, description="drugs, medicines, wildlife, weapons, explosives, currency, ...")
    subtype: Any = Field(None, description="a subtype of the category, e.g. cocaine, pangolin_scales")
    drug_form: Any = None
    quantity: Any = Field(None, description="a number above zero")
    unit: Any = Field(None, description="g, kg, l, ml, tablets, pieces, animals or currency")
    currency: Any = Field(None, description="ISO 4217, with the unit 'currency' only")
    estimated_value: Any = None
    value_currency: Any = None
    description: Any = None


class PersonIn(Schema):
    role: Any = Field(None, description="courier, organiser, recipient, sender, accomplice, high_risk, other")
    nationality: Any = Field(None, description="ISO 3166 alpha-2 or alpha-3")
    sex: Any = Field(None, description="M, F or X")
    age: Any = None
    age_band: Any = None
    nominal: Any = Field(
        None,
        description="surname, given_names, date_of_birth, document_type, document_number, document_country",
    )


class SeizureIn(Schema):
    """Every field is checked by the register's own validation, which lists all problems at
    once; types are therefore loose here."""

    occurred_at: Any = Field(None, description="ISO date or date-time; without an offset: airport local time")
    airport: Any = Field(None, description="IATA code")
    unit: Any = Field(None, description="recording unit code, when you belong to several")
    reporting_agency: Any = None
    flow: Any = None
    phase: Any = None
    direction: Any = None
    flight: Any = None
    origin: Any = None
    transit: Any = Field(None, description='IATA codes, a list or "A;B"')
    destination: Any = None
    goods_origin_country: Any = None
    concealment: Any = None
    detection: Any = None
    triggering_alert: Any = Field(
        None, description="alert id; required when detection is international_alert"
    )
    alerts: Any = Field(None, description="ids of related alerts")
    tlp: Any = Field(None, description="clear, green, amber, amber_strict or red (default amber)")
    notes: Any = None
    items: Any = Field(None, description="list of ItemIn")
    persons: Any = Field(None, description="list of PersonIn")
    submit: bool = Field(False, description="submit at once instead of keeping a draft")


class ItemSummaryOut(Schema):
    category: str
    subtype: str
    quantity: float
    unit: str
    currency: str
    mass_kg: float | None
    count: int | None


class ItemOut(ItemSummaryOut):
    drug_form: str
    estimated_value: float | None
    value_currency: str
    description: str


class PersonOut(Schema):
    role: str
    nationality: str | None
    sex: str
    age_band: str
    nominal: dict[str, Any]


class LinkedAlertOut(Schema):
    id: int
    title: str
    sender_unit: str


class SeizureSummaryOut(Schema):
    id: int
    reference: str
    occurred_at: datetime = Field(description="UTC")
    occurred_local: str = Field(description="the airport's local time, ISO 8601 with its offset")
    airport: str
    unit: str
    flow: str
    phase: str
    direction: str
    route: list[str]
    tlp: str
    status: str
    items: list[ItemSummaryOut]


class PhotoOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    nominal: bool
    has_thumbnail: bool
    url: str
    thumbnail_url: str | None


class SeizureOut(SeizureSummaryOut):
    country: str
    region: str | None
    reporting_agency: str
    flight: str
    origin: str | None
    transit: list[str]
    destination: str | None
    goods_origin_country: str | None
    concealment: str
    detection: str
    triggering_alert: int | None
    notes: str
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    validated_by: str | None
    validated_at: datetime | None
    items: list[ItemOut]
    persons: list[PersonOut]
    nominal_withheld: bool
    alerts: list[LinkedAlertOut]
    photos: list[PhotoOut]


REFUSED = {400: ErrorOut, 403: ErrorOut}


# ------------------------------------------------------------------ helpers
def _refused(exc: ServiceError) -> Status:
    if isinstance(exc, SeizureInvalid):
        problems = [{"field": p.field, "message": p.message} for p in exc.problems]
    else:
        problems = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return Status(
        403 if exc.code == "forbidden" else 400,
        {
            "detail": f"{exc.field}: {exc.message}" if exc.field else exc.message,
            "field": exc.field,
            "problems": problems,
        },
    )


def _number(value):
    return None if value is None else float(value)


def _item_summary(item) -> dict:
    return {
        "category": item.category,
        "subtype": item.subtype,
        "quantity": float(item.quantity),
        "unit": item.unit,
        "currency": item.currency,
        "mass_kg": _number(item.mass_kg),
        "count": item.count,
    }


def _item_out(item) -> dict:
    return {
        **_item_summary(item),
        "drug_form": item.drug_form,
        "estimated_value": _number(item.estimated_value),
        "value_currency": item.value_currency,
        "description": item.description,
    }


def _local(seizure: Seizure) -> str:
    return seizure.occurred_at.astimezone(ZoneInfo(seizure.airport.tz or "UTC")).isoformat()


def _summary(seizure: Seizure, items) -> dict:
    return {
        "id": seizure.pk,
        "reference": seizure.reference,
        "occurred_at": seizure.occurred_at,
        "occurred_local": _local(seizure),
        "airport": seizure.airport.iata,
        "unit": seizure.unit.code,
        "flow": seizure.flow,
        "phase": seizure.phase,
        "direction": seizure.direction,
        "route": seizure.route,
        "tlp": seizure.tlp,
        "status": seizure.status,
        "items": items,
    }


@transaction.atomic
def audit_nominal_read(user, seizure: Seizure, persons: int) -> None:
    """Every read of nominal data is audited (docs/architecture: cross-cutting rules)."""
    record(user, "seizure.nominal_read", seizure, data={"persons": persons})


def _detail(user, seizure_id: int, *, audit_read: bool = True) -> dict:
    """The whole record as ``user`` may see it. ``audit_read`` is False only when answering
    the write that just supplied the data (the write's own audit entry covers it)."""
    seizure = selectors.seizure(user, seizure_id)
    persons = list(selectors.persons(user, seizure))
    with_nominal = [p for p in persons if p.nominal]
    nominal = selectors.sees_nominal(user, seizure)
    if nominal and with_nominal and audit_read:
        audit_nominal_read(user, seizure, len(with_nominal))
    alerts = list(selectors.linked_alerts(user, seizure))
    data = _summary(seizure, [_item_out(i) for i in selectors.items(user, seizure)])
    data.update(
        {
            "country": seizure.country_id,
            "region": seizure.region.code if seizure.region_id else None,
            "reporting_agency": seizure.reporting_agency,
            "flight": seizure.flight,
            "origin": seizure.origin.iata if seizure.origin_id else None,
            "transit": seizure.transit,
            "destination": seizure.destination.iata if seizure.destination_id else None,
            "goods_origin_country": seizure.goods_origin_country_id,
            "concealment": seizure.concealment,
            "detection": seizure.detection,
            # The trigger is always among the linked alerts: name it only when it is visible.
            "triggering_alert": seizure.triggering_alert_id
            if seizure.triggering_alert_id in {a.pk for a in alerts}
            else None,
            "notes": seizure.notes,
            "created_by": seizure.created_by.username if seizure.created_by_id else None,
            "created_at": seizure.created_at,
            "updated_at": seizure.updated_at,
            "submitted_at": seizure.submitted_at,
            "validated_by": seizure.validated_by.username if seizure.validated_by_id else None,
            "validated_at": seizure.validated_at,
            "persons": [
                {
                    "role": p.role,
                    "nationality": p.nationality_id,
                    "sex": p.sex,
                    "age_band": p.age_band,
                    "nominal": p.nominal if nominal else {},
                }
                for p in persons
            ],
            "nominal_withheld": bool(with_nominal) and not nominal,
            "alerts": [{"id": a.pk, "title": a.title, "sender_unit": a.sender_unit.code} for a in alerts],
            "photos": [_photo_out(p) for p in selectors.photos(user, seizure)],
        }
    )
    return data


def _photo_out(photo) -> dict:
    url = reverse("api:seizure_photo_file", kwargs={"photo_id": photo.pk})
    return {
        "id": photo.pk,
        "name": photo.name,
        "content_type": photo.content_type,
        "size": photo.size,
        "sha256": photo.sha256,
        "nominal": photo.nominal,
        "has_thumbnail": photo.has_thumbnail,
        "url": url,
        "thumbnail_url": f"{url}?thumbnail=true" if photo.has_thumbnail else None,
    }


def _input(payload: SeizureIn) -> tuple[dict, bool]:
    data = payload.dict(exclude_unset=True)
    submit = bool(data.pop("submit", False))
    return data, submit


def _choice_filter(name: str, value: str | None, choices) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    if value not in choices:
        raise HttpError(
            400,
            _("%(field)s: unknown value %(value)r (one of: %(list)s)")
            % {"field": name, "value": value, "list": ", ".join(choices)},
        )
    return value


# ------------------------------------------------------------------ endpoints
@router.get(
    "/seizures",
    response={200: list[SeizureSummaryOut], 400: DetailErrorOut},
    summary="Seizure records I may see, newest first",
)
def list_seizures(
    request,
    category: str | None = None,
    subtype: str | None = None,
    airport: str | None = None,
    country: Annotated[str | None, Query(description="ISO 3166 alpha-2")] = None,
    status: Annotated[str | None, Query(description="draft, submitted or validated")] = None,
    date_from: Annotated[Day | None, Query(alias="from", description="first day (UTC), inclusive")] = None,
    date_to: Annotated[Day | None, Query(alias="to", description="last day (UTC), inclusive")] = None,
    limit: Annotated[int, Query(description=f"at most {MAX_LIMIT}")] = 50,
    offset: Offset = 0,
):
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    qs = selectors.seizures(
        request.user,
        category=_choice_filter("category", category, codes.Category.values),
        subtype=_choice_filter("subtype", subtype, list(codes.SUBTYPE_CATEGORY)),
        airport=airport.strip() if airport else None,
        country=country.strip() if country else None,
        status=_choice_filter("status", status, codes.Status.values),
        date_from=date_from,
        date_to=date_to,
    )
    # Items of a visible record are visible (selectors: the item policy follows the record);
    # fetched in one query for the page instead of one per record.
    page = list(qs.prefetch_related("items")[offset : offset + limit])
    return [
        _summary(s, [_item_summary(i) for i in sorted(s.items.all(), key=lambda i: (i.position, i.pk))])
        for s in page
    ]


@router.post(
    "/seizures",
    response={201: SeizureOut, **REFUSED},
    summary='Record a seizure (a draft, or submitted with "submit": true)',
)
def create_seizure(request, payload: SeizureIn):
    data, submit = _input(payload)
    try:
        seizure = services.create_seizure(actor=request.user, data=data, submit=submit)
    except ServiceError as exc:
        return _refused(exc)
    return Status(201, _detail(request.user, seizure.pk, audit_read=False))


@router.get("/seizures/{seizure_id}", response=SeizureOut, summary="One seizure record")
def get_seizure(request, seizure_id: int):
    """Names and documents of the persons are shown to the recording unit, the national
    headquarters of the country and the units whose alert led to it; otherwise
    ``nominal_withheld`` is true. Each read of them is audited."""
    return _detail(request.user, seizure_id)


@router.put(
    "/seizures/{seizure_id}",
    response={200: SeizureOut, **REFUSED},
    summary="Replace a draft or submitted record (the recording unit)",
)
def update_seizure(request, seizure_id: int, payload: SeizureIn):
    seizure = selectors.seizure(request.user, seizure_id)
    data, submit = _input(payload)
    try:
        with transaction.atomic():
            seizure = services.update_seizure(actor=request.user, seizure=seizure, data=data)
            if submit and seizure.status == codes.Status.DRAFT:
                services.submit_seizure(actor=request.user, seizure=seizure)
    except ServiceError as exc:
        return _refused(exc)
    return _detail(request.user, seizure_id, audit_read=False)


def _transition(request, seizure_id: int, service):
    seizure = selectors.seizure(request.user, seizure_id)
    try:
        service(actor=request.user, seizure=seizure)
    except ServiceError as exc:
        return _refused(exc)
    return _detail(request.user, seizure_id)


@router.post(
    "/seizures/{seizure_id}/submit",
    response={200: SeizureOut, **REFUSED},
    summary="Submit a draft (the recording unit)",
)
def submit_seizure(request, seizure_id: int):
    return _transition(request, seizure_id, services.submit_seizure)


@router.post(
    "/seizures/{seizure_id}/validate",
    response={200: SeizureOut, **REFUSED},
    summary="Validate a submitted record (the head of the recording unit); it is then locked",
)
def validate_seizure(request, seizure_id: int):
    return _transition(request, seizure_id, services.validate_seizure)


@router.post(
    "/seizures/{seizure_id}/reopen",
    response={200: SeizureOut, **REFUSED},
    summary="Take a validated record back to submitted (the head of the recording unit)",
)
def reopen_seizure(request, seizure_id: int):
    return _transition(request, seizure_id, services.reopen_seizure)


@router.post(
    "/seizures/{seizure_id}/photos",
    response={201: PhotoOut, **REFUSED},
    summary="Add a photo (JPEG, PNG, WebP) or a PDF to a seizure",
)
def add_photo(request, seizure_id: int, file: File[UploadedFile], nominal: Form[bool] = False):
    """Multipart form with one part, ``file``; the type is read from the content. The recording
    unit adds photos. ``nominal=true`` marks a photo of a person or an identity document: it is
    shown only to those who see the record's nominal data."""
    seizure = selectors.seizure(request.user, seizure_id)
    try:
        photo = photos.add_photo(user=request.user, seizure=seizure, uploaded_file=file, nominal=nominal)
    except ServiceError as exc:
        return _refused(exc)
    return Status(201, _photo_out(photo))


@router.get(
    "/seizure-photos/{photo_id}",
    url_name="seizure_photo_file",
    summary="A seizure photo itself (or its thumbnail with ?thumbnail=true)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file",
                "content": {t: {} for t in (*uploads.IMAGE_TYPES, uploads.PDF)},
            },
            "404": {"description": "No such photo, or not visible to you"},
        }
    },
)
def photo_file(request, photo_id: int, thumbnail: bool = False):
    return photos.photo_response(request.user, photo_id, thumbnail=thumbnail)
