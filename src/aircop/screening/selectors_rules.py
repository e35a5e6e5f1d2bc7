"""Who sees risk rules (docs/handling.md, "Risk rules"): a rule's text is targeting know-how.
A rule and its versions belong to the owning unit: its members see them (and those with a
writing role change them, services_rules.py); programme administrators see every rule, read
only. Nobody else sees a rule: 404, as for a rule that does not exist. The hits a rule makes
follow their own rule (selectors_hits.py); the counts shown with a rule carry no nominal data."""

from __future__ import annotations

from django.db.models import Prefetch

from aircop.accounts.models import Role
from aircop.core.visibility import get_visible_or_404, register, visible_to
from aircop.screening import rules_runtime, selectors_hits
from aircop.screening.models import RiskRule, RuleVersion
from aircop.screening.rules import FIELDS, RuleError
from aircop.screening.services_rules import WRITE_ROLES, may_write  # noqa: F401  re-exported for views


@register(RiskRule)
def _rules_policy(qs, user):
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(owner_id__in=user.unit_ids())


@register(RuleVersion)
def _versions_policy(qs, user):
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(rule__owner_id__in=user.unit_ids())


# ------------------------------------------------------------------ reads
def rules(user):
    """The rules ``user`` sees, by name, with their owner and active version."""
    return visible_to(RiskRule, user).select_related("owner", "active_version").order_by("name")


def rule(user, name: str) -> RiskRule:
    """One rule by name, with its versions (newest first); 404 when the user does not see it."""
    return get_visible_or_404(
        rules(user).prefetch_related(
            Prefetch(
                "versions",
                queryset=visible_to(RuleVersion, user).select_related("created_by").order_by("-number"),
            )
        ),
        user,
        name=name,
    )


def version(user, rule: RiskRule, number: int) -> RuleVersion:
    """One version of a visible rule; 404 when there is no such version."""
    return get_visible_or_404(RuleVersion.objects.filter(rule=rule), user, number=number)


def warnings(version: RuleVersion) -> list[str]:
    """What the parser warns about in a version's text (an unknown country code ...)."""
    try:
        return list(rules_runtime.compiled(version).warnings)
    except RuleError as exc:
        return [exc.message]


def rule_rows(user) -> list[tuple[RiskRule, dict]]:
    """The rules the user sees, each with its counts (selectors_hits.rule_counts: hits,
    review states, outcomes, hit rate, outcome rate)."""
    return [(r, selectors_hits.rule_counts(r)) for r in rules(user)]


def catalogue() -> list[dict]:
    """The fields a rule may use, for rule writers: name, type, category, description and the
    kind of code its texts hold (country, airport, sex), in the catalogue's order. Open to every
    signed-in user: it says what the platform holds, not how anybody targets."""
    return [
        {
            "name": f.name,
            "type": str(f.type),
            "category": str(f.category),
            "description": str(f.description),
            "code": str(f.code) if f.code else None,
        }
        for f in FIELDS.values()
    ]
