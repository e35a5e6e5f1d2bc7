"""The seizure analysis dashboard (docs/analytics.md). Thin: the scope comes from a GET form
through queries.parse_scope, the figures from dashboard.py, the charts from charts.py.

One view answers three ways: the page; ``?format=csv&figure=<name>`` a figure's table as a
CSV attachment; ``?format=svg&figure=<name>`` its chart (image/svg+xml, shown by the page
in an <img>).

The report views (reports.py) answer the strategic report for the same scope, and the case
report of one seizure or one alert, as HTML or PDF."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from csp.constants import NONE, UNSAFE_INLINE
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from aircop.analytics import charts, dashboard, queries, reports
from aircop.analytics.dashboard import FIGURES, MIN_CELL, ROUTES_SHOWN, WITHHELD, Table, fmt
from aircop.core.errors import ServiceError
from aircop.network.models import Region
from aircop.seizures.codes import Category, subtype_label

CHARTS = ("trend", "routes", "concealment", "detection", "nationality", "sex")
PLACE_FIELDS = ("region", "country", "airport")


class ScopeForm(forms.Form):
    """from, to, region, country, airport: the names of the summary API's parameters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date = forms.DateInput(attrs={"type": "date"})
        self.fields["from"] = forms.CharField(
            label=pgettext_lazy("start date", "From"), required=False, widget=date
        )
        self.fields["to"] = forms.CharField(
            label=pgettext_lazy("end date", "To"), required=False, widget=date
        )
        regions = Region.objects.order_by("is_partner", "name").values_list("code", "name")
        self.fields["region"] = forms.ChoiceField(
            label=gettext_lazy("Region"), required=False, choices=[("", "—"), *regions]
        )
        self.fields["country"] = forms.CharField(
            label=gettext_lazy("Country"),
            required=False,
            max_length=3,
            help_text=gettext_lazy("ISO code, e.g. TG or TGO"),
        )
        self.fields["airport"] = forms.CharField(
            label=gettext_lazy("Airport"), required=False, max_length=3, help_text=gettext_lazy("IATA code")
        )


def _scope(request) -> tuple[ScopeForm, queries.Scope | None]:
    form = ScopeForm(request.GET)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    try:
        scope = queries.parse_scope(
            date_from=data["from"].strip() or None,
            date_to=data["to"].strip() or None,
            **{k: data[k].strip() or None for k in PLACE_FIELDS},
        )
    except ServiceError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return form, None
    return form, scope


def seizures_dashboard(request):
    try:
        queries.check_reader(request.user)
    except ServiceError as exc:
        raise PermissionDenied(exc.message) from None
    form, scope = _scope(request)
    output = request.GET.get("format")
    if output in ("csv", "svg"):
        name = request.GET.get("figure", "")
        if name not in (FIGURES if output == "csv" else CHARTS):
            raise Http404("no such figure")
        if scope is None:
            return HttpResponseBadRequest(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
                content_type="text/plain; charset=utf-8",
            )
        if output == "csv":
            return _csv(dashboard.figure(name, request.user, scope), scope)
        return _svg(name, request.user, scope)
    context = {"form": form, "scope": scope, "min_cell": MIN_CELL}
    if scope is not None:
        context.update(_page(request.user, scope))
    return render(request, "analytics/dashboard.html", context, status=200 if scope else 400)


# --------------------------------------------------------------------------- outputs
def _csv(table: Table, scope: queries.Scope) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.keys)
    for row in table.rows:
        writer.writerow(["suppressed" if cell is WITHHELD else cell for cell in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"aircop-{table.name}-{scope.date_from.isoformat()}-{scope.date_to.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _svg(name: str, user, scope: queries.Scope) -> HttpResponse:
    table = dashboard.figure(name, user, scope)
    empty = _("No seizure in the scope")
    if name == "trend":
        labels = {c: str(label) for c, label in Category.choices}
        body = charts.trend(table, _("Seizures"), _("Kilograms"), labels)
    elif name == "routes":
        shown = [r[0] for r in table.rows if r[1] is not WITHHELD][:ROUTES_SHOWN]
        body = charts.route_map(
            table,
            dashboard.airports_of(shown),
            limit=ROUTES_SHOWN,
            empty=_("No route in the scope"),
            lon_label=_("Longitude"),
            lat_label=_("Latitude"),
        )
    elif name in ("nationality", "sex"):
        body = charts.bars(table, "label", "persons", _("Persons"), empty)
    else:
        body = charts.bars(table, "label", "seizures", _("Seizures"), empty)
    response = HttpResponse(body, content_type="image/svg+xml")
    # matplotlib writes style attributes; an SVG has no script, and may load nothing.
    response._csp_config = {
        "default-src": [NONE],
        "style-src": [UNSAFE_INLINE],
        "frame-ancestors": [NONE],
    }
    return response


# --------------------------------------------------------------------------- the page
PAGE_HIDDEN = {"concealment", "detection", "measure", "sex"}
COUNT_KEYS = {"seizures", "persons"}
SHARE_KEYS = {"share", "report_rate", "seizure_rate"}


def _cell(key: str, value) -> str:
    if value is WITHHELD:
        return _("fewer than %(n)d") % {"n": MIN_CELL} if key in COUNT_KEYS else _("withheld")
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if key in SHARE_KEYS:
        return _("%(n)s %%") % {"n": fmt(value * 100, 1)}
    if key == "mass_kg" or key.endswith("_kg"):
        return fmt(value, 1)
    if isinstance(value, int):
        return fmt(value)
    if isinstance(value, float):
        return fmt(value, 2)
    if key == "route":
        return " > ".join(value.split(">"))
    return str(value)


TEXT_KEYS = {"label", "route", "country", "unit", "month", "category", "subtype"}


def _display(table: Table, limit: int | None = None) -> dict:
    """The rows as the page shows them: (text, withheld?, numeric?) per cell."""
    keep = [(i, k) for i, (k, _label) in enumerate(table.columns) if k not in PAGE_HIDDEN]
    rows = table.rows if limit is None else table.rows[:limit]
    return {
        "head": [(table.columns[i][1], k not in TEXT_KEYS) for i, k in keep],
        "rows": [
            [(_cell(k, row[i]), row[i] is WITHHELD, k not in TEXT_KEYS) for i, k in keep] for row in rows
        ],
        "more": len(table.rows) - len(rows),
    }


def _page(user, scope: queries.Scope) -> dict:
    query = {k: v for k, v in scope.describe().items() if v}

    def links(name: str) -> dict:
        return {
            "csv_url": "?" + urlencode({**query, "format": "csv", "figure": name}),
            "svg_url": "?" + urlencode({**query, "format": "svg", "figure": name}) if name in CHARTS else "",
        }

    head = dashboard.headline(scope)
    headline_table = head["table"]
    headline_rows = {
        "head": [
            (_("Category"), False),
            (_("Commodity"), False),
            (_("Quantity"), True),
            (_("Seizures"), True),
        ],
        "rows": [
            [
                (str(Category(r[0]).label) if r[0] in Category.values else r[0], False, False),
                (subtype_label(r[1]), False, False),
                (dashboard.quantity_text(r[2], r[3]), False, True),
                (fmt(r[4]), False, True),
            ]
            for r in headline_table.rows
        ],
        "more": 0,
    }
    sections = []
    for table, display in (
        (dashboard.trend(scope), None),
        (dashboard.routes(user, scope), ROUTES_SHOWN),
        (dashboard.concealment(scope), None),
        (dashboard.detection(scope), None),
        (dashboard.nationality(user, scope), None),
        (dashboard.sex(user, scope), None),
        (dashboard.tipoff(scope), None),
        (dashboard.outcomes(user), None),
    ):
        sections.append({"table": table, "display": _display(table, display), **links(table.name)})
    return {
        "headline": head,
        "headline_section": {"table": headline_table, "display": headline_rows, **links("headline")},
        "sections": sections,
        "all_own": queries.all_own(user, scope),
    }


# --------------------------------------------------------------------------- reports
# A report page carries its own style sheet and inline SVG charts (style attributes), and
# nothing else: no script, no fetch; images are data: URIs.
REPORT_CSP = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}


def _report_response(report: reports.Report) -> HttpResponse:
    response = HttpResponse(report.body, content_type=report.content_type)
    response["Content-Disposition"] = f'inline; filename="{report.filename}"'
    response["Cache-Control"] = "private, no-store"
    response._csp_config = REPORT_CSP
    return response


@require_safe
def strategic_report(request, fmt):
    """/analytics/reports/strategic.html|.pdf?from=&to=&region=|country=|airport=[&tlp=]"""
    try:
        queries.check_reader(request.user)
    except ServiceError as exc:
        raise PermissionDenied(exc.message) from None
    form, scope = _scope(request)
    problems = [f"{k}: {' '.join(v)}" for k, v in form.errors.items()] if scope is None else []
    try:
        tlp = reports.parse_tlp(request.GET.get("tlp"))
    except ServiceError as exc:
        problems.append(f"tlp: {exc.message}")
    if problems:
        return HttpResponseBadRequest("; ".join(problems), content_type="text/plain; charset=utf-8")
    query = {k: v for k, v in scope.describe().items() if v}
    links = [
        (
            _("PDF"),
            reverse("analytics:report_strategic", args=["pdf"]) + "?" + urlencode({**query, "tlp": tlp}),
        ),
        (_("Back to the analysis"), reverse("analytics:dashboard") + "?" + urlencode(query)),
    ]
    return _report_response(reports.strategic(request.user, scope, fmt_name=fmt, tlp=tlp, links=links))


@require_safe
def seizure_report(request, seizure_id, fmt):
    """/analytics/reports/seizure/<id>.html|.pdf: 404 when the reader may not see the record."""
    links = [
        (_("PDF"), reverse("analytics:report_seizure", args=[seizure_id, "pdf"])),
        (_("Back to the record"), reverse("seizures:detail", args=[seizure_id])),
    ]
    return _report_response(reports.seizure_report(request.user, int(seizure_id), fmt_name=fmt, links=links))


@require_safe
def alert_report(request, alert_id, fmt):
    """/analytics/reports/alert/<id>.html|.pdf: 404 when the reader may not see the alert."""
    links = [
        (_("PDF"), reverse("analytics:report_alert", args=[alert_id, "pdf"])),
        (_("Back to the alert"), reverse("messaging:alert", args=[alert_id])),
    ]
    return _report_response(reports.alert_report(request.user, int(alert_id), fmt_name=fmt, links=links))
