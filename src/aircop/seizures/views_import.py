"""The web's CSV import: upload, then a progress page while the background worker imports
(core/tasks.py), then the report: counts, or every bad row with its line and column."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from aircop.core import tasks
from aircop.core.models import Task
from aircop.core.visibility import get_visible_or_404
from aircop.network.models import Unit
from aircop.seizures import services
from aircop.seizures import tasks as seizure_tasks

MAX_UPLOAD = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file (columns as in the import guide)"))
    unit = forms.ChoiceField(label=gettext_lazy("Recording unit of rows that name none"), required=False)
    submit_records = forms.BooleanField(
        label=gettext_lazy("Submit the records (otherwise they are saved as drafts)"),
        required=False,
        initial=True,
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file, import nothing"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("by airport"))] + [(u.code, u.name) for u in units]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("the file is larger than 50 MB: split it"))
        return upload


def _recording_units(user):
    if user.role not in services.RECORDING_ROLES:
        raise PermissionDenied(_("your role cannot record seizures"))
    return list(
        Unit.objects.filter(
            memberships__user=user, kind__in=services.RECORDING_UNIT_KINDS, is_active=True
        ).order_by("code")
    )


def import_start(request):
    units = _recording_units(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = seizure_tasks.keep_upload(b"".join(upload.chunks()))
        task = tasks.enqueue(
            seizure_tasks.IMPORT_KIND,
            {
                "stored": stored,
                "name": upload.name[:200],
                "unit": form.cleaned_data["unit"] or None,
                "dry_run": form.cleaned_data["dry_run"],
                "submit": form.cleaned_data["submit_records"],
            },
            user=request.user,
        )
        return redirect("seizures:import_progress", task_id=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "seizures/import.html", {"form": form}, status=status)


def _task(request, task_id) -> Task:
    return get_visible_or_404(Task.objects.filter(kind=seizure_tasks.IMPORT_KIND), request.user, pk=task_id)


def _percent(task: Task) -> int:
    if task.finished:
        return 100
    if not task.total:
        return 0
    # Two stages of equal weight: checking every row, then writing them.
    half = 50 if task.stage == "written" else 0
    return min(99, half + int(50 * task.done / task.total))


@require_safe
def import_progress(request, task_id):
    task = _task(request, task_id)
    return render(request, "seizures/import_progress.html", {"task": task, "percent": _percent(task)})


@require_safe
def import_status(request, task_id):
    task = _task(request, task_id)
    return JsonResponse(
        {
            "status": task.status,
            "stage": task.stage,
            "done": task.done,
            "total": task.total,
            "percent": _percent(task),
            "finished": task.finished,
        }
    )
