"""Every write to the network: reference data, regions, units, agencies, groups, members."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.network import reference
from aircop.network.models import (
    AgencyKind,
    Airport,
    Country,
    Membership,
    Region,
    Unit,
    UnitAgency,
    UnitGroup,
    UnitKind,
)


@transaction.atomic
def load_countries(*, actor) -> int:
    """Create every ISO 3166-1 country that is missing. Returns how many were created."""
    existing = set(Country.objects.values_list("iso2", flat=True))
    new = [
        Country(iso2=c.alpha_2, iso3=c.alpha_3, name=getattr(c, "common_name", None) or c.name)
        for c in reference.all_countries()
        if c.alpha_2 not in existing
    ]
    Country.objects.bulk_create(new)
    if new:
        record(actor, "countries.loaded", data={"count": len(new)}, object_type="network.country")
    return len(new)


def country(code: str) -> Country:
    try:
        return (
            Country.objects.get(iso2=code.upper())
            if len(code) == 2
            else Country.objects.get(iso3=code.upper())
        )
    except Country.DoesNotExist:
        raise ServiceError(
            f"unknown country {code!r} (ISO 3166 alpha-2 or alpha-3)", field="country"
        ) from None


@transaction.atomic
def ensure_airport(*, actor, iata: str) -> Airport:
    """The airport with this IATA code, created from airportsdata on first use."""
    code = (iata or "").strip().upper()
    found = Airport.objects.filter(iata=code).first()
    if found:
        return found
    data = reference.airport_record(code)
    if data is None:
        raise ServiceError(
            _("unknown airport %(code)r (not an IATA airport code)") % {"code": iata}, field="airport"
        )
    airport = Airport.objects.create(
        iata=code,
        icao=data.get("icao", ""),
        name=data["name"],
        city=data.get("city", ""),
        country=country(data["country"]),
        tz=data["tz"],
        latitude=float(data["lat"]),
        longitude=float(data["lon"]),
    )
    record(actor, "airport.created", airport, data={"iata": code})
    return airport


@transaction.atomic
def ensure_region(
    *, actor, code: str, name: str, is_partner: bool = False, countries: list[str] = ()
) -> Region:
    region, created = Region.objects.get_or_create(
        code=code, defaults={"name": name, "is_partner": is_partner}
    )
    if created:
        record(actor, "region.created", region, data={"name": name})
    to_assign = Country.objects.filter(iso2__in=[c.upper() for c in countries]).exclude(region=region)
    changed = list(to_assign.values_list("iso2", flat=True))
    if changed:
        to_assign.update(region=region)
        record(actor, "region.countries_assigned", region, data={"countries": changed})
    return region


@transaction.atomic
def create_unit(
    *,
    actor,
    code: str,
    kind: str,
    name: str,
    country_code: str,
    airport_iata: str | None = None,
    region: Region | None = None,
    covered_airports: list[str] = (),
    airline_code: str = "",
    decree_reference: str = "",
    decree_date=None,
    connected_on=None,
    agencies: list[tuple[str, str]] = (),
    mandate: tuple[bool, bool, bool] = (True, True, True),
) -> Unit:
    if kind not in UnitKind.values:
        raise ServiceError(f"unknown unit kind {kind!r}", field="kind")
    if Unit.objects.filter(code=code).exists():
        raise ServiceError(f"a unit with code {code!r} already exists", field="code")
    airport = ensure_airport(actor=actor, iata=airport_iata) if airport_iata else None
    if kind == UnitKind.JAITF and airport is None:
        raise ServiceError("a task force needs its airport", field="airport")
    if kind == UnitKind.AIRLINE and not airline_code:
        raise ServiceError("an airline contact needs the airline's IATA code", field="airline_code")
    unit = Unit.objects.create(
        code=code,
        kind=kind,
        name=name,
        country=country(country_code),
        airport=airport,
        region=region,
        airline_code=airline_code.upper(),
        decree_reference=decree_reference,
        decree_date=decree_date,
        connected_on=connected_on,
        mandate_passengers=mandate[0],
        mandate_cargo=mandate[1],
        mandate_mail=mandate[2],
    )
    if covered_airports:
        unit.covered_airports.set([ensure_airport(actor=actor, iata=c) for c in covered_airports])
    for agency_kind, agency_name in agencies:
        if agency_kind not in AgencyKind.values:
            raise ServiceError(f"unknown agency {agency_kind!r}", field="agencies")
        UnitAgency.objects.create(unit=unit, kind=agency_kind, name=agency_name)
    record(
        actor, "unit.created", unit, data={"code": code, "kind": kind, "agencies": [a for a, _ in agencies]}
    )
    return unit


@transaction.atomic
def create_group(*, actor, slug: str, name: str, units: list[Unit], description: str = "") -> UnitGroup:
    if UnitGroup.objects.filter(slug=slug).exists():
        raise ServiceError(f"a group with slug {slug!r} already exists", field="slug")
    group = UnitGroup.objects.create(slug=slug, name=name, description=description)
    group.units.set(units)
    record(actor, "group.created", group, data={"units": sorted(u.code for u in units)})
    return group


@transaction.atomic
def add_member(*, actor, user, unit: Unit, agency: str, is_head: bool = False, since=None) -> Membership:
    if agency not in AgencyKind.values:
        raise ServiceError(
            f"unknown agency {agency!r} (one of {', '.join(AgencyKind.values)})", field="agency"
        )
    if Membership.objects.filter(user=user, unit=unit).exists():
        raise ServiceError(
            _("%(user)s is already a member of %(unit)s") % {"user": user.username, "unit": unit.code},
            field="unit",
        )
    membership = Membership.objects.create(user=user, unit=unit, agency=agency, is_head=is_head, since=since)
    record(
        actor,
        "membership.created",
        membership,
        data={"user": user.username, "unit": unit.code, "agency": agency},
    )
    return membership
