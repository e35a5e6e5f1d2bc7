"""Turning what the sender addressed (units, countries, regions, groups, the network) into
recipient units, under the handling rules of docs/handling.md."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.core.errors import ServiceError
from aircop.messaging.models import Scope, Tlp
from aircop.network.models import Country, Region, Unit, UnitGroup, UnitKind

# Broad audiences reach task forces and national headquarters only: liaison officers and
# airline contacts receive what is addressed to their own unit, nothing else.
BROADCAST_KINDS = (UnitKind.JAITF, UnitKind.NATIONAL_HQ)
# Largest audience each label allows (docs/handling.md).
ALLOWED_SCOPES = {
    Tlp.CLEAR: set(Scope.values),
    Tlp.GREEN: set(Scope.values),
    Tlp.AMBER: {Scope.UNIT, Scope.COUNTRY, Scope.REGION, Scope.GROUP},
    Tlp.AMBER_STRICT: {Scope.UNIT, Scope.COUNTRY, Scope.GROUP},
    Tlp.RED: {Scope.UNIT},
}
MAX_RED_UNITS = 10


@dataclass(frozen=True)
class Target:
    scope: str
    obj: object | None  # Unit, Country, Region, UnitGroup or None for the network


@dataclass
class Resolved:
    targets: list[Target]
    units: dict[int, tuple[Unit, str]]  # unit id -> (unit, via)


def parse(entries: list[dict]) -> list[Target]:
    """[{"scope": "unit", "target": "jaitf-lfw"}, {"scope": "network"}] -> targets.
    Errors name the entry: audience[2].target."""
    if not entries:
        raise ServiceError(_("choose at least one recipient"), field="audience")
    # Units, the usual case, in one query for the whole audience.
    codes = {
        str(e.get("target") or "").strip() for e in entries if (e.get("scope") or "").strip() == Scope.UNIT
    }
    units = {u.code: u for u in Unit.objects.filter(code__in=codes, is_active=True)} if codes else {}
    targets = []
    for i, entry in enumerate(entries):
        field = f"audience[{i}]"
        scope = (entry.get("scope") or "").strip()
        target = str(entry.get("target") or "").strip()
        if scope not in Scope.values:
            raise ServiceError(_("unknown scope %(scope)r") % {"scope": scope}, field=f"{field}.scope")
        if scope == Scope.NETWORK:
            targets.append(Target(scope, None))
            continue
        lookup = {
            Scope.UNIT: units.get,
            Scope.COUNTRY: lambda t: (
                Country.objects.filter(iso2=t.upper()).first()
                or Country.objects.filter(iso3=t.upper()).first()
            ),
            Scope.REGION: lambda t: Region.objects.filter(code=t).first(),
            Scope.GROUP: lambda t: UnitGroup.objects.filter(slug=t).first(),
        }[scope]
        obj = lookup(target) if target else None
        if obj is None:
            raise ServiceError(_not_found(scope) % {"target": target}, field=f"{field}.target")
        targets.append(Target(scope, obj))
    return targets


def _not_found(scope: str) -> str:
    # One sentence per scope, so that each language can make it agree.
    return {
        Scope.UNIT: _("no unit with code %(target)r"),
        Scope.COUNTRY: _("no country with code %(target)r"),
        Scope.REGION: _("no region with code %(target)r"),
        Scope.GROUP: _("no group of units named %(target)r"),
    }[scope]


def _too_wide(scope: str) -> str:
    return {
        Scope.COUNTRY: _("a %(tlp)s alert cannot go to a whole country: address it to named units"),
        Scope.REGION: _("a %(tlp)s alert cannot go to a whole region: address it to named units"),
        Scope.GROUP: _("a %(tlp)s alert cannot go to a group of units: address it to named units"),
        Scope.NETWORK: _("a %(tlp)s alert cannot go to the whole network: address it to named units"),
    }[scope]


def check_rules(targets: list[Target], tlp: str, sender) -> None:
    allowed = ALLOWED_SCOPES[tlp]
    for i, t in enumerate(targets):
        if t.scope not in allowed:
            raise ServiceError(_too_wide(t.scope) % {"tlp": Tlp(tlp).label}, field=f"audience[{i}]")
        if sender.role in (Role.LIAISON, Role.AIRLINE) and t.scope != Scope.UNIT:
            raise ServiceError(
                _("liaison officers and airline contacts address named units only"), field=f"audience[{i}]"
            )
    if tlp == Tlp.RED and len(targets) > MAX_RED_UNITS:
        raise ServiceError(
            _("a TLP:RED alert goes to at most %(n)d named units") % {"n": MAX_RED_UNITS}, field="audience"
        )


def resolve(targets: list[Target], *, exclude_unit_id: int) -> dict[int, tuple[Unit, str]]:
    """Recipient units with how each was reached; a unit named directly wins over a broad scope."""
    units: dict[int, tuple[Unit, str]] = {}
    broad = Unit.objects.filter(is_active=True, kind__in=BROADCAST_KINDS)
    for t in sorted(targets, key=lambda t: t.scope != Scope.UNIT):
        if t.scope == Scope.UNIT:
            found = [t.obj]
        elif t.scope == Scope.COUNTRY:
            found = broad.filter(country=t.obj)
        elif t.scope == Scope.REGION:
            found = broad.filter(country__region=t.obj)
        elif t.scope == Scope.GROUP:
            found = broad.filter(groups=t.obj)
        else:
            found = broad
        for unit in found:
            if unit.pk != exclude_unit_id and unit.pk not in units:
                units[unit.pk] = (unit, t.scope)
    return units
