"""The sections of the programme dashboard (docs/analytics.md, "The programme dashboard"):
how each part of ``programme.summary(at)`` is typed in the API, which headline cards it
gives, and which tables and charts show it. The page, the API schema, the HTML and PDF
reports and ``aircop report programme`` all read ``SECTIONS``.

To add a section: add its key to ``programme.summary()`` and append one ``Section`` to
``SECTIONS`` below (its ninja schema, its cards, its figures). Nothing else changes: the
API's response model is built from ``SECTIONS`` (a section marked ``optional`` is a
nullable field), and the page and the reports draw every section the summary holds, in
the order of ``SECTIONS``.

A figure is a ``dashboard.Table`` (the rows shown in the table) and a function that draws
the same table as an SVG chart (``charts.bars`` or ``charts_programme.growth_columns``), or
no chart. The figures are whole-network counts: no disclosure rule applies (programme.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema

from aircop.analytics import charts, charts_programme
from aircop.analytics.dashboard import Table, fmt
from aircop.messaging.models import Result
from aircop.network.models import UnitKind


# --------------------------------------------------------------------------- API schemas
class ProgrammeGrowthOut(Schema):
    year: int
    new: int
    total: int


class ProgrammeNetworkOut(Schema):
    countries: int
    airports: int
    units: int
    units_by_kind: dict[str, int]
    airports_by_year: list[ProgrammeGrowthOut]


class ProgrammeCommodityOut(Schema):
    category: str
    label: str
    seizures: int
    mass_kg: float


class ProgrammeSeizuresOut(Schema):
    seizures: int
    high_risk_persons: int
    by_commodity: list[ProgrammeCommodityOut]


class ProgrammeAlertsOut(Schema):
    alerts: int
    acknowledged: int
    acknowledged_rate: float | None
    with_outcome: int
    outcome_rate: float | None
    outcomes: dict[str, int]
    seized_rate: float | None


# --------------------------------------------------------------------------- the registry
@dataclass(frozen=True)
class Card:
    id: str
    value: str
    label: str


@dataclass(frozen=True)
class Figure:
    table: Table
    chart: Callable[[Table], bytes] | None = None  # draws the same table; None: a table alone
    wide: bool = False  # a chart across the page (columns over the years) rather than bars


@dataclass(frozen=True)
class Section:
    key: str  # its key in programme.summary()
    title: Promise  # gettext_lazy
    schema: type[Schema]  # its JSON in GET /api/v1/programme/summary
    cards: Callable[[dict], list[Card]]  # headline figures, from the section's dict
    figures: Callable[[dict], list[Figure]]  # tables and charts, from the section's dict
    optional: bool = False  # may be absent from the summary: a nullable field in the API
    description: Promise | str = ""  # a sentence under the section's title


def _count(n: int | None) -> str:
    return "—" if n is None else fmt(n)


def _bars(value: str, axis_label: str, empty: str) -> Callable[[Table], bytes]:
    """Horizontal bars of one column; rows at zero stay in the table but are not drawn, so a
    table of zeros is drawn as ``empty``."""

    def draw(table: Table) -> bytes:
        i = table.keys.index(value)
        drawn = Table(table.name, table.title, table.columns, [r for r in table.rows if r[i]])
        return charts.bars(drawn, "label", value, axis_label, empty)

    return draw


def share(rate: float | None) -> str:
    """0.4125 as "41.3 %" in the reader's language; None (nothing to divide) as "—"."""
    return "—" if rate is None else _("%(n)s %%") % {"n": fmt(rate * 100, 1)}


# --------------------------------------------------------------------------- network
def _network_cards(data: dict) -> list[Card]:
    return [
        Card("countries", _count(data["countries"]), _("Countries connected")),
        Card("airports", _count(data["airports"]), _("Airports connected")),
        Card("units", _count(data["units"]), _("Units")),
    ]


def _network_figures(data: dict) -> list[Figure]:
    growth = Table(
        "airports_by_year",
        _("Airports connected per year"),
        [
            ("year", _("Year")),
            ("new", _("New airports")),
            ("total", _("Airports in all")),
        ],
        [[r["year"], r["new"], r["total"]] for r in data["airports_by_year"]],
        note=_("New airports: connected during the year. The last year counts up to the date shown."),
    )
    kinds = dict(UnitKind.choices)
    units = Table(
        "units_by_kind",
        _("Units by kind"),
        [("label", _("Kind of unit")), ("units", _("Units"))],
        sorted(
            ([str(kinds.get(k, k)), n] for k, n in data["units_by_kind"].items()),
            key=lambda r: (-r[1], r[0]),
        ),
    )
    return [
        Figure(growth, _growth_chart, wide=True),
        Figure(units, _bars("units", _("Units"), _("No unit connected"))),
    ]


def _growth_chart(table: Table) -> bytes:
    return charts_programme.growth_columns(
        table,
        new_label=_("New airports"),
        before_label=_("Connected in earlier years"),
        axis_label=_("Airports"),
        empty=_("No airport connected"),
    )


# --------------------------------------------------------------------------- seizures
def _seizure_cards(data: dict) -> list[Card]:
    return [
        Card("seizures", _count(data["seizures"]), _("Seizures")),
        Card("high_risk_persons", _count(data["high_risk_persons"]), _("High-risk passengers")),
    ]


def _seizure_figures(data: dict) -> list[Figure]:
    table = Table(
        "by_commodity",
        _("Seizures per commodity"),
        [("label", _("Commodity")), ("seizures", _("Seizures")), ("mass_kg", _("Kilograms"))],
        [[r["label"], r["seizures"], r["mass_kg"]] for r in data["by_commodity"]],
        note=_("Kilograms add the items whose quantity converts to a mass (g, kg, l, ml)."),
    )
    return [
        Figure(table, _bars("seizures", _("Seizures"), _("No seizure"))),
    ]


# --------------------------------------------------------------------------- alerts
def _alert_cards(data: dict) -> list[Card]:
    return [
        Card("alerts", _count(data["alerts"]), _("Alerts exchanged")),
        Card("outcome_rate", share(data["outcome_rate"]), _("Alerts with an outcome")),
    ]


def _alert_figures(data: dict) -> list[Figure]:
    results = dict(Result.choices)
    outcomes = Table(
        "outcomes",
        _("Outcomes reported"),
        [("label", _("Outcome")), ("outcomes", _("Outcomes"))],
        [[str(results.get(k, k)), n] for k, n in data["outcomes"].items()],
        note=_("Intercepted with seizure: %(share)s of the outcomes reported.")
        % {"share": share(data["seized_rate"])},
    )
    rates = Table(
        "alert_rates",
        _("Alerts and what came of them"),
        [("label", _("Alerts")), ("alerts", _("Number")), ("share", _("Share of the alerts"))],
        [
            [_("Exchanged"), data["alerts"], 1.0 if data["alerts"] else None],
            [_("Acknowledged by a recipient"), data["acknowledged"], data["acknowledged_rate"]],
            [_("With at least one outcome"), data["with_outcome"], data["outcome_rate"]],
        ],
    )
    return [
        Figure(outcomes, _bars("outcomes", _("Outcomes"), _("No outcome reported"))),
        Figure(rates),
    ]


SECTIONS: list[Section] = [
    Section(
        "network",
        gettext_lazy("The network"),
        ProgrammeNetworkOut,
        _network_cards,
        _network_figures,
        description=gettext_lazy(
            "Countries, airports and units connected to the network on or before the date."
        ),
    ),
    Section(
        "seizures",
        gettext_lazy("Seizures"),
        ProgrammeSeizuresOut,
        _seizure_cards,
        _seizure_figures,
        description=gettext_lazy(
            "Submitted and validated seizures that happened up to the date, of every handling label."
        ),
    ),
    Section(
        "alerts",
        gettext_lazy("Alerts"),
        ProgrammeAlertsOut,
        _alert_cards,
        _alert_figures,
        description=gettext_lazy(
            "Alerts sent up to the date, with the acknowledgements and outcomes recorded by then."
        ),
    ),
]


# --------------------------------------------------------------------------- rendering
TEXT_KEYS = {"label", "year", "value_text"}


def _cell(key: str, value) -> str:
    if value is None:
        return "—"
    if key in TEXT_KEYS:
        return str(value)
    if key == "share" or key.endswith("_rate"):
        return share(value)
    if key == "mass_kg" or key.endswith("_kg"):
        return fmt(value, 1)
    if isinstance(value, float):
        return fmt(value, 1)
    return fmt(value) if isinstance(value, int) else str(value)


def display(table: Table) -> dict:
    """The rows as the page and the reports show them: (text, withheld?, numeric?) per cell,
    the shape of analytics/_figure.html and report_table.html."""
    return {
        "head": [(label, key not in TEXT_KEYS) for key, label in table.columns],
        "rows": [
            [
                (_cell(key, value), False, key not in TEXT_KEYS)
                for key, value in zip(table.keys, row, strict=True)
            ]
            for row in table.rows
        ],
        "more": 0,
        "more_text": "",
    }


def present(summary: dict) -> list[tuple[Section, dict]]:
    """The sections the summary holds, in the order of SECTIONS."""
    return [(s, summary[s.key]) for s in SECTIONS if summary.get(s.key) is not None]


def build(summary: dict) -> dict:
    """Headline cards and, per section, its figures with their charts drawn (inline SVG)."""
    cards: list[Card] = []
    sections = []
    for section, data in present(summary):
        cards += section.cards(data)
        figures = []
        for figure in section.figures(data):
            chart = None
            if figure.chart is not None:
                chart = charts_programme.inline(
                    figure.chart(figure.table), f"{section.key}-{figure.table.name}"
                )
            figures.append(
                {"table": figure.table, "display": display(figure.table), "chart": chart, "wide": figure.wide}
            )
        sections.append(
            {
                "key": section.key,
                "title": str(section.title),
                "text": str(section.description),
                "figures": figures,
            }
        )
    return {"at": date.fromisoformat(summary["at"]), "cards": cards, "sections": sections}


# Sections kept in their own modules (they import the registry's kit from here).
from aircop.analytics import programme_capacity  # noqa: E402

SECTIONS.append(programme_capacity.SECTION)
