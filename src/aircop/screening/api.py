"""/api/v1/watchlists: lists and their entries over REST (docs/screening.md, "Managing lists on
the web and the API"). Thin: parse, call a selector or service, return a schema.

This file holds the lists; api_entries.py their entries and imports. Both add their routes
to the one ``router`` of api_common.py, which aircop/api.py mounts as this module's
``router``.

A list the caller does not see answers 404 for every verb, so that its existence does not
leak; an administrator, who sees the lists but not what they hold, gets 403 for entries. A
refused write answers 400 (403 for someone outside the owning unit) with the field:
``{"detail": "field: message", "field": "field", "problems": [{"field", "message"}]}``.
An import is all or nothing: a file with a wrong line answers 422 with every problem."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema, Status

from aircop.core.errors import ServiceError
from aircop.screening import selectors, selectors_hits, services
from aircop.screening.api_common import NOT_FOUND, REFUSED, refused, router
from aircop.screening.models import Watchlist


# ------------------------------------------------------------------ schemas
class WatchlistOut(Schema):
    name: str
    title: str
    kind: str = Field(description="wanted, interest, documents or national")
    source: str
    owner: str = Field(description="code of the owning unit")
    owner_name: str
    tlp: str
    threshold: float = Field(description="lowest score that makes a hit, 0.50 to 1.00")
    valid_from: date | None
    valid_until: date | None
    is_active: bool
    description: str
    revision: int = Field(description="raised by every change of the list (screening caches by it)")
    entries: int | None = Field(description="how many entries; null when you may not read them")
    created_at: datetime
    updated_at: datetime


class WatchlistIn(Schema):
    name: str = Field(description="short name: letters, digits, - and _, at most 60 (e.g. interpol-sltd)")
    title: str = ""
    kind: str = Field(description="wanted, interest, documents or national")
    source: str = Field(description="where the list comes from")
    owner: str = Field(description="code of the owning unit: one of yours")
    tlp: str = Field("amber", description="clear, green, amber, amber_strict or red")
    threshold: float | str = Field("0.80", description="0.50 to 1.00")
    valid_from: date | None = None
    valid_until: date | None = None
    description: str = ""


class WatchlistPatch(Schema):
    """Only the fields sent are changed; ``null`` clears a date. The name, kind and owner stay."""

    title: str | None = None
    source: str | None = None
    tlp: str | None = None
    threshold: float | str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    is_active: bool | None = None
    description: str | None = None


# ------------------------------------------------------------------ helpers
def _watchlist_out(user, wl: Watchlist) -> dict:
    mine = getattr(wl, "mine", None)
    if mine is None:
        mine = selectors.sees_entries(user, wl)
    return {
        "name": wl.name,
        "title": wl.title,
        "kind": wl.kind,
        "source": wl.source,
        "owner": wl.owner.code,
        "owner_name": wl.owner.name,
        "tlp": wl.tlp,
        "threshold": float(wl.threshold),
        "valid_from": wl.valid_from,
        "valid_until": wl.valid_until,
        "is_active": wl.is_active,
        "description": wl.description,
        "revision": wl.revision,
        "entries": getattr(wl, "entry_count", None) if mine else None,
        "created_at": wl.created_at,
        "updated_at": wl.updated_at,
    }


# ------------------------------------------------------------------ lists
@router.get("/watchlists", response=list[WatchlistOut], summary="The watchlists I see")
def list_watchlists(request):
    """Members of a unit see its lists with their entry counts; programme administrators see
    every list, without counts; everybody else sees none."""
    return [_watchlist_out(request.user, wl) for wl in selectors.watchlists(request.user)]


@router.post(
    "/watchlists", response={201: WatchlistOut, **REFUSED}, summary="Create a list owned by one of my units"
)
def create_watchlist(request, payload: WatchlistIn):
    try:
        wl = services.create_watchlist(actor=request.user, **payload.dict())
    except ServiceError as exc:
        return refused(exc)
    return Status(201, _watchlist_out(request.user, selectors.watchlist(request.user, wl.name)))


@router.get(
    "/watchlists/{name}", response={200: WatchlistOut, **NOT_FOUND}, summary="One list (without its entries)"
)
def get_watchlist(request, name: str):
    return _watchlist_out(request.user, selectors.watchlist(request.user, name))


class HitCountsOut(Schema):
    hits: int
    open: int
    confirmed: int
    dismissed: int
    outcomes: dict[str, int] = Field(
        description="results reported, by the reviewing units and the alerts' recipients"
    )
    confirmed_with_outcome: int
    outcome_rate: float | None = Field(description="confirmed hits whose outcome is known / confirmed hits")
    confirmation_rate: float | None = Field(description="confirmed / reviewed")


@router.get(
    "/watchlists/{name}/hit-counts",
    response={200: HitCountsOut, **NOT_FOUND},
    summary="The list's hits by review state and their outcomes (no nominal data)",
)
def watchlist_hit_counts(request, name: str):
    return selectors_hits.watchlist_counts(selectors.watchlist(request.user, name))


@router.patch(
    "/watchlists/{name}",
    response={200: WatchlistOut, **REFUSED},
    summary="Change a list's title, source, TLP, threshold, validity, state or description",
)
def update_watchlist(request, name: str, payload: WatchlistPatch):
    wl = selectors.watchlist(request.user, name)
    try:
        services.update_watchlist(actor=request.user, watchlist=wl, **payload.dict(exclude_unset=True))
    except ServiceError as exc:
        return refused(exc)
    return _watchlist_out(request.user, selectors.watchlist(request.user, name))


# The entry and import routes, added to the same router after these, so that the OpenAPI
# document lists the paths in the order they always had.
from aircop.screening import api_entries  # noqa: E402, F401
