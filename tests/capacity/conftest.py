"""Shared fixtures of the capacity tests: an activity of Lomé's task force, a bearer-token
client, helpers to build the services' input."""

from __future__ import annotations

import pytest
from django.utils import translation

from aircop.capacity import services, services_people


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Arabic leaves Arabic active in the thread: later tests expect English."""
    yield
    translation.deactivate()


def activity_data(**overrides) -> dict:
    data = {
        "kind": "basic_training",
        "level": "national",
        "title": "Passenger profiling, Lomé",
        "start_date": "2024-03-04",
        "end_date": "2024-03-08",
        "city": "Lomé",
        "country": "TG",
        "airport": "LFW",
        "organising_unit": "jaitf-lfw",
        "host_unit": "",
        "beneficiary_units": [],
        "topics": ["targeting", "behavioural_analysis"],
        "trainers": [],
        "language": "fr",
        "notes": "",
    }
    data.update(overrides)
    return data


def person(**overrides) -> dict:
    data = {
        "family_name": "Mensah",
        "given_names": "Afi",
        "sex": "F",
        "unit": "jaitf-lfw",
        "agency": "customs",
        "job_title": "Inspector",
    }
    data.update(overrides)
    return data


@pytest.fixture
def activity(db, user_named):
    return services.create_activity(actor=user_named("officer-lfw"), data=activity_data())


@pytest.fixture
def trainer(db, user_named):
    return services_people.create_trainer(
        actor=user_named("analyst"),
        data={
            "family_name": "Durand",
            "given_names": "Claire",
            "sex": "F",
            "nationality": "FRA",
            "expertise": ["targeting"],
        },
    )


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a fresh directory, never the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path / "files"
