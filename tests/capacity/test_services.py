"""Writing activities, participants, trainers and equipment: each problem names its field,
nothing is half-written, every write is audited, and only the right people write."""

from __future__ import annotations

from datetime import date

import pytest

from aircop.audit.models import AuditEntry
from aircop.capacity import services, services_equipment, services_people
from aircop.capacity.models import Activity, Attendance, Equipment, Participant
from aircop.capacity.validation import CapacityInvalid
from aircop.core.errors import ServiceError
from aircop.network.models import Unit
from tests.capacity.conftest import activity_data, person


def fields_of(exc) -> list[str]:
    return [p.field for p in exc.value.problems]


# ------------------------------------------------------------------ activities
def test_create_writes_the_activity_and_its_audit_entry(user_named, trainer):
    actor = user_named("officer-lfw")
    activity = services.create_activity(
        actor=actor, data=activity_data(beneficiary_units=["jaitf-lfw", "hq-tg"], trainers=[trainer.pk])
    )
    assert (activity.kind, activity.city, activity.country_id, activity.airport.iata) == (
        "basic_training",
        "Lomé",
        "TG",
        "LFW",
    )
    assert set(activity.topics.values_list("code", flat=True)) == {"targeting", "behavioural_analysis"}
    assert set(activity.beneficiary_units.values_list("code", flat=True)) == {"jaitf-lfw", "hq-tg"}
    assert list(activity.trainers.all()) == [trainer]
    entry = AuditEntry.objects.filter(action="activity.created", object_id=str(activity.pk)).get()
    assert entry.actor == actor and entry.data["organising_unit"] == "jaitf-lfw"


def test_inverted_dates_are_refused_naming_the_end_date(user_named):
    with pytest.raises(CapacityInvalid) as exc:
        services.create_activity(
            actor=user_named("officer-lfw"),
            data=activity_data(start_date="2024-03-08", end_date="2024-03-04"),
        )
    assert fields_of(exc) == ["end_date"]
    assert "before it starts" in exc.value.message
    assert not Activity.objects.filter(title="Passenger profiling, Lomé").exists()


def test_every_problem_is_named_at_once(user_named):
    with pytest.raises(CapacityInvalid) as exc:
        services.create_activity(
            actor=user_named("analyst"),
            data=activity_data(
                kind="picnic", start_date="2024-13-01", country="XX", organising_unit="jaitf-nowhere",
                topics=["targeting", "cooking"], language="de", airport="ZZZ", trainers=[999999],
            ),
        )  # fmt: skip
    assert set(fields_of(exc)) == {
        "kind", "start_date", "country", "organising_unit", "topics[1]", "language", "airport", "trainers[0]",
    }  # fmt: skip


def test_an_airport_must_be_in_the_country_and_an_exchange_names_two_units(user_named):
    analyst = user_named("analyst")
    with pytest.raises(CapacityInvalid) as exc:
        services.create_activity(actor=analyst, data=activity_data(airport="ACC"))
    assert fields_of(exc) == ["airport"]
    with pytest.raises(CapacityInvalid) as exc:
        services.create_activity(actor=analyst, data=activity_data(kind="exchange"))
    assert fields_of(exc) == ["host_unit"]
    with pytest.raises(CapacityInvalid) as exc:
        services.create_activity(
            actor=analyst,
            data=activity_data(kind="exchange", host_unit="jaitf-lfw", beneficiary_units=["jaitf-lfw"]),
        )
    assert fields_of(exc) == ["beneficiary_units"]
    ok = services.create_activity(
        actor=analyst,
        data=activity_data(
            kind="exchange", level="regional", host_unit="jaitf-lfw", beneficiary_units=["jaitf-acc"]
        ),
    )
    assert ok.host_unit.code == "jaitf-lfw"


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("officer-lfw", True),  # the organising unit
        ("head-lfw", True),
        ("analyst", True),  # programme staff
        ("admin", True),
        ("officer-acc", False),  # another unit
        ("auditor", False),  # programme unit, but reads only
        ("liaison-gh", False),
        ("airline-af", False),
    ],
)
def test_who_may_record_an_activity_of_lome(user_named, username, allowed):
    if allowed:
        assert services.create_activity(actor=user_named(username), data=activity_data()).pk
    else:
        with pytest.raises(ServiceError) as exc:
            services.create_activity(actor=user_named(username), data=activity_data())
        assert exc.value.code == "forbidden" and exc.value.field == "organising_unit"


def test_update_changes_the_fields_given_and_is_audited(activity, user_named):
    services.update_activity(
        actor=user_named("head-lfw"), activity=activity, data={"title": "Renamed", "level": "regional"}
    )
    activity.refresh_from_db()
    assert (activity.title, activity.level, activity.city) == ("Renamed", "regional", "Lomé")
    assert AuditEntry.objects.filter(action="activity.updated", object_id=str(activity.pk)).exists()
    with pytest.raises(ServiceError) as exc:
        services.update_activity(actor=user_named("officer-acc"), activity=activity, data={"title": "Mine"})
    assert exc.value.code == "forbidden"


def test_an_audit_entry_rolls_back_with_its_refused_write(user_named):
    before = AuditEntry.objects.count()
    with pytest.raises(CapacityInvalid):
        services.create_activity(actor=user_named("analyst"), data=activity_data(end_date="2020-01-01"))
    assert AuditEntry.objects.count() == before


# ------------------------------------------------------------------ participants
def test_add_a_new_participant_then_find_the_same_person_again(activity, user_named):
    officer = user_named("officer-lfw")
    first = services_people.add_participant(actor=officer, activity=activity, data=person())
    assert first.participant.name_key == "mensah|afi"
    entry = AuditEntry.objects.filter(action="activity.participant_added").latest("seq")
    assert entry.data == {
        "participant": first.participant_id,
        "new_record": True,
        "unit": "jaitf-lfw",
        "sex": "F",
    }
    assert "Mensah" not in str(entry.data)
    second = services.create_activity(
        actor=officer, data=activity_data(start_date="2024-05-06", end_date="2024-05-07")
    )
    again = services_people.add_participant(
        actor=officer, activity=second, data=person(family_name="  MENSAH ", given_names="afi")
    )
    assert again.participant_id == first.participant_id
    assert Participant.objects.filter(name_key="mensah|afi").count() == 1


def test_a_participant_counted_twice_in_one_activity_is_refused_naming_the_field(activity, user_named):
    officer = user_named("officer-lfw")
    row = services_people.add_participant(actor=officer, activity=activity, data=person())
    with pytest.raises(CapacityInvalid) as exc:
        services_people.add_participant(actor=officer, activity=activity, data=person(family_name="MÉNSAH"))
    assert fields_of(exc) == ["family_name"] and "already attends" in exc.value.message
    with pytest.raises(CapacityInvalid) as exc:
        services_people.add_participant(
            actor=officer, activity=activity, data={"participant": row.participant_id}
        )
    assert fields_of(exc) == ["participant"]
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_a_person_cannot_be_in_two_places_at_once(activity, user_named):
    analyst = user_named("analyst")
    row = services_people.add_participant(actor=analyst, activity=activity, data=person())
    accra = services.create_activity(
        actor=analyst,
        data=activity_data(city="Accra", country="GH", airport="ACC", organising_unit="jaitf-acc",
                           start_date="2024-03-07", end_date="2024-03-12"),
    )  # fmt: skip
    with pytest.raises(CapacityInvalid) as exc:
        services_people.add_participant(
            actor=analyst, activity=accra, data={"participant": row.participant_id}
        )
    assert fields_of(exc) == ["participant"] and "Lomé, 2024-03-04 to 2024-03-08" in exc.value.message
    # Same city at the same time, or mentoring, is not a clash.
    lome = services.create_activity(
        actor=analyst,
        data=activity_data(title="Evening course", start_date="2024-03-05", end_date="2024-03-05"),
    )
    services_people.add_participant(actor=analyst, activity=lome, data={"participant": row.participant_id})
    mentoring = services.create_activity(actor=analyst, data={**activity_data(kind="mentoring"), "city": "Accra",
                                          "country": "GH", "airport": "", "start_date": "2024-03-01",
                                          "end_date": "2024-04-30"})  # fmt: skip
    services_people.add_participant(
        actor=analyst, activity=mentoring, data={"participant": row.participant_id}
    )


def test_overlapping_dates_in_another_city_are_refused_naming_the_field(activity, user_named):
    analyst = user_named("analyst")
    row = services_people.add_participant(actor=analyst, activity=activity, data=person())
    dakar = services.create_activity(
        actor=analyst,
        data=activity_data(city="Dakar", country="SN", airport="DSS", organising_unit="jaitf-dss",
                           start_date="2024-04-01", end_date="2024-04-05"),
    )  # fmt: skip
    services_people.add_participant(actor=analyst, activity=dakar, data={"participant": row.participant_id})
    with pytest.raises(CapacityInvalid) as exc:
        services.update_activity(actor=analyst, activity=dakar, data={"start_date": "2024-03-06"})
    assert fields_of(exc) == ["start_date"]
    assert f"participant {row.participant_id}" in exc.value.message


def test_a_trainer_in_two_places_at_once_is_refused(activity, trainer, user_named):
    analyst = user_named("analyst")
    services.update_activity(actor=analyst, activity=activity, data={"trainers": [trainer.pk]})
    with pytest.raises(CapacityInvalid) as exc:
        services.create_activity(
            actor=analyst,
            data=activity_data(city="Accra", country="GH", airport="ACC", organising_unit="jaitf-acc",
                               trainers=[trainer.pk]),
        )  # fmt: skip
    assert fields_of(exc) == ["trainers[0]"]


def test_a_participants_record_must_agree_with_the_one_on_file(activity, user_named):
    officer = user_named("officer-lfw")
    services_people.add_participant(actor=officer, activity=activity, data=person())
    other = services.create_activity(
        actor=officer, data=activity_data(start_date="2024-06-03", end_date="2024-06-04")
    )
    with pytest.raises(CapacityInvalid) as exc:
        services_people.add_participant(actor=officer, activity=other, data=person(sex="M", agency="police"))
    assert fields_of(exc) == ["sex", "agency"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sex": "W"}, "sex"),
        ({"unit": "jaitf-nowhere"}, "unit"),
        ({"agency": "army"}, "agency"),
        ({"family_name": ""}, "family_name"),
        ({"job_title": "x" * 121}, "job_title"),
    ],
)
def test_bad_participant_fields_are_named(activity, user_named, overrides, field):
    with pytest.raises(CapacityInvalid) as exc:
        services_people.add_participant(
            actor=user_named("officer-lfw"), activity=activity, data=person(**overrides)
        )
    assert fields_of(exc) == [field]


def test_only_organisers_change_who_attends(activity, user_named):
    for username in ("officer-acc", "auditor", "coordinator-tg"):
        with pytest.raises(ServiceError) as exc:
            services_people.add_participant(actor=user_named(username), activity=activity, data=person())
        assert exc.value.code == "forbidden"
    row = services_people.add_participant(actor=user_named("admin"), activity=activity, data=person())
    services_people.remove_participant(actor=user_named("head-lfw"), attendance=row)
    assert not Attendance.objects.filter(activity=activity).exists()
    assert AuditEntry.objects.filter(action="activity.participant_removed").exists()


def test_update_a_participant_and_link_their_account(activity, user_named):
    row = services_people.add_participant(actor=user_named("officer-lfw"), activity=activity, data=person())
    with pytest.raises(CapacityInvalid) as exc:
        services_people.update_participant(
            actor=user_named("officer-lfw"), participant=row.participant, data={"user": "officer-acc"}
        )
    assert fields_of(exc) == ["user"]
    updated = services_people.update_participant(
        actor=user_named("officer-lfw"),
        participant=row.participant,
        data={"user": "officer-lfw", "given_names": "Afiwa"},
    )
    assert updated.user.username == "officer-lfw" and updated.name_key == "mensah|afiwa"
    with pytest.raises(ServiceError) as exc:
        services_people.update_participant(
            actor=user_named("officer-acc"), participant=row.participant, data={}
        )
    assert exc.value.code == "forbidden"


# ------------------------------------------------------------------ trainers
def test_trainers_need_a_known_nationality_and_only_writers_record_them(user_named):
    with pytest.raises(CapacityInvalid) as exc:
        services_people.create_trainer(
            actor=user_named("analyst"),
            data={"family_name": "X", "sex": "F", "nationality": "XYZ", "expertise": ["yoga"]},
        )
    assert fields_of(exc) == ["nationality", "expertise[0]"]
    with pytest.raises(ServiceError) as exc:
        services_people.create_trainer(
            actor=user_named("liaison-gh"), data={"family_name": "X", "sex": "F", "nationality": "GH"}
        )
    assert exc.value.code == "forbidden"
    mine = services_people.create_trainer(
        actor=user_named("officer-lfw"), data={"family_name": "Agbo", "sex": "M", "nationality": "tgo"}
    )
    assert mine.nationality_id == "TG" and mine.recorded_by_unit.code == "jaitf-lfw"
    with pytest.raises(ServiceError):
        services_people.update_trainer(
            actor=user_named("officer-acc"), trainer=mine, data={"organisation": "X"}
        )
    services_people.update_trainer(
        actor=user_named("head-lfw"), trainer=mine, data={"organisation": "Togo Police"}
    )
    mine.refresh_from_db()
    assert mine.organisation == "Togo Police"


# ------------------------------------------------------------------ equipment
def equipment(**overrides) -> dict:
    data = {
        "category": "drug_trace", "description": "Drug trace detector", "provided_on": "2023-05-02",
        "value": "32000.50", "currency": "usd", "condition": "new", "holding_unit": "jaitf-lfw",
        "donor": "European Union", "serial_number": "DT-1",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_equipment_for_a_unit_that_does_not_exist_is_refused_naming_the_field(user_named):
    with pytest.raises(CapacityInvalid) as exc:
        services_equipment.create_equipment(
            actor=user_named("analyst"), data=equipment(holding_unit="jaitf-xyz")
        )
    assert fields_of(exc) == ["holding_unit"] and "no unit" in exc.value.message
    Unit.objects.filter(code="jaitf-acc").update(is_active=False)
    with pytest.raises(CapacityInvalid) as exc:
        services_equipment.create_equipment(
            actor=user_named("analyst"), data=equipment(holding_unit="jaitf-acc")
        )
    assert fields_of(exc) == ["holding_unit"] and "no longer active" in exc.value.message
    assert not Equipment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"currency": "ABC"}, ["currency"]),
        ({"currency": ""}, ["currency"]),
        ({"value": "", "currency": "USD"}, ["value"]),
        ({"value": "-3"}, ["value"]),
        ({"value": "1.234"}, ["value"]),
        ({"provided_on": "2999-01-01"}, ["provided_on"]),
        ({"category": "tank", "condition": "broken"}, ["category", "condition"]),
    ],
)
def test_bad_equipment_fields_are_named(user_named, overrides, fields):
    with pytest.raises(CapacityInvalid) as exc:
        services_equipment.create_equipment(actor=user_named("analyst"), data=equipment(**overrides))
    assert fields_of(exc) == fields


def test_equipment_is_recorded_by_programme_staff_and_its_condition_reported_by_the_holder(user_named):
    with pytest.raises(ServiceError) as exc:
        services_equipment.create_equipment(actor=user_named("head-lfw"), data=equipment())
    assert exc.value.code == "forbidden"
    item = services_equipment.create_equipment(actor=user_named("analyst"), data=equipment())
    assert (str(item.value), item.currency, item.provided_on) == ("32000.50", "USD", date(2023, 5, 2))
    with pytest.raises(CapacityInvalid) as exc:
        services_equipment.create_equipment(actor=user_named("analyst"), data=equipment())
    assert fields_of(exc) == ["serial_number"]
    services_equipment.update_equipment(
        actor=user_named("officer-lfw"), item=item, data={"condition": "needs_repair"}
    )
    item.refresh_from_db()
    assert item.condition == "needs_repair"
    with pytest.raises(ServiceError) as exc:
        services_equipment.update_equipment(actor=user_named("officer-lfw"), item=item, data={"value": "1"})
    assert exc.value.code == "forbidden" and exc.value.field == "value"
    with pytest.raises(ServiceError):
        services_equipment.update_equipment(
            actor=user_named("officer-acc"), item=item, data={"condition": "good"}
        )
    entries = AuditEntry.objects.filter(action__startswith="equipment.", object_id=str(item.pk))
    assert [e.action for e in entries.order_by("seq")] == ["equipment.created", "equipment.updated"]


def test_an_activity_of_a_unit_closed_since_can_still_be_corrected(activity, user_named):
    Unit.objects.filter(code="jaitf-lfw").update(is_active=False)
    services.update_activity(actor=user_named("analyst"), activity=activity, data={"title": "Corrected"})
    activity.refresh_from_db()
    assert activity.title == "Corrected"
    with pytest.raises(CapacityInvalid) as exc:
        services.create_activity(actor=user_named("analyst"), data=activity_data())
    assert fields_of(exc) == ["organising_unit"]
