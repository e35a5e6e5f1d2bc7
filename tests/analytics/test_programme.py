"""The programme's figures for a date (analytics/programme.py), on the demo network and alerts
sent through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from aircop.analytics import programme
from aircop.core.errors import ServiceError
from aircop.messaging import services
from aircop.network.models import Unit, UnitKind


def test_airports_and_countries_connected_grow_with_the_date(db):
    today = timezone.localdate()
    now, early = programme.network(today), programme.network(date(2013, 1, 1))
    jaitfs = Unit.objects.filter(kind=UnitKind.JAITF, connected_on__lte=today)
    assert now["airports"] == jaitfs.values("airport").distinct().count() > early["airports"] > 0
    assert now["countries"] >= early["countries"] > 0
    growth = now["airports_by_year"]
    assert growth[-1]["total"] == now["airports"] and growth[-1]["year"] == today.year
    assert sum(row["new"] for row in growth) == now["airports"]
    # Nothing connects after the date asked for.
    assert programme.network(date(2013, 1, 1))["airports_by_year"][-1]["year"] == 2013


def test_alerts_and_their_outcomes_up_to_the_date(db, user_named):
    sender, receiver = user_named("officer-lfw"), user_named("officer-dss")
    before = programme.alerts(timezone.localdate())["alerts"]
    alert = services.send_alert(
        sender=sender,
        kind="general",
        title="Test",
        audience_entries=[{"scope": "unit", "target": "jaitf-dss"}],
    )
    services.record_outcome(user=receiver, alert=alert, result="seized")
    today = programme.alerts(timezone.localdate())
    assert today["alerts"] == before + 1 and today["outcomes"]["seized"] >= 1
    assert today["with_outcome"] >= 1 and today["acknowledged"] >= 1
    yesterday = programme.alerts(timezone.localdate() - timedelta(days=1))
    assert yesterday["alerts"] == before


@pytest.mark.parametrize("raw", ["2026-13-01", "1999-01-01", "2999-01-01"])
def test_a_bad_date_names_the_field(raw):
    with pytest.raises(ServiceError) as refused:
        programme.parse_at(raw, date(2026, 11, 26))
    assert refused.value.field == "at"
