"""The operation pages: list, detail, creation and change, and the heightened-exchange view
(the live feed). Thin: selectors read, services write; a ServiceError goes back to the form
field it names."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.core.errors import ServiceError
from aircop.operations import calendar, selectors, services
from aircop.operations.forms import OperationForm
from aircop.operations.models import State
from aircop.operations.report import commodity_label


def apply_error(form, exc: ServiceError) -> None:
    """A service error on the field it names (``units[2]`` on ``units``), else on the form."""
    field = (exc.field or "").split("[")[0].split(".")[0]
    if field in form.fields:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, f"{exc.field}: {exc.message}" if exc.field else exc.message)


def operation_list(request):
    now = timezone.now()
    groups = [
        (State.RUNNING.label, selectors.operations(request.user, state=State.RUNNING, now=now)),
        (State.PLANNED.label, selectors.operations(request.user, state=State.PLANNED, now=now)),
        (State.FINISHED.label, selectors.operations(request.user, state=State.FINISHED, now=now)),
    ]
    return render(
        request,
        "operations/list.html",
        {"groups": groups, "may_create": request.user.role in services.CREATING_ROLES},
    )


def _page_context(request, operation) -> dict:
    user = request.user
    access = selectors.access(user, operation)
    return {
        "operation": operation,
        "access": access,
        "state": operation.state(),
        "participants": selectors.participants(operation),
        "coordinators": operation.coordinators.order_by("username"),
        "window_days": calendar.window_days(operation),
        "may_send": bool(access.my_units) or operation.coordinator_unit_id in user.unit_ids(),
        "commodities": [commodity_label(code) for code in operation.commodities],
    }


def detail(request, name):
    operation = selectors.operation(request.user, name)
    return render(request, "operations/detail.html", _page_context(request, operation))


def create(request):
    if request.user.role not in services.CREATING_ROLES:
        raise PermissionDenied(
            _("only national coordinators and programme administrators create joint operations")
        )
    form = OperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            operation = services.create_operation(actor=request.user, **form.service_arguments())
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Operation created."))
            return redirect("operations:detail", name=operation.name)
    return render(request, "operations/form.html", {"form": form, "operation": None})


def edit(request, name):
    operation = selectors.operation(request.user, name)
    if not selectors.access(request.user, operation).manage:
        raise PermissionDenied(_("only the operation's coordinators change it"))
    form = OperationForm(request.POST or None, editing=True, initial=OperationForm.initial_of(operation))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_operation(actor=request.user, operation=operation, **form.service_arguments())
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Operation updated."))
            return redirect("operations:detail", name=operation.name)
    return render(request, "operations/form.html", {"form": form, "operation": operation})


def live(request, name):
    """The heightened-exchange view: the operation's alerts, acknowledgements and outcomes as
    they come (live.js refreshes the regions marked data-live on every event), and today's
    reports of the user's units."""
    operation = selectors.operation(request.user, name)
    context = _page_context(request, operation)
    if not context["access"].member:  # oversight reads the aggregated results, not the traffic
        raise Http404("not found")
    today = []
    for unit in selectors.participants(operation):
        if unit.pk in context["access"].my_units:
            day = calendar.local_today(calendar.unit_tz(unit))
            filed = selectors.sitreps(request.user, operation, day=day, unit=unit.code).exists()
            today.append((unit, day, filed, calendar.is_operation_day(operation, unit, day)))
    context.update(
        {
            "feed": selectors.feed(request.user, operation),
            "alerts_count": selectors.alerts(request.user, operation).count(),
            "today": today,
        }
    )
    return render(request, "operations/live.html", context)
