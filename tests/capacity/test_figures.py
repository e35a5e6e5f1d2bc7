"""The programme dashboard's capacity figures, against hand-made data, at several dates."""

from __future__ import annotations

from datetime import date

import pytest

from aircop.capacity import figures, services, services_equipment, services_people
from tests.capacity.conftest import activity_data, person


@pytest.fixture
def world(user_named):
    analyst = user_named("analyst")

    def trainer(name, nationality):
        return services_people.create_trainer(
            actor=analyst, data={"family_name": name, "sex": "M", "nationality": nationality}
        ).pk

    fr, es, us = trainer("Moreau", "FR"), trainer("Moreno", "ES"), trainer("Miller", "US")
    basic = services.create_activity(
        actor=analyst, data=activity_data(start_date="2020-03-02", end_date="2020-03-06", trainers=[fr])
    )
    mensah = services_people.add_participant(actor=analyst, activity=basic, data=person()).participant_id
    services_people.add_participant(actor=analyst, activity=basic, data=person(family_name="Agbeko", sex="M"))
    regional = services.create_activity(
        actor=analyst,
        data=activity_data(kind="specialised_training", level="regional", city="Accra", country="GH", airport="ACC",
                           start_date="2021-06-01", end_date="2021-06-03", trainers=[fr, es]),
    )  # fmt: skip
    services_people.add_participant(actor=analyst, activity=regional, data={"participant": mensah})
    services_people.add_participant(actor=analyst, activity=regional, data=person(family_name="Kim", sex="X"))
    services_people.add_participant(
        actor=analyst,
        activity=regional,
        data=person(family_name="Owusu", sex="M", unit="jaitf-acc", agency="police"),
    )
    services.create_activity(
        actor=analyst,
        data=activity_data(kind="mentoring", start_date="2022-01-10", end_date="2022-02-10", trainers=[us]),
    )

    def item(category, day, value=None, currency=""):
        services_equipment.create_equipment(
            actor=analyst,
            data={"category": category, "description": "x", "provided_on": day, "value": value or "",
                  "currency": currency, "holding_unit": "jaitf-lfw"},
        )  # fmt: skip

    item("xray", "2020-01-01", "50000", "USD")
    item("xray", "2021-05-05", "1000.50", "EUR")
    item("office_it", "2022-01-01")
    item("photographic", "2023-02-01", "800", "USD")


def test_before_anything(world):
    at = date(2019, 12, 31)
    assert figures.activities(at)["total"] == 0
    assert figures.personnel_trained(at) == 0
    assert figures.women_share(at) == {
        "trained": 0,
        "women": 0,
        "men": 0,
        "unspecified": 0,
        "share_women": None,
    }
    assert figures.trainer_nationalities(at) == {}
    assert figures.equipment(at)["items"] == 0 and figures.equipment(at)["value"] == {}


def test_on_the_first_day_of_the_first_activity(world):
    at = date(2020, 3, 2)
    assert figures.activities(at)["by_kind"]["basic_training"] == 1
    assert figures.personnel_trained(at) == 2
    assert figures.women_share(at)["share_women"] == 0.5
    assert figures.trainer_nationalities(at) == {"FRA": 1}
    eq = figures.equipment(at)
    assert eq["items"] == 1 and eq["value"] == {"USD": 50000.0}
    assert eq["by_category"]["xray"] == {"items": 1, "value": {"USD": 50000.0}}


def test_distinct_people_and_trainers_by_the_end_of_2021(world):
    at = date(2021, 12, 31)
    acts = figures.activities(at)
    assert acts["total"] == 2 and acts["by_level"] == {"national": 1, "regional": 1}
    assert acts["by_kind"]["specialised_training"] == 1 and acts["by_kind"]["mentoring"] == 0
    assert figures.personnel_trained(at) == 4  # Mensah attended twice, counted once
    assert figures.women_share(at) == {
        "trained": 4,
        "women": 1,
        "men": 2,
        "unspecified": 1,
        "share_women": 0.25,
    }
    assert figures.trainer_nationalities(at) == {"ESP": 1, "FRA": 1}
    eq = figures.equipment(at)
    assert eq["items"] == 2 and eq["value"] == {"EUR": 1000.5, "USD": 50000.0}


def test_today(world):
    at = date(2026, 1, 1)
    summary = figures.summary(at)
    assert summary["activities"]["by_kind"]["mentoring"] == 1 and summary["activities"]["total"] == 3
    assert summary["trainer_nationalities"] == {"ESP": 1, "FRA": 1, "USA": 1}
    assert summary["equipment"]["items"] == 4
    assert summary["equipment"]["by_category"]["office_it"] == {"items": 1, "value": {}}
    assert summary["equipment"]["value"] == {"EUR": 1000.5, "USD": 50800.0}
    assert summary["personnel_trained"] == 4
