"""POST /api/v1/screening/check: one person or travel document against every active watchlist
(docs/screening.md, "Checking a person or a document"). Thin: the work is in check.py."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema, Status

from aircop.core.errors import ServiceError
from aircop.screening import check

router = Router(tags=["screening"])


class CheckIn(Schema):
    surname: str = ""
    given_names: str = ""
    date_of_birth: date | None = None
    nationality: str = ""
    sex: str = ""
    document_number: str = ""
    document_country: str = ""
    mrz: str = ""


class MrzCheckOut(Schema):
    field: str
    expected: str
    found: str
    ok: bool


class MrzOut(Schema):
    format: str
    valid: bool
    checks: list[MrzCheckOut]
    problems: list[str]


class CheckMatchOut(Schema):
    watchlist: str
    title: str
    kind: str
    owner: str
    owner_name: str
    reference: str
    score: float
    threshold: float
    reasons: list[str]


class CheckOut(Schema):
    lists: int
    matches: list[CheckMatchOut]
    mrz: MrzOut | None
    searched: dict


class CheckErrorOut(Schema):
    detail: str
    field: str = ""


@router.post(
    "/screening/check",
    response={200: CheckOut, 400: CheckErrorOut, 403: CheckErrorOut},
    summary="Check one person or travel document against every active watchlist",
)
def check_person(request, payload: CheckIn):
    """Give a surname (with given names, date of birth, nationality, sex) or a document number
    with its issuing country, or the document's machine-readable zone (``mrz``, its lines
    separated by new lines): its check digits are verified and its fields fill what is not
    given. Answers every match with the list's owner to contact. Audited."""
    try:
        result = check.check(actor=request.user, **payload.dict())
    except ServiceError as exc:
        return Status(
            403 if exc.code == "forbidden" else 400,
            {"detail": f"{exc.field}: {exc.message}", "field": exc.field},
        )
    mrz = None
    if result.mrz is not None:
        mrz = {
            "format": result.mrz.format,
            "valid": result.mrz.valid,
            "checks": [c._asdict() for c in result.mrz.checks],
            "problems": list(result.mrz.problems),
        }
    return {
        "lists": result.lists,
        "matches": [m.__dict__ for m in result.matches],
        "mrz": mrz,
        "searched": result.searched,
    }
