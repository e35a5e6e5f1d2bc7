"""Reads of the network. The directory (regions, countries, airports, units, their agencies
and groups) is open to every signed-in user: knowing whom to call is the point of the
network. Who belongs to a unit (its roster) is need-to-know: see accounts.selectors."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from aircop.accounts.selectors import roster_unit_filter
from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.network import reference
from aircop.network.models import Airport, Country, Membership, Region, Unit, UnitAgency, UnitGroup


def _directory(qs, user):
    return qs


for _model in (Region, Country, Airport, Unit, UnitAgency, UnitGroup):
    register(_model)(_directory)


@register(Membership)
def _membership_policy(qs, user):
    units = roster_unit_filter(user, prefix="unit__")
    return qs if units is None else qs.filter(units)


def units(user, *, kind: str | None = None, country: str | None = None, region: str | None = None):
    qs = (
        visible_to(Unit, user)
        .filter(is_active=True)
        .select_related("country", "airport", "region")
        .prefetch_related(Prefetch("agencies", queryset=UnitAgency.objects.order_by("kind")))
    )
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country_id=country.upper())
    if region:
        qs = qs.filter(country__region__code=region)
    return qs.order_by("country__name", "code")


def unit(user, code: str) -> Unit:
    return get_visible_or_404(
        visible_to(Unit, user).select_related("country", "airport", "region").prefetch_related("agencies"),
        user,
        code=code,
    )


def may_see_roster(user, unit_obj: Unit) -> bool:
    units = roster_unit_filter(user)
    return units is None or visible_to(Unit, user).filter(units, pk=unit_obj.pk).exists()


def roster(user, unit_obj: Unit):
    """Members of a unit; raises 404 when the user may not see this unit's people."""
    if not may_see_roster(user, unit_obj):
        raise Http404("not found")
    qs = visible_to(Membership, user).filter(unit=unit_obj).select_related("user")
    return qs.order_by("-is_head", "user__last_name", "user__username")


def my_memberships(user):
    return (
        visible_to(Membership, user)
        .filter(user=user)
        .select_related("unit", "unit__airport", "unit__country")
    )


def colleagues(user):
    """People in my units, except me."""
    return (
        visible_to(Membership, user)
        .filter(unit_id__in=user.unit_ids())
        .exclude(user=user)
        .select_related("user", "unit")
        .order_by("unit__code", "user__username")
    )


def regions_with_countries(user):
    connected = set(visible_to(Unit, user).values_list("country_id", flat=True))
    regions = visible_to(Region, user).prefetch_related("countries")
    return [(region, [c for c in region.countries.all() if c.iso2 in connected]) for region in regions]


def groups(user):
    return visible_to(UnitGroup, user).prefetch_related("units")


def airport(user, iata: str) -> dict | None:
    """An airport by IATA code: the connected one from the database, else the reference
    record (the platform knows every IATA airport, even those not yet connected)."""
    code = iata.upper()
    found = visible_to(Airport, user).select_related("country").filter(iata=code).first()
    if found:
        return {
            "iata": found.iata,
            "icao": found.icao,
            "name": found.name,
            "city": found.city,
            "country": found.country_id,
            "tz": found.tz,
            "latitude": found.latitude,
            "longitude": found.longitude,
            "units": list(visible_to(Unit, user).filter(airport=found).values_list("code", flat=True)),
        }
    data = reference.airport_record(code)
    if data is None:
        return None
    return {
        "iata": code,
        "icao": data.get("icao", ""),
        "name": data["name"],
        "city": data.get("city", ""),
        "country": data["country"],
        "tz": data["tz"],
        "latitude": float(data["lat"]),
        "longitude": float(data["lon"]),
        "units": [],
    }
