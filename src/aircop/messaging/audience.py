"""Turning what the sender addressed (units, countries, regions, groups, the network, a joint
operation) into recipient units, under the handling rules of docs/handling.md.

A joint operation is a closed audience (docs/operations.md): it reaches the operation's
participating units and its coordinator unit, only while it runs, and only from one of
them; an alert to an operation goes to the operation alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.core.errors import ServiceError
from aircop.core.visibility import visible_to
from aircop.messaging.models import Scope, Tlp
from aircop.network.models import Country, Region, Unit, UnitGroup, UnitKind
from aircop.operations.models import Operation

# Broad audiences reach task forces and national headquarters only: liaison officers and
# airline contacts receive what is addressed to their own unit, nothing else.
BROADCAST_KINDS = (UnitKind.JAITF, UnitKind.NATIONAL_HQ)
# Largest audience each label allows (docs/handling.md).
ALLOWED_SCOPES = {
    Tlp.CLEAR: set(Scope.values),
    Tlp.GREEN: set(Scope.values),
    Tlp.AMBER: {Scope.UNIT, Scope.COUNTRY, Scope.REGION, Scope.GROUP, Scope.OPERATION},
    Tlp.AMBER_STRICT: {Scope.UNIT, Scope.COUNTRY, Scope.GROUP, Scope.OPERATION},
    Tlp.RED: {Scope.UNIT},
}
MAX_RED_UNITS = 10


@dataclass(frozen=True)
class Target:
    scope: str
    obj: object | None  # Unit, Country, Region, UnitGroup, Operation or None for the network


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
            Scope.OPERATION: lambda t: Operation.objects.filter(name=t.lower()).first(),
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
        Scope.OPERATION: _("no joint operation named %(target)r"),
    }[scope]


def _too_wide(scope: str) -> str:
    return {
        Scope.COUNTRY: _("a %(tlp)s alert cannot go to a whole country: address it to named units"),
        Scope.REGION: _("a %(tlp)s alert cannot go to a whole region: address it to named units"),
        Scope.GROUP: _("a %(tlp)s alert cannot go to a group of units: address it to named units"),
        Scope.NETWORK: _("a %(tlp)s alert cannot go to the whole network: address it to named units"),
        Scope.OPERATION: _("a %(tlp)s alert cannot go to a joint operation: address it to named units"),
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
    operations = [i for i, t in enumerate(targets) if t.scope == Scope.OPERATION]
    if operations and len(targets) > 1:
        raise ServiceError(
            _("an alert to a joint operation goes to the operation alone, to no other unit or audience"),
            field=f"audience[{operations[0]}]",
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
        elif t.scope == Scope.OPERATION:
            found = operation_units(t.obj)
        else:
            found = broad
        for unit in found:
            if unit.pk != exclude_unit_id and unit.pk not in units:
                units[unit.pk] = (unit, t.scope)
    return units


def operation_units(operation: Operation) -> list[Unit]:
    """An operation's closed audience: its participating units and its coordinator unit,
    whatever their kind (the operation names them)."""
    units = list(operation.units.filter(is_active=True).order_by("code"))
    coordinator = operation.coordinator_unit
    if coordinator.is_active and all(u.pk != coordinator.pk for u in units):
        units.append(coordinator)
    return units


def operation_target(targets: list[Target]) -> tuple[int, Operation] | None:
    """(position, operation) when the audience is a joint operation."""
    for i, t in enumerate(targets):
        if t.scope == Scope.OPERATION:
            return i, t.obj
    return None


def check_operation(
    targets: list[Target], *, sender, unit: Unit, now: datetime | None = None
) -> Operation | None:
    """An operation's channel is open while the operation runs, to its members only. Returns
    the operation addressed, or None when the audience is not an operation. An operation the
    sender may not see is answered as one that does not exist."""
    found = operation_target(targets)
    if found is None:
        return None
    i, operation = found
    if not visible_to(Operation, sender).filter(pk=operation.pk).exists():
        raise ServiceError(
            _not_found(Scope.OPERATION) % {"target": operation.name}, field=f"audience[{i}].target"
        )
    if all(u.pk != unit.pk for u in operation_units(operation)):
        raise ServiceError(
            _("your unit %(unit)s does not take part in the joint operation %(name)s")
            % {"unit": unit.code, "name": operation.name},
            field=f"audience[{i}].target",
        )
    now = now or timezone.now()
    if now < operation.starts_at:
        raise ServiceError(
            _("the joint operation %(name)s has not started: it starts on %(when)s UTC")
            % {"name": operation.name, "when": _when(operation.starts_at)},
            field=f"audience[{i}].target",
        )
    if now >= operation.ends_at:
        raise ServiceError(
            _(
                "the joint operation %(name)s ended on %(when)s UTC: its channel is read-only and takes "
                "no new alert"
            )
            % {"name": operation.name, "when": _when(operation.ends_at)},
            field=f"audience[{i}].target",
        )
    return operation


def _when(moment: datetime) -> str:
    return date_format(moment.astimezone(UTC), "Y-m-d H:i")


def operation_sender_unit(user, operation, default: Unit) -> Unit:
    """Sending to an operation without naming the unit: the user's unit that takes part."""
    members = {u.pk for u in operation_units(operation)}
    mine = [pk for pk in sorted(user.unit_ids()) if pk in members]
    if default.pk in members or not mine:
        return default
    return Unit.objects.select_related("airport").get(pk=mine[0])


def check_channel_open(alert) -> None:
    """After a joint operation ends, its channel is read-only: no reply, attachment or change
    to its alerts (and no new alert: check_operation). Acknowledgements and outcomes
    are still accepted, so that the outcome loop can close (docs/operations.md)."""
    if alert.operation_id is None:
        return
    operation = alert.operation
    if operation.has_ended():
        raise ServiceError(
            _(
                "the joint operation %(name)s has ended: its channel is read-only (acknowledgements and "
                "outcomes are still accepted)"
            )
            % {"name": operation.name},
            field="operation",
        )
