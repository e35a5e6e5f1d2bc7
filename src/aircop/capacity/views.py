"""The HTML side of capacity building: the activities list, an activity's page (participants
with sex counts, trainers, adding one participant, the CSV import form) and the activity
form. Thin: selectors for reads, services for writes; a refused write goes back to the
fields it names. Participants, the import and trainers: views_people.py; the library:
views_library.py; equipment: views_equipment.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from aircop.audit.services import record
from aircop.capacity import selectors, services
from aircop.capacity.access import ORGANISER_UNIT_KINDS, may_organise, reach
from aircop.capacity.codes import ActivityKind, Level, TopicCode, topic_labels
from aircop.capacity.forms import ActivityForm, ImportForm, ParticipantForm, add_problems
from aircop.core.errors import ServiceError
from aircop.network import selectors as network_selectors

PAGE_SIZE = 30
FILTERS = ("kind", "topic", "year", "country", "level")
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def may_create(user) -> bool:
    r = reach(user)
    return r.programme_writer or bool(r.organiser_units)


def unit_choices(user):
    """Every active unit of the network directory (open data), for host, beneficiary,
    participant and holding-unit choices."""
    return list(network_selectors.units(user).order_by("code"))


def _organisers(user):
    r = reach(user)
    units = [u for u in unit_choices(user) if u.kind in ORGANISER_UNIT_KINDS]
    return units if r.programme_writer else [u for u in units if u.pk in r.organiser_units]


# ------------------------------------------------------------------ list
@require_safe
def activity_list(request):
    filters = {k: (request.GET.get(k) or "").strip() for k in FILTERS}
    year = filters["year"] if filters["year"].isdigit() else None
    qs = selectors.activities(
        request.user,
        kind=filters["kind"] if filters["kind"] in ActivityKind.values else None,
        topic=filters["topic"] if filters["topic"] in TopicCode.values else None,
        level=filters["level"] if filters["level"] in Level.values else None,
        year=year,
        country=filters["country"][:3] or None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "capacity/activity_list.html",
        {
            "page": page,
            "filters": filters,
            "keep": urlencode({k: v for k, v in filters.items() if v}),
            "kinds": ActivityKind.choices,
            "topics": TopicCode.choices,
            "levels": Level.choices,
            "years": selectors.activity_years(request.user),
            "can_create": may_create(request.user),
        },
    )


# ------------------------------------------------------------------ one activity
def _participants_read(user, activity, rows) -> None:
    """Showing participants' names is a read of personal data: audited (counts only)."""
    named = sum(1 for r in rows if r.named)
    if named:
        with transaction.atomic():
            record(user, "activity.participants_read", activity, data={"via": "page", "names": named})


def activity_detail(request, activity_id, *, participant_form=None, status=200):
    user = request.user
    activity = selectors.activity(user, activity_id)
    rows = selectors.attendances(user, activity)
    _participants_read(user, activity, rows)
    can_write = may_organise(user, activity.organising_unit_id)
    return render(
        request,
        "capacity/activity_detail.html",
        {
            "activity": activity,
            "topics": topic_labels(t.code for t in activity.topics.all()),
            "beneficiaries": list(activity.beneficiary_units.all()),
            "trainers": list(selectors.activity_trainers(user, activity)),
            "rows": rows,
            "withheld": sum(1 for r in rows if not r.named),
            "counts": selectors.sex_counts(user, activity),
            "can_write": can_write,
            "participant_form": (participant_form or ParticipantForm(units=unit_choices(user)))
            if can_write
            else None,
            "import_form": ImportForm() if can_write else None,
        },
        status=status,
    )


# ------------------------------------------------------------------ form
def _form(request, *, activity=None, data=None, initial=None):
    user = request.user
    return ActivityForm(
        data,
        initial=initial,
        organisers=_organisers(user),
        units=unit_choices(user),
        trainers=selectors.trainers(user),
    )


def _render_form(request, form, activity=None, status=200):
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("Edit the activity") if activity else _("Record an activity"),
            "back": activity.get_absolute_url() if activity else None,
            "form_class": "activity-form",
        },
        status=status,
    )


@GET_POST
def activity_new(request):
    if not may_create(request.user):
        raise PermissionDenied(_("your role cannot record activities"))
    form = _form(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                activity = services.create_activity(actor=request.user, data=form.service_data())
            except ServiceError as exc:
                add_problems(form, exc)
            else:
                messages.success(request, _("Activity recorded."))
                return redirect("capacity:activity", activity_id=activity.pk)
        return _render_form(request, form, status=400)
    return _render_form(request, form)


@GET_POST
def activity_edit(request, activity_id):
    activity = selectors.activity(request.user, activity_id)
    if not may_organise(request.user, activity.organising_unit_id):
        messages.error(request, _("only programme staff and the organising unit record its activities"))
        return redirect("capacity:activity", activity_id=activity.pk)
    if request.method == "POST":
        form = _form(request, activity=activity, data=request.POST)
        if form.is_valid():
            try:
                services.update_activity(actor=request.user, activity=activity, data=form.service_data())
            except ServiceError as exc:
                add_problems(form, exc)
            else:
                messages.success(request, _("Activity saved."))
                return redirect("capacity:activity", activity_id=activity.pk)
        return _render_form(request, form, activity, status=400)
    initial = services.as_input(activity)
    initial["trainers"] = [str(t) for t in initial["trainers"]]
    return _render_form(request, _form(request, activity=activity, initial=initial), activity)
