"""An operation's results as the page and the report show them (HTML, and PDF through
WeasyPrint): results.py's figures, each with a chart (analytics/charts.py, SVG) and a table
holding the same numbers. The report reuses the analysis reports' base template and output
(analytics/reports.py); generating one is audited (``report.generated``)."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from aircop.analytics import charts
from aircop.analytics.dashboard import Table, airports_of, fmt, mass_text, quantity_text
from aircop.analytics.reports import CONTENT_TYPES, Report, inline_svg, to_pdf
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.messaging.models import Result
from aircop.operations import calendar, results, selectors
from aircop.operations.models import Operation
from aircop.seizures.codes import Category, subtype_label

FORMATS = ("html", "pdf")
ROUTES_SHOWN = 20
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)


def _svg(svg: bytes, prefix: str, *, page: bool) -> SafeString:
    """Inline SVG; on the web page without matplotlib's <style> element (the page's content
    security policy allows no inline style; it only sets line joins)."""
    text = inline_svg(svg, prefix)
    return mark_safe(_STYLE_ELEMENT.sub("", text)) if page else text  # noqa: S308  our own SVG, escaped by matplotlib


def commodity_label(code: str) -> str:
    """A category's or a subtype's label."""
    return str(Category(code).label) if code in Category.values else subtype_label(code)


def _route(key: str) -> str:
    return " > ".join(key.split(">"))


def _quantity(row: dict) -> str:
    """ "260 kg", "306,100 tablets", "78,850 EUR, 24.1 million XOF"."""
    parts = [mass_text(row["mass_kg"])] if row["mass_kg"] else []
    parts += [quantity_text(unit, n) for unit, n in row["counts"].items()]
    parts += [quantity_text(currency, amount) for currency, amount in row["amounts"].items()]
    return _(", ").join(parts) or "—"


def _bars(table: Table, value: str, axis: str, *, page: bool) -> SafeString:
    return _svg(charts.bars(table, "label", value, axis, _("Nothing to draw")), table.name, page=page)


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT")


def sections(figures: dict, *, page: bool) -> list[dict]:
    """The five parts of the results: texts, a chart and the table beside it."""
    n = figures["seizures"]
    commodity = Table(
        "commodity", _("Seizures by commodity"), [("label", _("Commodity")), ("seizures", _("Seizures"))]
    )
    commodity.rows = [[subtype_label(r["subtype"]), r["seizures"]] for r in figures["by_commodity"]]
    airport = Table(
        "airport", _("Seizures by airport"), [("label", _("Airport")), ("seizures", _("Seizures"))]
    )
    airport.rows = [[r["airport"], r["seizures"]] for r in figures["by_airport"]]
    routes = figures["by_route"][:ROUTES_SHOWN]
    route_table = Table(
        "route",
        _("Seizures by route"),
        [("route", _("Route")), ("seizures", _("Seizures")), ("mass_kg", _("Kilograms"))],
        [[r["route"], r["seizures"], r["mass_kg"]] for r in routes],
    )
    route_svg = charts.route_map(
        route_table,
        airports_of([r["route"] for r in routes]),
        limit=ROUTES_SHOWN,
        empty=_("No route"),
        lon_label=_("Longitude"),
        lat_label=_("Latitude"),
    )
    a = figures["alerts"]
    outcome_rows = [[_("Acknowledged"), a["acknowledged"]]]
    outcome_rows += [[str(Result(code).label), a["outcomes"][code]] for code in Result.values]
    outcome_rows.append([_("No outcome reported"), a["no_outcome"]])
    outcome = Table("outcomes", _("Alerts and outcomes"), [("label", _("Measure")), ("units", _("Units"))])
    outcome.rows = outcome_rows
    units = figures["participation"]
    participation = Table(
        "participation", _("Participation"), [("label", _("Unit")), ("reports", _("Reports"))]
    )
    participation.rows = [[u["airport"] or u["unit"], u["reports"]] for u in units]

    seizure_texts = [
        ngettext(
            "%(total)s seizure counted: %(linked)s linked in situation reports, %(window)s recorded by "
            "participating units within the window (%(both)s both).",
            "%(total)s seizures counted: %(linked)s linked in situation reports, %(window)s recorded by "
            "participating units within the window (%(both)s both).",
            n["total"],
        )
        % {k: fmt(n[k]) for k in ("total", "linked", "window", "both")},
        _("Submitted and validated records only, of every handling label; drafts are never counted."),
    ]
    if n["linked_drafts"]:
        seizure_texts.append(
            ngettext(
                "%(n)s record linked in a report is still a draft and is not counted.",
                "%(n)s records linked in reports are still drafts and are not counted.",
                n["linked_drafts"],
            )
            % {"n": fmt(n["linked_drafts"])}
        )
    route_texts = []
    if figures["routes_withheld"]:
        route_texts.append(
            ngettext(
                "%(n)s route of fewer than %(min)d seizures is withheld.",
                "%(n)s routes of fewer than %(min)d seizures are withheld.",
                figures["routes_withheld"],
            )
            % {"n": fmt(figures["routes_withheld"]), "min": figures["min_cell"]}
        )
    if figures["seizures_without_route"]:
        route_texts.append(
            _("%(n)s seizures have no route recorded.") % {"n": fmt(figures["seizures_without_route"])}
        )
    alert_texts = [
        ngettext(
            "%(n)s alert was sent to the operation by %(senders)s units; it reached %(recipients)s "
            "recipient units.",
            "%(n)s alerts were sent to the operation by %(senders)s units; they reached %(recipients)s "
            "recipient units.",
            a["alerts"],
        )
        % {"n": fmt(a["alerts"]), "senders": fmt(a["senders"]), "recipients": fmt(a["recipients"])}
    ]
    t = figures["totals"]
    participation_texts = [
        _(
            "%(reports)s situation reports from %(units)s participating units over %(days)s days: "
            "%(controls)s controls, %(passengers)s passengers, %(bags)s bags, %(consignments)s "
            "consignments and %(mail)s mail items checked."
        )
        % {
            "reports": fmt(figures["reports"]),
            "units": fmt(len(units)),
            "days": fmt(figures["days"]),
            "controls": fmt(t["controls"]),
            "passengers": fmt(t["passengers_checked"]),
            "bags": fmt(t["bags_checked"]),
            "consignments": fmt(t["consignments_checked"]),
            "mail": fmt(t["mail_checked"]),
        }
    ]

    def num(value, decimals=0):
        return (fmt(value, decimals), True)

    return [
        {
            "id": "commodity",
            "title": commodity.title,
            "texts": seizure_texts,
            "chart": _bars(commodity, "seizures", _("Seizures"), page=page),
            "head": [
                (_("Commodity"), False),
                (_("Category"), False),
                (_("Seizures"), True),
                (_("Quantity"), True),
            ],
            "rows": [
                [
                    (subtype_label(r["subtype"]), False),
                    (
                        str(Category(r["category"]).label)
                        if r["category"] in Category.values
                        else r["category"],
                        False,
                    ),
                    num(r["seizures"]),
                    (_quantity(r), True),
                ]
                for r in figures["by_commodity"]
            ],
        },
        {
            "id": "airport",
            "title": airport.title,
            "texts": [],
            "chart": _bars(airport, "seizures", _("Seizures"), page=page),
            "head": [(_("Airport"), False), (_("Seizures"), True), (_("Kilograms"), True)],
            "rows": [
                [(f"{r['airport']} — {r['name']}", False), num(r["seizures"]), num(r["mass_kg"], 1)]
                for r in figures["by_airport"]
            ],
        },
        {
            "id": "route",
            "title": route_table.title,
            "texts": route_texts,
            "chart": _svg(route_svg, "route", page=page),
            "head": [(_("Route"), False), (_("Seizures"), True), (_("Kilograms"), True)],
            "rows": [[(_route(r["route"]), False), num(r["seizures"]), num(r["mass_kg"], 1)] for r in routes],
        },
        {
            "id": "alerts",
            "title": outcome.title,
            "texts": alert_texts,
            "chart": _bars(outcome, "units", _("Recipient units"), page=page),
            "head": [(_("Measure"), False), (_("Recipient units"), True)],
            "rows": [[(label, False), num(value)] for label, value in outcome_rows],
        },
        {
            "id": "participation",
            "wide": True,
            "title": participation.title,
            "texts": participation_texts,
            "chart": _bars(participation, "reports", _("Reports"), page=page),
            "head": [
                (_("Unit"), False),
                (_("Reports"), True),
                (_("Days due"), True),
                (_("Share of days reported"), True),
                (_("Controls"), True),
                (_("Passengers"), True),
                (_("Bags"), True),
                (_("Consignments"), True),
                (_("Mail items"), True),
                (_("Seizures linked"), True),
                (_("Alerts sent"), True),
            ],
            "rows": [
                [
                    (u["name"], False),
                    num(u["reports"]),
                    num(u["days_due"]),
                    (_("%(n)s %%") % {"n": fmt(u["share"] * 100, 0)}, True),
                    num(u["controls"]),
                    num(u["passengers_checked"]),
                    num(u["bags_checked"]),
                    num(u["consignments_checked"]),
                    num(u["mail_checked"]),
                    num(u["seizures_linked"]),
                    num(u["alerts_sent"]),
                ]
                for u in units
            ],
        },
    ]


def figures_for(user, operation: Operation) -> dict:
    """The figures as ``user`` may read them (routes withheld for readers outside it)."""
    member = selectors.access(user, operation).member
    return results.figures(operation, withhold_small_routes=not member)


def context(user, operation: Operation, *, page: bool) -> dict:
    figures = figures_for(user, operation)
    return {
        "kind": "operation",
        "operation": operation,
        "state": operation.state_label(),
        "tlp": operation.tlp,
        "figures": figures,
        "sections": sections(figures, page=page),
        "participants": list(selectors.participants(operation)),
        "period": tuple(_day(d) for d in calendar.window_days(operation)),  # first and last UTC days
        "commodities": [commodity_label(c) for c in operation.commodities],
        "generated_at": timezone.now(),
        "generated_by": user.get_username(),
    }


def report(user, operation: Operation, *, fmt_name: str, links=None) -> Report:
    if fmt_name not in FORMATS:
        raise ServiceError(_("unknown format %(value)r (html or pdf)") % {"value": fmt_name}, field="format")
    data = context(user, operation, page=False)
    html = render_to_string(
        "operations/report.html",
        {**data, "links": links if fmt_name == "html" else None, "language": get_language()},
    )
    body = to_pdf(html) if fmt_name == "pdf" else html.encode()
    record(user, "report.generated", operation, data={"kind": "operation", "format": fmt_name})
    return Report(body, CONTENT_TYPES[fmt_name], f"aircop-operation-{operation.name}.{fmt_name}")
