"""The human-rights guard of risk rules (docs/risk-rules.md, "The guard").

``check(rule)`` returns the list of problems, empty when the rule may be used; it never
raises for a rule that parsed. ``parse_allowed(text)`` parses and checks in one step and
raises ``RuleError`` for either kind of problem. Two rules:

1. No rule may use religion, ethnicity or race: a field name or text mentioning a protected
   word (fields.PROTECTED) is refused. No field carries them, so the parser refuses such a
   field name already; the guard also looks at every text of the rule.
2. No rule may rest on personal attributes alone. Every way the rule can come out true must
   involve at least one ``travel`` field (a behavioural or travel indicator). The rule is
   brought to negation normal form (``not`` pushed down to single tests, which holds under
   three-valued logic too); then a test of a travel field is enough, an ``and`` is enough when
   one of its parts is, an ``or`` only when each of its parts is; ``true`` counts as nothing and
   ``false`` can never fire. ``person`` and ``document`` fields never count.

The guard checks the form of a rule, not its sense: a travel test that is always true
(``flight.distance_km >= 0``) satisfies it. Rules are still read by the people who approve
them."""

from __future__ import annotations

from django.utils.translation import gettext

from aircop.screening.rules.fields import FIELDS, Category, protected_problem, protected_word
from aircop.screening.rules.language import (
    And,
    Compare,
    Const,
    Flag,
    Node,
    Not,
    Or,
    Rule,
    RuleError,
    _literal,
    fields_of,
    join,
    negate,
    parse,
    render,
    texts_of,
)


def check(rule: Rule) -> list[str]:
    """Every reason why ``rule`` may not be used; an empty list when it may."""
    problems: list[str] = []
    for name in sorted(rule.fields):
        word = protected_word(name)
        if word:
            problems.append(protected_problem(gettext("the field %(name)s") % {"name": repr(name)}, word))
    for text in dict.fromkeys(texts_of(rule.ast)):
        word = protected_word(text)
        if word:
            problems.append(protected_problem(gettext("the text %(text)s") % {"text": _literal(text)}, word))
    for branch in weak_branches(nnf(rule.ast)):
        problems.append(_weak_problem(branch))
    return problems


def parse_allowed(text: str) -> Rule:
    """Parse ``text`` and apply the guard: the rule, or ``RuleError`` (all the guard's problems
    in one message, separated by "; ")."""
    rule = parse(text)
    problems = check(rule)
    if problems:
        raise RuleError("; ".join(problems))
    return rule


def nnf(node: Node, negated: bool = False) -> Node:
    """Negation normal form: ``not`` only directly before a single test."""
    if isinstance(node, Const):
        return Const(node.value != negated)
    if isinstance(node, Flag | Compare):
        return negate(node) if negated else node
    if isinstance(node, Not):
        return nnf(node.operand, not negated)
    if isinstance(node, And | Or):
        cls = (Or if isinstance(node, And) else And) if negated else type(node)
        return join(cls, [nnf(n, negated) for n in node.operands])
    raise TypeError(node)


def _is_travel(node: Node) -> bool:
    return FIELDS[node.field].category == Category.TRAVEL


def weak_branches(node: Node) -> list[Node]:
    """The parts of a rule in negation normal form that can come out true without any travel
    indicator. Empty when every way to fire involves one."""
    if isinstance(node, Const):
        return [node] if node.value else []
    if isinstance(node, Not):
        return [] if _is_travel(node.operand) else [node]
    if isinstance(node, Flag | Compare):
        return [] if _is_travel(node) else [node]
    if isinstance(node, And):
        return [] if any(not weak_branches(n) for n in node.operands) else [node]
    if isinstance(node, Or):
        return [branch for n in node.operands for branch in weak_branches(n)]
    raise TypeError(node)


def _weak_problem(branch: Node) -> str:
    names = list(dict.fromkeys(fields_of(branch)))
    if not names:
        return gettext(
            "the rule can fire on %(branch)s, which tests nothing about the journey: every way a "
            "rule can fire must involve a travel or behavioural indicator"
        ) % {"branch": f"'{render(branch)}'"}
    return gettext(
        "the rule can fire on %(branch)s alone, which uses no travel or behavioural indicator "
        "(only %(fields)s): the platform forbids targeting people on nationality, sex, age or other "
        "personal attributes alone; add a travel indicator to this part with 'and'"
    ) % {"branch": f"'{render(branch)}'", "fields": ", ".join(names)}
