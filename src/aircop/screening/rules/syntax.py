"""The risk-rule language's syntax tree (docs/risk-rules.md): frozen dataclasses built by
parser.py and read by evaluation.py and the guard; `join` and `negate`, which build it in
its simplest form; and its canonical rendering (`render`), with `fields_of` and `texts_of`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# A test and its negation: ``not (x < 4)`` is written ``x >= 4``. This holds under three-valued
# logic too (both sides are unknown when x is).
INVERSE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">", "in": "not in", "not in": "in"}


# ----------------------------------------------------------------------------- AST
Value = str | int | float | bool | date | tuple


@dataclass(frozen=True)
class Const:
    """``true`` or ``false`` written as a condition."""

    value: bool


@dataclass(frozen=True)
class Flag:
    """A yes/no field standing alone: ``booking.one_way``."""

    field: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Compare:
    """``field op value``; ``value`` is a tuple for in, not in, has any and has all."""

    field: str
    op: str
    value: Value
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Const | Flag | Compare | Not | And | Or


def join(cls, items: list[Node]) -> Node:
    """``And`` or ``Or`` of ``items``, flattened: ``a and (b and c)`` is ``a and b and c``."""
    if len(items) == 1:
        return items[0]
    flat: list[Node] = []
    for item in items:
        flat.extend(item.operands if isinstance(item, cls) else (item,))
    return cls(tuple(flat))


def negate(node: Node) -> Node:
    """``not node``, simplified where that changes nothing, even with unknown values:
    ``not not x`` is x, ``not true`` is false, ``not x < 4`` is ``x >= 4``."""
    if isinstance(node, Not):
        return node.operand
    if isinstance(node, Const):
        return Const(not node.value)
    if isinstance(node, Compare) and node.op in INVERSE:
        return Compare(node.field, INVERSE[node.op], node.value, node.position)
    return Not(node)


# ----------------------------------------------------------------------------- rendering
def _literal(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return '"' + value.isoformat() + '"'
    if isinstance(value, date):
        return '"' + value.isoformat() + '"'
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return _literal(str(value))


def render(node: Node) -> str:
    """The canonical text of a rule: lower-case keywords, one space between tokens, double
    quotes, the fewest parentheses. ``parse(render(x)).ast == x``."""
    if isinstance(node, Const):
        return "true" if node.value else "false"
    if isinstance(node, Flag):
        return node.field
    if isinstance(node, Compare):
        return f"{node.field} {node.op} {_literal(node.value)}"
    if isinstance(node, Not):
        inner = render(node.operand)
        return f"not ({inner})" if isinstance(node.operand, And | Or) else f"not {inner}"
    if isinstance(node, And):
        return " and ".join(f"({render(n)})" if isinstance(n, Or) else render(n) for n in node.operands)
    if isinstance(node, Or):
        return " or ".join(render(n) for n in node.operands)
    raise TypeError(node)


def fields_of(node: Node) -> list[str]:
    if isinstance(node, Flag | Compare):
        return [node.field]
    if isinstance(node, Not):
        return fields_of(node.operand)
    if isinstance(node, And | Or):
        return [name for n in node.operands for name in fields_of(n)]
    return []


def texts_of(node: Node) -> list[str]:
    """Every text literal of a rule (for the guard)."""
    if isinstance(node, Compare):
        values = node.value if isinstance(node.value, tuple) else (node.value,)
        return [v for v in values if isinstance(v, str)]
    if isinstance(node, Not):
        return texts_of(node.operand)
    if isinstance(node, And | Or):
        return [t for n in node.operands for t in texts_of(n)]
    return []
