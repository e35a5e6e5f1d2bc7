"""The risk-rule language (docs/risk-rules.md): tokenizer, recursive-descent parser to an AST
of frozen dataclasses, and a three-valued evaluator. Rule text is never handed to Python's
eval, exec or compile: it is read character by character here and nothing else.

    rule       := or_expr END
    or_expr    := and_expr { "or" and_expr }
    and_expr   := not_expr { "and" not_expr }
    not_expr   := "not" not_expr | primary
    primary    := "(" or_expr ")" | "true" | "false" | FIELD [ test ]
    test       := ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) scalar
                | [ "not" ] "in" list | "contains" scalar | "has" ( "any" | "all" ) list
                | "starts" "with" TEXT
    scalar     := TEXT | NUMBER | "true" | "false"
    list       := "[" [ scalar { "," scalar } [ "," ] ] "]"

Keywords and field names are case-insensitive; texts compare without regard to case or
accents. Types are checked against the catalogue (rules/fields.py) while parsing. Every
problem is a ``RuleError`` whose ``position`` is the 1-based column of the offending token.

Evaluation is three-valued: a test on an unknown (None or absent) value is unknown, ``not``
keeps it unknown, ``and`` / ``or`` follow Kleene's logic, and a rule fires only when it is
definitely true."""

from __future__ import annotations

import difflib
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NoReturn

from django.utils.translation import gettext

from aircop.network import reference
from aircop.passengers.parsers.model import to_alpha3
from aircop.screening.rules.fields import (
    FIELD_NAMES,
    FIELDS,
    Code,
    Type,
    fold,
    protected_problem,
    protected_word,
)

MAX_LENGTH = 2000
MAX_DEPTH = 20
MAX_LIST = 500

KEYWORDS = frozenset(
    {"and", "or", "not", "in", "contains", "has", "any", "all", "starts", "with", "true", "false"}
)
ORDER_OPS = ("<", "<=", ">", ">=")
COMPARE_OPS = ("==", "!=", *ORDER_OPS)
# A test and its negation: ``not (x < 4)`` is written ``x >= 4``. This holds under three-valued
# logic too (both sides are unknown when x is).
INVERSE = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">", "in": "not in", "not in": "in"}


class RuleError(ValueError):
    """A rule that cannot be read or is refused. ``message`` starts with the place ("column 17:
    ...", or "line 2, column 5: ..." for a rule written on several lines); ``problem`` is the
    message without it; ``position`` is the 1-based column in the rule's text (counted from the
    start of the text, a line break counting as one character), or None."""

    def __init__(self, message: str, position: int | None = None, *, text: str | None = None):
        self.problem = str(message)
        self.position = position
        if position is None:
            full = self.problem
        elif text and "\n" in text[: position - 1]:
            line = text.count("\n", 0, position - 1) + 1
            column = position - 1 - text.rfind("\n", 0, position - 1)
            full = gettext("line %(line)d, column %(column)d: %(problem)s") % {
                "line": line,
                "column": column,
                "problem": self.problem,
            }
        else:
            full = gettext("column %(column)d: %(problem)s") % {"column": position, "problem": self.problem}
        self.message = full
        super().__init__(full)


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


# ----------------------------------------------------------------------------- tokens
@dataclass(frozen=True)
class Token:
    kind: str  # text, number, name, keyword, op, ( ) [ ] , end
    value: Any
    position: int  # 1-based
    source: str  # as written


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAME = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*")
_MISTAKES = {
    "=": "==",
    "<>": "!=",
    "!": "not",
    "&&": "and",
    "&": "and",
    "||": "or",
    "|": "or",
}


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)

    def fail(problem: str, at: int) -> NoReturn:
        raise RuleError(problem, at + 1, text=text)

    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        start = i
        if c in "\"'":
            i, value = _read_text(text, i, fail)
            tokens.append(Token("text", value, start + 1, text[start:i]))
            continue
        if c.isdigit() or (c == "-" and i + 1 < n and text[i + 1].isdigit()):
            m = _NUMBER.match(text, i)
            i = m.end()
            if i < n and (text[i].isalnum() or text[i] in "._"):
                end = i
                while end < n and (text[end].isalnum() or text[end] in "._"):
                    end += 1
                fail(gettext("%(what)s is not a number") % {"what": repr(text[start:end])}, start)
            raw = m.group()
            value = float(raw) if "." in raw else int(raw)
            tokens.append(Token("number", value, start + 1, raw))
            continue
        if c.isalpha() or c == "_":
            m = _NAME.match(text, i)
            i = m.end()
            if i < n and text[i] == ".":
                fail(gettext("a field name cannot end with '.' or have an empty part"), i)
            raw = m.group()
            low = raw.casefold()
            kind = "keyword" if low in KEYWORDS else "name"
            tokens.append(Token(kind, low, start + 1, raw))
            continue
        two = text[i : i + 2]
        if two in ("==", "!=", "<=", ">="):
            tokens.append(Token("op", two, start + 1, two))
            i += 2
            continue
        if two in ("<>", "&&", "||"):
            fail(_mistake(two), start)
        if c in "<>":
            tokens.append(Token("op", c, start + 1, c))
            i += 1
            continue
        if c in "()[],":
            tokens.append(Token(c, c, start + 1, c))
            i += 1
            continue
        if c in _MISTAKES:
            fail(_mistake(c), start)
        fail(gettext("unexpected character %(char)s") % {"char": repr(c)}, start)
    tokens.append(Token("end", None, n + 1, ""))
    return tokens


def _mistake(written: str) -> str:
    return gettext("%(written)s is not an operator of the rule language: write %(instead)s") % {
        "written": repr(written),
        "instead": repr(_MISTAKES[written]),
    }


def _read_text(text: str, i: int, fail: Callable[[str, int], NoReturn]) -> tuple[int, str]:
    quote, start = text[i], i
    out: list[str] = []
    i += 1
    while i < len(text):
        c = text[i]
        if c == quote:
            return i + 1, "".join(out)
        if c == "\n":
            break
        if c == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt in ('"', "'", "\\"):
                out.append(nxt)
                i += 2
                continue
            fail(
                gettext("unknown escape %(escape)s in a text: only \\\", \\' and \\\\ are allowed")
                % {"escape": repr("\\" + nxt)},
                i,
            )
        out.append(c)
        i += 1
    fail(gettext("this text is not closed: a %(quote)s is missing") % {"quote": quote}, start)


# ----------------------------------------------------------------------------- parser
@dataclass(frozen=True)
class Rule:
    """A parsed rule: ``ast``, the ``fields`` it uses, its canonical ``text`` (two spellings of
    one rule render alike), the ``source`` as written, and ``warnings``: things that are not
    errors but probably mistakes (a country or airport code that does not exist)."""

    source: str
    ast: Node
    fields: frozenset[str]
    text: str
    warnings: tuple[str, ...] = ()

    def evaluate(self, context: dict) -> bool:
        return evaluate(self.ast, context)

    def truth(self, context: dict) -> bool | None:
        return truth(self.ast, context)

    def explain(self, context: dict) -> list[str]:
        return explain(self.ast, context)

    def __str__(self) -> str:
        return self.text


def parse(text: str) -> Rule:
    """Read a rule, or raise ``RuleError``. The guard (rules/guard.py) is a separate step."""
    if not isinstance(text, str):
        raise RuleError(gettext("a rule is a text"))
    if len(text) > MAX_LENGTH:
        raise RuleError(
            gettext("the rule is %(length)d characters long; at most %(limit)d are allowed")
            % {"length": len(text), "limit": MAX_LENGTH},
            MAX_LENGTH + 1,
            text=text,
        )
    parser = _Parser(text, tokenize(text))
    ast = parser.rule()
    return Rule(
        source=text,
        ast=ast,
        fields=frozenset(fields_of(ast)),
        text=render(ast),
        warnings=tuple(dict.fromkeys(parser.warnings)),
    )


class _Parser:
    def __init__(self, text: str, tokens: list[Token]):
        self.text = text
        self.tokens = tokens
        self.i = 0
        self.depth = 0
        self.warnings: list[str] = []

    # --- helpers
    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def at(self, kind: str, value: str | None = None) -> bool:
        tok = self.peek()
        return tok.kind == kind and (value is None or tok.value == value)

    def fail(self, problem: str, tok: Token | int) -> NoReturn:
        position = tok if isinstance(tok, int) else tok.position
        raise RuleError(problem, position, text=self.text)

    def warn(self, problem: str, tok: Token) -> None:
        self.warnings.append(RuleError(problem, tok.position, text=self.text).message)

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(
                gettext("the rule is nested more than %(limit)d levels deep (parentheses and 'not')")
                % {"limit": MAX_DEPTH},
                tok,
            )

    @staticmethod
    def shown(tok: Token) -> str:
        return gettext("the end of the rule") if tok.kind == "end" else repr(tok.source)

    # --- grammar
    def rule(self) -> Node:
        if self.at("end"):
            self.fail(gettext("the rule is empty"), 1)
        node = self.or_expr()
        tok = self.peek()
        if tok.kind == ")":
            self.fail(gettext("this ')' closes no '('"), tok)
        if tok.kind != "end":
            self.fail(
                gettext("expected 'and', 'or' or the end of the rule, found %(found)s")
                % {"found": self.shown(tok)},
                tok,
            )
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.at("keyword", "or"):
            self.next()
            items.append(self.and_expr())
        return join(Or, items)

    def and_expr(self) -> Node:
        items = [self.not_expr()]
        while self.at("keyword", "and"):
            self.next()
            items.append(self.not_expr())
        return join(And, items)

    def not_expr(self) -> Node:
        if self.at("keyword", "not"):
            tok = self.next()
            self.enter(tok)
            operand = self.not_expr()
            self.depth -= 1
            return negate(operand)
        return self.primary()

    def primary(self) -> Node:
        tok = self.peek()
        if tok.kind == "(":
            self.next()
            self.enter(tok)
            node = self.or_expr()
            close = self.peek()
            if close.kind != ")":
                self.fail(
                    gettext("expected ')' to close the '(' of column %(column)d, found %(found)s")
                    % {"column": tok.position, "found": self.shown(close)},
                    close,
                )
            self.next()
            self.depth -= 1
            return node
        if tok.kind == "keyword" and tok.value in ("true", "false"):
            self.next()
            return Const(tok.value == "true")
        if tok.kind == "name":
            return self.test()
        self.fail(
            gettext("expected a field, 'not', 'true', 'false' or '(', found %(found)s")
            % {"found": self.shown(tok)},
            tok,
        )

    def field_of(self, tok: Token):
        name = tok.value
        spec = FIELDS.get(name)
        if spec is not None:
            return spec
        word = protected_word(tok.source)
        if word:
            self.fail(
                protected_problem(gettext("the field %(name)s") % {"name": repr(tok.source)}, word), tok
            )
        self.fail(_unknown_field(tok.source), tok)

    def test(self) -> Node:
        tok = self.next()
        spec = self.field_of(tok)
        name, nxt = spec.name, self.peek()
        if nxt.kind == "op":
            self.next()
            value, vtok = self.scalar()
            return self.checked(spec, nxt.value, value, vtok, tok, nxt)
        if nxt.kind == "keyword":
            word = nxt.value
            if word == "in":
                self.next()
                return self.checked(spec, "in", *self.list_literal(), tok, nxt)
            if word == "not":
                after = self.tokens[self.i + 1]
                if after.kind == "keyword" and after.value == "in":
                    self.next()
                    self.next()
                    return self.checked(spec, "not in", *self.list_literal(), tok, nxt)
                self.fail(gettext("expected 'in' after %(field)s not") % {"field": name}, after)
            if word == "contains":
                self.next()
                value, vtok = self.scalar()
                return self.checked(spec, "contains", value, vtok, tok, nxt)
            if word == "has":
                self.next()
                kind = self.peek()
                if not (kind.kind == "keyword" and kind.value in ("any", "all")):
                    self.fail(
                        gettext("expected 'any' or 'all' after 'has', found %(found)s")
                        % {"found": self.shown(kind)},
                        kind,
                    )
                self.next()
                return self.checked(spec, f"has {kind.value}", *self.list_literal(), tok, nxt)
            if word == "starts":
                self.next()
                w = self.peek()
                if not (w.kind == "keyword" and w.value == "with"):
                    self.fail(
                        gettext("expected 'with' after 'starts', found %(found)s") % {"found": self.shown(w)},
                        w,
                    )
                self.next()
                value, vtok = self.scalar()
                return self.checked(spec, "starts with", value, vtok, tok, nxt)
            if word == "any":
                self.fail(
                    gettext("write 'has any', e.g. %(example)s")
                    % {"example": 'route.countries has any ["COL"]'},
                    nxt,
                )
        if spec.type != Type.BOOL:
            self.fail(
                gettext(
                    "%(field)s is %(type)s, not a yes/no indicator: compare it with a value, e.g. %(example)s"
                )
                % {"field": name, "type": _type_name(spec.type), "example": _example(spec)},
                tok,
            )
        return Flag(name, tok.position)

    def scalar(self) -> tuple[Value, Token]:
        tok = self.peek()
        if tok.kind in ("text", "number"):
            self.next()
            return tok.value, tok
        if tok.kind == "keyword" and tok.value in ("true", "false"):
            self.next()
            return tok.value == "true", tok
        if tok.kind == "[":
            self.fail(gettext("a list goes only after in, not in, has any and has all"), tok)
        self.fail(
            gettext("expected a value (a text in quotes, a number, true or false), found %(found)s")
            % {"found": self.shown(tok)},
            tok,
        )

    def list_literal(self) -> tuple[tuple, Token]:
        open_ = self.peek()
        if open_.kind != "[":
            self.fail(
                gettext('expected a list such as ["COL", "VEN"], found %(found)s')
                % {"found": self.shown(open_)},
                open_,
            )
        self.next()
        items: list[Value] = []
        self.item_tokens: list[Token] = []
        while not self.at("]"):
            tok = self.peek()
            if tok.kind == "[":
                self.fail(gettext("lists cannot be nested"), tok)
            if tok.kind == "end":
                self.fail(
                    gettext("the list opened at column %(column)d is not closed: a ']' is missing")
                    % {"column": open_.position},
                    tok,
                )
            if tok.kind not in ("text", "number"):
                self.fail(
                    gettext("a list holds texts in quotes or numbers, found %(found)s")
                    % {"found": self.shown(tok)},
                    tok,
                )
            if len(items) == MAX_LIST:
                self.fail(gettext("a list holds at most %(limit)d items") % {"limit": MAX_LIST}, tok)
            self.next()
            items.append(tok.value)
            self.item_tokens.append(tok)
            if self.at(","):
                self.next()
            elif not self.at("]") and not self.at("end"):
                after = self.peek()
                self.fail(
                    gettext("expected ',' or ']' in the list, found %(found)s")
                    % {"found": self.shown(after)},
                    after,
                )
        if not items:
            self.fail(gettext("the list is empty"), open_)
        self.next()
        return tuple(items), open_

    # --- types
    def checked(self, spec, op: str, value: Value, vtok: Token, ftok: Token, optok: Token) -> Node:
        """The test ``spec op value`` after checking it against the field's type, with the
        value normalised (country codes to alpha-3, dates read)."""
        name, ftype = spec.name, spec.type
        if ftype == Type.BOOL:
            if op in ("==", "!=") and isinstance(value, bool):
                flag = Flag(name, ftok.position)
                return flag if (op == "==") == value else Not(flag)
            self.fail(
                gettext(
                    "%(field)s is a yes/no indicator: write it alone (%(field)s), with 'not' before it, "
                    "or compare it with == true or == false"
                )
                % {"field": name},
                vtok if op in ("==", "!=") else optok,
            )
        allowed = {
            Type.TEXT: ("==", "!=", "in", "not in", "contains", "starts with"),
            Type.NUMBER: (*COMPARE_OPS, "in", "not in"),
            Type.DATE: COMPARE_OPS,
            Type.TEXT_LIST: ("contains", "has any", "has all"),
        }[ftype]
        if op not in allowed:
            self.fail(
                gettext("'%(op)s' does not apply to %(field)s, which is %(type)s: use %(allowed)s")
                % {
                    "op": op,
                    "field": name,
                    "type": _type_name(ftype),
                    "allowed": ", ".join(allowed),
                },
                optok,
            )
        if isinstance(value, tuple):
            items = tuple(self.item(spec, op, v, t) for v, t in zip(value, self.item_tokens, strict=True))
            return Compare(name, op, items, ftok.position)
        return Compare(name, op, self.item(spec, op, value, vtok), ftok.position)

    def item(self, spec, op: str, value: Value, vtok: Token) -> Value:
        wanted = Type.NUMBER if spec.type == Type.NUMBER else Type.TEXT
        if isinstance(value, bool) or (wanted == Type.NUMBER) != isinstance(value, int | float):
            self.fail(
                gettext("%(field)s is %(type)s and cannot be compared with %(value)s")
                % {"field": spec.name, "type": _type_name(spec.type), "value": _describe(value)},
                vtok,
            )
        if spec.type == Type.DATE:
            try:
                if _DATE.fullmatch(value):
                    return date.fromisoformat(value)
            except ValueError:
                pass
            self.fail(
                gettext('%(value)s is not a date: write dates as "YYYY-MM-DD"') % {"value": _literal(value)},
                vtok,
            )
        if (
            wanted == Type.TEXT
            and op not in ("starts with",)
            and not (op == "contains" and spec.type == Type.TEXT)
        ):
            return self.code(spec, value, vtok)
        return value

    def code(self, spec, value: str, vtok: Token) -> str:
        if spec.code == Code.COUNTRY:
            alpha3 = to_alpha3(value)
            if alpha3 is None:
                self.warn(
                    gettext("%(value)s is not an ISO 3166 country code: it will never match")
                    % {"value": _literal(value)},
                    vtok,
                )
                return value.strip().upper()
            return alpha3
        if spec.code == Code.AIRPORT:
            if reference.airport_record(value.strip()) is None:
                self.warn(
                    gettext("%(value)s is not a known IATA airport code: it will never match")
                    % {"value": _literal(value)},
                    vtok,
                )
            return value.strip().upper()
        if spec.code == Code.SEX:
            if value.strip().upper() not in ("M", "F", "X"):
                self.fail(
                    gettext('%(value)s is not a sex code: use "M", "F" or "X"') % {"value": _literal(value)},
                    vtok,
                )
            return value.strip().upper()
        return value


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


def _unknown_field(name: str) -> str:
    low = name.casefold()
    close = difflib.get_close_matches(low, FIELD_NAMES, n=1, cutoff=0.6)
    if not close:  # "one_way" for booking.one_way
        tails = {n.split(".", 1)[1]: n for n in FIELD_NAMES}
        found = difflib.get_close_matches(low.rsplit(".", 1)[-1], list(tails), n=1, cutoff=0.75)
        close = [tails[found[0]]] if found else []
    if close:
        return gettext("unknown field %(name)s (did you mean %(suggestion)s?)") % {
            "name": repr(name),
            "suggestion": close[0],
        }
    return gettext("unknown field %(name)s") % {"name": repr(name)}


def _type_name(ftype: Type) -> str:
    return {
        Type.TEXT: gettext("a text"),
        Type.NUMBER: gettext("a number"),
        Type.BOOL: gettext("a yes/no indicator"),
        Type.DATE: gettext("a date"),
        Type.TEXT_LIST: gettext("a list of texts"),
    }[ftype]


def _example(spec) -> str:
    return {
        Type.TEXT: f'{spec.name} == "..."',
        Type.NUMBER: f"{spec.name} < 48",
        Type.DATE: f'{spec.name} >= "2026-01-01"',
        Type.TEXT_LIST: f'{spec.name} has any ["...", "..."]',
    }[spec.type]


def _describe(value: Value) -> str:
    if isinstance(value, bool):
        return gettext("the value %(value)s") % {"value": "true" if value else "false"}
    if isinstance(value, int | float):
        return gettext("the number %(value)s") % {"value": _literal(value)}
    return gettext("the text %(value)s") % {"value": _literal(value)}


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


# ----------------------------------------------------------------------------- evaluation
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
    return truth(node.ast if isinstance(node, Rule) else node, context) is True


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
    node = node.ast if isinstance(node, Rule) else node
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
