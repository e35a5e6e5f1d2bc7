"""The risk-rule language's tokenizer (docs/risk-rules.md): rule text, read character by
character, to `Token`s; and `RuleError`, the one exception of the whole language (tokenizer,
parser.py and the guard), whose ``position`` is the 1-based column of the offending token."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from django.utils.translation import gettext

KEYWORDS = frozenset(
    {"and", "or", "not", "in", "contains", "has", "any", "all", "starts", "with", "true", "false"}
)


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


# ----------------------------------------------------------------------------- tokens
@dataclass(frozen=True)
class Token:
    kind: str  # text, number, name, keyword, op, ( ) [ ] , end
    value: Any
    position: int  # 1-based
    source: str  # as written


_DIGITS = frozenset("0123456789")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
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
        # ASCII digits only: str.isdigit() also accepts "²" or "٣", which no number pattern reads.
        if c in _DIGITS or (c == "-" and i + 1 < n and text[i + 1] in _DIGITS):
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
