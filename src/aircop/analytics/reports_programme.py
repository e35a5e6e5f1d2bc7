"""The programme report (docs/analytics.md, "The programme dashboard"): the dashboard's
cards, tables and charts for one date as HTML or an A4 PDF, through the same template for
both (reports.py's output), for the web and ``aircop report programme``.

The figures are those the programme publishes, so the report is labelled TLP:CLEAR unless
asked otherwise, and any signed-in user may have it. Each report appends
``report.generated`` (kind ``programme``, format, date, label) once it is rendered."""

from __future__ import annotations

from datetime import date

from aircop.analytics import programme, programme_sections, reports
from aircop.audit.services import record
from aircop.messaging.models import Tlp

PROGRAMME_TLP = Tlp.CLEAR


def parse_label(raw: str | None) -> str:
    """The report's TLP label: CLEAR by default (published figures), else as reports.parse_tlp."""
    return reports.parse_tlp(raw) if raw else PROGRAMME_TLP


def context(user, at: date, *, tlp: str) -> dict:
    """The figures, cards and charts of the report; ``user`` None: the operator of the CLI."""
    return {
        **programme_sections.build(programme.summary(at)),
        "kind": "programme",
        "tlp": tlp,
        "day": reports._day(at),
        **reports._generated(user),
    }


def programme_report(user, at: date, *, fmt_name: str, tlp: str | None = None, links=None) -> reports.Report:
    reports._check_format(fmt_name)
    label = parse_label(tlp)
    report = reports._output(
        "analytics/report_programme.html",
        context(user, at, tlp=label),
        fmt_name,
        f"aircop-programme-{at.isoformat()}",
        links,
    )
    record(
        user,
        "report.generated",
        object_type="analytics.programme",
        data={"kind": "programme", "format": fmt_name, "at": at.isoformat(), "tlp": label},
    )
    return report
