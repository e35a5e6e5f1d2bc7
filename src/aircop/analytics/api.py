"""Figures over the seizure register (docs/analytics.md): thin, the work is in queries.py."""

from __future__ import annotations

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from aircop.analytics import queries
from aircop.core.api_schemas import DetailErrorOut
from aircop.core.errors import ServiceError

router = Router(tags=["analytics"])


class TotalOut(Schema):
    category: str
    subtype: str
    mass_kg: float
    count: int
    amounts: dict[str, float]
    seizures: int


class SummaryOut(Schema):
    scope: dict
    seizures: int
    high_risk_persons: int
    totals: list[TotalOut]
    min_cell: int


def _service(call):
    try:
        return call()
    except ServiceError as exc:
        status = 403 if exc.code == "forbidden" else 400
        raise HttpError(status, f"{exc.field}: {exc.message}" if exc.field else exc.message) from None


@router.get(
    "/analytics/seizures/summary",
    response={200: SummaryOut, 400: DetailErrorOut, 403: DetailErrorOut},
    summary="Seizure totals per category and subtype for a period and a place",
    description=(
        "Kilograms (where a conversion is defined), counts (tablets, pieces, animals), amounts of money per "
        "currency and the number of seizures, over submitted and validated records. `from` and `to` are "
        "inclusive dates (default: the last 12 months); at most one of `region` (code), `country` (ISO "
        "alpha-2 or alpha-3) and `airport` (IATA). See docs/analytics.md for what figures include."
    ),
)
def seizures_summary(
    request,
    from_: str | None = Query(None, alias="from"),
    to: str | None = None,
    region: str | None = None,
    country: str | None = None,
    airport: str | None = None,
):
    def run():
        scope = queries.parse_scope(
            date_from=from_, date_to=to, region=region, country=country, airport=airport
        )
        return queries.summary(request.user, scope)

    return _service(run)


from aircop.analytics import api_programme  # noqa: E402, F401 (registers its routes on this router)
