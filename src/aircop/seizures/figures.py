"""The seizure figures as additive cells, and their monthly roll-up (docs/analytics.md, "How
figures are computed").

Every figure of the analysis is a sum of *cells*: for one figure (``"measure"``,
``"route"``, ``"sex"``...) and one key (``"drugs|cocaine|kg"``, ``"BOG>LOS>LIS"``, ``"F"``...),
the number of counted seizures, of persons, and the kilograms, counts and amounts of their
items. A seizure happens at one airport in one month, so cells of different months or
airports add up exactly, distinct seizure counts included.

``SeizureFigure`` keeps these cells per calendar month (UTC) and airport. A figure over a
period reads the whole months inside the period from it (a few thousand rows for two years
of the whole network, whatever the size of the register) and the days at either end from
the register itself. The roll-up is kept by the services that write seizures: each
write recomputes the cells of the months and airports it touched (``refresh``), inside its
transaction and under the audit chain's lock, so concurrent writers cannot interleave.
``rebuild`` recomputes everything (``aircop seizures rebuild-figures``).

The same functions (``_aggregate``) compute a cell from the register, for the roll-up and for
the days at the ends of a period, so both follow one definition of each figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, CharField, Count, Exists, F, Max, Min, OuterRef, Q, Sum, Value, When

from aircop.audit.services import lock_chain, record
from aircop.seizures import codes
from aircop.seizures.models import Seizure, SeizureFigure, SeizureItem, SeizurePerson

FIGURES = (
    "total",  # key "": seizures; persons = high-risk persons
    "subtype",  # "category|subtype": seizures, kilograms, counts
    "measure",  # "category|subtype|measure": seizures, kilograms, counts, amounts
    "route",  # route key: seizures, kilograms
    "concealment",  # code: seizures, kilograms
    "detection",  # code: seizures, kilograms
    "flow",  # code: seizures, kilograms
    "nationality",  # ISO alpha-2 or "": persons, seizures
    "sex",  # code: persons, seizures
    "tipoff",  # subset code (TIPOFF_SUBSETS): seizures, kilograms
    "unit",  # unit id: seizures (who recorded what is in a scope)
)
TIPOFF_SUBSETS = ("all", "international_alert", "triggering_alert", "linked_alerts", "any_alert")
COUNTED = tuple(codes.COUNTED_STATUSES)


@dataclass
class Cell:
    seizures: int = 0
    persons: int = 0
    mass_kg: Decimal | None = None
    count: int | None = None
    amount: Decimal | None = None

    def add(self, other: Cell) -> None:
        self.seizures += other.seizures or 0
        self.persons += other.persons or 0
        self.mass_kg = _plus(self.mass_kg, other.mass_kg)
        self.count = _plus(self.count, other.count)
        self.amount = _plus(self.amount, other.amount)


def _plus(a, b):
    """SQL's SUM: nothing plus nothing is nothing."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


# ----------------------------------------------------------------------- the register
@dataclass(frozen=True)
class Where:
    """A time range and a place, as filters on Seizure's and SeizureItem's own (copied)
    fields; ``prefix`` reaches them from SeizurePerson."""

    start: datetime | None = None
    end: datetime | None = None
    region: str | None = None  # region code
    country: str | None = None  # ISO alpha-2
    airport: str | None = None  # IATA
    airport_ids: frozenset[int] | None = None

    def q(self, prefix: str = "") -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{prefix}occurred_at__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{prefix}occurred_at__lt": self.end})
        if self.region:
            q &= Q(**{f"{prefix}region__code": self.region})
        if self.country:
            q &= Q(**{f"{prefix}country_id": self.country})
        if self.airport:
            q &= Q(**{f"{prefix}airport__iata": self.airport})
        if self.airport_ids is not None:
            q &= Q(**{f"{prefix}airport_id__in": sorted(self.airport_ids)})
        return q


def _seizures(where: Where):
    return Seizure.objects.filter(where.q(), status__in=COUNTED)


def _items(where: Where):
    return SeizureItem.objects.filter(where.q(), counted=True)


def _persons(where: Where):
    return SeizurePerson.objects.filter(where.q("seizure__"), seizure__status__in=COUNTED)


def _grouped(qs, prefix: str, grouped: bool):
    """Annotate the roll-up's grouping columns (g_airport, g_country, g_region) when ``grouped``.
    The roll-up is computed one calendar month at a time, so the month is not a column here
    (truncating every row's time to its month costs a function call per row on SQLite)."""
    if not grouped:
        return qs, []
    qs = qs.annotate(
        g_airport=F(f"{prefix}airport_id"),
        g_country=F(f"{prefix}country_id"),
        g_region=F(f"{prefix}region_id"),
    )
    return qs, ["g_airport", "g_country", "g_region"]


def _measure():
    """Kilograms for every unit with a mass, the currency code for money, else the unit."""
    return Case(
        When(unit__in=list(codes.KG_PER_UNIT), then=Value("kg")),
        When(unit=codes.QuantityUnit.CURRENCY, then=F("currency")),
        default=F("unit"),
        output_field=CharField(),
    )


Row = tuple[tuple, str, Cell]  # (group values, key, cell)


def _rows(qs, group: list[str], key: Callable[[dict], str], cell: Callable[[dict], Cell]) -> Iterable[Row]:
    for r in qs:
        yield tuple(r[g] for g in group), key(r), cell(r)


def _summed(qs, group: list[str], **aggregates):
    """One row per group, or a single row over everything when there is no group (a bare
    ``values()`` would group by every column: one row per record)."""
    if group:
        return qs.values(*group).annotate(**aggregates).order_by()
    return [qs.aggregate(**aggregates)]


def _by_code(where: Where, grouped: bool, name: str) -> Iterable[Row]:
    """Seizures and kilograms per value of a seizure field (route, concealment, detection, flow)."""
    seizures, group = _grouped(_seizures(where), "", grouped)
    if name == "route_key":
        seizures = seizures.exclude(route_key="")
    yield from _rows(
        seizures.values(*group, name).annotate(n=Count("id")).order_by(),
        group,
        lambda r: r[name],
        lambda r: Cell(seizures=r["n"]),
    )
    items, group = _grouped(_items(where), "", grouped)
    if name == "route_key":
        items = items.exclude(route_key="")
    # The items carry the seizure's route and codes (models.item_copies): no join.
    yield from _rows(
        items.values(*group, name).annotate(kg=Sum("mass_kg")).order_by(),
        group,
        lambda r: r[name],
        lambda r: Cell(mass_kg=r["kg"]),
    )


def _tipoff(where: Where, grouped: bool) -> Iterable[Row]:
    # "Linked to alerts" is EXISTS on the link table (a join would repeat a seizure per
    # alert); an IN (subquery) per subset ran as a nested loop on PostgreSQL.
    def conditions(prefix: str, link_of: str, trigger: str = "") -> dict[str, Q]:
        by_alert = Q(**{f"{prefix}detection": "international_alert"})  # items carry the detection
        triggered = Q(**{f"{trigger}triggering_alert__isnull": False})
        linked = Q(Exists(Seizure.alerts.through.objects.filter(seizure_id=OuterRef(link_of))))
        return {
            "all": Q(),
            "international_alert": by_alert,
            "triggering_alert": triggered,
            "linked_alerts": linked,
            "any_alert": by_alert | triggered | linked,
        }

    seizures, group = _grouped(_seizures(where), "", grouped)
    subsets = conditions("", "pk")
    for r in _summed(
        seizures, group, **{f"n_{code}": Count("id", filter=cond) for code, cond in subsets.items()}
    ):
        for code in TIPOFF_SUBSETS:
            yield tuple(r[g] for g in group), code, Cell(seizures=r[f"n_{code}"])
    items, group = _grouped(_items(where), "", grouped)
    subsets = conditions("", "seizure_id", trigger="seizure__")
    for r in _summed(
        items, group, **{f"kg_{code}": Sum("mass_kg", filter=cond) for code, cond in subsets.items()}
    ):
        for code in TIPOFF_SUBSETS:
            yield tuple(r[g] for g in group), code, Cell(mass_kg=r[f"kg_{code}"])


def _aggregate(figure: str, where: Where, grouped: bool) -> Iterable[Row]:
    """The cells of ``figure`` in ``where``, per month and airport when ``grouped``."""
    if figure == "total":
        seizures, group = _grouped(_seizures(where), "", grouped)
        yield from _rows(
            _summed(seizures, group, n=Count("id")),
            group,
            lambda r: "",
            lambda r: Cell(seizures=r["n"]),
        )
        persons, group = _grouped(_persons(where).filter(role="high_risk"), "seizure__", grouped)
        yield from _rows(
            _summed(persons, group, n=Count("id")),
            group,
            lambda r: "",
            lambda r: Cell(persons=r["n"]),
        )
    elif figure in ("subtype", "measure"):
        items, group = _grouped(_items(where), "", grouped)
        fields = ["category", "subtype"]
        if figure == "measure":
            items, fields = items.annotate(measure=_measure()), [*fields, "measure"]
        yield from _rows(
            items.values(*group, *fields)
            .annotate(
                n=Count("seizure", distinct=True),
                kg=Sum("mass_kg"),
                counted=Sum("count"),
                amount=Sum("quantity"),
            )
            .order_by(),
            group,
            lambda r: "|".join(r[f] for f in fields),
            lambda r: Cell(
                seizures=r["n"],
                mass_kg=r["kg"],
                count=r["counted"],
                amount=r["amount"] if figure == "measure" else None,
            ),
        )
    elif figure in ("route", "concealment", "detection", "flow"):
        yield from _by_code(where, grouped, "route_key" if figure == "route" else figure)
    elif figure in ("nationality", "sex"):
        persons, group = _grouped(_persons(where), "seizure__", grouped)
        name = "nationality_id" if figure == "nationality" else "sex"
        yield from _rows(
            persons.values(*group, name)
            .annotate(n=Count("id"), s=Count("seizure", distinct=True))
            .order_by(),
            group,
            lambda r: r[name] or "",
            lambda r: Cell(persons=r["n"], seizures=r["s"]),
        )
    elif figure == "tipoff":
        yield from _tipoff(where, grouped)
    elif figure == "unit":
        seizures, group = _grouped(_seizures(where), "", grouped)
        yield from _rows(
            seizures.values(*group, "unit_id").annotate(n=Count("id")).order_by(),
            group,
            lambda r: str(r["unit_id"]),
            lambda r: Cell(seizures=r["n"]),
        )
    else:
        raise ValueError(f"no figure {figure!r}")


# ----------------------------------------------------------------------- the roll-up
def month_of(moment: datetime) -> date:
    moment = moment.astimezone(UTC)
    return date(moment.year, moment.month, 1)


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _write_cells(where: Where, month: date) -> int:
    """Insert the roll-up rows of ``where``, which lies within ``month`` (its old rows are
    already deleted)."""
    cells: dict[tuple, Cell] = {}
    for figure in FIGURES:
        for group, key, cell in _aggregate(figure, where, grouped=True):
            cells.setdefault((*group, figure, key), Cell()).add(cell)
    rows = [
        SeizureFigure(
            month=month,
            airport_id=airport,
            country_id=country,
            region_id=region,
            figure=figure,
            key=key,
            seizures=cell.seizures,
            persons=cell.persons,
            mass_kg=cell.mass_kg,
            count=cell.count,
            amount=cell.amount,
        )
        for (airport, country, region, figure, key), cell in cells.items()
    ]
    SeizureFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def cells_of(seizures: Iterable[Seizure]) -> set[tuple[date, int]]:
    """The roll-up cells (month, airport id) these records fall in."""
    return {(month_of(s.occurred_at), s.airport_id) for s in seizures}


@transaction.atomic
def refresh(cells: Iterable[tuple[date, int]]) -> int:
    """Recompute the roll-up for these (month, airport id) cells from the register; call it
    inside the writing transaction, after the register's rows are written."""
    by_month: dict[date, set[int]] = {}
    for month, airport_id in cells:
        by_month.setdefault(month, set()).add(airport_id)
    if not by_month:
        return 0
    lock_chain()  # writers of the roll-up take turns (the audit chain's lock, re-entrant)
    written = 0
    for month, airports in sorted(by_month.items()):
        SeizureFigure.objects.filter(month=month, airport_id__in=airports).delete()
        written += _write_cells(
            Where(start=_midnight(month), end=_midnight(_next_month(month)), airport_ids=frozenset(airports)),
            month,
        )
    return written


@transaction.atomic
def rebuild(*, audit: bool = True) -> int:
    """Recompute the whole roll-up (``aircop seizures rebuild-figures``; after a bulk load that
    did not go through the services). Audited, except by the migration that creates it."""
    lock_chain()
    SeizureFigure.objects.all().delete()
    rows = 0
    bounds = Seizure.objects.filter(status__in=COUNTED).aggregate(
        first=Min("occurred_at"), last=Max("occurred_at")
    )
    if bounds["first"] is not None:
        month, last = month_of(bounds["first"]), month_of(bounds["last"])
        while month <= last:
            rows += _write_cells(Where(start=_midnight(month), end=_midnight(_next_month(month))), month)
            month = _next_month(month)
    if audit:
        record(None, "seizures.figures_rebuilt", data={"rows": rows}, object_type="seizures.seizurefigure")
    return rows


# ----------------------------------------------------------------------- reading
@dataclass(frozen=True)
class Split:
    """A period as whole months (from the roll-up) and the days left at either end."""

    months: tuple[date, date] | None  # first and last whole month, inclusive
    edges: tuple[tuple[datetime, datetime], ...]


def split(date_from: date, date_to: date) -> Split:
    """[date_from, date_to] (inclusive UTC days) as whole months and edge ranges, each edge
    within one month."""
    first = date_from if date_from.day == 1 else _next_month(date_from)
    after = date_to + timedelta(days=1)
    end = date(after.year, after.month, 1)  # the first day after the last whole month
    if first >= end:  # no whole month: one or two pieces of months
        start, boundary = date_from, _next_month(date(date_from.year, date_from.month, 1))
        if boundary < after:
            return Split(
                None, ((_midnight(start), _midnight(boundary)), (_midnight(boundary), _midnight(after)))
            )
        return Split(None, ((_midnight(start), _midnight(after)),))
    edges = []
    if date_from < first:
        edges.append((_midnight(date_from), _midnight(first)))
    if end < after:
        edges.append((_midnight(end), _midnight(after)))
    last = date(end.year - 1, 12, 1) if end.month == 1 else date(end.year, end.month - 1, 1)
    return Split((first, last), tuple(edges))


def cells(
    figure: str,
    date_from: date,
    date_to: date,
    *,
    region: str | None = None,
    country: str | None = None,
    airport: str | None = None,
    by_month: bool = False,
    use_rollup: bool = True,
    memo: dict | None = None,
) -> dict:
    """Key -> cell of ``figure`` over the inclusive UTC days and the place; with ``by_month``
    (month, key) -> cell. ``use_rollup=False`` reads the whole period from the register,
    month by month (what the roll-up must always agree with)."""
    out: dict = {}
    place = {"region": region, "country": country, "airport": airport}
    parts = split(date_from, date_to) if use_rollup else Split(None, _months_of(date_from, date_to))
    months = _month_list(parts.months)
    edges = []
    for start, end in parts.edges:
        if use_rollup and _whole_month_holds_only(start, end):
            months.append(month_of(start))  # the month's cells are exactly this edge's
        else:
            edges.append((start, end))
    if months:
        months = sorted(set(months))
        if len(months) == 1 or months == _month_list((months[0], months[-1])):
            q = Q(figure=figure, month__gte=months[0], month__lte=months[-1])
        else:
            q = Q(figure=figure, month__in=months)
        if region:
            q &= Q(region__code=region)
        if country:
            q &= Q(country_id=country)
        if airport:
            q &= Q(airport__iata=airport)
        fields = ("month", "key") if by_month else ("key",)
        for r in (
            SeizureFigure.objects.filter(q)
            .values(*fields)
            .annotate(
                s=Sum("seizures"), p=Sum("persons"), kg=Sum("mass_kg"), n=Sum("count"), amount=Sum("amount")
            )
            .order_by()
        ):
            key = (r["month"], r["key"]) if by_month else r["key"]
            out.setdefault(key, Cell()).add(
                Cell(seizures=r["s"], persons=r["p"], mass_kg=r["kg"], count=r["n"], amount=r["amount"])
            )
    for start, end in edges:
        month = month_of(start)
        for key, cell in _edge_cells(figure, Where(start=start, end=end, **place), memo):
            out.setdefault((month, key) if by_month else key, Cell()).add(cell)
    return out


def _edge_cells(figure: str, where: Where, memo: dict | None) -> list[tuple[str, Cell]]:
    """A figure's cells over days read from the register. With a ``memo`` shared by the calls
    of one answer (the summary reads ``measure``, ``subtype`` and ``total``), each edge is
    read once per figure, and ``subtype`` comes from the ``measure`` cells: kilograms and
    counts add up across measures, and the number of seizures is that of the only measure of
    a commodity, or counted again for the few commodities seized in several measures."""
    if memo is not None and (figure, where) in memo:
        return memo[(figure, where)]
    if figure == "subtype" and memo is not None:
        measures = _edge_cells("measure", where, memo)
        by_subtype: dict[str, list[Cell]] = {}
        for key, cell in measures:
            by_subtype.setdefault(key.rsplit("|", 1)[0], []).append(cell)
        several = [key for key, found in by_subtype.items() if len(found) > 1]
        distinct = {}
        if several:
            wanted = Q()
            for key in several:
                category, subtype = key.split("|")
                wanted |= Q(category=category, subtype=subtype)
            distinct = {
                f"{r['category']}|{r['subtype']}": r["n"]
                for r in _items(where)
                .filter(wanted)
                .values("category", "subtype")
                .annotate(n=Count("seizure", distinct=True))
                .order_by()
            }
        rows = []
        for key, found in by_subtype.items():
            total = Cell()
            for cell in found:
                total.add(Cell(mass_kg=cell.mass_kg, count=cell.count))
            total.seizures = distinct[key] if key in distinct else found[0].seizures
            rows.append((key, total))
    else:
        rows = [(key, cell) for _group, key, cell in _aggregate(figure, where, grouped=False)]
    if memo is not None:
        memo[(figure, where)] = rows
    return rows


def _month_list(bounds: tuple[date, date] | None) -> list[date]:
    if bounds is None:
        return []
    out, month = [], bounds[0]
    while month <= bounds[1]:
        out.append(month)
        month = _next_month(month)
    return out


def _whole_month_holds_only(start: datetime, end: datetime) -> bool:
    """True when no record of the register (any status, any place) falls in the edge's month
    outside [start, end): the month's roll-up cells are then exactly the edge's. This is the
    case of the current month when the period ends today (nothing is recorded in the future),
    and of a month whose first days hold nothing. Two index probes on the seizures' time."""
    month = month_of(start)
    first, after = _midnight(month), _midnight(_next_month(month))
    outside = Q(occurred_at__gte=first, occurred_at__lt=start) | Q(
        occurred_at__gte=end, occurred_at__lt=after
    )
    return not Seizure.objects.filter(outside).exists()


def _months_of(date_from: date, date_to: date) -> tuple[tuple[datetime, datetime], ...]:
    """The period cut at month boundaries, without the roll-up."""
    ranges, start, after = [], date_from, date_to + timedelta(days=1)
    while start < after:
        boundary = min(_next_month(date(start.year, start.month, 1)), after)
        ranges.append((_midnight(start), _midnight(boundary)))
        start = boundary
    return tuple(ranges)
