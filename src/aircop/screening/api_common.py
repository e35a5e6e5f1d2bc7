"""What the watchlist API's two files share (api.py: the lists; api_entries.py: their entries
and imports): the one ``router`` both add their routes to, and the answer to a refused
write."""

from __future__ import annotations

from ninja import Router, Status

from aircop.core.api_schemas import ErrorOut
from aircop.core.errors import ServiceError
from aircop.screening import services

router = Router(tags=["watchlists"])


NOT_FOUND = {404: ErrorOut}
REFUSED = {400: ErrorOut, 403: ErrorOut, **NOT_FOUND}


def refused(exc: ServiceError) -> Status:
    """A refused write: 403 for someone outside the owning unit, else 400, naming the field."""
    if isinstance(exc, services.EntryInvalid):
        problems = [{"field": p.field, "message": p.reason} for p in exc.problems]
    else:
        problems = [{"field": exc.field, "message": exc.message}] if exc.field else []
    return Status(
        403 if exc.code == "forbidden" else 400,
        {
            "detail": f"{exc.field}: {exc.message}" if exc.field else exc.message,
            "field": exc.field,
            "problems": problems,
        },
    )
