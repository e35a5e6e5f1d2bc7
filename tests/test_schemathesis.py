"""schemathesis against /api/v1/openapi.json, every operation as users of several roles: no
5xx, and no answer that breaks the document (status code, content type, body schema, headers),
plus schemathesis's other default checks (a schema-valid request refused, a schema-invalid one
accepted, a missing credential ignored, an unsupported method answered).

The requests go to the Django application in process (WSGI), inside the test's transaction:
what a fuzzed POST creates is rolled back after each operation, on SQLite and on PostgreSQL.

Bounded by default (CI runs it on both databases). ``make fuzz`` runs the same tests with
``AIRCOP_FUZZ_EXAMPLES`` raised; ``AIRCOP_FUZZ_ROLES`` (comma-separated usernames) narrows
the roles. Each operation and role runs to the end and then fails with every distinct problem
found (no shrinking), and the run ends with the requests made per role.
"""

from __future__ import annotations

import json
import os
import re
import traceback
from collections import Counter, defaultdict

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from schemathesis.core.failures import FailureGroup

from aircop.accounts.services import create_token
from aircop.api import api

# An officer and the head of a task force, the national coordinator of its country, a
# liaison officer covering it, an airline's security contact, the programme's analyst and
# auditor, and the admin.
ROLES = (
    "officer-lfw",
    "head-lfw",
    "coordinator-tg",
    "liaison-gh",
    "airline-af",
    "analyst",
    "auditor",
    "admin",
)
FUZZ_ROLES = (
    tuple(r.strip() for r in os.environ.get("AIRCOP_FUZZ_ROLES", "").split(",") if r.strip()) or ROLES
)
EXAMPLES = int(os.environ.get("AIRCOP_FUZZ_EXAMPLES") or 3)
FULL = EXAMPLES > 3
MAX_SHOWN = 5

# A request the schema allows may still be refused by the domain's own rules: 400 (and 413 for
# a file too large). Where an operation declares 422 for a refused content (risk rule texts,
# imported files), 422 is such a refusal too; anywhere else a 422 for a schema-valid request
# means the document does not say what the framework checks.
ACCEPTED = ["2xx", "400", "401", "403", "404", "409", "413", "429"]
OWN_422 = (
    r"^/api/v1/(rules|watchlists/\{name\}/import|capacity/activities/\{activity_id\}/participants/import)"
)
# Django drops an empty file part of a multipart form, so an empty upload is refused as a
# missing file (422 "file: Field required"), although the document's binary string allows it.
UPLOADS = r"^/api/v1/(alerts/\{alert_id\}/attachments|seizures/\{seizure_id\}/photos|capacity/library)$"

CONFIG = schemathesis.Config.from_dict(
    {
        "suppress-health-check": ["all"],
        "generation": {
            "max-examples": EXAMPLES,
            "deterministic": True,  # derandomized: the same requests on every run
            "database": "none",
            "mode": "all",  # valid and invalid requests
            # The tests send each role's bearer token; no generated credentials to replace.
            "with-security-parameters": False,
        },
        # The coverage phase (boundary values of every parameter) only in the full run.
        "phases": {"coverage": {"enabled": FULL}, "stateful": {"enabled": False}},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        "operations": [
            {
                "include-path-regex": OWN_422,
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
            },
            {
                "include-path-regex": UPLOADS,
                "include-method": "POST",
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
            },
        ],
    }
)

# The document as the API serves it (tests/test_openapi.py checks that it is the built one).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = WSGIHandler()

REQUESTS: Counter = Counter()  # role -> requests the application answered
PROBLEMS: dict[str, set] = defaultdict(set)  # role -> (operation, problem) found
ACTING: list[str] = []  # the role of the test running
TRACEBACKS: list[str] = []  # server errors of the current request


def _count(sender, **kwargs):
    if ACTING:
        REQUESTS[ACTING[0]] += 1


def _remember(sender, request=None, **kwargs):
    TRACEBACKS.append(traceback.format_exc())


request_started.connect(_count, weak=False, dispatch_uid="aircop-fuzz-count")
got_request_exception.connect(_remember, weak=False, dispatch_uid="aircop-fuzz-traceback")


class _Summary:
    """Prints the requests and problems per role at the end of the session."""

    def pytest_terminal_summary(self, terminalreporter):
        if not REQUESTS:
            return
        write = terminalreporter.write_line
        terminalreporter.section("schemathesis: requests per role")
        operations = len(list(schema.get_all_operations()))
        write(f"{operations} operations, {len(REQUESTS)} roles, max {EXAMPLES} generated examples per phase")
        for role, n in REQUESTS.items():
            write(f"  {role:<16} {n:>7} requests  {len(PROBLEMS[role]):>4} distinct problems")
        total = sum(REQUESTS.values())
        write(f"  {'total':<16} {total:>7} requests  {sum(map(len, PROBLEMS.values())):>4} distinct problems")
        for role, found in PROBLEMS.items():
            for operation, problem in sorted(found):
                write(f"  {role}: {operation}: {problem}")


@pytest.fixture(scope="module", autouse=True)
def summary(request):
    plugin = _Summary()
    if not request.config.pluginmanager.is_registered(plugin):
        request.config.pluginmanager.register(plugin, "aircop-fuzz-summary")
    yield


@pytest.fixture
def in_process(settings, monkeypatch):
    """The application answers inside the test's transaction: Django must not close the
    connection at the end of each request (its test client does the same), and the rate limits
    (on for the rest of the suite) would refuse a fuzzer's pace. The long poll does not wait."""
    settings.AIRCOP_RATE_LIMITS = False
    monkeypatch.setattr("aircop.messaging.api.MAX_WAIT", 0)  # GET /events?wait=N answers at once
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(request, user_named, in_process):
    role = request.param
    _row, raw = create_token(actor=None, user=user_named(role), days=1)
    ACTING[:] = [role]
    found: list = []  # (problem, report), each distinct problem once
    yield role, {"Authorization": f"Bearer {raw}"}, found
    ACTING.clear()
    if found:  # every generated case has run: fail with each distinct problem (no shrinking)
        shown = "\n\n".join(report for _problem, report in found[:MAX_SHOWN])
        listed = "\n".join(f"- {problem}" for problem, _ in found)
        pytest.fail(f"{len(found)} distinct problem(s):\n{listed}\n\n{shown}", pytrace=False)


def describe(failure, response) -> str:
    """One line per problem: the check's title, the status and the first line of its message."""
    title = getattr(failure, "title", type(failure).__name__)
    message = next(
        (line.strip() for line in str(getattr(failure, "message", "")).splitlines() if line.strip()), ""
    )
    return re.sub(r"\s+", " ", f"{title} [{response.status_code}] {message}")[:300]


def problems_of(case, headers) -> list[tuple[str, str]]:
    """Call the operation and validate the answer; every failed check as (problem, report)."""
    TRACEBACKS.clear()
    try:
        response = case.call(headers=headers)
    except Exception as exc:  # the application raised instead of answering
        return [(f"exception {type(exc).__name__}: {exc}"[:300], traceback.format_exc())]
    try:
        case.validate_response(response, headers=headers, transport_kwargs={"headers": headers})
    except FailureGroup as group:
        report = str(group)
        if TRACEBACKS:
            report += "\nServer traceback:\n" + TRACEBACKS[-1]
        return [(describe(failure, response), report) for failure in group.exceptions]
    return []


@pytest.mark.parametrize("bearer", FUZZ_ROLES, indirect=True)
@schema.parametrize()
def test_api(case, bearer):
    role, headers, found = bearer
    for problem, report in problems_of(case, headers):
        if problem not in {p for p, _ in found}:
            found.append((problem, report))
            PROBLEMS[role].add((case.operation.label, problem))


# ------------------------------------------------------------------ the harness catches a break
def _bearer_for(username, user_named):
    _row, raw = create_token(actor=None, user=user_named(username), days=1)
    return {"Authorization": f"Bearer {raw}"}


def test_a_response_that_breaks_its_schema_is_reported(user_named, in_process):
    """The same checks, against a copy of the document where GET /me promises a field it
    never sends: the harness must report it."""
    document = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    me = document["paths"]["/api/v1/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = me["$ref"].rsplit("/", 1)[-1]
    document["components"]["schemas"][name]["required"].append("clearance")
    document["components"]["schemas"][name]["properties"]["clearance"] = {"type": "string"}
    broken = schemathesis.openapi.from_dict(document, config=CONFIG)
    broken.app = WSGIHandler()
    headers = _bearer_for("officer-lfw", user_named)
    found = problems_of(broken["/api/v1/me"]["GET"].Case(), headers)
    assert [p for p, _ in found if p.startswith("Response violates schema [200]")], found
    assert problems_of(schema["/api/v1/me"]["GET"].Case(), headers) == []


def test_a_server_error_is_reported(user_named, in_process, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("aircop.network.api.selectors.units", crash)
    found = problems_of(schema["/api/v1/units"]["GET"].Case(), _bearer_for("analyst", user_named))
    assert any(p.startswith("Server error [500]") for p, _ in found), found
    assert any("RuntimeError: boom" in report for _, report in found)


# What the fuzzer found, kept as plain requests: each was a 500 or a non-JSON or laxer answer.
FOUND = [
    ("get", "/api/v1/alerts?offset=-1", None, 422),  # negative slice of a queryset
    (
        "get",
        "/api/v1/capacity/trainers?offset=99999999999999999999",
        None,
        422,
    ),  # bigint / SQLite int overflow
    ("get", "/api/v1/capacity/activities?year=-5", None, 422),  # date(-5, 1, 1)
    ("post", "/api/v1/seizures", {"airport": "LFW", "transit": True}, 400),  # transit_raw[:10] of a bool
    ("get", "/api/v1/seizures?to=0", None, 422),  # "0" was read as 1970-01-01
    ("get", "/api/v1/flights?date=0", None, 422),
    ("patch", "/api/v1/watchlists/x/entries/a%0Ab", {}, 404),  # no route matched: Django's HTML 404
    ("get", "/api/v1/units/a%2Fb", None, 404),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), FOUND)
def test_what_the_fuzzer_found(method, path, body, status, user_named, in_process):
    client = Client(**{"HTTP_AUTHORIZATION": _bearer_for("officer-lfw", user_named)["Authorization"]})
    response = getattr(client, method)(
        path, **({} if body is None else {"data": body, "content_type": "application/json"})
    )
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str)
