"""The risk rules at screening time: a rule version's text compiled once per process (versions
never change once written), and evaluated against the context of one traveller."""

from __future__ import annotations

import threading

from aircop.screening.rules import language
from aircop.screening.rules.context import context_for

_compiled: dict[tuple[int, str], language.Rule] = {}
_lock = threading.Lock()


def compiled(version) -> language.Rule:
    key = (version.pk, version.expression)  # the text too: an id can come back after a rollback
    with _lock:
        rule = _compiled.get(key)
        if rule is None:
            rule = _compiled[key] = language.parse(version.expression)
        return rule


def context(traveller) -> dict:
    """What the rules see of a traveller (its flight, booking and documents already loaded)."""
    return context_for(traveller, traveller.flight, traveller.booking, list(traveller.documents.all()))


def evaluate(rule: language.Rule, ctx: dict) -> tuple[bool, list[str]]:
    if rule.evaluate(ctx):
        return True, list(rule.explain(ctx))
    return False, []
