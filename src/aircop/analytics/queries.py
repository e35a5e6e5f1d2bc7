"""Aggregated figures over the seizure register (docs/analytics.md).

Figures are computed in the database (GROUP BY), never by loading records. What they may
include is the *disclosure rule*, written here and in docs/analytics.md:

- Figures count **submitted and validated** records of every handling label, drafts never:
  a total says how much was seized, not which record it came from, so an analyst of one
  region may read network totals whose records they cannot open.
- Figures never contain nominal data (names, documents, dates of birth are not read here).
- A breakdown by **person attributes** (nationality, sex, age band) or by **route** could
  single out one person or one case: any such cell made of fewer than ``MIN_CELL`` (3)
  seizures is suppressed (values withheld, marked ``suppressed``), unless every record in
  the scope was recorded by the reader's own units.
- Liaison officers and airline contacts, who see no broad traffic, get no figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.core.errors import ServiceError
from aircop.network.models import Airport, Country, Region, Unit, UnitKind
from aircop.seizures import figures
from aircop.seizures.codes import COUNT_UNITS, Status
from aircop.seizures.models import Seizure, SeizureItem

MIN_CELL = 3
COUNTED = (Status.SUBMITTED, Status.VALIDATED)
FIGURE_UNIT_KINDS = (UnitKind.JAITF, UnitKind.NATIONAL_HQ, UnitKind.REGIONAL_OFFICE)


@dataclass(frozen=True)
class Scope:
    """A period (inclusive dates, UTC days) and at most one place."""

    date_from: date
    date_to: date
    region: str | None = None  # region code
    country: str | None = None  # ISO alpha-2
    airport: str | None = None  # IATA

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.date_to + timedelta(days=1), time.min, tzinfo=UTC)

    def describe(self) -> dict:
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "region": self.region,
            "country": self.country,
            "airport": self.airport,
        }


def parse_scope(
    *,
    date_from: str | None,
    date_to: str | None,
    region=None,
    country=None,
    airport=None,
    today: date | None = None,
) -> Scope:
    """From query parameters; the default period is the last 12 months up to today."""
    today = today or date.today()
    start = _date("from", date_from) if date_from else _year_before(today) + timedelta(days=1)
    end = _date("to", date_to) if date_to else today
    if start > end:
        raise ServiceError(_("the period ends before it starts"), field="to")
    if (end - start).days > 366 * 30:
        raise ServiceError(_("the period is longer than 30 years"), field="from")
    places = [p for p in (region, country, airport) if p]
    if len(places) > 1:
        raise ServiceError(_("choose one of region, country and airport"), field="region")
    code_region = code_country = code_airport = None
    if region:
        if not Region.objects.filter(code=region).exists():
            raise ServiceError(_("no region with code %(code)r") % {"code": region}, field="region")
        code_region = region
    if country:
        found = Country.objects.filter(Q(iso2=country.upper()) | Q(iso3=country.upper())).values_list(
            "iso2", flat=True
        )
        if not found:
            raise ServiceError(
                _("unknown country %(code)r (ISO 3166 alpha-2 or alpha-3)") % {"code": country},
                field="country",
            )
        code_country = found[0]
    if airport:
        if not Airport.objects.filter(iata=airport.upper()).exists():
            raise ServiceError(_("unknown airport %(code)r") % {"code": airport}, field="airport")
        code_airport = airport.upper()
    return Scope(start, end, code_region, code_country, code_airport)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _date(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ServiceError(_("not a date (YYYY-MM-DD): %(value)r") % {"value": raw}, field=name) from None


def check_reader(user) -> None:
    """Who may read figures: members of a task force, a headquarters or a programme office,
    and analysts, administrators and auditors."""
    if user.role in (Role.ANALYST, Role.ADMIN, Role.AUDITOR):
        return
    if Unit.objects.filter(pk__in=user.unit_ids(), kind__in=FIGURE_UNIT_KINDS).exists():
        return
    raise ServiceError(_("figures are for task forces, headquarters and the programme"), code="forbidden")


def _where(scope: Scope) -> figures.Where:
    return figures.Where(
        start=scope.start, end=scope.end, region=scope.region, country=scope.country, airport=scope.airport
    )


def counted_seizures(scope: Scope):
    """Records that figures count, in the scope. Not a visibility query: see the module's rule."""
    return Seizure.objects.filter(_where(scope).q(), status__in=COUNTED)


def counted_items(scope: Scope):
    # ``counted`` is the seizure's status copied onto its items: no join to the seizures.
    return SeizureItem.objects.filter(_where(scope).q(), counted=True)


def cells(scope: Scope, figure: str, *, by_month: bool = False, memo: dict | None = None) -> dict:
    """One figure's cells over the scope (seizures/figures.py): whole months from the monthly
    roll-up, the days at either end from the register."""
    return figures.cells(
        figure,
        scope.date_from,
        scope.date_to,
        region=scope.region,
        country=scope.country,
        airport=scope.airport,
        by_month=by_month,
        memo=memo,
    )


def total(scope: Scope, memo: dict | None = None) -> figures.Cell:
    """Counted seizures (``seizures``) and high-risk persons (``persons``) in the scope."""
    return cells(scope, "total", memo=memo).get("", figures.Cell())


def all_own(user, scope: Scope) -> bool:
    """Were all the records in the scope recorded by the reader's units? (then nothing is suppressed)"""
    mine = {str(pk) for pk in user.unit_ids()}
    return all(key in mine for key, cell in cells(scope, "unit").items() if cell.seizures)


def summary(user, scope: Scope) -> dict:
    """Totals per category and subtype: kilograms, counts (tablets, pieces, animals), money per
    currency, and the number of seizures; plus the number of seizures and of high-risk persons."""
    check_reader(user)
    memo: dict = {}  # the days read from the register are read once for the three figures
    money: dict[tuple[str, str], dict[str, float]] = {}
    for key, cell in cells(scope, "measure", memo=memo).items():
        category, subtype, measure = key.split("|")
        if measure != "kg" and measure not in COUNT_UNITS:  # a currency code
            money.setdefault((category, subtype), {})[measure] = _num(cell.amount)
    totals = []
    for key, cell in sorted(
        cells(scope, "subtype", memo=memo).items(), key=lambda kc: tuple(kc[0].split("|"))
    ):
        category, subtype = key.split("|")
        totals.append(
            {
                "category": category,
                "subtype": subtype,
                "mass_kg": _num(cell.mass_kg),
                "count": int(cell.count or 0),
                "amounts": dict(sorted(money.get((category, subtype), {}).items())),
                "seizures": cell.seizures,
            }
        )
    counted = total(scope, memo)
    return {
        "scope": scope.describe(),
        "seizures": counted.seizures,
        "high_risk_persons": counted.persons,
        "totals": totals,
        "min_cell": MIN_CELL,
    }


def _num(value) -> float:
    return float(round(value, 3)) if value is not None else 0.0
