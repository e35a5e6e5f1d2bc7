"""Checks of an operation's fields, each refusal naming its field (``units[2]``, ``ends_at``).
Used by services.py; nothing here writes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.accounts.models import Role, User
from aircop.core.errors import ServiceError
from aircop.messaging.models import Tlp
from aircop.network import reference
from aircop.network.models import Unit
from aircop.operations.models import NAME_PATTERN, Operation
from aircop.seizures.codes import SUBTYPE_CATEGORY, Category

MAX_DAYS = 366
MAX_LIST = 40
ITEM_LIMIT = 200
TEXT_LIMIT = 20000
RESERVED_NAMES = {"new"}  # /operations/new/ is the creation page
ROUTE_PAIR = re.compile(r"^[A-Za-z]{3}(\s*[-–>/]\s*[A-Za-z]{3})+$")


def text(field: str, value, limit: int, *, required: bool = False) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ServiceError(_("required"), field=field)
    if len(value) > limit:
        raise ServiceError(_("longer than %(n)d characters") % {"n": limit}, field=field)
    return value


def name(value, *, current: Operation | None = None) -> str:
    value = str(value or "").strip().lower()
    if not value:
        raise ServiceError(_("required"), field="name")
    if not re.fullmatch(NAME_PATTERN, value):
        raise ServiceError(
            _("use 2 to 60 lower-case letters, digits and hyphens, e.g. cocaine-2026"), field="name"
        )
    if value in RESERVED_NAMES:
        raise ServiceError(_("%(name)r is reserved: choose another name") % {"name": value}, field="name")
    taken = Operation.objects.filter(name=value)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise ServiceError(_("an operation named %(name)r exists already") % {"name": value}, field="name")
    return value


def moment(field: str, value) -> datetime:
    """An aware datetime, a naive one (read as UTC) or ISO text; a date alone is 00:00 UTC."""
    if value in (None, ""):
        raise ServiceError(_("required"), field=field)
    if isinstance(value, str):
        raw = value.strip()
        try:
            value = datetime.fromisoformat(raw) if "T" in raw or " " in raw else date.fromisoformat(raw)
        except ValueError:
            raise ServiceError(
                _("expected a date and time in UTC, e.g. 2026-05-04T00:00"), field=field
            ) from None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    if not isinstance(value, datetime):
        raise ServiceError(_("expected a date and time in UTC, e.g. 2026-05-04T00:00"), field=field)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def window(starts_at, ends_at) -> tuple[datetime, datetime]:
    start = moment("starts_at", starts_at)
    end = moment("ends_at", ends_at)
    if end <= start:
        raise ServiceError(
            _("the operation must end after it starts: %(end)s is not after %(start)s")
            % {"end": end.isoformat(), "start": start.isoformat()},
            field="ends_at",
        )
    if end - start > timedelta(days=MAX_DAYS):
        raise ServiceError(_("an operation lasts at most %(n)d days") % {"n": MAX_DAYS}, field="ends_at")
    return start, end


def tlp(value) -> str:
    value = str(value or Tlp.AMBER).strip().lower().removeprefix("tlp:").replace("+", "_")
    if value not in Tlp.values:
        raise ServiceError(
            _("%(value)r is not one of %(choices)s") % {"value": value, "choices": ", ".join(Tlp.values)},
            field="tlp",
        )
    if value == Tlp.RED:
        raise ServiceError(
            _("TLP:RED goes to named units only: an operation's label is at most TLP:AMBER+STRICT"),
            field="tlp",
        )
    return value


def _strings(field: str, values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.splitlines()
    if not isinstance(values, list | tuple):
        raise ServiceError(_("expected a list"), field=field)
    if len(values) > MAX_LIST:
        raise ServiceError(_("at most %(n)d entries") % {"n": MAX_LIST}, field=field)
    return [str(v).strip() for v in values]


def units(values, field: str = "units") -> list[Unit]:
    codes = _strings(field, values)
    if not [c for c in codes if c]:
        raise ServiceError(_("name at least one participating unit"), field=field)
    found = {u.code: u for u in Unit.objects.filter(code__in=codes, is_active=True)}
    out: dict[str, Unit] = {}
    for i, code in enumerate(codes):
        if not code:
            continue
        if code not in found:
            raise ServiceError(_("no unit with code %(code)r") % {"code": code}, field=f"{field}[{i}]")
        out[code] = found[code]
    return list(out.values())


def coordinator_unit(actor, code) -> Unit:
    code = str(code or "").strip()
    if not code:
        raise ServiceError(_("required"), field="coordinator_unit")
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise ServiceError(_("no unit with code %(code)r") % {"code": code}, field="coordinator_unit")
    if actor.role != Role.ADMIN and unit.pk not in actor.unit_ids():
        raise ServiceError(
            _("name one of your own units as the coordinator unit (an administrator may name any unit)"),
            field="coordinator_unit",
        )
    return unit


def coordinators(values, allowed_units: list[Unit]) -> list[User]:
    """Named coordinators must belong to the coordinator unit or a participating unit."""
    names = list(_strings("coordinators", values))
    found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    allowed = {u.pk for u in allowed_units}
    out: dict[str, User] = {}
    for i, username in enumerate(names):
        if not username:
            continue
        user = found.get(username)
        if user is None:
            raise ServiceError(
                _("no active user named %(name)r") % {"name": username}, field=f"coordinators[{i}]"
            )
        if not allowed.intersection(user.unit_ids()):
            raise ServiceError(
                _("%(name)s belongs neither to the coordinator unit nor to a participating unit")
                % {"name": username},
                field=f"coordinators[{i}]",
            )
        out[username] = user
    return list(out.values())


def commodities(values) -> list[str]:
    """Codes of the seizure register: a category (drugs) or a subtype (cocaine)."""
    out = []
    for i, code in enumerate(_strings("commodities", values)):
        code = code.lower()
        if not code:
            continue
        if code not in Category.values and code not in SUBTYPE_CATEGORY:
            raise ServiceError(
                _("%(code)r is not a commodity of the seizure register (a category or subtype code)")
                % {"code": code},
                field=f"commodities[{i}]",
            )
        if code not in out:
            out.append(code)
    return out


def routes(values) -> list[str]:
    """Airport pairs or chains ("GRU-LIS", "BOG > ACC > MAD"), stored as "GRU-LIS"; anything
    else is kept as free text."""
    out = []
    for i, route in enumerate(_strings("routes", values)):
        if not route:
            continue
        if len(route) > ITEM_LIMIT:
            raise ServiceError(_("longer than %(n)d characters") % {"n": ITEM_LIMIT}, field=f"routes[{i}]")
        if ROUTE_PAIR.fullmatch(route):
            codes = [c.upper() for c in re.split(r"\s*[-–>/]\s*", route)]
            for code in codes:
                if reference.airport_record(code) is None:
                    raise ServiceError(
                        _("unknown airport code %(code)r") % {"code": code}, field=f"routes[{i}]"
                    )
            route = "-".join(codes)
        if route not in out:
            out.append(route)
    return out


def threats(values) -> list[str]:
    out = []
    for i, threat in enumerate(_strings("threats", values)):
        if len(threat) > ITEM_LIMIT:
            raise ServiceError(_("longer than %(n)d characters") % {"n": ITEM_LIMIT}, field=f"threats[{i}]")
        if threat and threat not in out:
            out.append(threat)
    return out
