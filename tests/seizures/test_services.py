"""The seizure register's services and visibility rules (docs/seizures.md, docs/handling.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from aircop.audit.models import AuditEntry
from aircop.core.errors import ServiceError
from aircop.messaging import services as messaging
from aircop.seizures import selectors, services
from aircop.seizures.models import Seizure


def record(**overrides) -> dict:
    data = {
        "occurred_at": "2026-03-14T08:30",
        "airport": "LFW",
        "flow": "checked_baggage",
        "phase": "arrival",
        "direction": "inbound",
        "flight": "ET 921",
        "origin": "GRU",
        "transit": "ADD",
        "destination": "LFW",
        "concealment": "baggage_lining",
        "detection": "xray",
        "tlp": "TLP:AMBER",
        "items": [
            {
                "category": "drugs",
                "subtype": "cocaine",
                "drug_form": "powder",
                "quantity": "4.2",
                "unit": "kg",
            }
        ],
        "persons": [
            {
                "role": "courier",
                "nationality": "BRA",
                "sex": "F",
                "age": "31",
                "nominal": {"surname": "Silva"},
            }
        ],
    }
    data.update(overrides)
    return data


def test_a_seizure_is_recorded_with_local_time_route_and_normalised_mass(user_named):
    officer = user_named("officer-lfw")
    seizure = services.create_seizure(actor=officer, data=record())
    assert seizure.unit.code == "jaitf-lfw"
    assert seizure.country_id == "TG"
    assert seizure.route_key == "GRU>ADD>LFW" and seizure.route == ["GRU", "ADD", "LFW"]
    # 08:30 in Lome is 08:30 UTC (Africa/Lome has no offset); a Bogota time would move.
    assert seizure.occurred_at.isoformat().startswith("2026-03-14T08:30")
    item = seizure.items.get()
    assert item.mass_kg == Decimal("4.200") and item.count is None
    person = seizure.persons.get()
    assert person.age_band == "25-34" and person.nationality_id == "BR"
    assert seizure.status == "draft"
    assert AuditEntry.objects.filter(action="seizure.created", object_id=str(seizure.pk)).exists()


def test_units_convert_to_kg_only_where_defined(user_named):
    officer = user_named("officer-lfw")
    items = [
        {
            "category": "drugs",
            "subtype": "tramadol",
            "drug_form": "tablets",
            "quantity": "12000",
            "unit": "tablets",
        },
        {"category": "drugs", "subtype": "cannabis_herb", "quantity": "750", "unit": "g"},
        {"category": "drugs", "subtype": "other_drug", "drug_form": "liquid", "quantity": "2", "unit": "l"},
        {
            "category": "currency",
            "subtype": "banknotes",
            "quantity": "250000",
            "unit": "currency",
            "currency": "EUR",
        },
        {"category": "wildlife", "subtype": "live_animals", "quantity": "3", "unit": "animals"},
    ]
    seizure = services.create_seizure(actor=officer, data=record(items=items))
    got = [(i.subtype, i.mass_kg, i.count) for i in seizure.items.order_by("position")]
    assert got == [
        ("tramadol", None, 12000),
        ("cannabis_herb", Decimal("0.750"), None),
        ("other_drug", Decimal("2.000"), None),
        ("banknotes", None, None),
        ("live_animals", None, 3),
    ]


def test_every_problem_is_named_and_nothing_is_written(user_named):
    before = Seizure.objects.count()
    bad = record(
        airport="XYZ",
        flight="not a flight",
        transit="ADD;QQQ",
        detection="international_alert",
        items=[
            {"category": "drugs", "subtype": "ivory", "quantity": "-1", "unit": "kg"},
            {"category": "currency", "subtype": "banknotes", "quantity": "100", "unit": "currency"},
            {"category": "drugs", "subtype": "tramadol", "quantity": "2.5", "unit": "tablets"},
        ],
        persons=[
            {"role": "courier", "nationality": "ZZZ", "sex": "Q", "nominal": {"date_of_birth": "31/12/1990"}}
        ],
    )
    with pytest.raises(services.SeizureInvalid) as refused:
        services.create_seizure(actor=user_named("officer-lfw"), data=bad)
    fields = {p.field for p in refused.value.problems}
    assert {
        "airport",
        "flight",
        "transit[1]",
        "triggering_alert",
        "items[0].subtype",
        "items[0].quantity",
        "items[1].currency",
        "items[2].quantity",
        "persons[0].nationality",
        "persons[0].sex",
        "persons[0].nominal.date_of_birth",
    } <= fields
    assert Seizure.objects.count() == before


def test_a_record_needs_goods_or_a_high_risk_person(user_named):
    officer = user_named("officer-lfw")
    with pytest.raises(services.SeizureInvalid) as refused:
        services.create_seizure(actor=officer, data=record(items=[], persons=[]))
    assert refused.value.field == "items"
    ftf = services.create_seizure(
        actor=officer,
        data=record(items=[], persons=[{"role": "high_risk", "nationality": "FRA", "sex": "M", "age": "24"}]),
    )
    assert ftf.items.count() == 0 and ftf.persons.get().role == "high_risk"


def test_a_unit_records_only_in_its_own_country(user_named):
    with pytest.raises(ServiceError) as refused:
        services.create_seizure(actor=user_named("officer-acc"), data=record(airport="LFW"))
    assert refused.value.field == "airport" and refused.value.code == "forbidden"
    with pytest.raises(ServiceError):
        services.create_seizure(actor=user_named("officer-lfw"), data=record(unit="jaitf-acc"))


def test_visibility_follows_status_label_and_country(user_named):
    officer = user_named("officer-lfw")
    draft = services.create_seizure(actor=officer, data=record(tlp="green"))

    def sees(name, seizure):
        return selectors.seizures(user_named(name)).filter(pk=seizure.pk).exists()

    assert sees("officer-lfw", draft) and sees("head-lfw", draft)
    assert not sees("officer-acc", draft) and not sees("coordinator-tg", draft)  # a draft stays in the unit
    services.submit_seizure(actor=officer, seizure=draft)
    assert sees("officer-acc", draft)  # GREEN: the community
    assert sees("coordinator-tg", draft)  # the country's coordinator
    assert not selectors.sees_nominal(user_named("officer-acc"), draft)
    assert selectors.sees_nominal(user_named("coordinator-tg"), draft)
    red = services.create_seizure(actor=officer, data=record(tlp="red"), submit=True)
    assert sees("officer-lfw", red)
    assert not sees("officer-acc", red) and not sees("coordinator-tg", red)
    amber = services.create_seizure(actor=officer, data=record(tlp="amber"), submit=True)
    assert not sees("officer-acc", amber) and sees("coordinator-tg", amber)


def test_the_alert_sender_sees_what_came_of_its_alert(user_named):
    sender, receiver = user_named("officer-gru"), user_named("officer-lfw")
    alert = messaging.send_alert(
        sender=sender,
        kind="general",
        title="Courier on ET 921",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
    )
    seizure = services.create_seizure(
        actor=receiver,
        data=record(detection="international_alert", triggering_alert=str(alert.pk)),
        submit=True,
    )
    assert seizure.triggering_alert_id == alert.pk
    assert list(selectors.linked_alerts(receiver, seizure)) == [alert]
    assert selectors.seizures(sender).filter(pk=seizure.pk).exists()
    assert selectors.sees_nominal(sender, seizure)
    assert list(selectors.seizures_of_alert(sender, alert)) == [seizure]
    # An alert the recording officer cannot see cannot be linked.
    other = messaging.send_alert(
        sender=sender,
        kind="general",
        title="Not for Lome",
        audience_entries=[{"scope": "unit", "target": "jaitf-acc"}],
    )
    with pytest.raises(services.SeizureInvalid) as refused:
        services.create_seizure(actor=receiver, data=record(alerts=[other.pk]))
    assert refused.value.field == "alerts[0]"


def test_submit_validate_and_lock(user_named):
    officer, head = user_named("officer-lfw"), user_named("head-lfw")
    seizure = services.create_seizure(actor=officer, data=record())
    with pytest.raises(ServiceError):
        services.validate_seizure(actor=head, seizure=seizure)  # not submitted yet
    services.submit_seizure(actor=officer, seizure=seizure)
    with pytest.raises(ServiceError) as refused:
        services.validate_seizure(actor=officer, seizure=seizure)
    assert refused.value.code == "forbidden"
    services.validate_seizure(actor=head, seizure=seizure)
    seizure.refresh_from_db()
    assert seizure.status == "validated" and seizure.validated_by == head
    with pytest.raises(ServiceError):
        services.update_seizure(actor=officer, seizure=seizure, data=record(notes="changed"))
    services.reopen_seizure(actor=head, seizure=seizure)
    updated = services.update_seizure(
        actor=officer,
        seizure=seizure,
        data=record(items=[{"category": "drugs", "subtype": "cocaine", "quantity": "5", "unit": "kg"}]),
    )
    assert updated.items.get().mass_kg == Decimal("5.000")
    actions = list(
        AuditEntry.objects.filter(object_id=str(seizure.pk), action__startswith="seizure.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "seizure.created",
        "seizure.submitted",
        "seizure.validated",
        "seizure.reopened",
        "seizure.updated",
    ]


def test_an_operator_import_goes_to_the_task_force_of_the_airport(db):
    seizure = services.create_seizure(actor=None, data=record())
    assert seizure.unit.code == "jaitf-lfw" and seizure.created_by is None
