"""Who is who for capacity building (docs/handling.md, "Capacity building"): programme staff,
programme writers and the units a user may organise activities for. Read once per user
object, like seizures.selectors.reach."""

from __future__ import annotations

from dataclasses import dataclass

from aircop.accounts.models import Role
from aircop.network.models import Unit, UnitKind

# The programme's own units: the regional offices and the programme coordination unit
# (aircop-pcu), which the network records as units of the regional-office kind.
PROGRAMME_UNIT_KINDS = (UnitKind.REGIONAL_OFFICE,)
# Roles that read all programme data wherever their unit is.
PROGRAMME_READ_ROLES = {Role.ADMIN, Role.ANALYST}
# Roles that write as programme staff when they belong to a programme unit (admins always).
PROGRAMME_WRITE_ROLES = {Role.COORDINATOR, Role.ANALYST, Role.ADMIN}
# Roles that write for the activities their own unit organises.
ORGANISER_ROLES = {Role.OFFICER, Role.UNIT_HEAD, Role.COORDINATOR, Role.ANALYST, Role.ADMIN}
ORGANISER_UNIT_KINDS = (UnitKind.JAITF, UnitKind.NATIONAL_HQ, UnitKind.REGIONAL_OFFICE)
# Units that a library scope "the whole network", "a region" or "a country" reaches, as a
# broad alert audience does (docs/handling.md, Audiences): liaison posts and airline contacts
# read a document only when named.
COMMUNITY_UNIT_KINDS = (UnitKind.JAITF, UnitKind.NATIONAL_HQ)


@dataclass(frozen=True)
class Reach:
    units: tuple[int, ...]
    programme_staff: bool  # reads every activity, participant, trainer, item of equipment, document
    programme_writer: bool  # writes any of them
    organiser_units: tuple[int, ...]  # units whose activities the user writes
    community_units: tuple[int, ...]
    community_countries: tuple[str, ...]
    community_regions: tuple[int, ...]


def reach(user) -> Reach:
    cached = getattr(user, "_capacity_reach", None)
    if cached is not None:
        return cached
    rows = list(
        Unit.objects.filter(pk__in=user.unit_ids()).values_list(
            "pk", "kind", "country_id", "country__region_id"
        )
    )
    in_programme_unit = any(kind in PROGRAMME_UNIT_KINDS for _pk, kind, _c, _r in rows)
    community = [(pk, c, r) for pk, kind, c, r in rows if kind in COMMUNITY_UNIT_KINDS]
    result = Reach(
        units=tuple(pk for pk, *_ in rows),
        programme_staff=in_programme_unit or user.role in PROGRAMME_READ_ROLES,
        programme_writer=user.role == Role.ADMIN
        or (in_programme_unit and user.role in PROGRAMME_WRITE_ROLES),
        organiser_units=tuple(pk for pk, kind, *_ in rows if kind in ORGANISER_UNIT_KINDS)
        if user.role in ORGANISER_ROLES
        else (),
        community_units=tuple(pk for pk, _c, _r in community),
        community_countries=tuple(sorted({c for _pk, c, _r in community})),
        community_regions=tuple(sorted({r for _pk, _c, r in community if r})),
    )
    user._capacity_reach = result
    return result


def may_organise(user, unit_id: int) -> bool:
    """May ``user`` write activities organised by this unit?"""
    if user is None:  # an operator's command or the demo
        return True
    r = reach(user)
    return r.programme_writer or unit_id in r.organiser_units


def may_write_programme(user) -> bool:
    return user is None or reach(user).programme_writer


def may_edit_trainer(user, trainer) -> bool:
    """Programme staff, or the unit that recorded the trainer."""
    if user is None:
        return True
    r = reach(user)
    return r.programme_writer or (
        trainer.recorded_by_unit_id is not None and trainer.recorded_by_unit_id in r.organiser_units
    )
