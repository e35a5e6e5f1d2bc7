"""The risk-rule language's parser (docs/risk-rules.md; the grammar is in language.py):
recursive descent over the tokens of tokenizer.py to the syntax tree of syntax.py. Each test
is checked against its field's type while it is read (typecheck.py). `parse` returns a
`Rule`, or raises `RuleError` at the offending token."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import NoReturn

from django.utils.translation import gettext

from aircop.screening.rules.evaluation import evaluate, explain, truth
from aircop.screening.rules.fields import FIELD_NAMES, FIELDS, Type, protected_problem, protected_word
from aircop.screening.rules.syntax import And, Const, Flag, Node, Or, Value, fields_of, join, negate, render
from aircop.screening.rules.tokenizer import RuleError, Token, tokenize
from aircop.screening.rules.typecheck import TypeChecks, type_name

MAX_LENGTH = 2000
MAX_DEPTH = 20
MAX_LIST = 500


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


class _Parser(TypeChecks):
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
                % {"field": name, "type": type_name(spec.type), "example": _example(spec)},
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


def _example(spec) -> str:
    return {
        Type.TEXT: f'{spec.name} == "..."',
        Type.NUMBER: f"{spec.name} < 48",
        Type.DATE: f'{spec.name} >= "2026-01-01"',
        Type.TEXT_LIST: f'{spec.name} has any ["...", "..."]',
    }[spec.type]
