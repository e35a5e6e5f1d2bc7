"""Who sees watchlists (docs/handling.md, "Watchlists"): a list and its entries belong to its
owning unit; programme administrators see that a list exists (not its entries). Screening
itself reads every active list as the system, and what it finds goes to the units concerned
as hits (to come)."""

from __future__ import annotations

import json

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.screening.models import Watchlist, WatchlistEntry


@register(Watchlist)
def _watchlists_policy(qs, user):
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(owner_id__in=user.unit_ids())


@register(WatchlistEntry)
def _entries_policy(qs, user):
    return qs.filter(Q(watchlist__owner_id__in=user.unit_ids()))


# ------------------------------------------------------------------ reads
def sees_entries(user, watchlist: Watchlist) -> bool:
    """Whether ``user`` may read this visible list's entries: the rule of _entries_policy for
    one list (members of the owning unit). An administrator sees the list, not its entries."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return watchlist.owner_id in user.unit_ids()


def watchlists(user):
    """The lists ``user`` sees, with ``mine`` (the user reads its entries) and ``entry_count``
    (counted among the entries the user may see, so 0 where ``mine`` is false)."""
    counts = (
        visible_to(WatchlistEntry, user)
        .filter(watchlist=OuterRef("pk"))
        .order_by()
        .values("watchlist")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        visible_to(Watchlist, user)
        .select_related("owner")
        .annotate(
            mine=Case(
                When(owner_id__in=user.unit_ids(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            entry_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0),
        )
        .order_by("name")
    )


def watchlist(user, name: str) -> Watchlist:
    """One list by its name; 404 when the user does not see it."""
    return get_visible_or_404(watchlists(user), user, name=name)


def entries(user, watchlist: Watchlist, *, q: str = ""):
    """The list's entries the user may see (none for an administrator), by reference. ``q``
    finds a reference, a name or a document number by a part of it (any case for Latin
    letters; the exact case elsewhere on SQLite)."""
    qs = visible_to(WatchlistEntry, user).filter(watchlist=watchlist)
    q = (q or "").strip()
    if q:
        found = Q(reference__icontains=q) | Q(names__icontains=q) | Q(documents__icontains=q)
        # SQLite keeps JSON with non-ASCII letters escaped (\u0645...): look for that spelling too.
        escaped = json.dumps(q)[1:-1]
        if escaped != q:
            found |= Q(names__icontains=escaped)
        qs = qs.filter(found)
    return qs.order_by("reference")


def entry_page(user, watchlist: Watchlist, *, q: str = "", page=1, per_page: int = 50, via: str) -> Page:
    """One page of entries: an audited read (``watchlist.entries_read``, with how many entries
    were shown and whether they were searched, never the search itself nor a name)."""
    result = Paginator(entries(user, watchlist, q=q), per_page).get_page(page)
    record(
        user,
        "watchlist.entries_read",
        watchlist,
        data={"via": via, "entries": len(result.object_list), "page": result.number, "search": bool(q)},
    )
    return result


def entry(
    user, watchlist: Watchlist, *, reference: str | None = None, pk: int | None = None
) -> WatchlistEntry:
    """One entry of the list by reference (or id); 404 when the user does not see it. Not
    audited: for a write. Reads that show the entry use read_entry."""
    lookup = {"reference": reference} if reference is not None else {"pk": pk}
    return get_visible_or_404(WatchlistEntry.objects.filter(watchlist=watchlist), user, **lookup)


def read_entry(
    user, watchlist: Watchlist, *, reference: str | None = None, pk: int | None = None, via: str
) -> WatchlistEntry:
    """One entry shown to the user: an audited read (``watchlist.entry_read``, its reference)."""
    found = entry(user, watchlist, reference=reference, pk=pk)
    record(
        user,
        "watchlist.entry_read",
        found,
        data={"via": via, "list": watchlist.name, "reference": found.reference},
    )
    return found
