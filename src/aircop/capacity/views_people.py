"""Pages about people: adding or removing one participant, importing a participant list
(CSV, all or nothing, every problem by line and column), a participant's page, and the
trainers (list, page, form)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from aircop.audit.services import record
from aircop.capacity import importer, selectors, services_people
from aircop.capacity.access import may_edit_trainer, may_organise
from aircop.capacity.codes import TopicCode, topic_labels
from aircop.capacity.forms import ImportForm, ParticipantForm, TrainerForm, add_problems
from aircop.capacity.models import Attendance
from aircop.capacity.views import GET_POST, activity_detail, may_create, unit_choices
from aircop.core.errors import ServiceError
from aircop.core.visibility import get_visible_or_404

PAGE_SIZE = 50


# ------------------------------------------------------------------ participants of an activity
@require_POST
def participant_add(request, activity_id):
    activity = selectors.activity(request.user, activity_id)
    form = ParticipantForm(request.POST, units=unit_choices(request.user))
    if form.is_valid():
        try:
            services_people.add_participant(actor=request.user, activity=activity, data=form.service_data())
        except ServiceError as exc:
            add_problems(form, exc)
        else:
            messages.success(request, _("Participant added."))
            return redirect("capacity:activity", activity_id=activity.pk)
    return activity_detail(request, activity_id, participant_form=form, status=400)


@require_POST
def participant_remove(request, activity_id, attendance_id):
    activity = selectors.activity(request.user, activity_id)
    attendance = get_visible_or_404(
        Attendance.objects.filter(activity=activity), request.user, pk=attendance_id
    )
    try:
        services_people.remove_participant(actor=request.user, attendance=attendance)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Participant removed from the activity."))
    return redirect("capacity:activity", activity_id=activity.pk)


@GET_POST
def participants_import(request, activity_id):
    activity = selectors.activity(request.user, activity_id)
    if not may_organise(request.user, activity.organising_unit_id):
        raise PermissionDenied(_("only programme staff and the organising unit change who attends"))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = importer.import_participants(
                    b"".join(upload.chunks()),
                    actor=request.user,
                    activity=activity,
                    name=upload.name[:200],
                    dry_run=form.cleaned_data["dry_run"],
                )
            except importer.ImportFileError as exc:
                form.add_error("file", str(exc))
            except ServiceError as exc:
                add_problems(form, exc)
            else:
                if report.ok and report.dry_run:
                    status = 200
                elif report.ok:
                    messages.success(
                        request,
                        ngettext(
                            "%(file)s: %(n)d participant added.",
                            "%(file)s: %(n)d participants added.",
                            report.created,
                        )
                        % {"file": report.name, "n": report.created},
                    )
                    return redirect("capacity:activity", activity_id=activity.pk)
    return render(
        request,
        "capacity/import.html",
        {"activity": activity, "form": form, "report": report, "columns": importer.COLUMNS},
        status=status,
    )


@require_safe
def participant_detail(request, participant_id):
    person = selectors.participant(request.user, participant_id)
    with transaction.atomic():
        record(request.user, "participant.read", person, data={"via": "page"})
    return render(
        request,
        "capacity/participant.html",
        {"person": person, "activities": list(selectors.participant_activities(request.user, person))},
    )


# ------------------------------------------------------------------ trainers
@require_safe
def trainer_list(request):
    filters = {k: (request.GET.get(k) or "").strip() for k in ("q", "nationality", "topic")}
    qs = selectors.trainers(
        request.user,
        q=filters["q"][:100] or None,
        nationality=filters["nationality"][:3] or None,
        topic=filters["topic"] if filters["topic"] in TopicCode.values else None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "capacity/trainer_list.html",
        {
            "page": page,
            "filters": filters,
            "keep": urlencode({k: v for k, v in filters.items() if v}),
            "topics": TopicCode.choices,
            "can_create": may_create(request.user),
        },
    )


@require_safe
def trainer_detail(request, trainer_id):
    trainer = selectors.trainer(request.user, trainer_id)
    return render(
        request,
        "capacity/trainer.html",
        {
            "trainer": trainer,
            "expertise": topic_labels(t.code for t in trainer.expertise.all()),
            "activities": list(selectors.trainer_activities(request.user, trainer)),
            "can_edit": may_edit_trainer(request.user, trainer),
        },
    )


def _trainer_form_page(request, form, trainer=None, status=200):
    return render(
        request,
        "capacity/form.html",
        {
            "form": form,
            "title": _("Edit the trainer") if trainer else _("Record a trainer"),
            "back": trainer.get_absolute_url() if trainer else None,
        },
        status=status,
    )


@GET_POST
def trainer_new(request):
    if not may_create(request.user):
        raise PermissionDenied(_("your role cannot record trainers"))
    form = TrainerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                trainer = services_people.create_trainer(actor=request.user, data=dict(form.cleaned_data))
            except ServiceError as exc:
                add_problems(form, exc)
            else:
                messages.success(request, _("Trainer recorded."))
                return redirect(trainer)
        return _trainer_form_page(request, form, status=400)
    return _trainer_form_page(request, form)


@GET_POST
def trainer_edit(request, trainer_id):
    trainer = selectors.trainer(request.user, trainer_id)
    if not may_edit_trainer(request.user, trainer):
        messages.error(
            request, _("only programme staff and the unit that recorded this trainer change the record")
        )
        return redirect(trainer)
    if request.method == "POST":
        form = TrainerForm(request.POST)
        if form.is_valid():
            try:
                services_people.update_trainer(
                    actor=request.user, trainer=trainer, data=dict(form.cleaned_data)
                )
            except ServiceError as exc:
                add_problems(form, exc)
            else:
                messages.success(request, _("Trainer saved."))
                return redirect(trainer)
        return _trainer_form_page(request, form, trainer, status=400)
    return _trainer_form_page(
        request, TrainerForm(initial=services_people.as_trainer_input(trainer)), trainer
    )
