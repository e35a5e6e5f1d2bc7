"""Reports (docs/analytics.md, "Reports"): the strategic report over a period and a place,
and the operational case report of one seizure or one alert, as HTML or PDF.

One template renders both outputs: the web shows the HTML, WeasyPrint turns the same HTML
into an A4 PDF (page numbers, the report's TLP label at the top of every page). Charts are
charts.py's matplotlib SVGs inlined in the page; photos are inlined as ``data:`` URIs, and
WeasyPrint may fetch nothing else (no file, no network).

Reads go through the same code as the pages: the strategic report is dashboard.py's figures
under its disclosure rule; a case report reads through the seizure and alert selectors (a
record the reader may not see is a 404) and shows nominal data only where their
``sees_nominal`` says so. Every report appends ``report.generated`` to the audit log, in one
transaction with the ``seizure.nominal_read`` / ``alert.nominal_read`` entry when nominal
data was shown; both are written once the report is rendered, so that a long PDF rendering
never holds the database's write lock.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from aircop.analytics import charts, dashboard, queries
from aircop.analytics.dashboard import MIN_CELL, ROUTES_SHOWN, WITHHELD, Table, fmt, mass_text
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.messaging import selectors as alert_selectors
from aircop.messaging.forms import LABELS
from aircop.messaging.models import Tlp
from aircop.messaging.rendering import alert_summary
from aircop.network.models import Airport, Country, Region
from aircop.seizures import photos as seizure_photos
from aircop.seizures import selectors as seizure_selectors
from aircop.seizures.codes import Category, Flow
from aircop.seizures.views import quantity_text, recorded_text

FORMATS = ("html", "pdf")
ROWS_SHOWN = 30  # of the nationalities, the longest breakdown
WIDE = ("trend", "routes")  # charts drawn across the page; bar charts narrower
STRATEGIC_TLP = Tlp.AMBER
CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@dataclass
class Report:
    body: bytes
    content_type: str
    filename: str


class Operator:
    """The operator of the command line, reading without a user account: no unit, so the
    disclosure rule withholds small cells (nothing in the scope is "their own")."""

    pk = None
    role = None

    def unit_ids(self) -> list[int]:
        return []


def parse_tlp(raw: str | None) -> str:
    """A report's label: "amber", "AMBER", "TLP:AMBER" or "amber+strict"; default TLP:AMBER."""
    if not raw:
        return STRATEGIC_TLP
    code = raw.strip().lower().removeprefix("tlp:").replace("+", "_").replace("-", "_")
    if code not in Tlp.values:
        raise ServiceError(
            _("unknown TLP label %(value)r (clear, green, amber, amber_strict, red)") % {"value": raw},
            field="tlp",
        )
    return code


def _check_format(fmt_name: str) -> None:
    if fmt_name not in FORMATS:
        raise ServiceError(_("unknown format %(value)r (html or pdf)") % {"value": fmt_name}, field="format")


# --------------------------------------------------------------------------- output
def to_pdf(html: str) -> bytes:
    """The HTML as an A4 PDF. WeasyPrint may read ``data:`` URIs only: no file, no network."""
    import weasyprint  # loads Pango: paid only by processes that write PDFs
    from PIL import ImageFile
    from weasyprint.urls import URLFetcher

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would let a
    # photo cut short pass the upload checks (core/uploads.py) in this process from then on.
    # Our reports embed only thumbnails we made ourselves, which are complete.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    fetcher = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def _output(template: str, context: dict, fmt_name: str, stem: str, links=None) -> Report:
    """``links``: (label, URL) pairs shown above an HTML report on the web, never in a PDF."""
    shown = links if fmt_name == "html" else None
    html = render_to_string(template, {**context, "links": shown, "language": get_language()})
    body = to_pdf(html) if fmt_name == "pdf" else html.encode()
    return Report(body, CONTENT_TYPES[fmt_name], f"{stem}.{fmt_name}")


def inline_svg(svg: bytes, prefix: str) -> SafeString:
    """matplotlib's SVG document as an element of the page: without its XML prologue, and
    with its ids prefixed so that two charts on one page never share an id."""
    text = svg.decode()
    text = text[text.index("<svg") :]
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m[1]}"', text)
    text = re.sub(r'(url\(#|href="#)([^")]+)', lambda m: f"{m[1]}{prefix}-{m[2]}", text)
    text = _STYLE.sub(_presentation, text)
    # matplotlib escapes every text it writes (labels come from code lists and airport codes).
    return mark_safe(text)


_STYLE = re.compile(r' style="([^"]*)"')


def _presentation(match: re.Match) -> str:
    """style="fill: #fff; stroke-width: 0.8" as fill="#fff" stroke-width="0.8": SVG
    presentation attributes, which the HTML cascade of the page (WeasyPrint's, or a browser's
    under the content security policy) leaves to the SVG renderer."""
    out = []
    for declaration in match[1].split(";"):
        name, sep, value = declaration.partition(":")
        if sep and re.fullmatch(r"[a-z-]+", name.strip()):
            out.append(f' {name.strip()}="{value.strip()}"')
    return "".join(out)


def _generated(user) -> dict:
    return {
        "generated_at": timezone.now(),
        "generated_by": user.get_username() if getattr(user, "pk", None) else _("the operator"),
    }


# --------------------------------------------------------------------------- tables
SHARE_KEYS = {"share"}
TEXT_KEYS = {"label", "route", "country", "month", "category", "subtype", "sex"}
HIDDEN_KEYS = {"concealment", "detection", "flow", "measure", "sex", "country"}  # codes: labels shown


def _cell(key: str, value) -> str:
    if value is WITHHELD:
        return _("fewer than %(n)d") % {"n": MIN_CELL} if key in ("seizures", "persons") else _("withheld")
    if key in SHARE_KEYS:
        return _("%(n)s %%") % {"n": fmt(value * 100, 1)}
    if key == "mass_kg" or key.endswith("_kg"):
        return fmt(value, 1)
    if isinstance(value, int):
        return fmt(value)
    if key == "route":
        return " > ".join(value.split(">"))
    return str(value)


def _rows(table: Table, limit: int | None = None) -> dict:
    keep = [(i, k, label) for i, (k, label) in enumerate(table.columns) if k not in HIDDEN_KEYS]
    rows = table.rows if limit is None else table.rows[:limit]
    return {
        "head": [(label, k not in TEXT_KEYS) for _i, k, label in keep],
        "rows": [
            [(_cell(k, row[i]), row[i] is WITHHELD, k not in TEXT_KEYS) for i, k, _label in keep]
            for row in rows
        ],
        "more": len(table.rows) - len(rows),
        "more_text": fmt(len(table.rows) - len(rows)),
    }


# --------------------------------------------------------------------------- texts
def _share(part: float, whole: float) -> str:
    return _("%(n)s %%") % {"n": fmt(100 * part / whole, 1)} if whole else "—"


def _day(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _month(key: str) -> str:
    year, month = key.split("-")
    return date_format(date(int(year), int(month), 1), "YEAR_MONTH_FORMAT")


def place_text(scope: queries.Scope) -> str:
    if scope.airport:
        airport = Airport.objects.filter(iata=scope.airport).values("name", "iata").first()
        return f"{airport['name']} ({airport['iata']})" if airport else scope.airport
    if scope.country:
        return (
            Country.objects.filter(iso2=scope.country).values_list("name", flat=True).first() or scope.country
        )
    if scope.region:
        return Region.objects.filter(code=scope.region).values_list("name", flat=True).first() or scope.region
    return _("the whole network")


def _headline_text(scope: queries.Scope, head: dict) -> list[str]:
    n = head["seizures"]
    texts = [
        ngettext(
            "Between %(start)s and %(end)s, %(n)s seizure was recorded in %(place)s.",
            "Between %(start)s and %(end)s, %(n)s seizures were recorded in %(place)s.",
            n,
        )
        % {
            "start": _day(scope.date_from),
            "end": _day(scope.date_to),
            "n": fmt(n),
            "place": place_text(scope),
        }
    ]
    if not n:
        return texts
    by_mass = [r for r in head["table"].rows if r[2] == "kg" and r[3]]
    total_kg = sum(r[3] for r in by_mass)
    if by_mass:
        top = max(by_mass, key=lambda r: r[3])
        line = next(x for x, r in zip(head["lines"], head["table"].rows, strict=True) if r is top)
        texts.append(
            _("%(what)s accounted for %(amount)s, %(share)s of the %(total)s seized by weight.")
            % {
                "what": line["what"],
                "amount": line["amount"],
                "share": _share(top[3], total_kg),
                "total": mass_text(total_kg),
            }
        )
    others = [line for line, r in zip(head["lines"], head["table"].rows, strict=True) if r[2] != "kg"]
    if others:
        others.sort(key=lambda line: -line["seizures"])
        texts.append(
            _("Also seized: %(list)s.") % {"list": _("; ").join(line["text"] for line in others[:4])}
        )
    high_risk = head["high_risk"]
    texts.append(
        ngettext(
            "%(n)s high-risk passenger was recorded.", "%(n)s high-risk passengers were recorded.", high_risk
        )
        % {"n": fmt(high_risk)}
    )
    return texts


def _trend_text(table: Table) -> list[str]:
    rows = table.dicts()
    if not any(r["seizures"] for r in rows):
        return [_("No seizure in the scope.")]
    top = max(rows, key=lambda r: (r["seizures"], r["month"]))
    quiet = sum(1 for r in rows if not r["seizures"])
    texts = [
        ngettext(
            "The busiest month was %(month)s, with %(n)s seizure.",
            "The busiest month was %(month)s, with %(n)s seizures.",
            top["seizures"],
        )
        % {"month": _month(top["month"]), "n": fmt(top["seizures"])}
    ]
    if quiet:
        texts.append(
            ngettext(
                "%(n)s month of the %(months)s had no seizure.",
                "%(n)s months of the %(months)s had no seizure.",
                quiet,
            )
            % {"n": fmt(quiet), "months": fmt(len(rows))}
        )
    return texts


def _routes_text(table: Table) -> list[str]:
    shown = [r for r in table.dicts() if r["seizures"] is not WITHHELD]
    if not table.rows:
        return [_("No route was recorded with the seizures in the scope.")]
    texts = []
    if shown:
        top = shown[0]
        texts.append(
            ngettext(
                "The leading route was %(route)s: %(n)s seizure, %(mass)s.",
                "The leading route was %(route)s: %(n)s seizures, %(mass)s.",
                top["seizures"],
            )
            % {
                "route": " > ".join(top["route"].split(">")),
                "n": fmt(top["seizures"]),
                "mass": mass_text(top["mass_kg"]),
            }
        )
    texts.append(
        ngettext("%(n)s route was recorded in all.", "%(n)s routes were recorded in all.", len(table.rows))
        % {"n": fmt(len(table.rows))}
    )
    if table.suppressed:
        texts.append(
            ngettext(
                "%(n)s route of fewer than %(min)d seizures is withheld.",
                "%(n)s routes of fewer than %(min)d seizures are withheld.",
                table.suppressed,
            )
            % {"n": fmt(table.suppressed), "min": MIN_CELL}
        )
    return texts


def _leader_text(table: Table, phrase: str) -> list[str]:
    """ "The most frequent ... was X: N of M seizures (P %)." for a coded breakdown."""
    rows = table.dicts()
    total = sum(r["seizures"] for r in rows)
    if not total:
        return [_("No seizure in the scope.")]
    top = rows[0]
    return [
        phrase
        % {
            "label": dashboard._lower_first(top["label"]),
            "n": fmt(top["seizures"]),
            "total": fmt(total),
            "share": _share(top["seizures"], total),
        }
    ]


def _profile_text(nationality: Table, sex: Table) -> list[str]:
    shown = [r for r in nationality.dicts() if r["persons"] is not WITHHELD]
    if not nationality.rows:
        return [_("No person was recorded with the seizures in the scope.")]
    texts = []
    if shown:
        top = shown[0]
        texts.append(
            ngettext(
                "The most frequent nationality was %(label)s: %(n)s person.",
                "The most frequent nationality was %(label)s: %(n)s persons.",
                top["persons"],
            )
            % {"label": top["label"], "n": fmt(top["persons"])}
        )
    by_sex = [r for r in sex.dicts() if r["persons"] is not WITHHELD]
    if by_sex:
        texts.append(
            _("By sex: %(list)s.")
            % {
                "list": _(", ").join(
                    f"{dashboard._lower_first(r['label'])} {fmt(r['persons'])}" for r in by_sex
                )
            }
        )
    hidden = nationality.suppressed + sex.suppressed
    if hidden:
        texts.append(
            ngettext(
                "%(n)s cell of fewer than %(min)d seizures is withheld.",
                "%(n)s cells of fewer than %(min)d seizures are withheld.",
                hidden,
            )
            % {"n": fmt(hidden), "min": MIN_CELL}
        )
    return texts


def _tipoff_text(table: Table) -> list[str]:
    rows = {r["measure"]: r for r in table.dicts()}
    total = rows["all"]["seizures"]
    if not total:
        return [_("No seizure in the scope.")]
    tipped = rows["any_alert"]
    return [
        ngettext(
            "%(n)s of the %(total)s seizures (%(share)s) followed an alert: detected through an "
            "international alert, triggered by an alert or linked to one; %(mass)s in all.",
            "%(n)s of the %(total)s seizures (%(share)s) followed an alert: detected through an "
            "international alert, triggered by an alert or linked to one; %(mass)s in all.",
            total,
        )
        % {
            "n": fmt(tipped["seizures"]),
            "total": fmt(total),
            "share": _share(tipped["seizures"], total),
            "mass": mass_text(tipped["mass_kg"]),
        }
    ]


# --------------------------------------------------------------------------- strategic
def strategic_context(user, scope: queries.Scope, *, tlp: str) -> dict:
    """The figures, charts and texts of the strategic report. ``user`` None: the operator."""
    reader = user if user is not None else Operator()
    if user is not None:
        queries.check_reader(user)
    empty = _("No seizure in the scope")
    head = dashboard.headline(scope)
    trend = dashboard.trend(scope)
    routes = dashboard.routes(reader, scope)
    concealment = dashboard.concealment(scope)
    # Reuses the dashboard's coded breakdown for the flow, which the dashboard does not show.
    flow = dashboard._coded_breakdown(scope, "flow", _("Flows"), Flow.choices)
    detection = dashboard.detection(scope)
    nationality = dashboard.nationality(reader, scope)
    sex = dashboard.sex(reader, scope)
    tipoff = dashboard.tipoff(scope)

    def bars(table: Table, value: str = "seizures", axis: str | None = None) -> SafeString:
        svg = charts.bars(table, "label", value, axis or _("Seizures"), empty)
        return inline_svg(svg, table.name)

    shown = [r[0] for r in routes.rows if r[1] is not WITHHELD][:ROUTES_SHOWN]
    route_map = charts.route_map(
        routes,
        dashboard.airports_of(shown),
        limit=ROUTES_SHOWN,
        empty=_("No route in the scope"),
        lon_label=_("Longitude"),
        lat_label=_("Latitude"),
    )
    labels = {c: str(label) for c, label in Category.choices}
    trend_svg = charts.trend(trend, _("Seizures"), _("Kilograms"), labels)

    def part(table: Table, *, limit=None, chart=None) -> dict:
        return {"table": table, "display": _rows(table, limit), "chart": chart, "wide": table.name in WIDE}

    sections = [
        {
            "id": "trend",
            "title": _("Trend per month"),
            "texts": _trend_text(trend),
            "parts": [part(trend, chart=inline_svg(trend_svg, "trend"))],
        },
        {
            "id": "routes",
            "title": _("Top routes"),
            "texts": _routes_text(routes),
            "parts": [part(routes, limit=ROUTES_SHOWN, chart=inline_svg(route_map, "routes"))],
        },
        {
            "id": "modus",
            "title": _("Modus operandi"),
            "texts": _leader_text(
                concealment,
                _(
                    "The most frequent concealment method was %(label)s: %(n)s of %(total)s seizures (%(share)s)."
                ),
            )
            + _leader_text(
                flow, _("The most frequent flow was %(label)s: %(n)s of %(total)s seizures (%(share)s).")
            ),
            "parts": [part(concealment, chart=bars(concealment)), part(flow, chart=bars(flow))],
        },
        {
            "id": "detection",
            "title": _("Detection"),
            "texts": _leader_text(
                detection,
                _(
                    "The most frequent detection method was %(label)s: %(n)s of %(total)s seizures (%(share)s)."
                ),
            ),
            "parts": [part(detection, chart=bars(detection))],
        },
        {
            "id": "profile",
            "title": _("Offender profile"),
            "texts": _profile_text(nationality, sex),
            "parts": [
                part(nationality, limit=ROWS_SHOWN, chart=bars(nationality, "persons", _("Persons"))),
                part(sex, chart=bars(sex, "persons", _("Persons"))),
            ],
        },
        {
            "id": "tipoff",
            "title": _("Tip-off effectiveness"),
            "texts": _tipoff_text(tipoff),
            "parts": [part(tipoff)],
        },
    ]
    return {
        "kind": "strategic",
        "tlp": tlp,
        "scope": scope,
        "place": place_text(scope),
        "period": (_day(scope.date_from), _day(scope.date_to)),
        "headline": head,
        "headline_texts": _headline_text(scope, head),
        "headline_rows": [
            (line["category"], line["what"], line["amount"], fmt(line["seizures"])) for line in head["lines"]
        ],
        "sections": sections,
        "all_own": queries.all_own(reader, scope),
        "min_cell": MIN_CELL,
        **_generated(user),
    }


def strategic(user, scope: queries.Scope, *, fmt_name: str, tlp: str | None = None, links=None) -> Report:
    """The strategic report for ``user`` (None: the operator of the command line)."""
    _check_format(fmt_name)
    label = parse_tlp(tlp)
    context = strategic_context(user, scope, tlp=label)
    stem = f"aircop-strategic-{scope.date_from.isoformat()}-{scope.date_to.isoformat()}"
    report = _output("analytics/report_strategic.html", context, fmt_name, stem, links)
    record(
        user,
        "report.generated",
        object_type="analytics.scope",
        data={"kind": "strategic", "format": fmt_name, "tlp": label, "scope": scope.describe()},
    )
    return report


# --------------------------------------------------------------------------- case reports
def _thumbnails(user, seizure) -> list[dict]:
    """The photos the reader may see; the thumbnail of each inlined (each read audited by
    seizures.photos, as when the page shows it)."""
    out = []
    for photo in seizure_selectors.photos(user, seizure):
        uri = None
        if photo.has_thumbnail:
            try:
                path, content_type, _name = seizure_photos.read_photo(user, photo.pk, thumbnail=True)
            except Http404:
                path = None
            if path is not None:
                uri = f"data:{content_type};base64,{base64.b64encode(path.read_bytes()).decode()}"
        out.append({"photo": photo, "uri": uri})
    return out


def seizure_report(user, seizure_id: int, *, fmt_name: str, links=None) -> Report:
    """The case report of one seizure, as ``user`` may see it (404 otherwise)."""
    _check_format(fmt_name)
    seizure = seizure_selectors.seizure(user, seizure_id)
    persons = list(seizure_selectors.persons(user, seizure))
    nominal = seizure_selectors.sees_nominal(user, seizure)
    context = {
        "kind": "seizure",
        "tlp": seizure.tlp,
        "seizure": seizure,
        "tz": seizure.airport.tz or "UTC",
        "route": " > ".join(seizure.route),
        "items": [(i, quantity_text(i), recorded_text(i)) for i in seizure_selectors.items(user, seizure)],
        "persons": persons,
        "sees_nominal": nominal,
        "alerts": list(seizure_selectors.linked_alerts(user, seizure)),
        "photos": _thumbnails(user, seizure),
        **_generated(user),
    }
    report = _output("analytics/report_seizure.html", context, fmt_name, f"aircop-{seizure.reference}", links)
    named = sum(1 for p in persons if p.nominal)
    with transaction.atomic():
        if nominal and named:
            record(user, "seizure.nominal_read", seizure, data={"via": "report", "persons": named})
        record(user, "report.generated", seizure, data={"kind": "seizure", "format": fmt_name})
    return report


def _labelled(data: dict) -> list[tuple[str, str]]:
    return [(LABELS.get(k, k), " → ".join(v) if isinstance(v, list) else v) for k, v in data.items()]


def alert_report(user, alert_id: int, *, fmt_name: str, links=None) -> Report:
    """The case report of one alert, as ``user`` may see it (404 otherwise)."""
    _check_format(fmt_name)
    alert = alert_selectors.alert(user, alert_id)
    nominal = alert_selectors.sees_nominal(user, alert)
    summary = alert_summary(alert, nominal=nominal)
    recipients = list(alert_selectors.recipients(user, alert).order_by("unit__name"))
    context = {
        "kind": "alert",
        "tlp": alert.tlp,
        "alert": alert,
        "summary": summary,
        "details_rows": _labelled(summary["details"]),
        "nominal_rows": _labelled(summary["nominal"]),
        "recipients": recipients,
        "acked_count": sum(1 for r in recipients if r.acknowledged_at),
        "outcomes": list(alert_selectors.outcomes(user, alert)),
        "thread": list(alert_selectors.thread(user, alert)),
        "linked_seizures": list(seizure_selectors.seizures_of_alert(user, alert)),
        **_generated(user),
    }
    report = _output("analytics/report_alert.html", context, fmt_name, f"aircop-alert-{alert.pk}", links)
    with transaction.atomic():
        if summary["nominal"]:
            record(user, "alert.nominal_read", alert, data={"via": "report"})
        record(user, "report.generated", alert, data={"kind": "alert", "format": fmt_name})
    return report
