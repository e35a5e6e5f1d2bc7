"""What the capacity routers share: the error answer and reading an uploaded body."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError

from aircop.capacity.validation import CapacityInvalid
from aircop.core.api_schemas import ErrorOut
from aircop.core.errors import ServiceError

MAX_LIMIT = 500
CHUNK = 64 * 1024


REFUSED = {400: ErrorOut, 403: ErrorOut}


def refused(exc: ServiceError) -> Status:
    """400 (403 for a refused role or unit) with every problem found, each naming its field."""
    if isinstance(exc, CapacityInvalid):
        problems = [{"field": p.field, "message": p.message} for p in exc.problems]
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


def page(qs, limit: int, offset: int):
    limit = max(1, min(limit, MAX_LIMIT))
    return qs[max(0, offset) : max(0, offset) + limit]


def read_body(request, limit: int, too_big: str) -> bytes:
    declared = request.META.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HttpError(413, too_big)
    parts, size = [], 0
    while chunk := request.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise HttpError(413, too_big)
        parts.append(chunk)
    return b"".join(parts)


def choice(name: str, value: str | None, choices) -> str | None:
    """A filter's value, one of ``choices`` (a TextChoices), or a 400 naming the parameter."""
    if not value:
        return None
    if value not in choices.values:
        raise HttpError(
            400,
            _("%(field)s: unknown value %(value)r (one of: %(list)s)")
            % {"field": name, "value": value, "list": ", ".join(choices.values)},
        )
    return value
