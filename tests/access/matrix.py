"""Running the table: the routes of the code, URLs of cells, requests and verdicts."""

from __future__ import annotations

import re
from collections import Counter

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver

from aircop.accounts import ratelimit
from aircop.audit.models import AuditEntry
from tests.access.table import SAFE, WRITE, Cell, exercised

COUNTS: Counter = Counter()
WRITE_OK = {200, 201, 202, 204, 302, 303, 400, 409, 422}


def api_operations() -> set[str]:
    """Every operation of the one NinjaAPI, as "METHOD /api/v1/path"."""
    from aircop.api import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def page_patterns() -> set[str]:
    """Every page of Django's URL resolver, except the API (its operations are above) and the
    admin site (tested by its own rule in test_matrix)."""
    return {p for p in _walk(get_resolver()) if not p.startswith(("api/v1/", "admin/"))}


def admin_patterns() -> set[str]:
    return {p for p in _walk(get_resolver()) if p.startswith("admin/")}


def page_url(pattern: str, params: dict) -> str:
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)
    url = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", url)
    url = url.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + url.format(**params)


def last_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def changes_since(pk: int) -> int:
    """Audit entries written after entry ``pk`` that record a change (every service write
    records one), not a read."""
    return (
        AuditEntry.objects.filter(pk__gt=pk)
        .exclude(action__startswith="token.")
        .exclude(Q(action__contains="read") | Q(action__contains="listed"))
        .count()
    )


def _upload(route):
    from tests.access.world import png

    return {route.upload: SimpleUploadedFile("matrix.png", png(), content_type="image/png")}


def request(client, method: str, url: str, route, *, api: bool):
    if method == "GET":
        return client.get(url + ("?" + route.query if route.query else ""))
    if route.upload:
        return client.post(url, _upload(route))
    if api:
        import json

        data = json.dumps(route.body) if route.body is not None else ""
        return client.generic(method, url, data, content_type="application/json")
    return client.generic(method, url, _form(route.body), content_type="application/x-www-form-urlencoded")


def _form(body) -> str:
    from urllib.parse import urlencode

    return urlencode(body or {})


def verdict(expected, got: int) -> bool:
    if expected == WRITE:
        return got in WRITE_OK
    if isinstance(expected, frozenset):
        return got in expected
    return got == expected


def refusal(expected) -> bool:
    return expected in (403, 404) or isinstance(expected, frozenset)


def run_route(world, key: str, route, *, api: bool, kind_label: str) -> list[str]:
    """The exercised cells of one route (table.exercised). A read is requested as it is; a write
    runs in a savepoint that is rolled back, so that the cells do not change each other's
    objects. Returns the failures, each naming its cell."""
    from tests.access.world import Variant

    method, _, path = key.partition(" ")
    safe = method in SAFE
    variants = world.objects[route.kind] if route.kind else [Variant("-", {})]
    failures = []
    ratelimit.reset()
    for cell, v in exercised(key, route, variants):
        cell: Cell
        params = {"fmt": "html", **v.params}
        url = path.format(**params) if api else page_url(path, params)
        client = (world.api if api else world.web)[(cell.role, cell.relation)]
        changed = 0
        if safe:
            response = request(client, method, url, route, api=api)
        else:
            session = client.cookies.get(settings.SESSION_COOKIE_NAME)
            with transaction.atomic():
                mark = last_entry()
                response = request(client, method, url, route, api=api)
                if refusal(cell.expected):
                    changed = changes_since(mark)
                transaction.set_rollback(True)
            if session is not None:  # a cell that signs out (POST logout/) must not sign out the next
                client.cookies[settings.SESSION_COOKIE_NAME] = session.value
        COUNTS[kind_label] += 1
        got = response.status_code
        problem = None
        if not verdict(cell.expected, got):
            shown = sorted(cell.expected) if isinstance(cell.expected, frozenset) else cell.expected
            problem = f"expected {shown}, got {got}"
        elif changed:
            problem = f"refused with {got} but {changed} change(s) were recorded"
        if problem:
            failures.append(
                f"{key} role={cell.role} relation={cell.relation} object={route.kind}:{cell.variant} "
                f"url={url}: {problem}"
            )
    return failures
