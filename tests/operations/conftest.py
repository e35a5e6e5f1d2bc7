"""Fixtures of the joint-operation tests: a running operation of four task forces coordinated
by Colombia's national headquarters, and API clients carrying bearer tokens."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from aircop.operations import services

PARTICIPANTS = ["jaitf-bog", "jaitf-gru", "jaitf-lfw", "jaitf-lis"]


def midnight(days: int) -> datetime:
    """00:00 UTC, ``days`` from today."""
    return datetime.combine(timezone.now().date() + timedelta(days=days), time.min, tzinfo=UTC)


def operation_data(**changes) -> dict:
    data = {
        "name": "cocaine-bridge",
        "title": "Operation Cocaine Bridge",
        "lead_organisation": "World Customs Organization",
        "starts_at": midnight(-3),
        "ends_at": midnight(4),
        "units": list(PARTICIPANTS),
        "coordinator_unit": "hq-co",
        "coordinators": ["coordinator-co"],
        "commodities": ["cocaine"],
        "routes": ["GRU-LIS", "bog > add > lfw", "couriers through the Gulf hubs"],
        "threats": ["body packers"],
        "tlp": "amber",
    }
    data.update(changes)
    return data


@pytest.fixture
def make_operation(user_named):
    def make(actor="coordinator-co", **changes):
        return services.create_operation(actor=user_named(actor), **operation_data(**changes))

    return make


@pytest.fixture
def running(make_operation):
    return make_operation()


def alert_to(name: str, **changes) -> dict:
    data = {
        "kind": "passenger",
        "title": "Suspected courier on ET507",
        "priority": "immediate",
        "tlp": "amber",
        "audience_entries": [{"scope": "operation", "target": name}],
        "details": {"flight": "ET507", "route": ["GRU", "ADD", "LFW"]},
        "nominal": {"surname": "DOE", "given_names": "JANE"},
    }
    data.update(changes)
    return data
