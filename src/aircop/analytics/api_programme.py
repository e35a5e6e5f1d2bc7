"""GET /api/v1/programme/summary (docs/analytics.md, "The programme dashboard"): the figures
the programme publishes, for any date, to any signed-in user or token. Thin: the figures
are programme.summary(at); the response model is built from programme_sections.SECTIONS,
so a section added there is typed here too (an optional one as a nullable field)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Query, Schema, Status
from pydantic import create_model

from aircop.analytics import programme
from aircop.analytics.api import router
from aircop.analytics.programme_sections import SECTIONS
from aircop.core.errors import ServiceError


def _fields() -> dict:
    fields: dict = {"at": (date, ...)}
    for section in SECTIONS:
        fields[section.key] = (section.schema | None, None) if section.optional else (section.schema, ...)
    return fields


ProgrammeSummaryOut = create_model(
    "ProgrammeSummaryOut",
    __base__=Schema,
    __doc__="The programme's figures as the data stood at the end of the day `at` (UTC).",
    **_fields(),
)


class ProgrammeErrorOut(Schema):
    detail: str  # "at: expected a date as YYYY-MM-DD"
    field: str | None = None


@router.get(
    "/programme/summary",
    response={200: ProgrammeSummaryOut, 400: ProgrammeErrorOut},
    tags=["programme"],
    summary="The programme's published figures for a date",
    description=(
        "Countries, airports and units connected, airports connected per year, seizures per commodity, "
        "alerts exchanged with their acknowledgement and outcome rates, as the data stood at the end of "
        "the day `at` (`YYYY-MM-DD`, UTC; default today; not in the future, not before 2010-01-01). "
        "Whole-network counts, readable by every signed-in user. A section whose app is not installed is "
        "null. A bad `at` answers 400 with `field` `at` and `detail` `at: <message>`. See docs/analytics.md."
    ),
)
def programme_summary(
    request, at: str | None = Query(None, description="YYYY-MM-DD (UTC day); default today")
):
    try:
        day = programme.parse_at(at, timezone.localdate())
    except ServiceError as exc:
        return Status(400, {"detail": f"{exc.field}: {exc.message}", "field": exc.field})
    return programme.summary(day)
