"""The risk-rule language (docs/risk-rules.md): tokenizer, recursive-descent parser to an AST
of frozen dataclasses, and a three-valued evaluator. Rule text is never handed to Python's
eval, exec or compile: it is read character by character (tokenizer.py) and nothing else.

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
definitely true.

The language is in five modules: tokenizer.py (tokens, `RuleError`), syntax.py (the AST,
`join`, `negate`, the canonical rendering `render`), parser.py (`parse`, `Rule`, the limits),
typecheck.py (the tests' types, a part of the parser) and evaluation.py (`truth`, `evaluate`,
`explain`). Their public names, and `_literal`, are re-exported here: the rest of the code
imports the language from this module."""

from aircop.screening.rules.evaluation import evaluate, explain, truth
from aircop.screening.rules.parser import MAX_DEPTH, MAX_LENGTH, MAX_LIST, Rule, parse
from aircop.screening.rules.syntax import (
    INVERSE,
    And,
    Compare,
    Const,
    Flag,
    Node,
    Not,
    Or,
    Value,
    fields_of,
    join,
    negate,
    render,
    texts_of,
)
from aircop.screening.rules.syntax import _literal as _literal  # for guard.py and the tests
from aircop.screening.rules.tokenizer import KEYWORDS, RuleError, Token, tokenize
from aircop.screening.rules.typecheck import COMPARE_OPS, ORDER_OPS

__all__ = [
    "COMPARE_OPS",
    "INVERSE",
    "KEYWORDS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_LIST",
    "ORDER_OPS",
    "And",
    "Compare",
    "Const",
    "Flag",
    "Node",
    "Not",
    "Or",
    "Rule",
    "RuleError",
    "Token",
    "Value",
    "evaluate",
    "explain",
    "fields_of",
    "join",
    "negate",
    "parse",
    "render",
    "texts_of",
    "tokenize",
    "truth",
]
