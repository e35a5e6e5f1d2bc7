"""The type checks of the risk-rule language (docs/risk-rules.md, "Tests" and "Fields"): each
test is checked against its field's type in the catalogue (fields.py) while it is parsed,
and its values are normalised (country codes to alpha-3, dates read). `TypeChecks` is a part
of parser.py's parser: it uses the parser's ``fail``, ``warn`` and ``item_tokens``."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django.utils.translation import gettext

from aircop.network import reference
from aircop.passengers.parsers.model import to_alpha3
from aircop.screening.rules.fields import Code, Type
from aircop.screening.rules.syntax import Compare, Flag, Node, Not, Value, _literal

if TYPE_CHECKING:
    from aircop.screening.rules.tokenizer import Token

ORDER_OPS = ("<", "<=", ">", ">=")
COMPARE_OPS = ("==", "!=", *ORDER_OPS)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class TypeChecks:
    """The parser's checks of a test against its field's type (a mixin of parser._Parser)."""

    item_tokens: list[Token]  # set by the parser: the tokens of the last list read, one per item

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
                    "type": type_name(ftype),
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
                % {"field": spec.name, "type": type_name(spec.type), "value": _describe(value)},
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


def type_name(ftype: Type) -> str:
    return {
        Type.TEXT: gettext("a text"),
        Type.NUMBER: gettext("a number"),
        Type.BOOL: gettext("a yes/no indicator"),
        Type.DATE: gettext("a date"),
        Type.TEXT_LIST: gettext("a list of texts"),
    }[ftype]


def _describe(value: Value) -> str:
    if isinstance(value, bool):
        return gettext("the value %(value)s") % {"value": "true" if value else "false"}
    if isinstance(value, int | float):
        return gettext("the number %(value)s") % {"value": _literal(value)}
    return gettext("the text %(value)s") % {"value": _literal(value)}
