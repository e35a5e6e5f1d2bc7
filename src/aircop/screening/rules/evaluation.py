"""The risk-rule language's three-valued evaluation (docs/risk-rules.md): `truth` under
Kleene's logic, `evaluate` (does the rule fire?) and `explain` (which tests made it fire).
They take a node of the syntax tree (syntax.py) or a parsed `Rule` (parser.py, which imports
this module and calls them from its methods)."""

from __future__ import annotations

import numbers
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from aircop.screening.rules.fields import FIELDS, Type, fold
from aircop.screening.rules.syntax import INVERSE, And, Compare, Const, Flag, Node, Not, Or, _literal

if TYPE_CHECKING:
    from aircop.screening.rules.parser import Rule


def _tree(node: Node | Rule) -> Node:
    """The syntax tree of a parsed `Rule`, or ``node`` itself (parser.py imports this module,
    so a `Rule` is known by its ``ast``)."""
    return getattr(node, "ast", node)


def truth(node: Node, context: dict) -> bool | None:
    """True, False or None (unknown) under Kleene's three-valued logic."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Flag):
        value = context.get(node.field)
        return value if isinstance(value, bool) else None  # None, or not a yes/no: unknown
    if isinstance(node, Compare):
        return _compare(node, context.get(node.field))
    if isinstance(node, Not):
        value = truth(node.operand, context)
        return None if value is None else not value
    if isinstance(node, And):
        result: bool | None = True
        for operand in node.operands:
            value = truth(operand, context)
            if value is False:
                return False
            if value is None:
                result = None
        return result
    if isinstance(node, Or):
        result = False
        for operand in node.operands:
            value = truth(operand, context)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    raise TypeError(node)


def evaluate(node: Node | Rule, context: dict) -> bool:
    """Whether the rule fires: only when it is definitely true."""
    return truth(_tree(node), context) is True


def _text(value: Any) -> str:
    return fold(str(value))


def _compare(node: Compare, value: Any) -> bool | None:
    if value is None:
        return None
    ftype, op, wanted = FIELDS[node.field].type, node.op, node.value
    try:
        if ftype == Type.TEXT_LIST:
            if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
                return None
            have = {_text(v) for v in value if v is not None}
            if op == "contains":
                return _text(wanted) in have
            items = {_text(v) for v in wanted}
            return bool(have & items) if op == "has any" else items <= have
        if ftype == Type.TEXT:
            text = _text(value)
            if op == "contains":
                return _text(wanted) in text
            if op == "starts with":
                return text.startswith(_text(wanted))
            if op in ("in", "not in"):
                return (text in {_text(v) for v in wanted}) == (op == "in")
            return (text == _text(wanted)) == (op == "==")
        if ftype == Type.DATE:
            if isinstance(value, datetime):
                value = value.date()
            elif isinstance(value, str):
                value = date.fromisoformat(value)
        if ftype == Type.NUMBER and (isinstance(value, bool) or not isinstance(value, numbers.Number)):
            return None
        if op in ("in", "not in"):
            return (value in wanted) == (op == "in")
        return {
            "==": value == wanted,
            "!=": value != wanted,
            "<": value < wanted,
            "<=": value <= wanted,
            ">": value > wanted,
            ">=": value >= wanted,
        }[op]
    except (TypeError, ValueError):  # a context value of the wrong type is treated as unknown
        return None


# ----------------------------------------------------------------------------- explanation
_NEGATED = {
    "contains": "does not contain",
    "has any": "has none of",
    "has all": "does not have all of",
    "starts with": "does not start with",
}


def explain(node: Node | Rule, context: dict) -> list[str]:
    """For a rule that fires, the tests that made it true, each with the value it saw:
    ``booking.one_way is true``, ``booking.hours_before_departure = 20 < 48``. Empty when the
    rule does not fire."""
    node = _tree(node)
    if truth(node, context) is not True:
        return []
    return list(dict.fromkeys(_why(node, context, True)))


def _why(node: Node, context: dict, outcome: bool) -> list[str]:
    """Why ``node`` came out as ``outcome`` (which it did)."""
    if isinstance(node, Const):
        return []
    if isinstance(node, Flag):
        return [f"{node.field} is {'true' if outcome else 'false'}"]
    if isinstance(node, Compare):
        seen = _literal(context.get(node.field))
        op = node.op if outcome else INVERSE.get(node.op) or _NEGATED[node.op]
        if op == "==":  # the value seen says it all
            return [f"{node.field} = {seen}"]
        return [f"{node.field} = {seen} {op} {_literal(node.value)}"]
    if isinstance(node, Not):
        return _why(node.operand, context, not outcome)
    # And true / Or false: every operand counts; And false / Or true: the ones that decided.
    every = isinstance(node, And) == outcome
    out: list[str] = []
    for operand in node.operands:
        if every or truth(operand, context) is outcome:
            out.extend(_why(operand, context, outcome))
    return out
