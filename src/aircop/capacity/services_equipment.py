"""Writes of the equipment provided to units. Programme staff record and change items; the
holding unit reports their condition (and notes). Atomic and audited.

The holding unit must exist and be active: an item for a unit that does not exist is
refused naming ``holding_unit``."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.capacity import validation as v
from aircop.capacity.access import may_write_programme, reach
from aircop.capacity.codes import Condition, EquipmentCategory
from aircop.capacity.models import Equipment
from aircop.core.errors import ServiceError

FIELDS = (
    "category",
    "description",
    "provided_on",
    "value",
    "currency",
    "condition",
    "holding_unit",
    "donor",
    "serial_number",
    "notes",
)
HOLDER_FIELDS = {"condition", "notes"}
HOLDER_ROLES = {Role.OFFICER, Role.UNIT_HEAD, Role.COORDINATOR}
EARLIEST_YEAR = 2000


def as_input(item: Equipment) -> dict:
    return {
        "category": item.category,
        "description": item.description,
        "provided_on": item.provided_on,
        "value": "" if item.value is None else str(item.value),
        "currency": item.currency,
        "condition": item.condition,
        "holding_unit": item.holding_unit.code,
        "donor": item.donor,
        "serial_number": item.serial_number,
        "notes": item.notes,
    }


def clean(data: dict, *, exclude: Equipment | None = None) -> dict:
    p = v.Problems()
    for name in sorted(set(data) - set(FIELDS)):
        p.add(name, _("not a field of an item of equipment"))
    c = {
        "category": v.choice(p, data.get("category"), "category", EquipmentCategory),
        "description": v.text(p, data.get("description"), "description", limit=300, required=True),
        "provided_on": v.day(p, data.get("provided_on"), "provided_on"),
        "value": v.amount(p, data.get("value"), "value"),
        "currency": "",
        "condition": v.choice(p, data.get("condition") or Condition.NEW, "condition", Condition),
        "holding_unit": v.unit(p, data.get("holding_unit"), "holding_unit"),
        "donor": v.text(p, data.get("donor"), "donor", limit=200),
        "serial_number": v.text(p, data.get("serial_number"), "serial_number", limit=100),
        "notes": v.text(p, data.get("notes"), "notes", limit=v.TEXT_LIMIT),
    }
    if c["value"] is not None:
        c["currency"] = v.currency(p, data.get("currency"), "currency")
    elif str(data.get("currency") or "").strip() and not str(data.get("value") or "").strip():
        p.add("value", _("a currency without a value: give the value too, or neither"))
    day = c["provided_on"]
    if day and day.year < EARLIEST_YEAR:
        p.add("provided_on", _("before %(year)d: not provided by the programme") % {"year": EARLIEST_YEAR})
    if day and day > timezone.localdate() + timedelta(days=1):
        p.add("provided_on", _("in the future: record an item once it is provided"))
    if c["serial_number"] and c["category"]:
        twins = Equipment.objects.filter(category=c["category"], serial_number=c["serial_number"])
        if exclude is not None:
            twins = twins.exclude(pk=exclude.pk)
        if twins.exists():
            p.add("serial_number", _("another item of this category has this serial number"))
    p.raise_if_any()
    return c


def _summary(c: dict) -> dict:
    return {
        "category": c["category"],
        "holding_unit": c["holding_unit"].code,
        "provided_on": c["provided_on"],
        "value": c["value"],
        "currency": c["currency"],
        "condition": c["condition"],
    }


@transaction.atomic
def create_equipment(*, actor, data: dict) -> Equipment:
    if not may_write_programme(actor):
        raise ServiceError(_("only programme staff record equipment"), field="holding_unit", code="forbidden")
    c = clean(data)
    now = timezone.now()
    item = Equipment.objects.create(**c, created_by=actor, created_at=now, updated_at=now)
    record(actor, "equipment.created", item, data=_summary(c))
    return item


@transaction.atomic
def update_equipment(*, actor, item: Equipment, data: dict) -> Equipment:
    """Programme staff change any field; the holding unit's members report the condition
    and notes only."""
    item = Equipment.objects.select_for_update().select_related("holding_unit").get(pk=item.pk)
    programme = may_write_programme(actor)
    if not programme and not (item.holding_unit_id in reach(actor).units and actor.role in HOLDER_ROLES):
        raise ServiceError(_("only programme staff change this item"), field="holding_unit", code="forbidden")
    c = clean({**as_input(item), **data}, exclude=item)
    changed = sorted(k for k, value in c.items() if getattr(item, k) != value)
    if not programme and set(changed) - HOLDER_FIELDS:
        raise ServiceError(
            _("the holding unit reports the condition and notes only"),
            field=sorted(set(changed) - HOLDER_FIELDS)[0],
            code="forbidden",
        )
    for name, value in c.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    item.save()
    record(actor, "equipment.updated", item, data={**_summary(c), "changed": changed})
    return item
