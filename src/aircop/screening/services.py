"""Writes of the screening app (docs/screening.md): creating and changing a watchlist, adding,
changing and removing its entries one by one, and importing a file of entries (importer.py).
Each write is atomic and audited without names, and every change of entries gives the list a
new revision (``Watchlist.touch``). Only members of the owning unit write to a list."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.messaging.models import Tlp
from aircop.network.models import Unit
from aircop.screening import importer
from aircop.screening.models import ListKind, Watchlist, WatchlistEntry

# What update_watchlist and update_entry may change (name, kind, owner and reference may not).
WATCHLIST_FIELDS = (
    "title",
    "source",
    "tlp",
    "threshold",
    "valid_from",
    "valid_until",
    "is_active",
    "description",
)
ENTRY_FIELDS = ("names", "date_of_birth", "nationality", "sex", "documents", "reason")
NAME_RE = re.compile(r"[-a-zA-Z0-9_]{1,60}")
RESERVED_NAMES = {"new"}  # /watchlists/new/ is the web's creation page
MAX_REASON = 500
# Files sent over the web or the API; larger ones go through `aircop watchlist import`.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class EntryInvalid(ServiceError):
    """An entry refused: ``problems`` holds every problem (importer.Problem, each naming its
    field); the error itself names the first."""

    def __init__(self, problems: list[importer.Problem]):
        self.problems = problems
        super().__init__(problems[0].reason, field=problems[0].field or None)


# ------------------------------------------------------------------ checks shared by the writes
def _require_member(actor, watchlist: Watchlist) -> None:
    """Only members of the owning unit write to a list (``actor`` None: the system, a command)."""
    if actor is not None and watchlist.owner_id not in actor.unit_ids():
        raise ServiceError(_("only members of the owning unit may change this list"), code="forbidden")


def _threshold(value) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(_("threshold: a number from 0.50 to 1.00"), field="threshold") from None
    if not number.is_finite() or not Decimal("0.5") <= number <= Decimal("1"):
        raise ServiceError(_("threshold: a number from 0.50 to 1.00"), field="threshold")
    return number.quantize(Decimal("0.01"))


def _tlp(value) -> str:
    if value not in Tlp.values:
        raise ServiceError(_("unknown handling label %(tlp)r") % {"tlp": value}, field="tlp")
    return value


def _day(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        day = parse_date(str(value).strip())
    except ValueError:
        day = None
    if day is None:
        raise ServiceError(_("not a date (YYYY-MM-DD): %(value)r") % {"value": value}, field=field)
    return day


def _validity(valid_from: date | None, valid_until: date | None) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        raise ServiceError(_("the validity ends before it starts"), field="valid_until")


def _line(value, field: str, *, required: bool, limit: int = 200) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ServiceError(_("required"), field=field)
    if len(text) > limit:
        raise ServiceError(_("at most %(n)d characters") % {"n": limit}, field=field)
    return text


# ------------------------------------------------------------------ lists
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
    name = (name or "").strip()
    if not NAME_RE.fullmatch(name) or name.lower() in RESERVED_NAMES:
        raise ServiceError(
            _("letters, digits, hyphens and underscores only, at most 60 (e.g. interpol-sltd)"), field="name"
        )
    if kind not in ListKind.values:
        raise ServiceError(_("kind: one of %(kinds)s") % {"kinds": ", ".join(ListKind.values)}, field="kind")
    unit = Unit.objects.filter(code=owner, is_active=True).first()
    if unit is None:
        raise ServiceError(_("no active unit %(code)r") % {"code": owner}, field="owner")
    if actor is not None and unit.pk not in actor.unit_ids():
        raise ServiceError(_("a list belongs to one of your units"), field="owner", code="forbidden")
    title = _line(title, "title", required=False)
    source = _line(source, "source", required=True)
    value = _threshold(threshold)
    valid_from, valid_until = _day(valid_from, "valid_from"), _day(valid_until, "valid_until")
    _validity(valid_from, valid_until)
    tlp = _tlp(tlp)
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
        description=description or "",
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    record(actor, "watchlist.created", watchlist, data={"name": name, "kind": kind, "owner": owner})
    return watchlist


@transaction.atomic
def update_watchlist(*, actor, watchlist: Watchlist, **fields) -> Watchlist:
    """Change what describes a list: any of WATCHLIST_FIELDS. Its name, kind and owner stay.
    Nothing is written (nor audited) when nothing changes."""
    for key in fields:
        if key not in WATCHLIST_FIELDS:
            raise ServiceError(_("cannot be changed"), field=key)
    watchlist = Watchlist.objects.select_for_update().get(pk=watchlist.pk)
    _require_member(actor, watchlist)
    clean = {}
    for key, value in fields.items():
        if key in ("title", "source"):
            clean[key] = _line(value, key, required=True)
        elif key == "tlp":
            clean[key] = _tlp(value)
        elif key == "threshold":
            clean[key] = _threshold(value)
        elif key in ("valid_from", "valid_until"):
            clean[key] = _day(value, key)
        elif key == "is_active":
            if not isinstance(value, bool):
                raise ServiceError(_("true or false"), field=key)
            clean[key] = value
        else:  # description
            clean[key] = "" if value is None else str(value).strip()
    _validity(clean.get("valid_from", watchlist.valid_from), clean.get("valid_until", watchlist.valid_until))
    changed = [key for key, value in clean.items() if getattr(watchlist, key) != value]
    if not changed:
        return watchlist
    for key in changed:
        setattr(watchlist, key, clean[key])
    watchlist.save(update_fields=changed)
    watchlist.touch(timezone.now())
    record(actor, "watchlist.updated", watchlist, data={"name": watchlist.name, "fields": changed})
    return watchlist


# ------------------------------------------------------------------ entries
def _clean_entry(watchlist: Watchlist, values: dict) -> dict:
    """The importer's own rules (importer.clean_entry), every problem at once."""
    entry, problems = importer.clean_entry(values, watchlist.kind)
    if problems:
        raise EntryInvalid(problems)
    return entry


def _locked_list(watchlist: Watchlist) -> Watchlist:
    # One writer of a list's entries at a time (a no-op lock on SQLite, whose transactions
    # are IMMEDIATE anyway).
    return Watchlist.objects.select_for_update().get(pk=watchlist.pk)


@transaction.atomic
def add_entry(
    *,
    actor,
    watchlist: Watchlist,
    reference: str,
    names=(),
    date_of_birth: str = "",
    nationality: str = "",
    sex: str = "",
    documents=(),
    reason: str = "",
) -> WatchlistEntry:
    """One new entry, checked like a line of an imported file. ``names``: a list (or aliases
    separated by ``|``); ``documents``: a list of ``{"number", "country", "type"}``."""
    watchlist = _locked_list(watchlist)
    _require_member(actor, watchlist)
    clean = _clean_entry(
        watchlist,
        {
            "reference": reference,
            "names": list(names) if isinstance(names, list | tuple) else names,
            "date_of_birth": date_of_birth,
            "nationality": nationality,
            "sex": sex,
            "documents": list(documents or []),
            "reason": reason,
        },
    )
    if WatchlistEntry.objects.filter(watchlist=watchlist, reference=clean["reference"]).exists():
        raise ServiceError(
            _("%(reference)r is already in the list") % {"reference": clean["reference"]}, field="reference"
        )
    now = timezone.now()
    entry = WatchlistEntry.objects.create(watchlist=watchlist, added_at=now, updated_at=now, **clean)
    watchlist.touch(now)
    record(
        actor,
        "watchlist.entry_added",
        entry,
        data={"list": watchlist.name, "reference": entry.reference},
    )
    return entry


@transaction.atomic
def update_entry(*, actor, entry: WatchlistEntry, **fields) -> WatchlistEntry:
    """Change any of ENTRY_FIELDS of one entry (its reference stays): the entry as it would be
    is checked as a whole, like a line of a file. Nothing is written when nothing changes."""
    for key in fields:
        if key not in ENTRY_FIELDS:
            raise ServiceError(_("cannot be changed"), field=key)
    watchlist = _locked_list(entry.watchlist)
    _require_member(actor, watchlist)
    entry = WatchlistEntry.objects.get(pk=entry.pk)
    current = {key: getattr(entry, key) for key in ENTRY_FIELDS}
    clean = _clean_entry(watchlist, {**current, **fields, "reference": entry.reference})
    changed = [key for key in ENTRY_FIELDS if getattr(entry, key) != clean[key]]
    if not changed:
        return entry
    now = timezone.now()
    for key in changed:
        setattr(entry, key, clean[key])
    entry.updated_at = now
    entry.save(update_fields=[*changed, "updated_at"])
    watchlist.touch(now)
    record(
        actor,
        "watchlist.entry_updated",
        entry,
        data={"list": watchlist.name, "reference": entry.reference, "fields": changed},
    )
    return entry


@transaction.atomic
def remove_entry(*, actor, entry: WatchlistEntry, reason: str) -> None:
    """Remove one entry, saying why. The reason is kept in the audit trail (the only trace
    left of the entry besides its reference), so it should not repeat the names."""
    watchlist = _locked_list(entry.watchlist)
    _require_member(actor, watchlist)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("required: say why the entry is removed"), field="reason")
    if len(reason) > MAX_REASON:
        raise ServiceError(_("at most %(n)d characters") % {"n": MAX_REASON}, field="reason")
    entry = WatchlistEntry.objects.get(pk=entry.pk)
    record(
        actor,
        "watchlist.entry_removed",
        entry,
        data={"list": watchlist.name, "reference": entry.reference, "reason": reason},
    )
    entry.delete()
    watchlist.touch(timezone.now())


def import_entries(
    *, actor, watchlist: Watchlist, data: bytes, name: str = "", fmt: str = "csv", replace: bool = False
) -> importer.ImportReport:
    """importer.import_entries for a member of the owning unit. Not one transaction around the
    whole: every line is checked first, outside any transaction, then the write is one
    transaction with its audit entry (importer._write)."""
    _require_member(actor, watchlist)
    if fmt not in ("csv", "json"):
        raise ServiceError(_("csv or json"), field="format")
    return importer.import_entries(
        actor=actor, watchlist=watchlist, data=data, name=name, fmt=fmt, replace=replace
    )
