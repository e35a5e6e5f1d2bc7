"""Writes of risk rules (docs/risk-rules.md, "Writing, testing and activating a rule"):
creating a rule, adding versions of its text, trying a version against past manifests,
activating and deactivating it, changing what describes it.

- Every text goes through the parser and the human-rights guard (rules/guard.py) before it is
  stored; a refusal is a ``ServiceError`` on the field ``expression`` whose message carries the
  column (syntax) or the guard's explanation.
- Only members of the owning unit with the role officer, unit head, national coordinator or
  analyst write (``code="forbidden"`` otherwise). ``actor=None`` is the system (a command run
  by the operator), except for a trial, which reads passenger data as somebody.
- A version is activated only once it has been tried on past manifests (``last_test``), and
  the guard is applied again at activation.
- Each write is atomic and audited in its transaction (``rule.created``, ``rule.updated``,
  ``rule.version_created``, ``rule.tested``, ``rule.activated``, ``rule.deactivated``), with
  the rule's text and counts, never a traveller's name."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from aircop.accounts.models import Role
from aircop.audit.services import record
from aircop.core.errors import ServiceError
from aircop.core.visibility import visible_to
from aircop.messaging.models import Tlp
from aircop.network.models import Unit
from aircop.passengers.models import Flight, Traveller
from aircop.screening import rules_runtime
from aircop.screening.models import RiskRule, RuleVersion, Severity
from aircop.screening.rules import RuleError, guard, language

# Who writes rules (as members of the owning unit).
WRITE_ROLES = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.COORDINATOR, Role.ANALYST})
# What update_rule may change (the name and the owning unit do not change).
RULE_FIELDS = ("title", "description", "severity", "tlp")
NAME_RE = re.compile(r"[-a-zA-Z0-9_]{1,60}")
# /rules/new/ on the web, /api/v1/rules/fields on the API.
RESERVED_NAMES = frozenset({"new", "fields"})
MAX_NOTE = 300
MAX_DESCRIPTION = 5000
# A trial covers at most this many days of departures: passenger data older than the retention
# period (AIRCOP_PASSENGER_DELETE_DAYS, 180 by default) is gone anyway.
MAX_TEST_DAYS = 180
# Matching travellers returned by a trial for display (never stored, never audited).
SAMPLE_SIZE = 50


# ------------------------------------------------------------------ checks shared by the writes
def may_write(actor, rule: RiskRule) -> bool:
    """The write rule for one rule: the system, or a member of the owning unit with a writing role."""
    if actor is None:
        return True
    return actor.role in WRITE_ROLES and rule.owner_id in actor.unit_ids()


def _require_writer(actor, rule: RiskRule) -> None:
    if actor is None:
        return
    if actor.role not in WRITE_ROLES:
        raise ServiceError(_("your role cannot write risk rules"), field="rule", code="forbidden")
    if rule.owner_id not in actor.unit_ids():
        raise ServiceError(
            _("only members of the owning unit may change this rule"), field="rule", code="forbidden"
        )


def checked(expression) -> language.Rule:
    """The rule read from ``expression`` and accepted by the guard, or a ServiceError on the
    field ``expression``: the parser's message (with its column) or every problem the guard found."""
    text = "" if expression is None else str(expression)
    if not text.strip():
        raise ServiceError(_("write the rule's condition"), field="expression")
    try:
        rule = language.parse(text)
    except RuleError as exc:
        raise ServiceError(exc.message, field="expression") from None
    problems = guard.check(rule)
    if problems:
        raise ServiceError(
            _("refused by the human-rights guard: %(problems)s") % {"problems": "; ".join(problems)},
            field="expression",
        )
    return rule


def _line(value, field: str, *, required: bool, limit: int = 200) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ServiceError(_("required"), field=field)
    if len(text) > limit:
        raise ServiceError(_("at most %(n)d characters") % {"n": limit}, field=field)
    return text


def _severity(value) -> str:
    if value not in Severity.values:
        raise ServiceError(
            _("severity: one of %(values)s") % {"values": ", ".join(Severity.values)}, field="severity"
        )
    return value


def _tlp(value) -> str:
    if value not in Tlp.values:
        raise ServiceError(_("unknown handling label %(tlp)r") % {"tlp": value}, field="tlp")
    return value


def _day(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        day = parse_date(str(value or "").strip())
    except ValueError:
        day = None
    if day is None:
        raise ServiceError(_("not a date (YYYY-MM-DD): %(value)r") % {"value": value}, field=field)
    return day


def _locked(rule: RiskRule) -> RiskRule:
    # ``of``: PostgreSQL locks no row on the nullable side of a join (the active version).
    return (
        RiskRule.objects.select_for_update(of=("self",))
        .select_related("owner", "active_version")
        .get(pk=rule.pk)
    )


def _version_data(version: RuleVersion) -> dict:
    return {"version": version.number, "canonical": version.canonical, "fields": version.fields}


# ------------------------------------------------------------------ rules
@transaction.atomic
def create_rule(
    *,
    actor,
    name: str,
    title: str,
    owner: str,
    expression: str,
    description: str = "",
    severity: str = Severity.MEDIUM,
    tlp: str = Tlp.AMBER,
    note: str = "",
) -> RiskRule:
    """A new rule owned by ``owner`` (a unit code: one of the actor's), with its text as
    version 1. Nothing is active until a version has been tested and activated."""
    name = (name or "").strip()
    if not NAME_RE.fullmatch(name) or name.lower() in RESERVED_NAMES:
        raise ServiceError(
            _("letters, digits, hyphens and underscores only, at most 60 (e.g. cash-one-way)"), field="name"
        )
    unit = Unit.objects.filter(code=owner, is_active=True).first()
    if unit is None:
        raise ServiceError(_("no active unit %(code)r") % {"code": owner}, field="owner")
    if actor is not None:
        if actor.role not in WRITE_ROLES:
            raise ServiceError(_("your role cannot write risk rules"), field="owner", code="forbidden")
        if unit.pk not in actor.unit_ids():
            raise ServiceError(_("a rule belongs to one of your units"), field="owner", code="forbidden")
    title = _line(title, "title", required=False)
    description = _line(description, "description", required=False, limit=MAX_DESCRIPTION)
    severity, tlp = _severity(severity), _tlp(tlp)
    note = _line(note, "note", required=False, limit=MAX_NOTE)
    parsed = checked(expression)
    if RiskRule.objects.filter(name=name).exists():
        raise ServiceError(_("a rule named %(name)r exists already") % {"name": name}, field="name")
    now = timezone.now()
    rule = RiskRule.objects.create(
        name=name,
        title=title or name,
        description=description,
        owner=unit,
        severity=severity,
        tlp=tlp,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    version = RuleVersion.objects.create(
        rule=rule,
        number=1,
        expression=str(expression),
        canonical=parsed.text,
        fields=sorted(parsed.fields),
        note=note,
        created_by=actor,
        created_at=now,
    )
    record(
        actor,
        "rule.created",
        rule,
        data={"name": name, "owner": unit.code, "severity": severity, "tlp": tlp, **_version_data(version)},
    )
    return rule


@transaction.atomic
def update_rule(*, actor, rule: RiskRule, **fields) -> RiskRule:
    """Change what describes a rule: any of RULE_FIELDS. Nothing is written (nor audited) when
    nothing changes. The text changes through new_version."""
    for key in fields:
        if key not in RULE_FIELDS:
            raise ServiceError(_("cannot be changed"), field=key)
    rule = _locked(rule)
    _require_writer(actor, rule)
    clean = {}
    for key, value in fields.items():
        if key == "title":
            clean[key] = _line(value, key, required=True)
        elif key == "description":
            clean[key] = _line(value, key, required=False, limit=MAX_DESCRIPTION)
        elif key == "severity":
            clean[key] = _severity(value)
        else:
            clean[key] = _tlp(value)
    changed = [key for key, value in clean.items() if getattr(rule, key) != value]
    if not changed:
        return rule
    for key in changed:
        setattr(rule, key, clean[key])
    rule.updated_at = timezone.now()
    rule.save(update_fields=[*changed, "updated_at"])
    record(actor, "rule.updated", rule, data={"name": rule.name, "fields": changed})
    return rule


# ------------------------------------------------------------------ versions
@transaction.atomic
def new_version(*, actor, rule: RiskRule, expression: str, note: str = "") -> RuleVersion:
    """Version n+1 of the rule's text. The active version stays until this one is tested and
    activated."""
    rule = _locked(rule)
    _require_writer(actor, rule)
    note = _line(note, "note", required=False, limit=MAX_NOTE)
    parsed = checked(expression)
    number = (rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    version = RuleVersion.objects.create(
        rule=rule,
        number=number,
        expression=str(expression),
        canonical=parsed.text,
        fields=sorted(parsed.fields),
        note=note,
        created_by=actor,
        created_at=now,
    )
    rule.updated_at = now
    rule.save(update_fields=["updated_at"])
    record(actor, "rule.version_created", version, data={"name": rule.name, **_version_data(version)})
    return version


def _window(since, until) -> tuple[date, date]:
    since, until = _day(since, "from"), _day(until, "until")
    if until < since:
        raise ServiceError(_("the window ends before it starts"), field="until")
    days = (until - since).days + 1
    if days > MAX_TEST_DAYS:
        raise ServiceError(
            _(
                "the window is %(days)d days long; at most %(max)d are allowed, the retention period "
                "of passenger data (older manifests are deleted)"
            )
            % {"days": days, "max": MAX_TEST_DAYS},
            field="until",
        )
    return since, until


def test_version(*, actor, version: RuleVersion, since, until) -> dict:
    """Try ``version`` on the travellers of the flights departing (local date) from ``since``
    to ``until`` inclusive that the actor may see (the passenger-data rule: their task forces'
    airports and national headquarters), masked travellers left out as in screening. Stores
    the counts in ``version.last_test`` and returns them with ``sample``: the first
    SAMPLE_SIZE matches as ``{"traveller", "flight", "explanation"}`` (returned only).

    The evaluation reads outside the transaction (it can take a while and must not hold the
    database's write lock); the result and its audit entry (``rule.tested``, counts only) are
    then written together."""
    if actor is None:
        raise ServiceError(_("a trial reads passenger data as somebody: name the user"), field="actor")
    rule = RiskRule.objects.select_related("owner").get(pk=version.rule_id)
    _require_writer(actor, rule)
    since, until = _window(since, until)
    try:
        compiled = rules_runtime.compiled(version)
    except RuleError as exc:  # a text the language no longer reads
        raise ServiceError(exc.message, field="expression") from None
    flights = visible_to(Flight, actor).filter(departure_date__gte=since, departure_date__lte=until)
    travellers = (
        visible_to(Traveller, actor)
        .filter(flight__in=flights.values("pk"), masked_at__isnull=True)
        .select_related("flight", "booking")
        .prefetch_related("documents")
        .order_by("flight__departure_date", "flight_id", "pk")
    )
    seen, hits, sample = 0, 0, []
    for traveller in travellers.iterator(chunk_size=2000):
        seen += 1
        fired, reasons = rules_runtime.evaluate(compiled, rules_runtime.context(traveller))
        if fired:
            hits += 1
            if len(sample) < SAMPLE_SIZE:
                sample.append(
                    {"traveller": traveller.pk, "flight": traveller.flight_id, "explanation": reasons}
                )
    result = {
        "from": since.isoformat(),
        "until": until.isoformat(),
        "flights": flights.count(),
        "travellers": seen,
        "hits": hits,
        "hit_rate": round(hits / seen, 4) if seen else None,
        "at": timezone.now().isoformat(),
        "by": actor.get_username(),
    }
    with transaction.atomic():
        locked = RuleVersion.objects.select_for_update().get(pk=version.pk)
        locked.last_test = result
        locked.save(update_fields=["last_test"])
        record(
            actor,
            "rule.tested",
            locked,
            data={
                "name": rule.name,
                "version": locked.number,
                **{k: v for k, v in result.items() if k != "by"},
            },
        )
    version.last_test = result
    return {**result, "sample": sample}


test_version.__test__ = False  # not a pytest test, despite its name


# ------------------------------------------------------------------ activation
@transaction.atomic
def activate(*, actor, rule: RiskRule, version_number: int) -> RiskRule:
    """Make version ``version_number`` the one that screens arriving manifests. It must have
    been tried on past manifests, and it passes the guard again (the guard may have grown
    stricter since it was written). Activating the active version changes nothing."""
    rule = _locked(rule)
    _require_writer(actor, rule)
    try:
        number = int(version_number)
    except (TypeError, ValueError):
        raise ServiceError(_("a version number"), field="version") from None
    version = rule.versions.filter(number=number).first()
    if version is None:
        raise ServiceError(_("the rule has no version %(n)d") % {"n": number}, field="version")
    if not version.last_test:
        raise ServiceError(
            _(
                "version %(n)d has not been tested: try it on past manifests first, to see how many "
                "travellers it would select, then activate it"
            )
            % {"n": number},
            field="version",
            code="conflict",
        )
    checked(version.expression)
    if rule.active_version_id == version.pk:
        return rule
    previous = rule.active_version.number if rule.active_version_id else None
    rule.active_version = version
    rule.updated_at = timezone.now()
    rule.save(update_fields=["active_version", "updated_at"])
    record(
        actor,
        "rule.activated",
        rule,
        data={
            "name": rule.name,
            "previous": previous,
            "tested": {k: version.last_test.get(k) for k in ("from", "until", "travellers", "hits")},
            **_version_data(version),
        },
    )
    return rule


@transaction.atomic
def deactivate(*, actor, rule: RiskRule) -> RiskRule:
    """Stop screening with the rule (its versions, hits and counts stay). Nothing is written
    when no version is active."""
    rule = _locked(rule)
    _require_writer(actor, rule)
    if rule.active_version_id is None:
        return rule
    previous = rule.active_version.number
    rule.active_version = None
    rule.updated_at = timezone.now()
    rule.save(update_fields=["active_version", "updated_at"])
    record(actor, "rule.deactivated", rule, data={"name": rule.name, "version": previous})
    return rule
