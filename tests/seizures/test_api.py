"""/api/v1/seizures through the real API: recording, every problem at once, need-to-know
(404), nominal data withheld and its reads audited, the submit/validate workflow, filters."""

from __future__ import annotations

import copy

import pytest
from django.test import Client

from aircop.audit.models import AuditEntry
from aircop.seizures.models import Seizure

URL = "/api/v1/seizures"

RECORD = {
    "occurred_at": "2026-03-14T08:30",
    "airport": "LFW",
    "flow": "checked_baggage",
    "phase": "arrival",
    "direction": "inbound",
    "flight": "ET 921",
    "origin": "GRU",
    "transit": ["ADD"],
    "destination": "LFW",
    "goods_origin_country": "BRA",
    "concealment": "baggage_lining",
    "detection": "xray",
    "tlp": "amber",
    "notes": "Found in the lining of a blue suitcase.",
    "items": [
        {"category": "drugs", "subtype": "cocaine", "drug_form": "powder", "quantity": "4.2", "unit": "kg"}
    ],
    "persons": [
        {
            "role": "courier",
            "nationality": "BRA",
            "sex": "F",
            "age": 31,
            "nominal": {"surname": "SILVA", "given_names": "ANA", "document_number": "FX123456"},
        }
    ],
}


def payload(**changes) -> dict:
    data = copy.deepcopy(RECORD)
    data.update(changes)
    return data


def create(api, **changes) -> dict:
    response = api.post(URL, payload(**changes), content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()


def test_record_a_seizure_fields_round_trip_in_airport_local_time(api_as):
    api = api_as("officer-gru")
    body = payload(
        airport="GRU",
        direction="outbound",
        phase="departure",
        origin="GRU",
        transit="ADD",
        destination="LFW",
        occurred_at="2026-03-14T08:30",
        tlp="TLP:GREEN",
        items=[
            {"category": "drugs", "subtype": "cocaine", "quantity": "1200", "unit": "g"},
            {
                "category": "currency",
                "subtype": "banknotes",
                "quantity": "15000",
                "unit": "currency",
                "currency": "usd",
            },
            {
                "category": "medicines",
                "subtype": "falsified_antimalarials",
                "quantity": 300,
                "unit": "tablets",
            },
        ],
    )
    response = api.post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"] == f"SZ-{data['id']}"
    assert data["status"] == "draft" and data["unit"] == "jaitf-gru" and data["created_by"] == "officer-gru"
    # Naive time = Sao Paulo local time (UTC-3): stored in UTC, shown back with its offset.
    assert data["occurred_at"] == "2026-03-14T11:30:00Z"
    assert data["occurred_local"] == "2026-03-14T08:30:00-03:00"
    assert data["airport"] == "GRU" and data["country"] == "BR" and data["region"] == "lac"
    assert data["route"] == ["GRU", "ADD", "LFW"] and data["transit"] == ["ADD"]
    assert data["origin"] == "GRU" and data["destination"] == "LFW"
    assert data["flight"] == "ET921" and data["goods_origin_country"] == "BR" and data["tlp"] == "green"
    assert data["notes"] == RECORD["notes"]
    cocaine, money, pills = data["items"]
    assert (cocaine["quantity"], cocaine["unit"], cocaine["mass_kg"], cocaine["count"]) == (
        1200,
        "g",
        1.2,
        None,
    )
    assert (money["currency"], money["quantity"], money["mass_kg"]) == ("USD", 15000, None)
    assert (pills["count"], pills["mass_kg"]) == (300, None)
    assert data["persons"] == [
        {
            "role": "courier",
            "nationality": "BR",
            "sex": "F",
            "age_band": "25-34",
            "nominal": RECORD["persons"][0]["nominal"],
        }
    ]
    assert data["nominal_withheld"] is False and data["alerts"] == []
    # Read back: the same record.
    again = api.get(f"{URL}/{data['id']}").json()
    assert {k: v for k, v in again.items() if k != "updated_at"} == {
        k: v for k, v in data.items() if k != "updated_at"
    }
    listed = api.get(URL, {"airport": "GRU", "from": "2026-03-14", "to": "2026-03-14"}).json()
    summary = next(s for s in listed if s["id"] == data["id"])
    assert summary["occurred_local"] == "2026-03-14T08:30:00-03:00"
    assert summary["items"][0] == {
        "category": "drugs",
        "subtype": "cocaine",
        "quantity": 1200,
        "unit": "g",
        "currency": "",
        "mass_kg": 1.2,
        "count": None,
    }
    assert "persons" not in summary


def test_submit_on_creation(api_as):
    data = create(api_as("officer-lfw"), submit=True)
    assert data["status"] == "submitted" and data["submitted_at"]


def test_bad_input_lists_every_problem_and_writes_nothing(api_as):
    before = Seizure.objects.count()
    body = payload(
        airport="ZZZ",
        detection="international_alert",
        items=[
            {"category": "drugs", "subtype": "ivory", "quantity": "2", "unit": "kg"},
            {"category": "drugs", "subtype": "heroin", "quantity": "-3", "unit": "kg"},
        ],
    )
    response = api_as("officer-lfw").post(URL, body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()
    fields = [p["field"] for p in error["problems"]]
    assert {"airport", "triggering_alert", "items[0].subtype", "items[1].quantity"} <= set(fields)
    assert (
        error["field"] == fields[0] and error["detail"] == f"{fields[0]}: {error['problems'][0]['message']}"
    )
    messages = {p["field"]: p["message"] for p in error["problems"]}
    assert "ZZZ" in messages["airport"] and "ivory" in messages["items[0].subtype"]
    assert "above zero" in messages["items[1].quantity"]
    assert Seizure.objects.count() == before


def test_a_triggering_alert_the_user_cannot_see_is_named(api_as):
    response = api_as("officer-lfw").post(
        URL,
        payload(detection="international_alert", triggering_alert=999999999),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [p["field"] for p in response.json()["problems"]] == ["triggering_alert"]


def test_recording_outside_ones_country_is_forbidden(api_as):
    response = api_as("officer-lfw").post(URL, payload(airport="ACC"), content_type="application/json")
    assert response.status_code == 403 and response.json()["field"] == "airport"


VERBS = [
    ("get", ""),
    ("put", ""),
    ("post", "/submit"),
    ("post", "/validate"),
    ("post", "/reopen"),
]


def _call(api, verb, url):
    if verb == "put":
        return api.put(url, payload(), content_type="application/json")
    return getattr(api, verb)(url)


@pytest.mark.parametrize("outsider", ["officer-acc", "head-gru", "coordinator-tg", "analyst", "admin"])
def test_another_units_draft_answers_404_for_every_verb(api_as, outsider):
    draft = create(api_as("officer-lfw"))
    api = api_as(outsider)
    for verb, suffix in VERBS:
        assert _call(api, verb, f"{URL}/{draft['id']}{suffix}").status_code == 404, (verb, suffix)
    assert draft["id"] not in [s["id"] for s in api.get(URL, {"limit": 500}).json()]
    assert api_as("head-lfw").get(f"{URL}/{draft['id']}").status_code == 200
    assert Seizure.objects.get(pk=draft["id"]).status == "draft"


def test_red_record_is_invisible_outside_the_unit(api_as):
    red = create(api_as("officer-lfw"), tlp="red", submit=True)
    for outsider in ("coordinator-tg", "officer-acc", "analyst", "head-gru"):
        api = api_as(outsider)
        assert api.get(f"{URL}/{red['id']}").status_code == 404, outsider
        assert red["id"] not in [s["id"] for s in api.get(URL, {"airport": "LFW"}).json()]
    assert api_as("head-lfw").get(f"{URL}/{red['id']}").status_code == 200


def _nominal_reads(seizure_id, username=None):
    qs = AuditEntry.objects.filter(action="seizure.nominal_read", object_id=str(seizure_id))
    return qs.filter(actor_username=username) if username else qs


def test_nominal_data_withheld_from_the_community_and_each_read_audited(api_as):
    green = create(api_as("officer-lfw"), tlp="green", submit=True)
    assert not _nominal_reads(green["id"]).exists()  # the creator's own answer is not a read

    community = api_as("officer-acc").get(f"{URL}/{green['id']}")
    assert community.status_code == 200
    seen = community.json()
    assert seen["nominal_withheld"] is True
    assert seen["persons"] == [
        {"role": "courier", "nationality": "BR", "sex": "F", "age_band": "25-34", "nominal": {}}
    ]
    assert "SILVA" not in community.content.decode()
    assert not _nominal_reads(green["id"]).exists()

    for reader in ("head-lfw", "coordinator-tg"):  # the recording unit; the country's headquarters
        shown = api_as(reader).get(f"{URL}/{green['id']}").json()
        assert shown["nominal_withheld"] is False
        assert shown["persons"][0]["nominal"]["surname"] == "SILVA"
        entry = _nominal_reads(green["id"], reader).get()
        assert entry.object_type == "seizures.seizure" and entry.data == {"persons": 1}
    api_as("head-lfw").get(f"{URL}/{green['id']}")
    assert _nominal_reads(green["id"], "head-lfw").count() == 2


def test_amber_record_is_not_shown_to_the_community(api_as):
    amber = create(api_as("officer-lfw"), tlp="amber", submit=True)
    assert api_as("officer-acc").get(f"{URL}/{amber['id']}").status_code == 404
    # The regional office of the region sees AMBER records, without nominal data: here the
    # programme unit has no region, so the analyst does not.
    assert api_as("analyst").get(f"{URL}/{amber['id']}").status_code == 404


def test_submit_validate_reopen_workflow(api_as):
    officer, head = api_as("officer-lfw"), api_as("head-lfw")
    draft = create(officer)
    # A draft cannot be validated.
    assert head.post(f"{URL}/{draft['id']}/validate").status_code == 400
    submitted = officer.post(f"{URL}/{draft['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert officer.post(f"{URL}/{draft['id']}/submit").status_code == 400  # twice
    refused = officer.post(f"{URL}/{draft['id']}/validate")
    assert refused.status_code == 403 and refused.json()["field"] == "status"
    validated = head.post(f"{URL}/{draft['id']}/validate")
    assert validated.status_code == 200
    assert validated.json()["status"] == "validated" and validated.json()["validated_by"] == "head-lfw"
    # Locked: neither the officer nor the head may change it.
    for api in (officer, head):
        locked = api.put(f"{URL}/{draft['id']}", payload(notes="changed"), content_type="application/json")
        assert locked.status_code == 403 and locked.json()["field"] == "status"
    assert officer.get(f"{URL}/{draft['id']}").json()["notes"] == RECORD["notes"]
    assert officer.post(f"{URL}/{draft['id']}/reopen").status_code == 403
    reopened = head.post(f"{URL}/{draft['id']}/reopen")
    assert reopened.status_code == 200 and reopened.json()["status"] == "submitted"
    assert reopened.json()["validated_by"] is None
    changed = officer.put(
        f"{URL}/{draft['id']}",
        payload(
            notes="changed", items=[{"category": "drugs", "subtype": "heroin", "quantity": "2", "unit": "kg"}]
        ),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["notes"] == "changed" and changed.json()["status"] == "submitted"
    assert [i["subtype"] for i in changed.json()["items"]] == ["heroin"]
    actions = set(
        AuditEntry.objects.filter(object_type="seizures.seizure", object_id=str(draft["id"])).values_list(
            "action", flat=True
        )
    )
    assert {
        "seizure.created",
        "seizure.submitted",
        "seizure.validated",
        "seizure.reopened",
        "seizure.updated",
    } <= actions


def test_update_lists_every_problem_and_changes_nothing(api_as):
    officer = api_as("officer-lfw")
    draft = create(officer)
    bad = officer.put(
        f"{URL}/{draft['id']}",
        payload(
            flow="teleport",
            items=[{"category": "drugs", "subtype": "cocaine", "quantity": "0", "unit": "kg"}],
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"flow", "items[0].quantity"} <= {p["field"] for p in bad.json()["problems"]}
    assert officer.get(f"{URL}/{draft['id']}").json()["items"][0]["quantity"] == 4.2


def test_update_with_submit_submits_the_draft(api_as):
    officer = api_as("officer-lfw")
    draft = create(officer)
    done = officer.put(
        f"{URL}/{draft['id']}", payload(submit=True, notes="final"), content_type="application/json"
    )
    assert (
        done.status_code == 200 and done.json()["status"] == "submitted" and done.json()["notes"] == "final"
    )


def test_filters_and_pagination_newest_first(api_as):
    officer = api_as("officer-lfw")
    wildlife = [{"category": "wildlife", "subtype": "pangolin_scales", "quantity": "35", "unit": "kg"}]
    a = create(officer, occurred_at="2001-02-03T10:00", submit=True)
    b = create(officer, occurred_at="2001-02-05T10:00", items=wildlife, submit=True)
    c = create(officer, occurred_at="2001-02-07T10:00")  # a draft
    window = {"airport": "lfw", "from": "2001-02-01", "to": "2001-02-28"}

    def ids(**params):
        response = officer.get(URL, {**window, **params})
        assert response.status_code == 200, response.content
        return [s["id"] for s in response.json()]

    assert ids() == [c["id"], b["id"], a["id"]]
    assert ids(category="drugs") == [c["id"], a["id"]]
    assert ids(subtype="pangolin_scales") == [b["id"]]
    assert ids(status="submitted") == [b["id"], a["id"]]
    assert ids(country="TG") == [c["id"], b["id"], a["id"]]
    assert ids(country="GH") == []
    assert ids(**{"from": "2001-02-04", "to": "2001-02-06"}) == [b["id"]]
    assert ids(**{"to": "2001-02-03"}) == [a["id"]]
    assert ids(limit=2) == [c["id"], b["id"]]
    assert ids(limit=2, offset=2) == [a["id"]]
    assert ids(limit=100000) == [c["id"], b["id"], a["id"]]  # capped at 500, not refused
    # The community sees only the submitted GREEN ones: none here (AMBER).
    assert api_as("officer-acc").get(URL, window).json() == []
    for name, value in (("category", "plutonium"), ("subtype", "unobtainium"), ("status", "lost")):
        bad = officer.get(URL, {name: value})
        assert bad.status_code == 400 and bad.json()["detail"].startswith(f"{name}: "), name


def test_pagination_default_and_limit(api_as, user_named):
    from aircop.seizures import services

    officer = user_named("officer-lfw")
    made = [
        services.create_seizure(actor=officer, data=payload(occurred_at=f"2002-01-01T{h:02d}:{m:02d}"))
        for h in range(9)
        for m in range(0, 60, 9)
    ]
    assert len(made) == 63
    api = api_as("officer-lfw")
    window = {"airport": "LFW", "from": "2002-01-01", "to": "2002-01-01"}
    first = api.get(URL, window).json()
    assert len(first) == 50
    assert [s["id"] for s in first] == [s.pk for s in reversed(made)][:50]
    rest = api.get(URL, {**window, "offset": 50}).json()
    assert [s["id"] for s in rest] == [s.pk for s in reversed(made)][50:]


def test_without_a_token_401(api_as):
    anonymous = Client()
    assert anonymous.get(URL).status_code == 401
    assert anonymous.post(URL, payload(), content_type="application/json").status_code == 401
    assert anonymous.get(f"{URL}/1").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer aircop_nonsense").get(URL).status_code == 401


def test_session_client_works_too(client_for):
    # The browser session (with its CSRF token) is the other accepted credential.
    response = client_for("officer-lfw").get(URL)
    assert response.status_code == 200
