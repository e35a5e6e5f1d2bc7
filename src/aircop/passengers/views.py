"""The HTML side of passenger data: a unit's flights of the day, a flight's manifest (an
audited read) and the web upload with its progress. Thin: selectors read, tasks ingest."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from aircop.core import tasks
from aircop.core.models import Task
from aircop.core.visibility import get_visible_or_404
from aircop.network import reference
from aircop.passengers import selectors, services
from aircop.passengers import tasks as passenger_tasks
from aircop.passengers.models import Source

DIRECTIONS = ("inbound", "outbound")


def _tz(iata: str) -> str:
    return (reference.airport_record(iata) or {}).get("tz") or "UTC"


@require_safe
def flight_list(request):
    airports = selectors.airports_in_reach(request.user)
    if not airports:
        return render(request, "passengers/no_reach.html", {"may_upload": services.may_upload(request.user)})
    airport = (request.GET.get("airport") or airports[0]).upper()
    if airport not in airports:
        raise Http404("not found")
    tz = _tz(airport)
    today = datetime.now(ZoneInfo(tz)).date()
    day = parse_date(request.GET.get("date") or "") or today
    start, end = selectors.local_day(day, tz)
    lists = {
        direction: list(
            selectors.flights(request.user, airport=airport, start=start, end=end, direction=direction)
        )
        for direction in DIRECTIONS
    }
    return render(
        request,
        "passengers/flights.html",
        {
            "airports": airports,
            "airport": airport,
            "airport_name": (reference.airport_record(airport) or {}).get("name", ""),
            "tz": tz,
            "day": day,
            "today": today,
            "inbound": lists["inbound"],
            "outbound": lists["outbound"],
            "may_upload": services.may_upload(request.user),
        },
    )


@require_safe
def flight_detail(request, flight_id: int):
    flight = selectors.flight(request.user, flight_id)
    travellers = selectors.manifest(request.user, flight, via="page")
    bookings = selectors.bookings(request.user, flight, via="page")
    return render(
        request,
        "passengers/flight.html",
        {
            "flight": flight,
            "dep_tz": _tz(flight.departure_airport),
            "arr_tz": _tz(flight.arrival_airport),
            "passengers": [t for t in travellers if t.type != "crew"],
            "crew": [t for t in travellers if t.type == "crew"],
            "bookings": bookings,
            "messages": selectors.messages(request.user).filter(flights=flight)[:20],
        },
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("PAXLST, PNRGOV or CSV manifest file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("the file is larger than 20 MB: split it"))
        return upload


@require_http_methods(["GET", "POST"])
def upload(request):
    if not services.may_upload(request.user):
        raise Http404("not found")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        stored = passenger_tasks.keep_upload(b"".join(file.chunks()))
        task = tasks.enqueue(
            passenger_tasks.INGEST_KIND,
            {"stored": stored, "name": file.name[:200], "source": Source.WEB, "size": file.size},
            user=request.user,
        )
        return redirect("passengers:upload_progress", task_id=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "passengers/upload.html", {"form": form}, status=status)


def _task(request, task_id) -> Task:
    return get_visible_or_404(Task.objects.filter(kind=passenger_tasks.INGEST_KIND), request.user, pk=task_id)


def _percent(task: Task) -> int:
    if task.finished:
        return 100
    return min(99, int(100 * task.done / task.total)) if task.total else 0


@require_safe
def upload_progress(request, task_id: int):
    task = _task(request, task_id)
    return render(request, "passengers/upload_progress.html", {"task": task, "percent": _percent(task)})


@require_safe
def upload_status(request, task_id: int):
    task = _task(request, task_id)
    return JsonResponse(
        {
            "status": task.status,
            "done": task.done,
            "total": task.total,
            "percent": _percent(task),
            "finished": task.finished,
        }
    )
