"""Writes of the screening app (docs/screening.md): creating a watchlist. Importing entries is
in importer.py. Each write is atomic and audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.messaging.models import Tlp
from aircop.network.models import Unit
from aircop.screening.models import ListKind, Watchlist


@transaction.atomic
def create_watchlist(
    *,
    actor,
    name: str,
    title: str,
    kind: str,
    source: str,
    owner: str,
    tlp: str = Tlp.AMBER,
    threshold: str | Decimal = "0.80",
    valid_from: date | None = None,
    valid_until: date | None = None,
    description: str = "",
) -> Watchlist:
    if kind not in ListKind.values:
        raise ServiceError(_("kind: one of %(kinds)s") % {"kinds": ", ".join(ListKind.values)}, field="kind")
    unit = Unit.objects.filter(code=owner, is_active=True).first()
    if unit is None:
        raise ServiceError(_("no active unit %(code)r") % {"code": owner}, field="owner")
    if actor is not None and unit.pk not in actor.unit_ids():
        raise ServiceError(_("a list belongs to one of your units"), field="owner", code="forbidden")
    try:
        value = Decimal(str(threshold))
    except InvalidOperation:
        raise ServiceError(_("threshold: a number from 0.50 to 1.00"), field="threshold") from None
    if not Decimal("0.5") <= value <= Decimal("1"):
        raise ServiceError(_("threshold: a number from 0.50 to 1.00"), field="threshold")
    if valid_from and valid_until and valid_until < valid_from:
        raise ServiceError(_("the validity ends before it starts"), field="valid_until")
    if tlp not in Tlp.values:
        raise ServiceError(_("unknown handling label %(tlp)r") % {"tlp": tlp}, field="tlp")
    if Watchlist.objects.filter(name=name).exists():
        raise ServiceError(_("a list named %(name)r exists already") % {"name": name}, field="name")
    now = timezone.now()
    watchlist = Watchlist.objects.create(
        name=name,
        title=title or name,
        kind=kind,
        source=source,
        owner=unit,
        tlp=tlp,
        threshold=value,
        valid_from=valid_from,
        valid_until=valid_until,
        description=description,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    record(actor, "watchlist.created", watchlist, data={"name": name, "kind": kind, "owner": owner})
    return watchlist
