"""Error answers shared by the API's routers.

django-ninja names an OpenAPI component after the class, and keeps one component per name:
two different classes called alike make /api/v1/openapi.json describe some responses with
the other's schema (tests/test_openapi.py refuses that). So the error bodies that mean the
same thing are one class each, here; a router whose body differs names its own class after
itself (e.g. ``CheckErrorOut``). Each class keeps exactly the fields its routers answered
with before: the body is serialised through it, so a field added here shows in the JSON.
(Comments, not docstrings: a class docstring becomes the component's description.)
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import BeforeValidator


class ProblemOut(Schema):
    field: str
    message: str


# A refused write with every problem found (capacity, seizures, watchlists, hits).
class ErrorOut(Schema):
    detail: str
    field: str | None = None
    problems: list[ProblemOut] = []


# A refused request naming the field at fault, if any (alerts, risk rules).
class FieldErrorOut(Schema):
    detail: str
    field: str | None = None


# A refused request, the reason only (attachments, operations).
class DetailErrorOut(Schema):
    detail: str


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value):
    # pydantic also takes a number of seconds since 1970 for a date: "?to=0" meant 1970-01-01.
    if isinstance(value, (int, float)) or (isinstance(value, str) and not ISO_DAY.fullmatch(value)):
        raise ValueError(_("expected a date, e.g. 2026-05-04"))
    return value


# A date parameter as the document says it: YYYY-MM-DD only (a 422 otherwise).
Day = Annotated[date, BeforeValidator(_iso_day)]


# A page's offset: a negative one or one past what the database's integers hold was a 500.
Offset = Annotated[int, Query(ge=0, le=2**31 - 1)]
