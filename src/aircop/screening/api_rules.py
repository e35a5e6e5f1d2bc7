"""/api/v1/rules: risk rules over REST (docs/risk-rules.md, "Writing, testing and activating a
rule"). Thin: parse, call a selector or service, return a schema.

A rule the caller does not see answers 404 for every verb. A refused write answers
``{"detail", "field"}``: **422** for a text the parser or the human-rights guard refuses
(``field`` is ``expression``), 403 for a caller outside the owning unit or without a writing
role, 409 for activating a version that was never tested, 400 otherwise."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Router, Schema, Status

from aircop.core.api_schemas import FieldErrorOut
from aircop.core.errors import ServiceError
from aircop.screening import selectors_hits
from aircop.screening import selectors_rules as selectors
from aircop.screening import services_rules as services
from aircop.screening.models import RiskRule, RuleVersion

router = Router(tags=["rules"])


# ------------------------------------------------------------------ schemas
class FieldOut(Schema):
    name: str
    type: str = Field(description="text, number, bool, date or text list")
    category: str = Field(
        description="travel (a behavioural or travel indicator), person or document: every way a rule "
        "can fire must involve a travel field"
    )
    description: str
    code: str | None = Field(description="what the texts hold: country (ISO alpha-3), airport (IATA) or sex")


class LastTestOut(Schema):
    since: date = Field(alias="from")
    until: date
    flights: int
    travellers: int
    hits: int
    hit_rate: float | None
    at: datetime
    by: str


class VersionOut(Schema):
    number: int
    expression: str = Field(description="the rule as written")
    canonical: str = Field(description="the rule as the parser reads it")
    fields: list[str]
    warnings: list[str] = Field(description="probable mistakes that do not stop the rule (an unknown code)")
    note: str
    created_by: str | None
    created_at: datetime
    active: bool
    last_test: LastTestOut | None = Field(description="the last trial on past manifests; null: never tested")
    screened: int = Field(description="travellers this version screened while active")


class RuleSummaryOut(Schema):
    name: str
    title: str
    owner: str = Field(description="code of the owning unit")
    owner_name: str
    severity: str
    tlp: str
    active_version: int | None
    hits: int
    hit_rate: float | None = Field(description="hits / travellers screened by the rule's versions")
    outcome_rate: float | None = Field(description="confirmed hits with an outcome / confirmed hits")
    updated_at: datetime


class RuleOut(RuleSummaryOut):
    description: str
    may_write: bool = Field(description="whether you may change, test and activate the rule")
    counts: dict = Field(description="hits by review state, outcomes, rates (no nominal data)")
    versions: list[VersionOut] = Field(description="newest first")
    created_at: datetime


class RuleIn(Schema):
    name: str = Field(description="short name: letters, digits, - and _, at most 60 (e.g. cash-one-way)")
    title: str = ""
    owner: str = Field(description="code of the owning unit: one of yours")
    expression: str = Field(description="the rule's condition (docs/risk-rules.md)")
    description: str = ""
    severity: str = Field("medium", description="high, medium or low")
    tlp: str = Field("amber", description="clear, green, amber, amber_strict or red")
    note: str = Field("", description="about version 1")


class RulePatch(Schema):
    """Only the fields sent are changed; the name, owner and text stay (the text: a new version)."""

    title: str | None = None
    description: str | None = None
    severity: str | None = None
    tlp: str | None = None


class VersionIn(Schema):
    expression: str
    note: str = Field("", description="what changed")


class TestIn(Schema):
    since: date = Field(alias="from", description="first departure date (local), YYYY-MM-DD")
    until: date = Field(description="last departure date (local); at most 180 days after from")


class RuleMatchOut(Schema):
    traveller: int
    flight: int
    explanation: list[str]


class TestOut(LastTestOut):
    version: int
    sample: list[RuleMatchOut] = Field(description="the first 50 matches (not stored)")


class ActivateIn(Schema):
    version: int


NOT_FOUND = {404: FieldErrorOut}
REFUSED = {400: FieldErrorOut, 403: FieldErrorOut, 409: FieldErrorOut, 422: FieldErrorOut, **NOT_FOUND}


# ------------------------------------------------------------------ helpers
def _refused(exc: ServiceError) -> Status:
    if exc.code == "forbidden":
        status = 403
    elif exc.code == "conflict":
        status = 409
    elif exc.field == "expression":
        status = 422
    else:
        status = 400
    return Status(status, {"detail": exc.message, "field": exc.field})


def _version_out(rule: RiskRule, v: RuleVersion) -> dict:
    return {
        "number": v.number,
        "expression": v.expression,
        "canonical": v.canonical,
        "fields": v.fields,
        "warnings": selectors.warnings(v),
        "note": v.note,
        "created_by": v.created_by.get_username() if v.created_by_id else None,
        "created_at": v.created_at,
        "active": rule.active_version_id == v.pk,
        "last_test": v.last_test or None,
        "screened": v.screened,
    }


def _summary(rule: RiskRule, counts: dict) -> dict:
    return {
        "name": rule.name,
        "title": rule.title,
        "owner": rule.owner.code,
        "owner_name": rule.owner.name,
        "severity": rule.severity,
        "tlp": rule.tlp,
        "active_version": rule.active_version.number if rule.active_version_id else None,
        "hits": counts["hits"],
        "hit_rate": counts["hit_rate"],
        "outcome_rate": counts["outcome_rate"],
        "updated_at": rule.updated_at,
    }


def _rule_out(request, name: str) -> dict:
    rule = selectors.rule(request.user, name)
    counts = selectors_hits.rule_counts(rule)
    return {
        **_summary(rule, counts),
        "description": rule.description,
        "may_write": selectors.may_write(request.user, rule),
        "counts": counts,
        "versions": [_version_out(rule, v) for v in rule.versions.all()],
        "created_at": rule.created_at,
    }


# ------------------------------------------------------------------ endpoints
@router.get("/rules/fields", response=list[FieldOut], summary="The fields a rule may use")
def rule_fields(request):
    """The catalogue of fields with their types, categories and descriptions, for rule writers."""
    return selectors.catalogue()


@router.get("/rules", response=list[RuleSummaryOut], summary="The risk rules I see")
def list_rules(request):
    """Members of a unit see its rules; programme administrators see every rule; nobody else sees any."""
    return [_summary(rule, counts) for rule, counts in selectors.rule_rows(request.user)]


@router.post(
    "/rules",
    response={201: RuleOut, **REFUSED},
    by_alias=True,
    summary="Create a rule owned by one of my units (its text becomes version 1, not active)",
)
def create_rule(request, payload: RuleIn):
    try:
        rule = services.create_rule(actor=request.user, **payload.dict())
    except ServiceError as exc:
        return _refused(exc)
    return Status(201, _rule_out(request, rule.name))


@router.get(
    "/rules/{name}",
    response={200: RuleOut, **NOT_FOUND},
    by_alias=True,
    summary="One rule with its versions and counts",
)
def get_rule(request, name: str):
    return _rule_out(request, name)


@router.patch(
    "/rules/{name}",
    response={200: RuleOut, **REFUSED},
    by_alias=True,
    summary="Change a rule's title, description, severity or TLP",
)
def update_rule(request, name: str, payload: RulePatch):
    rule = selectors.rule(request.user, name)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    try:
        services.update_rule(actor=request.user, rule=rule, **changes)
    except ServiceError as exc:
        return _refused(exc)
    return _rule_out(request, name)


@router.post(
    "/rules/{name}/versions",
    response={201: VersionOut, **REFUSED},
    by_alias=True,
    summary="A new version of the rule's text (the active version stays until this one is activated)",
)
def add_version(request, name: str, payload: VersionIn):
    rule = selectors.rule(request.user, name)
    try:
        version = services.new_version(actor=request.user, rule=rule, **payload.dict())
    except ServiceError as exc:
        return _refused(exc)
    rule.refresh_from_db(fields=["active_version"])
    return Status(201, _version_out(rule, version))


@router.post(
    "/rules/{name}/versions/{number}/test",
    response={200: TestOut, **REFUSED},
    by_alias=True,
    summary="Try a version on the past manifests I may see (departures from .. until, at most 180 days)",
)
def test_version(request, name: str, number: int, payload: TestIn):
    """Counts the travellers of the flights you may see, departing in the window, for whom the
    version comes out true; stores the counts as the version's last test (needed before
    activation) and returns them with the first 50 matches."""
    rule = selectors.rule(request.user, name)
    version = selectors.version(request.user, rule, number)
    try:
        result = services.test_version(
            actor=request.user, version=version, since=payload.since, until=payload.until
        )
    except ServiceError as exc:
        return _refused(exc)
    return {**result, "version": version.number}


test_version.__test__ = False  # an endpoint, not a pytest test


@router.post(
    "/rules/{name}/activate",
    response={200: RuleOut, **REFUSED},
    by_alias=True,
    summary="Screen arriving manifests with a tested version",
)
def activate(request, name: str, payload: ActivateIn):
    rule = selectors.rule(request.user, name)
    try:
        services.activate(actor=request.user, rule=rule, version_number=payload.version)
    except ServiceError as exc:
        return _refused(exc)
    return _rule_out(request, name)


@router.post(
    "/rules/{name}/deactivate",
    response={200: RuleOut, **REFUSED},
    by_alias=True,
    summary="Stop screening with the rule",
)
def deactivate(request, name: str):
    rule = selectors.rule(request.user, name)
    try:
        services.deactivate(actor=request.user, rule=rule)
    except ServiceError as exc:
        return _refused(exc)
    return _rule_out(request, name)
