"""An operation's results: the page (charts with their tables) and the report as HTML or PDF.
Whoever sees the operation sees its results (aggregates, no nominal data); anyone else gets
404."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from aircop.analytics.views import REPORT_CSP
from aircop.operations import report, selectors


@require_safe
def results(request, name):
    operation = selectors.operation(request.user, name)
    context = report.context(request.user, operation, page=True)
    context["access"] = selectors.access(request.user, operation)
    return render(request, "operations/results.html", context)


@require_safe
def report_view(request, name, fmt):
    """/operations/<name>/report.html|.pdf"""
    operation = selectors.operation(request.user, name)
    links = [
        (_("PDF"), reverse("operations:report", args=[operation.name, "pdf"])),
        (_("Back to the results"), reverse("operations:results", args=[operation.name])),
    ]
    out = report.report(request.user, operation, fmt_name=fmt, links=links)
    response = HttpResponse(out.body, content_type=out.content_type)
    response["Content-Disposition"] = f'inline; filename="{out.filename}"'
    response["Cache-Control"] = "private, no-store"
    response._csp_config = REPORT_CSP  # the report's own style sheet and inline SVG, nothing else
    return response
