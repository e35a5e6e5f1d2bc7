"""Screening stored manifests (docs/screening.md, "Hits"): every traveller of the flights a
message touched, against every active watchlist and every active risk rule; each new match
becomes a hit in the review queue of the task forces at the traveller's destination and
transit airports.

Runs as the system in the background worker (tasks.py), never in a request: the indexes of
large lists take seconds to build, so each process keeps them, rebuilt only when a list's
revision changes."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from aircop.audit.services import record
from aircop.network.models import Unit, UnitKind
from aircop.passengers.models import Flight, Traveller
from aircop.screening import events
from aircop.screening.matcher.engine import Entry, Index, Person
from aircop.screening.models import (
    Hit,
    ListKind,
    RiskRule,
    RuleVersion,
    Severity,
    Watchlist,
    WatchlistEntry,
)

log = logging.getLogger("aircop.screening")


# ---------------------------------------------------------------------------- the indexes
@dataclass
class Loaded:
    revision: int
    index: Index
    entry_pks: list[int]
    references: list[str]


_cache: dict[int, Loaded] = {}
_cache_lock = threading.Lock()


def active_watchlists(today: date | None = None) -> list[Watchlist]:
    today = today or timezone.localdate()
    return list(
        Watchlist.objects.filter(is_active=True)
        .select_related("owner")
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("pk")
    )


def loaded(watchlist: Watchlist) -> Loaded:
    """The list's index, built from the database once per revision (per process)."""
    with _cache_lock:
        have = _cache.get(watchlist.pk)
        if have is not None and have.revision == watchlist.revision:
            return have
        entries, pks, references = [], [], []
        rows = WatchlistEntry.objects.filter(watchlist=watchlist).values_list(
            "pk", "reference", "names", "date_of_birth", "nationality", "sex", "documents"
        )
        for pk, reference, names, dob, nationality, sex, documents in rows.iterator(chunk_size=5000):
            documents = [(d.get("number", ""), d.get("country", "")) for d in documents or []]
            entries.append(Entry(str(len(pks)), list(names or []), dob, nationality, sex, documents))
            pks.append(pk)
            references.append(reference)
        have = _cache[watchlist.pk] = Loaded(watchlist.revision, Index(entries), pks, references)
        return have


def forget(watchlist_id: int | None = None) -> None:
    """Drop cached indexes (tests; a list deactivated for good)."""
    with _cache_lock:
        if watchlist_id is None:
            _cache.clear()
        else:
            _cache.pop(watchlist_id, None)


# ---------------------------------------------------------------------------- routing
def _task_forces(iatas: list[str]) -> list[Unit]:
    if not iatas:
        return []
    return list(Unit.objects.filter(kind=UnitKind.JAITF, is_active=True, airport__iata__in=iatas))


def route(traveller: Traveller, flight: Flight, cache: dict) -> list[Unit]:
    """The task forces that act on a hit: those at the traveller's destination and transit
    airports; when neither has one on the network, the one at the departure airport (it can
    still act before the flight leaves)."""
    destination = traveller.debarkation or flight.arrival_airport
    transit = [code for code in traveller.transit or [] if isinstance(code, str)]
    if traveller.in_transit and flight.arrival_airport not in transit:
        transit.append(flight.arrival_airport)
    key = (destination, tuple(transit), flight.departure_airport)
    if key not in cache:
        units = _task_forces([destination, *transit])
        if not units:
            units = _task_forces([traveller.embarkation or flight.departure_airport])
        cache[key] = units
    return cache[key]


def person(traveller: Traveller) -> Person:
    return Person(
        str(traveller.pk),
        traveller.surname,
        traveller.given_names,
        traveller.date_of_birth,
        traveller.nationality,
        traveller.sex,
        [(d.number, d.issuing_country) for d in traveller.documents.all()],
    )


def list_severity(watchlist: Watchlist, reasons: list[str]) -> str:
    if watchlist.kind == ListKind.WANTED:
        return Severity.HIGH
    if watchlist.kind == ListKind.DOCUMENTS:
        exact = any(r.startswith("document ") and r.endswith("on the list") for r in reasons)
        return Severity.HIGH if exact else Severity.MEDIUM
    return Severity.MEDIUM


# ---------------------------------------------------------------------------- the run
@dataclass
class RunReport:
    travellers: int = 0
    lists: int = 0
    rules: int = 0
    hits: int = 0
    already: int = 0

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _travellers(flight_ids: list[int], traveller_ids: list[int] | None):
    qs = Traveller.objects.filter(flight_id__in=flight_ids, masked_at__isnull=True)
    if traveller_ids is not None:
        qs = qs.filter(pk__in=traveller_ids)
    return list(qs.select_related("flight", "booking").prefetch_related("documents").order_by("pk"))


def screen_flights(
    flight_ids: list[int], *, traveller_ids: list[int] | None = None, progress=None
) -> RunReport:
    """Screen the travellers of ``flight_ids`` (or only ``traveller_ids`` among them) against
    every active list and rule; store the new hits, route them and announce them."""
    from aircop.screening import rules_runtime  # the rule engine imports passengers' context

    report = RunReport()
    travellers = _travellers(flight_ids, traveller_ids)
    report.travellers = len(travellers)
    if not travellers:
        return report
    found: list[tuple[Traveller, dict]] = []
    for watchlist in active_watchlists():
        report.lists += 1
        have = loaded(watchlist)
        threshold = float(watchlist.threshold)
        for traveller in travellers:
            for hit in have.index.screen(person(traveller), threshold):
                n = int(hit.entry_id)
                found.append(
                    (
                        traveller,
                        {
                            "watchlist": watchlist,
                            "entry_id": have.entry_pks[n],
                            "entry_reference": have.references[n],
                            "score": Decimal(str(round(hit.score, 3))),
                            "threshold": watchlist.threshold,
                            "severity": list_severity(watchlist, hit.reasons),
                            "explanation": hit.reasons,
                        },
                    )
                )
    rules = list(
        RiskRule.objects.filter(active_version__isnull=False).select_related("active_version").order_by("pk")
    )
    report.rules = len(rules)
    if rules:
        RuleVersion.objects.filter(pk__in=[r.active_version_id for r in rules]).update(
            screened=F("screened") + len(travellers)
        )
    contexts: dict[int, dict] = {}
    for rule in rules:
        compiled = rules_runtime.compiled(rule.active_version)
        for traveller in travellers:
            if traveller.pk not in contexts:
                contexts[traveller.pk] = rules_runtime.context(traveller)
            fired, reasons = rules_runtime.evaluate(compiled, contexts[traveller.pk])
            if fired:
                found.append(
                    (
                        traveller,
                        {
                            "rule": rule,
                            "rule_version": rule.active_version,
                            "score": Decimal("1"),
                            "severity": rule.severity,
                            "explanation": reasons,
                        },
                    )
                )
    if progress:
        progress("screened", len(travellers), len(travellers))
    _store(found, report)
    return report


def _store(found: list[tuple[Traveller, dict]], report: RunReport) -> None:
    now = timezone.now()
    cache: dict = {}
    by_unit: dict[int, list[Hit]] = {}
    created: list[int] = []
    with transaction.atomic():
        for traveller, fields in found:
            same = Q(traveller=traveller) & (
                Q(entry_id=fields["entry_id"]) if "entry_id" in fields else Q(rule=fields["rule"])
            )
            if Hit.objects.filter(same).exists():
                report.already += 1
                continue
            try:
                with transaction.atomic():
                    hit = Hit.objects.create(
                        traveller=traveller, flight=traveller.flight, created_at=now, **fields
                    )
            except IntegrityError:  # another worker stored it a moment ago
                report.already += 1
                continue
            units = route(traveller, traveller.flight, cache)
            hit.units.set(units)
            created.append(hit.pk)
            for unit in units:
                by_unit.setdefault(unit.pk, []).append(hit)
        report.hits = len(created)
        if created:
            record(
                None,
                "screening.hits",
                None,
                data={
                    "hits": created,
                    "travellers": report.travellers,
                    "lists": report.lists,
                    "rules": report.rules,
                },
            )
            events.announce_hits(by_unit)


def forget_retired_travellers(sender=None, **kwargs) -> int:
    """After passenger-data retention: a hit whose traveller was deleted or masked loses its
    explanation (it quotes names); the list, rule, score, review and outcome stay, so the
    counts do. Connected to passengers.retention.retention_applied (apps.py)."""
    retired = Q(traveller__isnull=True) | Q(traveller__masked_at__isnull=False)
    return Hit.objects.filter(retired).exclude(explanation=[]).update(explanation=[])
