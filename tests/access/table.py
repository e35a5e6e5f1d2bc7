"""The access-control matrix, written once (docs/handling.md restated as data).

Every API operation (``"METHOD /api/v1/..."`` as in the OpenAPI document) and every page
(``"METHOD pattern"`` as Django's URL resolver spells it) has one entry: the kind of object
it is requested for (``None`` when it takes none) and the *rule* that gives the expected
answer for every requester: a role (accounts.Role) in a unit whose relation to the object's
owner unit is one of RELATIONS, for every variant of the object (one per TLP label where the
object carries one). ``expand()`` turns the table into the concrete cells the tests request.

Expected answers: 200, 302 (a page that redirects: a form sent), 403, 404, 405 and WRITE:
an allowed write, which may succeed (2xx, or 302 on a page) or refuse the minimal body as
invalid (400, 409, 422), but never 403 or 404.
"""

from __future__ import annotations

from dataclasses import dataclass

OWNER = "jaitf-los"
ROLES = ("officer", "unit_head", "analyst", "coordinator", "liaison", "airline", "admin", "auditor")
# Where the requester's unit stands from the owner unit of the object.
RELATIONS = ("own", "country", "hq", "foreign", "regional")
# The three relations the issue names (own unit, other unit of the country, other country)
# take every role. The national headquarters and the regional office are a fourth and fifth
# relation whose rights come from the unit itself (a member of the headquarters sees its
# country's flights and records, a member of a regional office is programme staff) or from a
# role there (national coordinator, programme writer, oversight): they take those roles, the
# auditor standing for a member with no role-given right.
UNIT_ROLES = {
    "own": ROLES,
    "country": ROLES,
    "foreign": ROLES,
    "hq": ("coordinator", "analyst", "admin", "auditor"),
    "regional": ("coordinator", "analyst", "admin", "auditor"),
}
REQUESTERS = tuple((role, rel) for rel in RELATIONS for role in UNIT_ROLES[rel])
RELATION_UNITS = {
    "own": "jaitf-los",  # the owner unit (or the unit the object is addressed to)
    "country": "jaitf-abv",  # another task force in the same country (Nigeria)
    "hq": "hq-ng",  # the national headquarters of that country
    "foreign": "jaitf-acc",  # a task force in another country (Ghana)
    "regional": "ro-dakar",  # the programme's regional office for the region (West and Central Africa)
}
TLPS = ("clear", "green", "amber", "amber_strict", "red")
WRITE = "write"
SAFE = ("GET", "HEAD", "OPTIONS")
# A page refuses a write by sending back to the object with an error message (302), by showing
# the form again with the refusal next to its field (200 or 400), or with 403: the docs fix
# the API's answer (403), not the page's. The runner accepts any of these for a page write the
# table refuses with 403, and then checks that nothing was changed (no audit entry of a write).
PAGE_REFUSALS = frozenset({200, 302, 400, 403})
# A form page for an object the reader sees but may not change sends back to the object with
# an error message (302) or answers 403.
FORM_REFUSALS = frozenset({302, 403})

# Role sets, as docs/handling.md and the feature docs state them.
SENDING = {"officer", "unit_head", "coordinator", "liaison", "airline", "analyst"}  # alerts, replies, sitreps
RECORDING = {"officer", "unit_head", "coordinator", "analyst", "admin"}  # seizures
RULE_WRITERS = {"officer", "unit_head", "coordinator", "analyst"}
REVIEWERS = {"officer", "unit_head", "coordinator"}  # hits
OP_CREATORS = {"coordinator", "admin"}
OVERSIGHT = {"admin", "analyst"}
UPLOADERS = {"airline", "officer", "unit_head", "coordinator", "admin"}  # passenger data
CHECKERS = {"officer", "unit_head", "coordinator", "liaison"}
ORGANISERS = {"officer", "unit_head", "coordinator", "analyst", "admin"}
HOLDERS = {"officer", "unit_head", "coordinator"}


# ------------------------------------------------------------------ who sees what
def programme_staff(role, rel):
    return role in OVERSIGHT or rel == "regional"


def programme_writer(role, rel):
    return role == "admin" or (rel == "regional" and role in {"coordinator", "analyst", "admin"})


def sees_seizure(role, rel, v):
    if rel == "own":
        return True
    if v.extra.get("status") not in ("submitted", "validated"):
        return False
    tlp = v.tlp
    national = rel == "hq" or (role == "coordinator" and rel in ("country", "hq"))
    if national and tlp != "red":
        return True
    if rel == "regional" and tlp in ("clear", "green", "amber"):
        return True
    return tlp in ("clear", "green")  # the community: all five relation units are in it


def locked(v) -> bool:
    return v.extra.get("status") == "validated"


def sees_document(role, rel, v):
    if programme_staff(role, rel):
        return True
    if v.label == "units":
        return rel == "own"
    return rel in ("own", "country", "hq")  # readers: country NG, task forces and HQ in it


def sees_roster(role, rel):
    return (
        rel == "own" or role in ("admin", "auditor") or (role == "coordinator" and rel in ("country", "hq"))
    )


def _metrics_token() -> str:
    """/metrics answers to the scraper's token only: no signed-in person opens it."""
    from django.conf import settings

    return settings.CONFIG.metrics_token


def vis(seen: bool, ok=200):
    return ok if seen else 404


def write_if(seen: bool, may: bool):
    """A write on an object: 404 when it is not seen, 403 when seen but not allowed."""
    if not seen:
        return 404
    return WRITE if may else 403


RULES = {
    # no object
    "any": lambda role, rel, v: 200,
    "redirect": lambda role, rel, v: 302,
    "not-allowed": lambda role, rel, v: 405,
    "auditors": lambda role, rel, v: 200 if role in ("admin", "auditor") else 403,
    "senders": lambda role, rel, v: WRITE if role in SENDING else 403,
    "recorders": lambda role, rel, v: WRITE if role in RECORDING else 403,
    "recorder-form": lambda role, rel, v: 200 if role in RECORDING else 403,
    "uploaders": lambda role, rel, v: (
        WRITE if role in UPLOADERS and (rel != "regional" or role == "admin") else 403
    ),
    # the upload page is not shown to whoever may not upload: 404, as for a page that is not there
    "uploader-form": lambda role, rel, v: (
        200 if role in UPLOADERS and (rel != "regional" or role == "admin") else 404
    ),
    "checkers": lambda role, rel, v: WRITE if role in CHECKERS else 403,
    "checker-form": lambda role, rel, v: 200 if role in CHECKERS else 403,
    "own-unit-writes": lambda role, rel, v: WRITE if rel == "own" else 403,
    "rule-creators": lambda role, rel, v: WRITE if rel == "own" and role in RULE_WRITERS else 403,
    "rule-creator-form": lambda role, rel, v: 200 if role in RULE_WRITERS else 403,
    "op-creators": lambda role, rel, v: WRITE if role in OP_CREATORS else 403,
    "op-creator-form": lambda role, rel, v: 200 if role in OP_CREATORS else 403,
    "organisers": lambda role, rel, v: (
        WRITE if programme_writer(role, rel) or (rel == "own" and role in ORGANISERS) else 403
    ),
    # capacity/access.py: a regional office organises activities too (ORGANISER_UNIT_KINDS)
    "organiser-form": lambda role, rel, v: 200 if programme_writer(role, rel) or role in ORGANISERS else 403,
    "trainer-writers": lambda role, rel, v: (
        WRITE if programme_writer(role, rel) or role in ORGANISERS else 403
    ),
    "trainer-form": lambda role, rel, v: 200 if programme_writer(role, rel) or role in ORGANISERS else 403,
    "programme-writers": lambda role, rel, v: WRITE if programme_writer(role, rel) else 403,
    "programme-form": lambda role, rel, v: 200 if programme_writer(role, rel) else 403,
    # alerts: addressed by name to the owner unit (alert_in) or sent by it (alert_out)
    "alert": lambda role, rel, v: vis(rel == "own"),
    # architecture.md, Alerts: the originating unit updates its alert; members of the sending
    # unit and of the recipient units reply and attach (any role: only *sending* is by role)
    "alert-sender-writes": lambda role, rel, v: write_if(rel == "own", v.extra["dir"] == "out"),
    "alert-replies": lambda role, rel, v: write_if(rel == "own", True),
    "alert-recipient-writes": lambda role, rel, v: write_if(rel == "own", v.extra["dir"] == "in"),
    "forward-request": lambda role, rel, v: write_if(
        rel == "own", v.extra["dir"] == "in" and v.tlp in ("clear", "green", "amber")
    ),
    "forward-decision": lambda role, rel, v: write_if(rel == "own", True),
    # seizures
    "seizure": lambda role, rel, v: vis(sees_seizure(role, rel, v)),
    # a validated record is locked for everyone until its unit head reopens it
    "seizure-writes": lambda role, rel, v: write_if(
        sees_seizure(role, rel, v), rel == "own" and role in RECORDING and not locked(v)
    ),
    # docs/seizures.md: the unit head validates, and only the unit head reopens
    "seizure-head": lambda role, rel, v: write_if(
        sees_seizure(role, rel, v), rel == "own" and role == "unit_head"
    ),
    # the edit page: the recording unit's members get the form (a non-recording role's save
    # is refused by the service); whoever else sees the record is sent back to it
    "seizure-edit-form": lambda role, rel, v: (
        200 if rel == "own" and not locked(v) else FORM_REFUSALS if sees_seizure(role, rel, v) else 404
    ),
    # recording at LOS: a task force or headquarters of the country, or its region's office
    "recorders-at-los": lambda role, rel, v: WRITE if role in RECORDING and rel != "foreign" else 403,
    # tasks belong to who queued them (the officer of the owner unit)
    "task": lambda role, rel, v: vis(rel == "own" and role == "officer"),
    # passenger data
    "flight": lambda role, rel, v: vis(rel in ("own", "hq")),
    # watchlists, rules, hits
    "watchlist": lambda role, rel, v: vis(rel == "own" or role == "admin"),
    # programme administrators see that a list exists, not what it holds: 403 on its entries
    "watchlist-entries": lambda role, rel, v: 200 if rel == "own" else 403 if role == "admin" else 404,
    "watchlist-writes": lambda role, rel, v: write_if(rel == "own" or role == "admin", rel == "own"),
    "rule": lambda role, rel, v: vis(rel == "own" or role == "admin"),
    "rule-writes": lambda role, rel, v: write_if(
        rel == "own" or role == "admin", rel == "own" and role in RULE_WRITERS
    ),
    "hit": lambda role, rel, v: vis(rel == "own"),
    "hit-writes": lambda role, rel, v: write_if(rel == "own", role in REVIEWERS),
    # operations: the owner unit takes part; coordinated by Senegal's headquarters
    "operation": lambda role, rel, v: vis(rel == "own" or role in OVERSIGHT),
    "sitreps": lambda role, rel, v: vis(rel == "own"),
    "operation-manage": lambda role, rel, v: write_if(rel == "own" or role in OVERSIGHT, role == "admin"),
    # oversight does not see the reports (free text): 404 on their writes too
    "sitrep-writes": lambda role, rel, v: write_if(rel == "own", role in SENDING),
    # the report form is shown to every member; filing is refused to roles that do not send
    "sitrep-form": lambda role, rel, v: vis(rel == "own"),
    # capacity building: organised by, held by, naming the owner unit
    "activity": lambda role, rel, v: vis(programme_staff(role, rel) or rel == "own"),
    "activity-writes": lambda role, rel, v: write_if(
        programme_staff(role, rel) or rel == "own",
        programme_writer(role, rel) or (rel == "own" and role in ORGANISERS),
    ),
    "trainer": lambda role, rel, v: 200,
    "trainer-writes": lambda role, rel, v: write_if(
        True, programme_writer(role, rel) or (rel == "own" and role in ORGANISERS)
    ),
    "equipment": lambda role, rel, v: vis(programme_staff(role, rel) or rel == "own"),
    "equipment-writes": lambda role, rel, v: write_if(
        programme_staff(role, rel) or rel == "own",
        programme_writer(role, rel) or (rel == "own" and role in HOLDERS),
    ),
    "document": lambda role, rel, v: vis(sees_document(role, rel, v)),
    "document-writes": lambda role, rel, v: write_if(
        sees_document(role, rel, v), programme_writer(role, rel)
    ),
    # network and accounts
    "roster": lambda role, rel, v: vis(sees_roster(role, rel)),
    "metrics-token-only": lambda role, rel, v: 401 if _metrics_token() else 404,
    "own-token": lambda role, rel, v: 302 if (role, rel) == ("officer", "own") else 404,
}


@dataclass(frozen=True)
class Route:
    rule: str
    kind: str | None = None  # the objects it is requested for (world.World.objects)
    body: object = None  # JSON (API) or form data (pages) of a write
    upload: str | None = None  # field name of a file sent with a write
    query: str = ""
    # A page of figures or a report that costs about a second a request and answers every
    # reader who may open it the same: its refusals are all requested, its 200s by a sample in
    # which every role and every relation appears (table.exercised).
    heavy: bool = False


A = Route
# A complete record at Lagos (docs/seizures.md), so that a write reaches the checks of who
# records where rather than stopping at the validation of an empty body.
SEIZURE_BODY = {
    "occurred_at": "2026-03-14T08:30",
    "airport": "LOS",
    "flow": "checked_baggage",
    "phase": "arrival",
    "direction": "inbound",
    "flight": "KP 471",
    "origin": "GRU",
    "destination": "LOS",
    "concealment": "baggage_lining",
    "detection": "xray",
    "tlp": "TLP:AMBER",
    "items": [
        {"category": "drugs", "subtype": "cocaine", "drug_form": "powder", "quantity": "1", "unit": "kg"}
    ],
    "persons": [],
}
ACTIVITY_BODY = {
    "kind": "basic_training",
    "level": "national",
    "title": "matrix activity",
    "start_date": "2024-06-03",
    "end_date": "2024-06-07",
    "city": "Lagos",
    "country": "NG",
    "airport": "LOS",
    "organising_unit": OWNER,
    "host_unit": "",
    "beneficiary_units": [],
    "topics": ["targeting"],
    "trainers": [],
    "language": "en",
    "notes": "",
}
# ------------------------------------------------------------------ the API (OpenAPI operations)
API = {
    "GET /api/v1/me": A("any"),
    "GET /api/v1/units": A("any"),
    "GET /api/v1/units/{code}": A("any", "unit"),
    "GET /api/v1/units/{code}/members": A("roster", "unit"),
    "GET /api/v1/airports/{iata}": A("any", "airport"),
    "GET /api/v1/groups": A("any"),
    "POST /api/v1/alerts": A(
        "senders",
        body={"kind": "passenger", "title": "matrix", "audience": [{"scope": "unit", "target": "jaitf-dss"}]},
    ),
    "GET /api/v1/alerts": A("any"),
    "GET /api/v1/alerts/{alert_id}": A("alert", "alert"),
    "PATCH /api/v1/alerts/{alert_id}": A("alert-sender-writes", "alert", body={"body": "matrix update"}),
    "POST /api/v1/alerts/{alert_id}/messages": A("alert-replies", "alert", body={"body": "matrix reply"}),
    "POST /api/v1/alerts/{alert_id}/ack": A("alert-recipient-writes", "alert"),
    "POST /api/v1/alerts/{alert_id}/outcome": A(
        "alert-recipient-writes", "alert", body={"result": "no_action"}
    ),
    "GET /api/v1/alerts-outcome-rates": A("any"),
    "GET /api/v1/events": A("any", query="after=0"),
    "POST /api/v1/alerts/{alert_id}/attachments": A("alert-replies", "alert", upload="file"),
    "GET /api/v1/attachments/{attachment_id}": A("alert", "attachment"),
    "GET /api/v1/seizures": A("any"),
    "POST /api/v1/seizures": A("recorders-at-los", body=SEIZURE_BODY),
    "GET /api/v1/seizures/{seizure_id}": A("seizure", "seizure"),
    "PUT /api/v1/seizures/{seizure_id}": A("seizure-writes", "seizure", body=SEIZURE_BODY),
    "POST /api/v1/seizures/{seizure_id}/submit": A("seizure-writes", "seizure"),
    "POST /api/v1/seizures/{seizure_id}/validate": A("seizure-head", "seizure"),
    "POST /api/v1/seizures/{seizure_id}/reopen": A("seizure-head", "seizure"),
    "POST /api/v1/seizures/{seizure_id}/photos": A("seizure-writes", "seizure", upload="file"),
    "GET /api/v1/seizure-photos/{photo_id}": A("seizure", "photo"),
    "GET /api/v1/analytics/seizures/summary": A("any"),
    # docs/analytics.md: the programme's published figures, for every signed-in user
    "GET /api/v1/programme/summary": A("any"),
    "POST /api/v1/passenger-data": A("uploaders", upload="file"),
    "GET /api/v1/passenger-data/tasks/{task_id}": A("task", "passenger_task"),
    "GET /api/v1/flights": A("any"),
    "GET /api/v1/flights/{flight_id}": A("flight", "flight"),
    "GET /api/v1/passenger-data/messages": A("any"),
    "GET /api/v1/watchlists": A("any"),
    "POST /api/v1/watchlists": A(
        "own-unit-writes", body={"name": "mx-new-list", "kind": "wanted", "source": "matrix", "owner": OWNER}
    ),
    "GET /api/v1/watchlists/{name}": A("watchlist", "watchlist"),
    "PATCH /api/v1/watchlists/{name}": A("watchlist-writes", "watchlist", body={"title": "matrix"}),
    "GET /api/v1/watchlists/{name}/hit-counts": A("watchlist", "watchlist"),
    "GET /api/v1/watchlists/{name}/entries": A("watchlist-entries", "watchlist"),
    "POST /api/v1/watchlists/{name}/entries": A(
        "watchlist-writes", "watchlist", body={"reference": "MX-NEW", "names": ["Matrix Person"]}
    ),
    "GET /api/v1/watchlists/{name}/entries/{reference}": A("watchlist-entries", "watchlist"),
    "PATCH /api/v1/watchlists/{name}/entries/{reference}": A(
        "watchlist-writes", "watchlist", body={"reason": "x"}
    ),
    "DELETE /api/v1/watchlists/{name}/entries/{reference}": A(
        "watchlist-writes", "watchlist", body={"reason": "matrix"}
    ),
    "POST /api/v1/watchlists/{name}/import": A("watchlist-writes", "watchlist", body=[]),
    "GET /api/v1/rules/fields": A("any"),
    "GET /api/v1/rules": A("any"),
    "POST /api/v1/rules": A(
        "rule-creators",
        body={"name": "mx-new-rule", "owner": OWNER, "expression": "traveller.checked_bags == 0"},
    ),
    "GET /api/v1/rules/{name}": A("rule", "rule"),
    "PATCH /api/v1/rules/{name}": A("rule-writes", "rule", body={"title": "matrix"}),
    "POST /api/v1/rules/{name}/versions": A(
        "rule-writes", "rule", body={"expression": "traveller.checked_bags == 1"}
    ),
    "POST /api/v1/rules/{name}/versions/{number}/test": A(
        "rule-writes", "rule", body={"from": "2026-01-01", "until": "2026-01-02"}
    ),
    "POST /api/v1/rules/{name}/activate": A("rule-writes", "rule", body={"version": 1}),
    "POST /api/v1/rules/{name}/deactivate": A("rule-writes", "rule"),
    "GET /api/v1/hits": A("any"),
    "GET /api/v1/hits/{hit_id}": A("hit", "hit"),
    "POST /api/v1/hits/{hit_id}/confirm": A("hit-writes", "hit", body={}),
    "POST /api/v1/hits/{hit_id}/dismiss": A("hit-writes", "hit", body={"reason": "matrix"}),
    "POST /api/v1/hits/{hit_id}/outcome": A("hit-writes", "hit", body={"result": "no_action"}),
    "POST /api/v1/screening/check": A("checkers", body={"surname": "NOBODY", "given_names": "MATRIX"}),
    "GET /api/v1/operations": A("any"),
    "POST /api/v1/operations": A(
        "op-creators",
        body={
            "name": "mx-new-op",
            "title": "x",
            "lead_organisation": "x",
            "starts_at": "2030-01-01T00:00:00Z",
            "ends_at": "2030-01-05T00:00:00Z",
            "units": [OWNER],
            "coordinator_unit": "hq-ng",
        },
    ),
    "GET /api/v1/operations/{name}": A("operation", "operation"),
    "PATCH /api/v1/operations/{name}": A("operation-manage", "operation", body={"description": "matrix"}),
    "GET /api/v1/operations/{name}/sitreps": A("sitreps", "operation"),
    "POST /api/v1/operations/{name}/sitreps": A("sitrep-writes", "operation", body={"day": "2000-01-01"}),
    "PUT /api/v1/operations/{name}/sitreps/{unit}/{day}": A("sitrep-writes", "operation", body={}),
    "GET /api/v1/operations/{name}/missing-reports": A("operation", "operation"),
    "GET /api/v1/operations/{name}/results": A("operation", "operation"),
    "GET /api/v1/capacity/activities": A("any"),
    "POST /api/v1/capacity/activities": A("organisers", body=ACTIVITY_BODY),
    "GET /api/v1/capacity/activities/{activity_id}": A("activity", "activity"),
    "PUT /api/v1/capacity/activities/{activity_id}": A("activity-writes", "activity", body={}),
    "GET /api/v1/capacity/activities/{activity_id}/participants": A("activity", "activity"),
    "POST /api/v1/capacity/activities/{activity_id}/participants": A("activity-writes", "activity", body={}),
    "POST /api/v1/capacity/activities/{activity_id}/participants/import": A(
        "activity-writes", "activity", upload="file"
    ),
    "GET /api/v1/capacity/trainers": A("any"),
    "POST /api/v1/capacity/trainers": A("trainer-writers", body={}),
    "GET /api/v1/capacity/trainers/{trainer_id}": A("trainer", "trainer"),
    "PUT /api/v1/capacity/trainers/{trainer_id}": A("trainer-writes", "trainer", body={}),
    "GET /api/v1/capacity/library": A("any"),
    "POST /api/v1/capacity/library": A("programme-writers", upload="file"),
    "GET /api/v1/capacity/library/{document_id}": A("document", "document"),
    "PUT /api/v1/capacity/library/{document_id}": A("document-writes", "document", body={}),
    "GET /api/v1/capacity/library/{document_id}/file": A("document", "document"),
    "GET /api/v1/capacity/equipment": A("any"),
    "POST /api/v1/capacity/equipment": A("programme-writers", body={}),
    "GET /api/v1/capacity/equipment/{equipment_id}": A("equipment", "equipment"),
    "PUT /api/v1/capacity/equipment/{equipment_id}": A("equipment-writes", "equipment", body={}),
}

P = Route
F = {"x": "1"}  # a minimal form: the view answers with the form and its errors, or refuses
# ------------------------------------------------------------------ pages (Django URL patterns)
PAGES = {
    "GET healthz": P("any"),
    "GET metrics": P("metrics-token-only"),
    "GET i18n/setlang/": P("redirect"),
    "GET files/attachments/<int:attachment_id>/": P("alert", "attachment"),
    "GET files/attachments/<int:attachment_id>/thumbnail/": P("alert", "attachment"),
    "GET alerts/": P("any"),
    "GET alerts/new/": P("any"),  # the composer shows; sending is refused by role (POST)
    "POST alerts/new/": P("senders", body=F),
    "GET alerts/<int:alert_id>/": P("alert", "alert"),
    "POST alerts/<int:alert_id>/ack/": P("alert-recipient-writes", "alert", body=F),
    "POST alerts/<int:alert_id>/update/": P("alert-sender-writes", "alert", body=F),
    "POST alerts/<int:alert_id>/reply/": P("alert-replies", "alert", body=F),
    "POST alerts/<int:alert_id>/outcome/": P("alert-recipient-writes", "alert", body=F),
    "POST alerts/<int:alert_id>/forward/": P("forward-request", "alert", body=F),
    "POST alerts/<int:alert_id>/attachments/": P("alert-replies", "alert", body=F),
    "POST alerts/<int:alert_id>/forward/<int:request_id>/decide/": P("forward-decision", "forward", body=F),
    "GET seizures/": P("any"),
    "GET seizures/new/": P("any"),  # the form shows; recording is refused by role (POST)
    "POST seizures/new/": P("recorders", body=F),
    "GET seizures/import/": P("recorder-form"),
    "GET seizures/import/<int:task_id>/": P("task", "seizure_task"),
    "GET seizures/import/<int:task_id>/status/": P("task", "seizure_task"),
    "GET seizures/<int:seizure_id>/": P("seizure", "seizure"),
    "GET seizures/<int:seizure_id>/edit/": P("seizure-edit-form", "seizure"),
    "POST seizures/<int:seizure_id>/edit/": P("seizure-writes", "seizure", body=F),
    "POST seizures/<int:seizure_id>/submit/": P("seizure-writes", "seizure", body=F),
    "POST seizures/<int:seizure_id>/validate/": P("seizure-head", "seizure", body=F),
    "POST seizures/<int:seizure_id>/reopen/": P("seizure-head", "seizure", body=F),
    "POST seizures/<int:seizure_id>/photos/": P("seizure-writes", "seizure", upload="file"),
    "GET seizures/photos/<int:photo_id>/": P("seizure", "photo"),
    "GET seizures/photos/<int:photo_id>/thumbnail/": P("seizure", "photo"),
    "GET analytics/": P("any"),
    "GET analytics/programme/": P("any", heavy=True),
    "GET analytics/^programme\\.(?P<fmt>html|pdf)$": P("any", "fmt", heavy=True),
    "GET analytics/^reports/strategic\\.(?P<fmt>html|pdf)$": P("any", "fmt", heavy=True),
    "GET analytics/^reports/seizure/(?P<seizure_id>[0-9]+)\\.(?P<fmt>html|pdf)$": P("seizure", "seizure"),
    "GET analytics/^reports/alert/(?P<alert_id>[0-9]+)\\.(?P<fmt>html|pdf)$": P("alert", "alert"),
    "GET passengers/": P("any"),
    "GET passengers/flights/<int:flight_id>/": P("flight", "flight"),
    "GET passengers/upload/": P("uploader-form"),
    "GET passengers/upload/<int:task_id>/": P("task", "passenger_task"),
    "GET passengers/upload/<int:task_id>/status/": P("task", "passenger_task"),
    "GET watchlists/": P("any"),
    "GET watchlists/new/": P("any"),
    "GET watchlists/<slug:name>/": P("watchlist", "watchlist"),
    "GET watchlists/<slug:name>/edit/": P("watchlist-writes", "watchlist"),
    "POST watchlists/<slug:name>/edit/": P("watchlist-writes", "watchlist", body=F),
    "GET watchlists/<slug:name>/import/": P("watchlist-writes", "watchlist"),
    "GET watchlists/<slug:name>/entries/new/": P("watchlist-writes", "watchlist"),
    "GET watchlists/<slug:name>/entries/<int:entry_id>/edit/": P("watchlist-writes", "watchlist"),
    "POST watchlists/<slug:name>/entries/<int:entry_id>/remove/": P("watchlist-writes", "watchlist", body=F),
    "GET hits/": P("any"),
    "GET hits/<int:hit_id>/": P("hit", "hit"),
    "POST hits/<int:hit_id>/confirm/": P("hit-writes", "hit", body=F),
    "POST hits/<int:hit_id>/dismiss/": P("hit-writes", "hit", body=F),
    "POST hits/<int:hit_id>/outcome/": P("hit-writes", "hit", body=F),
    "GET check/": P("checker-form"),
    "GET rules/": P("any"),
    "GET rules/new/": P("rule-creator-form"),
    "GET rules/<slug:name>/": P("rule", "rule"),
    "GET rules/<slug:name>/edit/": P("rule-writes", "rule"),
    "POST rules/<slug:name>/versions/": P("rule-writes", "rule", body=F),
    "POST rules/<slug:name>/versions/<int:number>/test/": P("rule-writes", "rule", body=F),
    "POST rules/<slug:name>/activate/": P("rule-writes", "rule", body=F),
    "POST rules/<slug:name>/deactivate/": P("rule-writes", "rule", body=F),
    "GET operations/": P("any"),
    "GET operations/new/": P("op-creator-form"),
    "GET operations/<slug:name>/": P("operation", "operation"),
    "GET operations/<slug:name>/edit/": P("operation-manage", "operation"),
    "GET operations/<slug:name>/live/": P("sitreps", "operation"),  # the traffic: members only
    "GET operations/<slug:name>/sitreps/": P("sitreps", "operation"),
    "GET operations/<slug:name>/sitreps/file/": P("sitrep-form", "operation"),
    "GET operations/<slug:name>/missing/": P("operation", "operation"),
    "GET operations/<slug:name>/results/": P("operation", "operation", heavy=True),
    "GET operations/^(?P<name>[-a-z0-9]+)/report\\.(?P<fmt>html|pdf)$": P(
        "operation", "operation", heavy=True
    ),
    "GET capacity/": P("any"),
    "GET capacity/activities/new/": P("organiser-form"),
    "GET capacity/activities/<int:activity_id>/": P("activity", "activity"),
    "GET capacity/activities/<int:activity_id>/edit/": P("activity-writes", "activity"),
    "POST capacity/activities/<int:activity_id>/participants/add/": P("activity-writes", "activity", body=F),
    "GET capacity/activities/<int:activity_id>/participants/import/": P("activity-writes", "activity"),
    "POST capacity/activities/<int:activity_id>/participants/<int:attendance_id>/remove/": P(
        "activity-writes", "activity", body=F
    ),
    "GET capacity/participants/<int:participant_id>/": P("activity", "activity"),
    "GET capacity/trainers/": P("any"),
    "GET capacity/trainers/new/": P("trainer-form"),
    "GET capacity/trainers/<int:trainer_id>/": P("trainer", "trainer"),
    "GET capacity/trainers/<int:trainer_id>/edit/": P("trainer-writes", "trainer"),
    "GET capacity/library/": P("any"),
    "GET capacity/library/new/": P("programme-form"),
    "GET capacity/library/<int:document_id>/": P("document", "document"),
    "GET capacity/library/<int:document_id>/edit/": P("document-writes", "document"),
    "GET capacity/library/<int:document_id>/download/": P("document", "document"),
    "GET capacity/equipment/": P("any"),
    "GET capacity/equipment/new/": P("programme-form"),
    "GET capacity/equipment/<int:equipment_id>/edit/": P("equipment-writes", "equipment"),
    "GET capacity/equipment/unit/<slug:code>/": P("equipment", "equipment"),
    "GET ": P("any"),
    "GET login/": P("redirect"),
    "GET login/verify/": P("redirect"),
    "GET login/enrol/": P("redirect"),
    "POST logout/": P("redirect"),
    "GET network/": P("any"),
    "GET network/units/<slug:code>/": P("any", "unit"),
    "GET network/units/<slug:code>/members/": P("roster", "unit"),
    "GET account/": P("any"),
    "POST account/tokens/<int:token_id>/revoke/": P("own-token", "token", body=F),
    "GET audit/": P("auditors"),
}


@dataclass(frozen=True)
class Cell:
    route: str
    role: str
    relation: str
    variant: str
    expected: object


def expand(route_key: str, route: Route, variants) -> list[tuple[Cell, object]]:
    """The concrete cells of one route: every requester (role x relation) x object variant.
    On a page, a refusal (403) is what a page does to refuse (PAGE_REFUSALS, FORM_REFUSALS)."""
    rule = RULES[route.rule]
    method, _, path = route_key.partition(" ")
    page = not path.startswith("/api/")
    refused = (FORM_REFUSALS if method in SAFE else PAGE_REFUSALS) if page else 403

    def answer(role, rel, v):
        expected = rule(role, rel, v)
        return refused if expected == 403 else expected

    return [
        (Cell(route_key, role, rel, v.label, answer(role, rel, v)), v)
        for v in variants
        for role, rel in REQUESTERS
    ]


def exercised(route_key: str, route: Route, variants) -> list[tuple[Cell, object]]:
    """The cells the matrix requests. A read is requested for every cell. A write is requested,
    for each requester, once for every distinct answer the table gives it over the object's
    variants: where the label cannot change the answer (an alert's reply, a watchlist's
    entry...) one variant stands for all, where it can (a seizure's TLP, a forwarding request)
    each answer is exercised. The variant standing for a group turns with the requester, so that
    every variant is written to by some requesters.

    A variant marked ``once`` (the PDF rendering of a report: the same view and the same check
    as its HTML rendering, but seconds per request) is requested once for each distinct answer
    of the route, by the first requester who gets it. On a ``heavy`` route every refusal is
    requested, and the 200s of each variant by the first requesters that bring a role or a
    relation not yet seen (12 of the 32)."""
    cells = []
    seen_once = set()
    covered = set()
    for cell, v in expand(route_key, route, variants):
        if v.extra.get("once"):
            if cell.expected in seen_once:
                continue
            seen_once.add(cell.expected)
        if route.heavy and cell.expected == 200:
            new = {("role", v.label, cell.role), ("relation", v.label, cell.relation)} - covered
            if not new:
                continue
            covered |= new
        cells.append((cell, v))
    if route_key.partition(" ")[0] in SAFE:
        return cells
    groups: dict[tuple, list] = {}
    for cell, v in cells:
        groups.setdefault((cell.role, cell.relation, cell.expected), []).append((cell, v))
    return [members[n % len(members)] for n, members in enumerate(groups.values())]
