"""Who sees watchlists (docs/handling.md, "Watchlists"): a list and its entries belong to its
owning unit; programme administrators see that a list exists (not its entries). Screening
itself reads every active list as the system, and what it finds goes to the units concerned
as hits (to come)."""

from __future__ import annotations

from django.db.models import Q

from aircop.accounts.models import Role
from aircop.core.visibility import register
from aircop.screening.models import Watchlist, WatchlistEntry


@register(Watchlist)
def _watchlists_policy(qs, user):
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(owner_id__in=user.unit_ids())


@register(WatchlistEntry)
def _entries_policy(qs, user):
    return qs.filter(Q(watchlist__owner_id__in=user.unit_ids()))
