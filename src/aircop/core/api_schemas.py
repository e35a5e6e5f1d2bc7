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

from ninja import Schema


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
