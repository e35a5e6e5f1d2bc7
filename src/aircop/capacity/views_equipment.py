"""Equipment pages: the list (all the equipment the user may see, with filters and counts
per category), one unit's equipment, and the forms (programme staff record and change
items; the holding unit reports the condition)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from aircop.capacity import selectors, services_equipment
from aircop.capacity.access import may_write_programme, reach
from aircop.capacity.codes import Condition, EquipmentCategory
from aircop.capacity.forms import ConditionForm, EquipmentForm, add_problems
from aircop.capacity.views import GET_POST, unit_choices
from aircop.core.errors import ServiceError

PAGE_SIZE = 50
FILTERS = ("unit", "category", "condition", "country")


def _by_category(qs) -> list[tuple[str, int]]:
    counts = {r["category"]: r["n"] for r in qs.order_by().values("category").annotate(n=Count("id"))}
    return [(label, counts[value]) for value, label in EquipmentCategory.choices if counts.get(value)]


def _render_list(request, qs, *, unit=None, filters=None):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = filters or {}
    return render(
        request,
        "capacity/equipment_list.html",
        {
            "page": page,
            "unit": unit,
            "filters": filters,
            "keep": urlencode({k: v for k, v in filters.items() if v}),
            "by_category": _by_category(qs),
            "total": qs.count(),
            "categories": EquipmentCategory.choices,
            "conditions": Condition.choices,
            "can_create": may_write_programme(request.user),
        },
    )


@require_safe
def equipment_list(request):
    filters = {k: (request.GET.get(k) or "").strip() for k in FILTERS}
    qs = selectors.equipment(
        request.user,
        unit=filters["unit"][:40] or None,
        category=filters["category"] if filters["category"] in EquipmentCategory.values else None,
        condition=filters["condition"] if filters["condition"] in Condition.values else None,
        country=filters["country"][:2] or None,
    )
    return _render_list(request, qs, filters=filters)


@require_safe
def unit_equipment(request, code):
    unit = selectors.equipment_unit(request.user, code)
    return _render_list(request, selectors.equipment(request.user, unit=unit.code), unit=unit)


def _form_page(request, form, item=None, status=200):
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("Change the item") if item else _("Record equipment provided"),
            "back": None,
        },
        status=status,
    )


def _save(request, form, service, **kwargs):
    if not form.is_valid():
        return None
    try:
        return service(actor=request.user, data=form.service_data(), **kwargs)
    except ServiceError as exc:
        add_problems(form, exc)
        return None


@GET_POST
def equipment_new(request):
    if not may_write_programme(request.user):
        raise PermissionDenied(_("only programme staff record equipment"))
    form = EquipmentForm(request.POST or None, units=unit_choices(request.user))
    if request.method == "POST":
        item = _save(request, form, services_equipment.create_equipment)
        if item is not None:
            messages.success(request, _("Equipment recorded."))
            return redirect("capacity:unit_equipment", code=item.holding_unit.code)
        return _form_page(request, form, status=400)
    return _form_page(request, form)


@GET_POST
def equipment_edit(request, equipment_id):
    item = selectors.equipment_item(request.user, equipment_id)
    programme = may_write_programme(request.user)
    holder = (
        item.holding_unit_id in reach(request.user).units
        and request.user.role in services_equipment.HOLDER_ROLES
    )
    if not (programme or holder):
        messages.error(request, _("only programme staff change this item"))
        return redirect("capacity:unit_equipment", code=item.holding_unit.code)
    if programme:
        form = EquipmentForm(
            request.POST or None, units=unit_choices(request.user), initial=services_equipment.as_input(item)
        )
    else:
        form = ConditionForm(request.POST or None, initial={"condition": item.condition, "notes": item.notes})
    if request.method == "POST":
        saved = _save(request, form, services_equipment.update_equipment, item=item)
        if saved is not None:
            messages.success(request, _("Item saved."))
            return redirect("capacity:unit_equipment", code=saved.holding_unit.code)
        return _form_page(request, form, item, status=400)
    return _form_page(request, form, item)
