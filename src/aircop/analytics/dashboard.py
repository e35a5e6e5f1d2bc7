"""The figures of the seizure analysis dashboard (docs/analytics.md).

Each figure is assembled from one or two figures' cells (seizures/figures.py): the whole
months of the period come from the monthly roll-up, the days at either end from GROUP BY
queries over the register; no record is loaded into Python. What may be shown follows the
disclosure rule
of aircop.analytics.queries: person breakdowns and routes hide every cell made of fewer than
``MIN_CELL`` seizures unless all the records in the scope are the reader's own.

A figure is a ``Table``: named columns and rows of plain values (``WITHHELD`` in a
suppressed cell), which the page shows, the charts draw and the CSV download writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aircop.analytics import queries
from aircop.analytics.queries import MIN_CELL, Scope
from aircop.messaging import selectors as messaging_selectors
from aircop.messaging.models import Result
from aircop.network.models import Airport, Country
from aircop.seizures.codes import (
    COUNT_UNITS,
    Category,
    Concealment,
    Detection,
    QuantityUnit,
    Sex,
    subtype_label,
)
from aircop.seizures.figures import TIPOFF_SUBSETS, Cell

ROUTES_SHOWN = 20


class _Withheld:
    """A suppressed cell: its value is not disclosed."""

    def __str__(self) -> str:
        return "suppressed"

    def __repr__(self) -> str:
        return "WITHHELD"


WITHHELD = _Withheld()


@dataclass
class Table:
    name: str
    title: str
    # (key, label): the key heads the CSV column, the label the page's.
    columns: list[tuple[str, str]]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    suppressed: int = 0  # how many rows have withheld cells

    @property
    def keys(self) -> list[str]:
        return [k for k, _label in self.columns]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.keys, row, strict=True)) for row in self.rows]


# --------------------------------------------------------------------------- formatting
def fmt(value, decimals: int = 0) -> str:
    """A number in the reader's language (Django's localisation, grouped thousands)."""
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _big(value: float) -> tuple[str, int]:
    """A count as "1.2 million": the text and the integer for choosing a plural."""
    n = int(round(value))
    if value >= 1_000_000_000:
        return _("%(n)s billion") % {"n": fmt(value / 1_000_000_000, 1)}, n
    if value >= 1_000_000:
        return _("%(n)s million") % {"n": fmt(value / 1_000_000, 1)}, n
    return fmt(n), n


def mass_text(kg: float) -> str:
    """Kilograms below 1,000 kg, tonnes from 1,000 kg: "700 kg", "5.7 t"."""
    if kg >= 1000:
        return _("%(n)s t") % {"n": fmt(kg / 1000, 1)}
    if kg >= 10:
        return _("%(n)s kg") % {"n": fmt(round(kg))}
    return _("%(n)s kg") % {"n": fmt(kg, 1 if kg >= 1 else 3)}


def _lower_first(label: str) -> str:
    """ "Cocaine" -> "cocaine" for a running phrase; acronyms ("MDMA") keep their case."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def quantity_text(measure: str, quantity: float) -> str:
    """The amount alone: "5.7 t", "1.2 million tablets", "100,000 EUR"."""
    if measure == "kg":
        return mass_text(quantity)
    text, n = _big(quantity)
    if measure == QuantityUnit.TABLETS:
        return ngettext("%(n)s tablet", "%(n)s tablets", n) % {"n": text}
    if measure == QuantityUnit.PIECES:
        return ngettext("%(n)s piece", "%(n)s pieces", n) % {"n": text}
    if measure == QuantityUnit.ANIMALS:
        return ngettext("%(n)s animal", "%(n)s animals", n) % {"n": text}
    return _("%(amount)s %(currency)s") % {"amount": text, "currency": measure}


def headline_text(measure: str, quantity: float, subtype: str) -> str:
    """A brochure phrase: "5.7 t of cocaine", "1.2 million tablets of tramadol"."""
    return _("%(amount)s of %(what)s") % {
        "amount": quantity_text(measure, quantity),
        "what": _lower_first(subtype_label(subtype)),
    }


def _kg(value) -> float:
    return float(round(value, 3)) if value is not None else 0.0


def _month_keys(scope: Scope) -> list[str]:
    keys = []
    year, month = scope.date_from.year, scope.date_from.month
    while date(year, month, 1) <= scope.date_to:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


# --------------------------------------------------------------------------- figures
def headline(scope: Scope) -> dict:
    """Totals per commodity, each in its own measure: kilograms (g, kg, l and ml
    converted), tablets, pieces, animals, or an amount per currency."""
    table = Table(
        "headline",
        _("Totals per commodity"),
        [
            ("category", _("Category")),
            ("subtype", _("Commodity")),
            ("measure", _("Measure")),
            ("quantity", _("Quantity")),
            ("seizures", _("Seizures")),
        ],
    )
    lines = []
    order = {c: i for i, c in enumerate(Category.values)}
    rows = [(*key.split("|"), cell) for key, cell in queries.cells(scope, "measure").items()]
    for category, subtype, m, cell in sorted(rows, key=lambda r: (order.get(r[0], 99), r[1], r[2])):
        if m == "kg":
            quantity = _kg(cell.mass_kg)
        elif m in COUNT_UNITS:
            quantity = int(cell.count or 0)
        else:
            quantity = _kg(cell.amount)
        table.rows.append([category, subtype, m, quantity, cell.seizures])
        lines.append(
            {
                "category": Category(category).label if category in order else category,
                "text": headline_text(m, quantity, subtype),
                "amount": quantity_text(m, quantity),
                "what": subtype_label(subtype),
                "seizures": cell.seizures,
            }
        )
    total = queries.total(scope)
    seizures, high_risk = total.seizures, total.persons
    return {
        "table": table,
        "lines": lines,
        "seizures": seizures,
        "seizures_text": ngettext("%(n)s seizure", "%(n)s seizures", seizures) % {"n": fmt(seizures)},
        "high_risk": high_risk,
        "high_risk_text": ngettext("%(n)s high-risk passenger", "%(n)s high-risk passengers", high_risk)
        % {"n": fmt(high_risk)},
    }


def trend(scope: Scope) -> Table:
    """Per calendar month (UTC): seizures, and kilograms in all and per category."""
    seizures = {
        month.strftime("%Y-%m"): cell.seizures
        for (month, _key), cell in queries.cells(scope, "total", by_month=True).items()
    }
    masses: dict[tuple[str, str], Decimal] = {}
    for (month, key), cell in queries.cells(scope, "subtype", by_month=True).items():
        if cell.mass_kg is not None:
            at = (month.strftime("%Y-%m"), key.split("|")[0])
            masses[at] = masses.get(at, Decimal(0)) + cell.mass_kg
    kg = {at: _kg(mass) for at, mass in masses.items()}
    categories = [c for c in Category.values if any(cat == c for _m, cat in kg)]
    table = Table(
        "trend",
        _("Seizures and kilograms per month"),
        [("month", _("Month")), ("seizures", _("Seizures")), ("mass_kg", _("Kilograms, all"))]
        + [(f"{c}_kg", _("kg of %(category)s") % {"category": Category(c).label}) for c in categories],
    )
    for month in _month_keys(scope):
        per = [kg.get((month, c), 0.0) for c in categories]
        table.rows.append([month, seizures.get(month, 0), round(sum(per), 3), *per])
    return table


def routes(user, scope: Scope) -> Table:
    """Routes (origin > transits > destination) by kilograms, then seizures. A route of
    fewer than MIN_CELL seizures is listed after the others with its values withheld,
    unless every record in the scope is the reader's own."""
    protect = not queries.all_own(user, scope)
    found = queries.cells(scope, "route")
    table = Table(
        "routes",
        _("Top routes"),
        [("route", _("Route")), ("seizures", _("Seizures")), ("mass_kg", _("Kilograms"))],
        note=_("Origin > transit > destination, as recorded with each seizure."),
    )
    shown, hidden = [], []
    for key, cell in found.items():
        n = cell.seizures
        if not n:
            continue
        if protect and n < MIN_CELL:
            hidden.append([key, WITHHELD, WITHHELD])
        else:
            shown.append([key, n, _kg(cell.mass_kg)])
    shown.sort(key=lambda r: (-r[2], -r[1], r[0]))
    hidden.sort(key=lambda r: r[0])
    table.rows = shown + hidden
    table.suppressed = len(hidden)
    return table


def airports_of(route_keys) -> dict[str, tuple[float, float, str]]:
    """IATA -> (longitude, latitude, city) of the airports on these routes."""
    codes = {code for key in route_keys for code in key.split(">") if code}
    return {
        a["iata"]: (a["longitude"], a["latitude"], a["city"])
        for a in Airport.objects.filter(iata__in=codes).values("iata", "longitude", "latitude", "city")
    }


def _coded_breakdown(scope: Scope, name: str, title, choices) -> Table:
    found = {code: cell for code, cell in queries.cells(scope, name).items() if cell.seizures}
    labels = dict(choices)
    table = Table(
        name,
        title,
        [(name, _("Code")), ("label", _("Label")), ("seizures", _("Seizures")), ("mass_kg", _("Kilograms"))],
    )
    for code, cell in sorted(found.items(), key=lambda kv: (-kv[1].seizures, kv[0])):
        table.rows.append([code, str(labels.get(code, code)), cell.seizures, _kg(cell.mass_kg)])
    return table


def concealment(scope: Scope) -> Table:
    return _coded_breakdown(scope, "concealment", _("Concealment methods"), Concealment.choices)


def detection(scope: Scope) -> Table:
    return _coded_breakdown(scope, "detection", _("Detection methods"), Detection.choices)


def _person_breakdown(user, scope: Scope, name: str, title, labels_of, key_column) -> Table:
    """Persons of counted seizures per value of ``name``; ``labels_of(codes)`` names the values."""
    protect = not queries.all_own(user, scope)
    table = Table(
        name,
        title,
        [
            (key_column, _("Code")),
            ("label", _("Label")),
            ("persons", _("Persons")),
            ("seizures", _("Seizures")),
        ],
        note=_(
            "Persons of counted seizures, every role. A cell of fewer than %(n)d seizures is "
            "withheld unless all the records in the scope are your units' own."
        )
        % {"n": MIN_CELL},
    )
    found = {code: cell for code, cell in queries.cells(scope, name).items() if cell.persons}
    labels = labels_of(list(found))
    shown, hidden = [], []
    for code, cell in found.items():
        if protect and cell.seizures < MIN_CELL:
            hidden.append([code, labels[code], WITHHELD, WITHHELD])
        else:
            shown.append([code, labels[code], cell.persons, cell.seizures])
    shown.sort(key=lambda r: (-r[2], r[0]))
    hidden.sort(key=lambda r: r[0])
    table.rows = shown + hidden
    table.suppressed = len(hidden)
    return table


def nationality(user, scope: Scope) -> Table:
    def labels_of(codes: list[str]) -> dict[str, str]:
        names = dict(Country.objects.filter(iso2__in=[c for c in codes if c]).values_list("iso2", "name"))
        return {code: names.get(code) or _("unknown") for code in codes}

    return _person_breakdown(user, scope, "nationality", _("Offenders by nationality"), labels_of, "country")


def sex(user, scope: Scope) -> Table:
    labels = dict(Sex.choices)

    def labels_of(codes: list[str]) -> dict[str, str]:
        return {code: str(labels.get(code, code)) for code in codes}

    return _person_breakdown(user, scope, "sex", _("Offenders by sex"), labels_of, "sex")


def tipoff(scope: Scope) -> Table:
    """How many counted seizures followed an alert: detected through an international
    alert, triggered by an alert, or linked to alerts; and their kilograms."""
    found = queries.cells(scope, "tipoff")
    labels = {
        "all": _("counted in the scope"),
        "international_alert": _("detected through an international alert"),
        "triggering_alert": _("with a triggering alert"),
        "linked_alerts": _("linked to alerts"),
        "any_alert": _("any of these (tipped off)"),
    }
    total = found["all"].seizures if "all" in found else 0
    table = Table(
        "tipoff",
        _("Tip-off effectiveness"),
        [
            ("measure", _("Code")),
            ("label", _("Seizures")),
            ("seizures", _("Number")),
            ("share", _("Share")),
            ("mass_kg", _("Kilograms")),
        ],
        note=_("Share of the counted seizures in the scope."),
    )
    for code in TIPOFF_SUBSETS:
        cell = found.get(code) or Cell()
        share = round(cell.seizures / total, 4) if total else 0.0
        table.rows.append([code, labels[code], cell.seizures, share, _kg(cell.mass_kg)])
    return table


def outcomes(user) -> Table:
    """Alert outcome rates per sending unit, over the alerts the reader may see (all time:
    messaging.selectors.outcome_rates does not take a period)."""
    rates = messaging_selectors.outcome_rates(user)
    table = Table(
        "outcomes",
        _("Alert outcomes"),
        [
            ("unit", _("Sending unit")),
            ("alerts", _("Alerts")),
            ("recipients", _("Recipient units")),
            ("reported", _("Outcomes reported")),
            ("seized", _("With seizure")),
            ("report_rate", _("Report rate")),
            ("seizure_rate", _("Seizure rate")),
        ],
        note=_("Alerts you may see, since the start; each recipient unit reports one outcome."),
    )
    for r in rates:
        table.rows.append(
            [
                r["key"],
                r["alerts"],
                r["recipients"],
                r["reported"],
                r["outcomes"].get(Result.SEIZED, 0),
                r["report_rate"],
                r["seizure_rate"],
            ]
        )
    if rates:
        recipients = sum(r["recipients"] for r in rates)
        reported = sum(r["reported"] for r in rates)
        seized = sum(r["outcomes"].get(Result.SEIZED, 0) for r in rates)
        table.rows.append(
            [
                _("all"),
                sum(r["alerts"] for r in rates),
                recipients,
                reported,
                seized,
                round(reported / recipients, 4) if recipients else 0.0,
                round(seized / recipients, 4) if recipients else 0.0,
            ]
        )
    return table


# The figures a page, a chart or a CSV download may ask for, by name.
FIGURES = (
    "headline",
    "trend",
    "routes",
    "concealment",
    "detection",
    "nationality",
    "sex",
    "tipoff",
    "outcomes",
)


def figure(name: str, user, scope: Scope) -> Table:
    if name == "headline":
        return headline(scope)["table"]
    if name in ("routes", "nationality", "sex"):
        return {"routes": routes, "nationality": nationality, "sex": sex}[name](user, scope)
    if name == "outcomes":
        return outcomes(user)
    return {"trend": trend, "concealment": concealment, "detection": detection, "tipoff": tipoff}[name](scope)
