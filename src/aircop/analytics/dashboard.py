"""The figures of the seizure analysis dashboard (docs/analytics.md).

Each figure is one or a few GROUP BY queries over the denormalised fields of Seizure and
SeizureItem (occurred_at, country, region, airport, route_key): no record is loaded into
Python, so a figure costs the same whether the scope holds ten seizures or a million.
Seizures are counted with COUNT(DISTINCT). What may be shown follows the disclosure rule
of aircop.analytics.queries: person breakdowns and routes hide every cell made of fewer than
``MIN_CELL`` seizures unless all the records in the scope are the reader's own.

A figure is a ``Table``: named columns and rows of plain values (``WITHHELD`` in a
suppressed cell), which the page shows, the charts draw and the CSV download writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aircop.analytics import queries
from aircop.analytics.queries import COUNTED, MIN_CELL, Scope
from aircop.messaging import selectors as messaging_selectors
from aircop.messaging.models import Result
from aircop.network.models import Airport
from aircop.seizures.codes import (
    COUNT_UNITS,
    KG_PER_UNIT,
    Category,
    Concealment,
    Detection,
    QuantityUnit,
    Sex,
    subtype_label,
)
from aircop.seizures.models import Seizure, SeizurePerson

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


def _persons(scope: Scope):
    """Persons of counted seizures in the scope (through the seizure's indexed fields)."""
    q = Q(
        seizure__status__in=COUNTED,
        seizure__occurred_at__gte=scope.start,
        seizure__occurred_at__lt=scope.end,
    )
    if scope.region:
        q &= Q(seizure__region__code=scope.region)
    if scope.country:
        q &= Q(seizure__country_id=scope.country)
    if scope.airport:
        q &= Q(seizure__airport__iata=scope.airport)
    return SeizurePerson.objects.filter(q)


# --------------------------------------------------------------------------- figures
def headline(scope: Scope) -> dict:
    """Totals per commodity, each in its own measure: kilograms (g, kg, l and ml
    converted), tablets, pieces, animals, or an amount per currency."""
    rows = (
        queries.counted_items(scope)
        .annotate(measure=_measure())
        .values("category", "subtype", "measure")
        .annotate(
            mass=Sum("mass_kg"),
            count=Sum("count"),
            amount=Sum("quantity"),
            seizures=Count("seizure", distinct=True),
        )
        .order_by("category", "subtype", "measure")
    )
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
    for r in sorted(rows, key=lambda r: (order.get(r["category"], 99), r["subtype"], r["measure"])):
        m = r["measure"]
        if m == "kg":
            quantity = _kg(r["mass"])
        elif m in COUNT_UNITS:
            quantity = int(r["count"] or 0)
        else:
            quantity = _kg(r["amount"])
        table.rows.append([r["category"], r["subtype"], m, quantity, r["seizures"]])
        lines.append(
            {
                "category": Category(r["category"]).label if r["category"] in order else r["category"],
                "text": headline_text(m, quantity, r["subtype"]),
                "amount": quantity_text(m, quantity),
                "what": subtype_label(r["subtype"]),
                "seizures": r["seizures"],
            }
        )
    seizures = queries.counted_seizures(scope).count()
    high_risk = _persons(scope).filter(role="high_risk").count()
    return {
        "table": table,
        "lines": lines,
        "seizures": seizures,
        "seizures_text": ngettext("%(n)s seizure", "%(n)s seizures", seizures) % {"n": fmt(seizures)},
        "high_risk": high_risk,
        "high_risk_text": ngettext("%(n)s high-risk passenger", "%(n)s high-risk passengers", high_risk)
        % {"n": fmt(high_risk)},
    }


def _measure():
    """Kilograms for every unit with a mass, the currency code for money, else the unit."""
    return Case(
        When(unit__in=list(KG_PER_UNIT), then=Value("kg")),
        When(unit=QuantityUnit.CURRENCY, then=F("currency")),
        default=F("unit"),
        output_field=CharField(),
    )


def trend(scope: Scope) -> Table:
    """Per calendar month (UTC): seizures, and kilograms in all and per category."""
    seizures = {
        r["month"].strftime("%Y-%m"): r["n"]
        for r in queries.counted_seizures(scope)
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    }
    kg: dict[tuple[str, str], float] = {}
    for r in (
        queries.counted_items(scope)
        .filter(mass_kg__isnull=False)
        .annotate(month=TruncMonth("occurred_at"))
        .values("month", "category")
        .annotate(kg=Sum("mass_kg"))
        .order_by()
    ):
        kg[(r["month"].strftime("%Y-%m"), r["category"])] = _kg(r["kg"])
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
    counts = {
        r["route_key"]: r["n"]
        for r in queries.counted_seizures(scope)
        .exclude(route_key="")
        .values("route_key")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    }
    masses = {
        r["seizure__route_key"]: _kg(r["kg"])
        for r in queries.counted_items(scope)
        .exclude(seizure__route_key="")
        .values("seizure__route_key")
        .annotate(kg=Sum("mass_kg"))
        .order_by()
    }
    table = Table(
        "routes",
        _("Top routes"),
        [("route", _("Route")), ("seizures", _("Seizures")), ("mass_kg", _("Kilograms"))],
        note=_("Origin > transit > destination, as recorded with each seizure."),
    )
    shown, hidden = [], []
    for key, n in counts.items():
        if protect and n < MIN_CELL:
            hidden.append([key, WITHHELD, WITHHELD])
        else:
            shown.append([key, n, masses.get(key, 0.0)])
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
    seizures = dict(
        queries.counted_seizures(scope)
        .values_list(name)
        .annotate(n=Count("id", distinct=True))
        .order_by()
        .values_list(name, "n")
    )
    masses = dict(
        queries.counted_items(scope)
        .values_list(f"seizure__{name}")
        .annotate(kg=Sum("mass_kg"))
        .order_by()
        .values_list(f"seizure__{name}", "kg")
    )
    labels = dict(choices)
    table = Table(
        name,
        title,
        [(name, _("Code")), ("label", _("Label")), ("seizures", _("Seizures")), ("mass_kg", _("Kilograms"))],
    )
    for code, n in sorted(seizures.items(), key=lambda kv: (-kv[1], kv[0])):
        table.rows.append([code, str(labels.get(code, code)), n, _kg(masses.get(code))])
    return table


def concealment(scope: Scope) -> Table:
    return _coded_breakdown(scope, "concealment", _("Concealment methods"), Concealment.choices)


def detection(scope: Scope) -> Table:
    return _coded_breakdown(scope, "detection", _("Detection methods"), Detection.choices)


def _person_breakdown(user, scope: Scope, name: str, title, label_of, key_column) -> Table:
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
    rows = (
        _persons(scope)
        .values(*label_of[0])
        .annotate(persons=Count("id"), seizures=Count("seizure", distinct=True))
    )
    shown, hidden = [], []
    for r in rows.order_by():
        code, label = label_of[1](r)
        if protect and r["seizures"] < MIN_CELL:
            hidden.append([code, label, WITHHELD, WITHHELD])
        else:
            shown.append([code, label, r["persons"], r["seizures"]])
    shown.sort(key=lambda r: (-r[2], r[0]))
    hidden.sort(key=lambda r: r[0])
    table.rows = shown + hidden
    table.suppressed = len(hidden)
    return table


def nationality(user, scope: Scope) -> Table:
    def label(r):
        code = r["nationality_id"] or ""
        return code, r["nationality__name"] or _("unknown")

    return _person_breakdown(
        user,
        scope,
        "nationality",
        _("Offenders by nationality"),
        (("nationality_id", "nationality__name"), label),
        "country",
    )


def sex(user, scope: Scope) -> Table:
    labels = dict(Sex.choices)
    return _person_breakdown(
        user,
        scope,
        "sex",
        _("Offenders by sex"),
        (("sex",), lambda r: (r["sex"], str(labels.get(r["sex"], r["sex"])))),
        "sex",
    )


def tipoff(scope: Scope) -> Table:
    """How many counted seizures followed an alert: detected through an international
    alert, triggered by an alert, or linked to alerts; and their kilograms."""
    # "Linked to alerts" as EXISTS on the link table: no join that repeats a seizure per alert,
    # so plain COUNT and SUM are exact. Kilograms go through the item's own join to its seizure
    # (an IN (subquery) per subset ran as a nested loop on PostgreSQL: minutes at 1M records).
    linked_to = Seizure.alerts.through.objects.filter(seizure_id=OuterRef("pk"))
    item_linked_to = Seizure.alerts.through.objects.filter(seizure_id=OuterRef("seizure_id"))
    by_alert, triggered, linked = (
        Q(detection="international_alert"),
        Q(triggering_alert__isnull=False),
        Q(Exists(linked_to)),
    )
    subsets = {
        "all": Q(),
        "international_alert": by_alert,
        "triggering_alert": triggered,
        "linked_alerts": linked,
        "any_alert": by_alert | triggered | linked,
    }
    item_by_alert, item_triggered, item_linked = (
        Q(seizure__detection="international_alert"),
        Q(seizure__triggering_alert__isnull=False),
        Q(Exists(item_linked_to)),
    )
    item_subsets = {
        "all": Q(),
        "international_alert": item_by_alert,
        "triggering_alert": item_triggered,
        "linked_alerts": item_linked,
        "any_alert": item_by_alert | item_triggered | item_linked,
    }
    counts = queries.counted_seizures(scope).aggregate(
        **{f"n_{code}": Count("id", filter=cond) for code, cond in subsets.items()}
    )
    masses = queries.counted_items(scope).aggregate(
        **{f"kg_{code}": Sum("mass_kg", filter=cond) for code, cond in item_subsets.items()}
    )
    labels = {
        "all": _("counted in the scope"),
        "international_alert": _("detected through an international alert"),
        "triggering_alert": _("with a triggering alert"),
        "linked_alerts": _("linked to alerts"),
        "any_alert": _("any of these (tipped off)"),
    }
    total = counts["n_all"]
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
    for code in subsets:
        n = counts[f"n_{code}"]
        share = round(n / total, 4) if total else 0.0
        table.rows.append([code, labels[code], n, share, _kg(masses[f"kg_{code}"])])
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
