"""Risk rules (docs/risk-rules.md): targeting indicators written in a small, safe expression
language over traveller, flight and booking fields.

- ``language``: tokenizer, parser to an AST of frozen dataclasses, three-valued evaluator;
- ``fields``: the catalogue of fields a rule may use, and the protected words it may not;
- ``guard``: the human-rights guard (no protected attribute, never personal attributes alone);
- ``context``: the evaluation context of one traveller, built from loaded passenger records
  (import it directly: it is not re-exported here, so that this package needs no Django app).

Nothing here evaluates Python: rule text is only ever tokenized and parsed by ``language``."""

from aircop.screening.rules.fields import FIELDS, PROTECTED, Category, Field, Type
from aircop.screening.rules.guard import check, parse_allowed
from aircop.screening.rules.language import Rule, RuleError, evaluate, explain, parse, truth

__all__ = [
    "FIELDS",
    "PROTECTED",
    "Category",
    "Field",
    "Rule",
    "RuleError",
    "Type",
    "check",
    "evaluate",
    "explain",
    "parse",
    "parse_allowed",
    "truth",
]
