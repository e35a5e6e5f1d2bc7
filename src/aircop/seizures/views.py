"""The HTML side of the seizure register: list, one form for the whole record, detail page
with its status buttons. Thin: selectors for reads, services for writes; the problems of a
refused record go back to the fields and rows they name."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.network import selectors as network_selectors
from aircop.seizures import codes, photos, selectors, services
from aircop.seizures.forms import (
    DEFAULT_ITEM_ROWS,
    DEFAULT_PERSON_ROWS,
    PhotoForm,
    SeizureFormSet,
    initial_from,
)
from aircop.seizures.services import SeizureInvalid

FILTERS = ("category", "airport", "status", "date_from", "date_to")
PAGE_SIZE = 30
MAIN_ITEMS = 2


# ------------------------------------------------------------------ presentation helpers
def _number(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
    return number_format(value, use_l10n=True, force_grouping=True)


def quantity_text(item) -> str:
    """ "Cocaine 4.2 kg", "Tramadol 12,000 tablets", "Banknotes 250,000 EUR"."""
    label = codes.subtype_label(item.subtype)
    if item.mass_kg is not None:
        amount = f"{_number(item.mass_kg)} kg"
    elif item.unit == codes.QuantityUnit.CURRENCY:
        amount = f"{_number(item.quantity)} {item.currency}"
    else:
        amount = (
            f"{_number(item.count if item.count is not None else item.quantity)} {item.get_unit_display()}"
        )
    return f"{label} {amount}"


def recorded_text(item) -> str:
    """The quantity as the officer typed it: "4200 g", "3 animals"."""
    unit = item.currency if item.unit == codes.QuantityUnit.CURRENCY else item.get_unit_display()
    return f"{_number(item.quantity)} {unit}"


def _route(seizure) -> str:
    return " > ".join(seizure.route)


def _read_persons(user, seizure, *, via: str):
    """The persons of a record and whether their nominal data is shown. Showing nominal data
    is a read that the audit log keeps, in the same transaction as the read."""
    persons = list(selectors.persons(user, seizure))
    nominal = selectors.sees_nominal(user, seizure)
    if nominal and any(p.nominal for p in persons):
        with transaction.atomic():
            record(
                user,
                "seizure.nominal_read",
                seizure,
                data={"via": via, "persons": sum(1 for p in persons if p.nominal)},
            )
    return persons, nominal


def _recording_member(user, seizure) -> tuple[bool, bool]:
    """(one of the user's units recorded it, the user heads that unit): which buttons to show.
    The services decide; this only avoids offering what would be refused."""
    mine = [m for m in network_selectors.my_memberships(user) if m.unit_id == seizure.unit_id]
    return bool(mine), any(m.is_head for m in mine) or (bool(mine) and user.role == Role.UNIT_HEAD)


# ------------------------------------------------------------------ list
def _date_filter(request, name):
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        messages.error(request, _("Not a date: %(value)s (use 2026-03-14).") % {"value": raw})
    return day


def seizure_list(request):
    filters = {k: (request.GET.get(k) or "").strip() for k in FILTERS}
    qs = selectors.seizures(
        request.user,
        category=filters["category"] or None,
        airport=filters["airport"] or None,
        status=filters["status"] or None,
        date_from=_date_filter(request, "date_from"),
        date_to=_date_filter(request, "date_to"),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for s in page:
        items = list(selectors.items(request.user, s))
        main = [quantity_text(i) for i in items[:MAIN_ITEMS]]
        rows.append((s, main, len(items) - len(main), _route(s)))
    return render(
        request,
        "seizures/list.html",
        {
            "rows": rows,
            "page": page,
            "filters": filters,
            "keep": urlencode({k: v for k, v in filters.items() if v}),
            "categories": codes.Category.choices,
            "statuses": codes.Status.choices,
        },
    )


# ------------------------------------------------------------------ form
def _rows_wanted(request, key, default) -> int:
    """How many rows to show: posted with the form, or asked by the "more rows" link."""
    try:
        return int(request.POST.get(f"{key}_rows") or request.GET.get(key) or default)
    except (TypeError, ValueError):
        return default


def _save(request, formset: SeizureFormSet, seizure=None):
    """Call the service with what the form holds; on refusal put each problem by its field.
    Returns the saved record, or None when the form goes back to the user."""
    if not formset.is_valid():
        return None
    data = formset.service_data()
    submit = request.POST.get("action") == "submit"
    try:
        with transaction.atomic():
            if seizure is None:
                return services.create_seizure(actor=request.user, data=data, submit=submit)
            saved = services.update_seizure(actor=request.user, seizure=seizure, data=data)
            if submit and saved.status == codes.Status.DRAFT:
                saved = services.submit_seizure(actor=request.user, seizure=saved)
            return saved
    except SeizureInvalid as exc:
        for problem in exc.problems:
            formset.add_problem(problem.field, problem.message)
    except ServiceError as exc:
        formset.add_problem(exc.field, exc.message)
    return None


def _render_form(request, formset, seizure=None, status=200):
    return render(
        request,
        "seizures/form.html",
        {
            "formset": formset,
            "form": formset.form,
            "seizure": seizure,
            "more_rows": urlencode({"items": formset.n_items + 3, "persons": formset.n_persons + 2}),
        },
        status=status,
    )


def _saved(request, seizure):
    if seizure.status == codes.Status.SUBMITTED:
        messages.success(request, _("Seizure %(ref)s saved and submitted.") % {"ref": seizure.reference})
    else:
        messages.success(request, _("Seizure %(ref)s saved as a draft.") % {"ref": seizure.reference})
    return redirect("seizures:detail", seizure_id=seizure.pk)


def seizure_new(request):
    formset = SeizureFormSet(
        user=request.user,
        data=request.POST if request.method == "POST" else None,
        n_items=_rows_wanted(request, "items", DEFAULT_ITEM_ROWS),
        n_persons=_rows_wanted(request, "persons", DEFAULT_PERSON_ROWS),
    )
    if request.method == "POST":
        seizure = _save(request, formset)
        if seizure is not None:
            return _saved(request, seizure)
        return _render_form(request, formset, status=400)
    return _render_form(request, formset)


def seizure_edit(request, seizure_id):
    seizure = selectors.seizure(request.user, seizure_id)
    member, _head = _recording_member(request.user, seizure)
    if not member or seizure.status == codes.Status.VALIDATED:
        messages.error(
            request,
            _("a validated seizure cannot be changed; ask the unit head to reopen it")
            if member
            else _("only the recording unit may change this seizure"),
        )
        return redirect("seizures:detail", seizure_id=seizure.pk)
    n_items = _rows_wanted(request, "items", DEFAULT_ITEM_ROWS)
    n_persons = _rows_wanted(request, "persons", DEFAULT_PERSON_ROWS)
    if request.method == "POST":
        formset = SeizureFormSet(user=request.user, data=request.POST, n_items=n_items, n_persons=n_persons)
        saved = _save(request, formset, seizure)
        if saved is not None:
            return _saved(request, saved)
        return _render_form(request, formset, seizure, status=400)
    items = list(selectors.items(request.user, seizure))
    persons, nominal = _read_persons(request.user, seizure, via="edit")
    alert_ids = [a.pk for a in selectors.linked_alerts(request.user, seizure)]
    initial, item_rows, person_rows = initial_from(seizure, items, persons, alert_ids, nominal=nominal)
    formset = SeizureFormSet(
        user=request.user,
        initial=initial,
        items=item_rows,
        persons=person_rows,
        # One blank row beyond what the record has, to add an item or a person.
        n_items=max(n_items, len(item_rows) + 1),
        n_persons=max(n_persons, len(person_rows) + 1),
    )
    return _render_form(request, formset, seizure)


# ------------------------------------------------------------------ detail and status
def seizure_detail(request, seizure_id, *, photo_form=None, status=200):
    user = request.user
    seizure = selectors.seizure(user, seizure_id)
    items = [(i, quantity_text(i), recorded_text(i)) for i in selectors.items(user, seizure)]
    persons, nominal = _read_persons(user, seizure, via="page")
    member, head = _recording_member(user, seizure)
    record_status = seizure.status
    return render(
        request,
        "seizures/detail.html",
        {
            "seizure": seizure,
            "tz": seizure.airport.tz or "UTC",
            "route": _route(seizure),
            "items": items,
            "persons": persons,
            "sees_nominal": nominal,
            "alerts": list(selectors.linked_alerts(user, seizure)),
            "can_edit": member and record_status != codes.Status.VALIDATED,
            "can_submit": member and record_status == codes.Status.DRAFT,
            "can_validate": head and record_status == codes.Status.SUBMITTED,
            "can_reopen": head and record_status == codes.Status.VALIDATED,
            "photos": list(selectors.photos(user, seizure)),
            "can_add_photo": member,
            "photo_form": photo_form or PhotoForm(),
        },
        status=status,
    )


def _status_action(request, seizure_id, action, done: str):
    seizure = selectors.seizure(request.user, seizure_id)
    try:
        action(actor=request.user, seizure=seizure)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"ref": seizure.reference})
    return redirect("seizures:detail", seizure_id=seizure.pk)


@require_POST
def seizure_submit(request, seizure_id):
    return _status_action(request, seizure_id, services.submit_seizure, _("Seizure %(ref)s submitted."))


@require_POST
def seizure_validate(request, seizure_id):
    return _status_action(request, seizure_id, services.validate_seizure, _("Seizure %(ref)s validated."))


@require_POST
def seizure_reopen(request, seizure_id):
    return _status_action(request, seizure_id, services.reopen_seizure, _("Seizure %(ref)s reopened."))


@require_POST
def photo_add(request, seizure_id):
    seizure = selectors.seizure(request.user, seizure_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos.add_photo(
                user=request.user,
                seizure=seizure,
                uploaded_file=form.cleaned_data["file"],
                nominal=form.cleaned_data["nominal"],
            )
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("seizures:detail", seizure_id=seizure.pk)
    return seizure_detail(request, seizure_id, photo_form=form, status=400)


@require_safe
def photo_file(request, photo_id):
    return photos.photo_response(request.user, photo_id)


@require_safe
def photo_thumbnail(request, photo_id):
    return photos.photo_response(request.user, photo_id, thumbnail=True)
