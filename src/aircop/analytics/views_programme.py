"""The programme dashboard (docs/analytics.md, "The programme dashboard"): the figures the
programme publishes for one date, ``?at=YYYY-MM-DD`` (default today), for every signed-in
user. Thin: the figures are programme.summary(at), their cards, tables and charts
programme_sections.build(); the charts are inline SVG without any inline style, so the page
keeps the site's strict content security policy.

``programme.html`` and ``programme.pdf`` answer the same figures as a report
(reports_programme.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from aircop.analytics import programme, programme_sections, reports_programme
from aircop.analytics.views import _report_response
from aircop.core.errors import ServiceError


@require_safe
def programme_page(request):
    today = timezone.localdate()
    raw = request.GET.get("at", "")
    context = {"raw_at": raw, "today": today, "first_day": programme.FIRST_DAY, "error": ""}
    try:
        at = programme.parse_at(raw, today)
    except ServiceError as exc:
        context["error"] = exc.message
        return render(request, "analytics/programme.html", context, status=400)
    query = urlencode({"at": at.isoformat()})
    context.update(
        programme_sections.build(programme.summary(at)),
        raw_at=at.isoformat(),
        html_url=reverse("analytics:programme_report", args=["html"]) + "?" + query,
        pdf_url=reverse("analytics:programme_report", args=["pdf"]) + "?" + query,
    )
    return render(request, "analytics/programme.html", context)


@require_safe
def programme_report(request, fmt):
    """/analytics/programme.html|.pdf?at=YYYY-MM-DD[&tlp=]: 400 naming a bad parameter."""
    problems = []
    try:
        at = programme.parse_at(request.GET.get("at"), timezone.localdate())
    except ServiceError as exc:
        problems.append(f"at: {exc.message}")
    try:
        tlp = reports_programme.parse_label(request.GET.get("tlp"))
    except ServiceError as exc:
        problems.append(f"tlp: {exc.message}")
    if problems:
        return HttpResponseBadRequest("; ".join(problems), content_type="text/plain; charset=utf-8")
    query = {"at": at.isoformat()}
    links = [
        (
            _("PDF"),
            reverse("analytics:programme_report", args=["pdf"]) + "?" + urlencode({**query, "tlp": tlp}),
        ),
        (_("Back to the programme dashboard"), reverse("analytics:programme") + "?" + urlencode(query)),
    ]
    report = reports_programme.programme_report(request.user, at, fmt_name=fmt, tlp=tlp, links=links)
    return _report_response(report)
