"""Situation reports on the web: the operation's reports, filing (or editing) one for a unit
and day, and the coordinator's view of the units that have not reported on a day."""

from __future__ import annotations

import contextlib
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.core.errors import ServiceError
from aircop.operations import calendar, selectors, services
from aircop.operations.forms import DayForm, SitrepForm
from aircop.operations.views import apply_error


def _day(request) -> date | None:
    form = DayForm(request.GET)
    return form.cleaned_data["day"] if form.is_valid() else None


def sitreps(request, name):
    operation = selectors.operation(request.user, name)
    access = selectors.access(request.user, operation)
    if not access.member:  # oversight reads the aggregated results, not the reports
        raise Http404("not found")
    day = _day(request)
    rows = []
    for report in selectors.sitreps(request.user, operation, day=day, unit=request.GET.get("unit") or None):
        shown = list(selectors.linked_seizures(request.user, report))
        rows.append((report, shown, report.seizures.count() - len(shown)))
    return render(
        request,
        "operations/sitreps.html",
        {
            "operation": operation,
            "access": access,
            "rows": rows,
            "day_form": DayForm(request.GET or None),
            "day": day,
        },
    )


def file(request, name):
    """GET ?unit=&day= shows the form (the unit's report for that day when there is one);
    POST files it, or edits the existing one."""
    operation = selectors.operation(request.user, name)
    access = selectors.access(request.user, operation)
    units = [u for u in selectors.participants(operation) if u.pk in access.my_units]
    if not units:
        raise Http404("not found")
    source = request.POST if request.method == "POST" else request.GET
    unit = next((u for u in units if u.code == source.get("unit")), units[0])
    day = source.get("day") or calendar.local_today(calendar.unit_tz(unit)).isoformat()
    seizures = selectors.reportable_seizures(request.user, unit, operation)[:300]
    initial = {"unit": unit.code, "day": day}
    existing = None
    with contextlib.suppress(Http404, ValueError):
        existing = selectors.sitrep(request.user, operation, unit.code, date.fromisoformat(day))
    if existing is not None:
        initial.update({f: getattr(existing, f) for f in services.COUNT_FIELDS})
        initial["remarks"] = existing.remarks
        initial["seizures"] = [str(pk) for pk in existing.seizures.values_list("pk", flat=True)]
    if request.method == "POST":
        form = SitrepForm(request.POST, units=units, seizures=seizures)
        if form.is_valid():
            try:
                _report, created = services.file_report(
                    user=request.user, operation=operation, **form.service_arguments()
                )
            except ServiceError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Report filed.") if created else _("Report updated."))
                return redirect("operations:sitreps", name=operation.name)
        status = 400
    else:
        form = SitrepForm(initial=initial, units=units, seizures=seizures)
        status = 200
    return render(
        request,
        "operations/sitrep_form.html",
        {"operation": operation, "access": access, "form": form, "existing": existing},
        status=status,
    )


def missing(request, name):
    """Which participating units have reported, and which have not, on a day (today, UTC,
    unless another day is chosen)."""
    operation = selectors.operation(request.user, name)
    day = _day(request) or timezone.now().date()
    return render(
        request,
        "operations/missing.html",
        {
            "operation": operation,
            "access": selectors.access(request.user, operation),
            "found": selectors.missing_reports(operation, day),
            "day_form": DayForm(initial={"day": day}),
        },
    )
