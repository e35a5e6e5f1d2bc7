"""The demo network: size, predictable users, idempotency, refusal on a real database."""

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError

from aircop.accounts import services as account_services
from aircop.accounts.models import Role, User
from aircop.audit.models import AuditEntry
from aircop.network import demo
from aircop.network.models import Airport, Country, Membership, Region, Unit, UnitGroup
from tests.conftest import DEMO_PASSWORD


def test_demo_network_size(db):
    jaitfs = Unit.objects.filter(kind="jaitf")
    assert jaitfs.count() >= 40
    assert jaitfs.values("country").distinct().count() >= 35
    assert Airport.objects.count() >= 40
    assert set(Region.objects.values_list("code", flat=True)) >= {"wca", "lac", "mena", "europe"}
    for region in ("wca", "lac", "mena", "europe"):
        assert jaitfs.filter(country__region__code=region).exists(), region
    assert Country.objects.count() == 249  # the whole of ISO 3166-1 from pycountry
    assert UnitGroup.objects.filter(slug="west-central-africa-jaitfs").get().units.count() >= 20


def test_every_demo_unit_has_agencies_and_an_officer_and_a_head(db):
    for unit in Unit.objects.filter(kind="jaitf").select_related("airport"):
        assert unit.agencies.count() >= 3, unit.code
        iata = unit.airport.iata.lower()
        assert Membership.objects.filter(
            unit=unit, user__username=f"officer-{iata}", user__role=Role.OFFICER
        ).exists()
        assert Membership.objects.filter(unit=unit, user__username=f"head-{iata}", is_head=True).exists()


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("analyst", Role.ANALYST),
        ("admin", Role.ADMIN),
        ("auditor", Role.AUDITOR),
        ("coordinator-sn", Role.COORDINATOR),
        ("liaison-gh", Role.LIAISON),
        ("airline-af", Role.AIRLINE),
        ("officer-lfw", Role.OFFICER),
        ("head-lfw", Role.UNIT_HEAD),
    ],
)
def test_predictable_demo_users(db, username, role):
    user = User.objects.get(username=username)
    assert user.role == role and user.is_demo and user.memberships.exists()
    assert check_password(DEMO_PASSWORD, user.password)


def test_lome_airport_time_zone_and_coordinates(db):
    lfw = Airport.objects.get(iata="LFW")
    assert lfw.country_id == "TG" and lfw.tz == "Africa/Lome" and lfw.icao == "DXXX"
    assert 6 < lfw.latitude < 7 and 1 < lfw.longitude < 2


def test_second_load_changes_nothing(db):
    counts = {m: m.objects.count() for m in (User, Unit, Membership, Airport, UnitGroup, Country)}
    audit_before = AuditEntry.objects.count()
    report = demo.load(password=DEMO_PASSWORD)
    assert not report.changed, report.created
    assert {m: m.objects.count() for m in counts} == counts
    assert AuditEntry.objects.count() == audit_before


def test_demo_command_reports_nothing_changed(db, capsys):
    call_command("demo")
    assert "nothing changed" in capsys.readouterr().out


def test_demo_refuses_a_database_with_real_users(db, capsys):
    account_services.create_user(
        actor=None, username="real.person", password="a long real passphrase 9", role=Role.OFFICER
    )
    with pytest.raises(demo.DemoRefused, match="real.person"):
        demo.load(password=DEMO_PASSWORD)
    with pytest.raises(CommandError, match="demo refused"):
        call_command("demo")
    call_command("demo", "--skip-if-real")
    assert "demo not loaded" in capsys.readouterr().out
