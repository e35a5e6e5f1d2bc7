"""/api/v1/capacity/equipment: equipment provided to units. Programme staff record and
change items; the holding unit reports the condition. Part of the capacity router (api.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from aircop.capacity import selectors, services_equipment
from aircop.capacity.api_common import REFUSED, choice, page, refused
from aircop.capacity.codes import Condition, EquipmentCategory
from aircop.core.api_schemas import DetailErrorOut, Offset
from aircop.core.errors import ServiceError

router = Router(tags=["capacity equipment"])


class EquipmentIn(Schema):
    category: Any = Field(None, description=", ".join(EquipmentCategory.values))
    description: Any = None
    provided_on: Any = Field(None, description="YYYY-MM-DD")
    value: Any = Field(None, description="a decimal number, with its currency")
    currency: Any = Field(None, description="ISO 4217, e.g. USD, EUR, XOF")
    condition: Any = Field(None, description=", ".join(Condition.values))
    holding_unit: Any = Field(None, description="code of an active unit")
    donor: Any = None
    serial_number: Any = None
    notes: Any = None


class EquipmentOut(Schema):
    id: int
    category: str
    description: str
    provided_on: date
    value: str | None = Field(description="decimal, as text")
    currency: str
    condition: str
    holding_unit: str
    country: str
    donor: str
    serial_number: str
    notes: str
    created_at: datetime
    updated_at: datetime


def _out(item) -> dict:
    return {
        "id": item.pk,
        "category": item.category,
        "description": item.description,
        "provided_on": item.provided_on,
        "value": None if item.value is None else str(item.value),
        "currency": item.currency,
        "condition": item.condition,
        "holding_unit": item.holding_unit.code,
        "country": item.holding_unit.country_id,
        "donor": item.donor,
        "serial_number": item.serial_number,
        "notes": item.notes,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


@router.get(
    "/capacity/equipment",
    response={200: list[EquipmentOut], 400: DetailErrorOut},
    summary="Equipment I may see",
)
def list_equipment(
    request,
    unit: str | None = None,
    category: str | None = None,
    condition: str | None = None,
    country: str | None = None,
    limit: int = 100,
    offset: Offset = 0,
):
    qs = selectors.equipment(
        request.user,
        unit=unit,
        category=choice("category", category, EquipmentCategory),
        condition=choice("condition", condition, Condition),
        country=country,
    )
    return [_out(i) for i in page(qs, limit, offset)]


@router.post(
    "/capacity/equipment", response={201: EquipmentOut, **REFUSED}, summary="Record an item (programme staff)"
)
def create_equipment(request, payload: EquipmentIn):
    try:
        item = services_equipment.create_equipment(actor=request.user, data=payload.dict(exclude_unset=True))
    except ServiceError as exc:
        return refused(exc)
    return Status(201, _out(item))


@router.get("/capacity/equipment/{equipment_id}", response=EquipmentOut, summary="One item")
def get_equipment(request, equipment_id: int):
    return _out(selectors.equipment_item(request.user, equipment_id))


@router.put(
    "/capacity/equipment/{equipment_id}",
    response={200: EquipmentOut, **REFUSED},
    summary="Change an item (programme staff; the holding unit: condition and notes)",
)
def update_equipment(request, equipment_id: int, payload: EquipmentIn):
    item = selectors.equipment_item(request.user, equipment_id)
    try:
        item = services_equipment.update_equipment(
            actor=request.user, item=item, data=payload.dict(exclude_unset=True)
        )
    except ServiceError as exc:
        return refused(exc)
    return _out(selectors.equipment_item(request.user, item.pk))
