"""Seizure totals: what is counted, how units add up, who may read figures (docs/analytics.md)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from aircop.analytics import queries
from aircop.core.errors import ServiceError
from aircop.seizures import services

PERIOD = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def seize(actor, airport="LFW", when="2026-03-14T08:30", items=None, persons=None, submit=True, tlp="amber"):
    return services.create_seizure(
        actor=actor,
        submit=submit,
        data={
            "occurred_at": when,
            "airport": airport,
            "flow": "checked_baggage",
            "phase": "arrival",
            "direction": "inbound",
            "concealment": "baggage_lining",
            "detection": "xray",
            "tlp": tlp,
            "items": items
            if items is not None
            else [{"category": "drugs", "subtype": "cocaine", "quantity": "2", "unit": "kg"}],
            "persons": persons or [],
        },
    )


def totals(user, **scope):
    result = queries.summary(user, queries.parse_scope(**{**PERIOD, **scope}))
    return result, {(t["category"], t["subtype"]): t for t in result["totals"]}


def test_totals_add_kilograms_counts_and_money_separately(user_named):
    lome, accra = user_named("officer-lfw"), user_named("officer-acc")
    seize(lome, items=[{"category": "drugs", "subtype": "cocaine", "quantity": "1500", "unit": "g"}])
    seize(
        lome, tlp="red", items=[{"category": "drugs", "subtype": "cocaine", "quantity": "2.5", "unit": "kg"}]
    )
    seize(lome, items=[{"category": "drugs", "subtype": "tramadol", "quantity": "12000", "unit": "tablets"}])
    seize(
        accra,
        airport="ACC",
        items=[
            {
                "category": "currency",
                "subtype": "banknotes",
                "quantity": "100000",
                "unit": "currency",
                "currency": "EUR",
            },
            {
                "category": "currency",
                "subtype": "banknotes",
                "quantity": "5000",
                "unit": "currency",
                "currency": "USD",
            },
        ],
    )
    seize(lome, submit=False)  # a draft is never counted
    seize(lome, when="2025-06-01")  # outside the period
    result, by = totals(user_named("analyst"))
    assert result["seizures"] == 4
    assert by[("drugs", "cocaine")]["mass_kg"] == 4.0 and by[("drugs", "cocaine")]["seizures"] == 2
    assert by[("drugs", "tramadol")]["count"] == 12000 and by[("drugs", "tramadol")]["mass_kg"] == 0.0
    assert by[("currency", "banknotes")]["amounts"] == {"EUR": 100000.0, "USD": 5000.0}
    # A place narrows the scope.
    result, by = totals(user_named("analyst"), country="GHA")
    assert result["seizures"] == 1 and list(by) == [("currency", "banknotes")]
    result, by = totals(user_named("analyst"), airport="LFW")
    assert result["seizures"] == 3


def test_high_risk_passengers_are_counted(user_named):
    seize(
        user_named("officer-lfw"), items=[], persons=[{"role": "high_risk", "nationality": "FRA", "sex": "M"}]
    )
    result, _by = totals(user_named("analyst"))
    assert result["high_risk_persons"] == 1 and result["seizures"] == 1


def test_figures_are_refused_to_liaison_officers_and_airlines(user_named):
    from aircop.accounts.models import User

    for username in User.objects.filter(role__in=["liaison", "airline"]).values_list("username", flat=True)[
        :2
    ]:
        with pytest.raises(ServiceError) as refused:
            totals(user_named(username))
        assert refused.value.code == "forbidden"


@pytest.mark.parametrize(
    ("scope", "field"),
    [
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "to"),
        ({"date_from": "14/03/2026", "date_to": None}, "from"),
        ({"country": "ZZZ"}, "country"),
        ({"airport": "QQQ"}, "airport"),
        ({"region": "atlantis"}, "region"),
        ({"country": "TG", "airport": "LFW"}, "region"),
    ],
)
def test_bad_scopes_name_the_parameter(db, scope, field):
    with pytest.raises(ServiceError) as refused:
        queries.parse_scope(**{**PERIOD, **scope})
    assert refused.value.field == field


def test_default_period_is_the_last_twelve_months(db):
    scope = queries.parse_scope(date_from=None, date_to=None, today=date(2026, 11, 25))
    assert (scope.date_from, scope.date_to) == (date(2025, 11, 26), date(2026, 11, 25))
    leap = queries.parse_scope(date_from=None, date_to=None, today=date(2028, 2, 29))
    assert (leap.date_from, leap.date_to) == (date(2027, 3, 1), date(2028, 2, 29))


def test_summary_api(user_named, client_for):
    seize(
        user_named("officer-lfw"),
        items=[{"category": "wildlife", "subtype": "pangolin_scales", "quantity": "700", "unit": "kg"}],
    )
    client = client_for("analyst")
    response = client.get(
        "/api/v1/analytics/seizures/summary", {"from": "2026-01-01", "to": "2026-12-31", "country": "TG"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["seizures"] == 1 and body["scope"]["country"] == "TG"
    assert body["totals"] == [
        {
            "category": "wildlife",
            "subtype": "pangolin_scales",
            "mass_kg": 700.0,
            "count": 0,
            "amounts": {},
            "seizures": 1,
        }
    ]
    bad = client.get("/api/v1/analytics/seizures/summary", {"from": "2026-12-01", "to": "2026-01-01"})
    assert bad.status_code == 400 and bad.json()["detail"].startswith("to:")
    assert Client().get("/api/v1/analytics/seizures/summary").status_code == 401


def test_items_count_once_their_seizure_is_submitted(user_named):
    from aircop.seizures.models import SeizureItem

    lome = user_named("officer-lfw")
    draft = seize(lome, submit=False)
    assert not SeizureItem.objects.get(seizure=draft).counted
    result, _by = totals(user_named("analyst"))
    assert result["totals"] == []
    services.submit_seizure(actor=lome, seizure=draft)
    result, by = totals(user_named("analyst"))
    assert by[("drugs", "cocaine")]["mass_kg"] == 2.0
    services.validate_seizure(actor=user_named("head-lfw"), seizure=draft)
    services.reopen_seizure(actor=user_named("head-lfw"), seizure=draft)
    services.update_seizure(
        actor=lome,
        seizure=draft,
        data={
            "occurred_at": "2026-03-14",
            "airport": "LFW",
            "flow": "cargo",
            "phase": "arrival",
            "direction": "inbound",
            "concealment": "cargo_consignment",
            "detection": "dog",
            "items": [{"category": "drugs", "subtype": "cocaine", "quantity": "3", "unit": "kg"}],
        },
    )
    result, by = totals(user_named("analyst"))
    assert by[("drugs", "cocaine")]["mass_kg"] == 3.0  # the new items of a submitted record count
