"""Creating and changing operations: roles, every bad input naming its field, the audit entry."""

from __future__ import annotations

import pytest
from django.db import transaction

from aircop.audit.models import AuditEntry
from aircop.core.errors import ServiceError
from aircop.operations import services
from aircop.operations.models import Operation
from tests.operations.conftest import PARTICIPANTS, midnight, operation_data


def test_a_coordinator_creates_an_operation(running):
    assert running.name == "cocaine-bridge" and running.state() == "running"
    assert sorted(running.units.values_list("code", flat=True)) == sorted(PARTICIPANTS)
    assert running.coordinator_unit.code == "hq-co"
    assert list(running.coordinators.values_list("username", flat=True)) == ["coordinator-co"]
    # Airport chains are normalised; free text stays as it was written.
    assert running.routes == ["GRU-LIS", "BOG-ADD-LFW", "couriers through the Gulf hubs"]
    entry = AuditEntry.objects.get(action="operation.created", object_id=str(running.pk))
    assert entry.actor.username == "coordinator-co" and entry.data["units"] == sorted(PARTICIPANTS)


@pytest.mark.parametrize("role_user", ["officer-bog", "head-bog", "analyst", "auditor", "liaison-co"])
def test_other_roles_may_not_create(user_named, role_user):
    with pytest.raises(ServiceError) as err:
        services.create_operation(actor=user_named(role_user), **operation_data())
    assert err.value.code == "forbidden"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"ends_at": midnight(-5)}, "ends_at", "must end after it starts"),
        ({"ends_at": midnight(-3)}, "ends_at", "must end after it starts"),
        ({"starts_at": "yesterday"}, "starts_at", "expected a date and time"),
        ({"name": "Cocaine Bridge"}, "name", "lower-case"),
        ({"name": "new"}, "name", "reserved"),
        ({"title": "  "}, "title", "required"),
        ({"units": []}, "units", "at least one"),
        ({"units": ["jaitf-bog", "jaitf-xxx"]}, "units[1]", "jaitf-xxx"),
        ({"coordinator_unit": "hq-sn"}, "coordinator_unit", "your own units"),
        ({"coordinators": ["coordinator-sn"]}, "coordinators[0]", "neither"),
        ({"coordinators": ["nobody-here"]}, "coordinators[0]", "no active user"),
        ({"commodities": ["cocaine", "moonrock"]}, "commodities[1]", "moonrock"),
        ({"routes": ["GRU-XQZ"]}, "routes[0]", "XQZ"),
        ({"tlp": "red"}, "tlp", "TLP:RED"),
        ({"tlp": "purple"}, "tlp", "purple"),
    ],
)
def test_bad_input_is_refused_naming_the_field(user_named, changes, field, words):
    before = Operation.objects.count()
    with pytest.raises(ServiceError) as err:
        services.create_operation(actor=user_named("coordinator-co"), **operation_data(**changes))
    assert err.value.field == field and words in err.value.message, (err.value.field, err.value.message)
    assert Operation.objects.count() == before


def test_the_name_is_unique(make_operation):
    make_operation()
    with pytest.raises(ServiceError) as err:
        make_operation()
    assert err.value.field == "name"


def test_an_administrator_may_name_any_coordinator_unit(make_operation):
    op = make_operation(actor="admin", coordinator_unit="ro-panama", coordinators=[])
    assert op.coordinator_unit.code == "ro-panama"


def test_the_coordination_changes_the_operation(running, user_named):
    updated = services.update_operation(
        actor=user_named("coordinator-co"),
        operation=running,
        units=[*PARTICIPANTS, "jaitf-acc"],
        title="Renamed",
    )
    assert updated.title == "Renamed" and updated.units.filter(code="jaitf-acc").exists()
    entry = AuditEntry.objects.get(action="operation.updated", object_id=str(running.pk))
    assert entry.data["fields"] == ["title", "units"]
    with pytest.raises(ServiceError) as err:
        services.update_operation(
            actor=user_named("coordinator-co"), operation=running, ends_at=midnight(-10)
        )
    assert err.value.field == "ends_at"


@pytest.mark.parametrize("outsider", ["officer-bog", "head-lfw", "coordinator-sn", "analyst"])
def test_participants_and_others_may_not_change_it(running, user_named, outsider):
    with pytest.raises(ServiceError) as err:
        services.update_operation(actor=user_named(outsider), operation=running, title="Mine")
    assert err.value.code == "forbidden"


def test_a_refused_write_leaves_no_audit_entry(user_named):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.create_operation(actor=user_named("coordinator-co"), **operation_data())
        raise RuntimeError("the request failed after the write")
    assert (
        AuditEntry.objects.count() == before and not Operation.objects.filter(name="cocaine-bridge").exists()
    )
