"""Nothing visible outside its audience: for every requester, the markers of the objects the
table says they may not open (404) must not appear in any list, search, export, report or
event they can read; small route counts are withheld from figures."""

from __future__ import annotations

import pytest

from aircop.accounts import ratelimit
from tests.access.table import API, PAGES, RELATIONS, REQUESTERS, ROLES, RULES, UNIT_ROLES

pytestmark = pytest.mark.django_db

# (kind of object, the route whose rule says who opens it)
OPENED_BY = {
    "alert": "GET /api/v1/alerts/{alert_id}",
    "seizure": "GET /api/v1/seizures/{seizure_id}",
    "watchlist": "GET /api/v1/watchlists/{name}",
    "rule": "GET /api/v1/rules/{name}",
    "hit": "GET /api/v1/hits/{hit_id}",
    "operation": "GET /api/v1/operations/{name}",
    "activity": "GET /api/v1/capacity/activities/{activity_id}",
    "equipment": "GET /api/v1/capacity/equipment/{equipment_id}",
    "document": "GET /api/v1/capacity/library/{document_id}",
    "flight": "GET /api/v1/flights/{flight_id}",
}
# Where lists, searches, exports and events could show them.
API_READS = [
    "/api/v1/alerts",
    "/api/v1/alerts?q=MX",
    "/api/v1/events?after=0",
    "/api/v1/alerts-outcome-rates",
    "/api/v1/seizures",
    "/api/v1/flights",
    "/api/v1/passenger-data/messages",
    "/api/v1/watchlists",
    "/api/v1/rules",
    "/api/v1/hits",
    "/api/v1/hits?status=",
    "/api/v1/operations",
    "/api/v1/capacity/activities",
    "/api/v1/capacity/library?q=MX",
    "/api/v1/capacity/equipment",
    "/api/v1/capacity/trainers",
]
PAGE_READS = [
    "/",
    "/alerts/",
    "/alerts/?q=MX",
    "/seizures/",
    "/analytics/?airport=LOS",
    "/analytics/reports/strategic.html",
    "/passengers/",
    "/watchlists/",
    "/hits/",
    "/rules/",
    "/operations/",
    "/capacity/",
    "/capacity/library/?q=MX",
    "/capacity/equipment/",
    "/capacity/trainers/",
]


def hidden_markers(world, role, rel) -> dict[str, str]:
    out = {}
    for kind, key in OPENED_BY.items():
        rule = RULES[API[key].rule]
        for v in world.objects.get(kind, []):
            if v.marker and rule(role, rel, v) == 404:
                for marker in (v.marker, *v.extra.get("also", ())):
                    out[marker] = f"{kind}:{v.label}"
    # the sitreps' remarks are for the operation's members only
    sitreps = RULES[API["GET /api/v1/operations/{name}/sitreps"].rule]
    for v in world.objects["operation"]:
        if sitreps(role, rel, v) == 404:
            out[v.marker + "REMARK"] = f"sitrep:{v.label}"
    return out


def test_table_has_the_routes_named_here():
    assert set(OPENED_BY.values()) <= set(API)
    assert {"GET alerts/", "GET seizures/"} <= set(PAGES)


@pytest.mark.parametrize("role", ROLES)
def test_nothing_leaks_through_lists_searches_exports_and_events(world, role):
    failures = []
    checked = 0
    for rel in RELATIONS:
        if (role, rel) not in REQUESTERS:
            continue
        hidden = hidden_markers(world, role, rel)
        if not hidden:
            continue
        ratelimit.reset()
        for client, urls in ((world.api[(role, rel)], API_READS), (world.web[(role, rel)], PAGE_READS)):
            for url in urls:
                response = client.get(url)
                if response.status_code != 200:
                    continue  # a refusal shows nothing; the matrix checks the status itself
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                for marker, what in hidden.items():
                    checked += 1
                    if marker in text:
                        failures.append(f"{role}/{rel}: {what} ({marker}) appears in {url}")
    assert checked > 0
    assert not failures, "\n".join(failures)


SMALL = "/analytics/?format=csv&figure=routes&airport=LOS&from=2026-01-01&to=2026-12-31"


@pytest.mark.parametrize("rel", RELATIONS)
def test_a_route_of_fewer_than_three_seizures_is_withheld_outside_the_recording_unit(world, rel):
    """One record only on BOG>LOS (world.py): its figures are shown to Lagos's task force,
    whose own records fill the scope, and withheld from everyone else."""
    failures = []
    for role in UNIT_ROLES[rel]:
        response = world.web[(role, rel)].get(SMALL)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, (role, rel, response.status_code)
        rows = {line.split(",")[0]: line for line in response.content.decode().splitlines()}
        row = rows.get("BOG>LOS")
        if row is None:
            failures.append(f"{role}/{rel}: no BOG>LOS row at all")
        elif rel == "own" and "suppressed" in row:
            failures.append(f"{role}/{rel}: own record withheld: {row}")
        elif rel != "own" and "suppressed" not in row:
            failures.append(f"{role}/{rel}: small cell shown: {row}")
    assert not failures, "\n".join(failures)


def test_the_markers_are_found_where_they_are_visible(world):
    """The control of the test above: the lists of the owner unit's officer show the markers of
    the alerts, seizures, watchlists, rules and operations it sees, so a marker that is absent
    elsewhere is absent because it is withheld, not because lists never show markers."""
    text = {"api": "", "web": ""}
    for channel, urls in (("api", API_READS), ("web", PAGE_READS)):
        client = getattr(world, channel)[("officer", "own")]
        for url in urls:
            response = client.get(url)
            if response.status_code == 200 and not response.streaming:
                text[channel] += response.content.decode("utf-8", "replace")
    kinds = ("alert", "seizure", "watchlist", "rule", "hit", "operation", "activity", "equipment", "document")
    missing = [
        f"{channel}: {kind}:{v.label} {marker}"
        for kind in kinds
        for v in world.objects[kind]
        for channel, marker in (
            ("api", v.extra.get("also", [v.marker])[0]),
            ("web", v.extra.get("also", [None, v.marker])[1]),
        )
        if marker not in text[channel]
    ]
    assert not missing, f"markers the owner should find in its lists: {missing}"
