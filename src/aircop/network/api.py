from __future__ import annotations

from datetime import date

from django.http import Http404
from ninja import Router, Schema

from aircop.network import selectors

router = Router(tags=["network"])


class AgencyOut(Schema):
    kind: str
    name: str


class UnitOut(Schema):
    code: str
    kind: str
    name: str
    country: str
    region: str | None
    airport: str | None
    airline_code: str
    agencies: list[AgencyOut]
    mandate: list[str]
    decree_reference: str
    decree_date: date | None
    connected_on: date | None


class MemberOut(Schema):
    username: str
    first_name: str
    last_name: str
    role: str
    agency: str
    is_head: bool


class AirportOut(Schema):
    iata: str
    icao: str
    name: str
    city: str
    country: str
    tz: str
    latitude: float
    longitude: float
    units: list[str]


class GroupOut(Schema):
    slug: str
    name: str
    description: str
    units: list[str]


def _unit_out(u) -> UnitOut:
    return UnitOut(
        code=u.code,
        kind=u.kind,
        name=u.name,
        country=u.country_id,
        region=u.country.region.code if u.country.region_id else None,
        airport=u.airport.iata if u.airport_id else None,
        airline_code=u.airline_code,
        agencies=[AgencyOut(kind=a.kind, name=a.name) for a in u.agencies.all()],
        mandate=u.mandate,
        decree_reference=u.decree_reference,
        decree_date=u.decree_date,
        connected_on=u.connected_on,
    )


@router.get("/units", response=list[UnitOut], summary="The directory of units")
def list_units(request, kind: str | None = None, country: str | None = None, region: str | None = None):
    qs = selectors.units(request.user, kind=kind, country=country, region=region).select_related(
        "country__region"
    )
    return [_unit_out(u) for u in qs]


@router.get("/units/{code}", response=UnitOut, summary="One unit")
def get_unit(request, code: str):
    return _unit_out(selectors.unit(request.user, code))


@router.get(
    "/units/{code}/members", response=list[MemberOut], summary="A unit's people (need-to-know: 404 otherwise)"
)
def unit_members(request, code: str):
    unit = selectors.unit(request.user, code)
    return [
        MemberOut(
            username=m.user.username,
            first_name=m.user.first_name,
            last_name=m.user.last_name,
            role=m.user.role,
            agency=m.agency,
            is_head=m.is_head,
        )
        for m in selectors.roster(request.user, unit)
    ]


@router.get("/airports/{iata}", response=AirportOut, summary="An airport by IATA code")
def get_airport(request, iata: str):
    found = selectors.airport(request.user, iata)
    if found is None:
        raise Http404(f"no airport with IATA code {iata!r}")
    return found


@router.get("/groups", response=list[GroupOut], summary="Named groups of units (audiences)")
def list_groups(request):
    return [
        GroupOut(
            slug=g.slug, name=g.name, description=g.description, units=sorted(u.code for u in g.units.all())
        )
        for g in selectors.groups(request.user)
    ]
