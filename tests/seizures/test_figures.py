"""The monthly roll-up of the figures (seizures/figures.py): whatever writes the register —
the services, the CSV import, the demo — the figures read through the roll-up equal the
figures read from the register itself, for periods that start and end anywhere."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from aircop.messaging import services as messaging
from aircop.seizures import demo, figures, importer, services
from aircop.seizures.models import Seizure, SeizureFigure

from .test_services import record

END = date(2026, 3, 31)


def _rounded(found: dict) -> dict:
    out = {}
    for key, c in found.items():
        values = (
            c.seizures,
            c.persons,
            None if c.mass_kg is None else round(float(c.mass_kg), 3),
            c.count,
            None if c.amount is None else round(float(c.amount), 3),
        )
        if values != (0, 0, None, None, None):
            out[key] = values
    return out


def _agree(date_from: date, date_to: date, **place) -> None:
    for figure in figures.FIGURES:
        for by_month in (False, True):
            through = figures.cells(figure, date_from, date_to, by_month=by_month, **place)
            direct = figures.cells(figure, date_from, date_to, by_month=by_month, use_rollup=False, **place)
            assert _rounded(through) == _rounded(direct), (figure, by_month, date_from, date_to, place)


def _rows() -> Counter:
    return Counter(
        SeizureFigure.objects.values_list(
            "month", "airport_id", "country_id", "region_id", "figure", "key", "seizures", "persons", "count"
        )
    )


@pytest.fixture
def register(user_named):
    demo.generate(count=400, seed=3, end=END)
    officer, sender = user_named("officer-lfw"), user_named("officer-gru")
    alert = messaging.send_alert(
        sender=sender,
        kind="general",
        title="Courier on ET 921",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
    )
    linked = services.create_seizure(actor=officer, data=record(occurred_at="2026-02-27T23:30"), submit=True)
    services.link_alert(actor=officer, seizure=linked, alert=alert)
    services.create_seizure(
        actor=officer,
        data=record(
            detection="international_alert", triggering_alert=str(alert.pk), occurred_at="2026-03-01T00:10"
        ),
        submit=True,
    )
    draft = services.create_seizure(actor=officer, data=record(occurred_at="2026-01-15T10:00"))
    services.submit_seizure(actor=officer, seizure=draft)
    return {"officer": officer, "alert": alert, "draft": draft, "linked": linked}


def test_figures_through_the_rollup_equal_the_register(register):
    rng = random.Random(7)
    starts = [date(2024, 4, 1), date(2025, 1, 1), date(2025, 12, 17), date(2026, 2, 27), date(2026, 3, 1)]
    ends = [END, date(2026, 2, 28), date(2026, 3, 1), date(2026, 1, 31), date(2026, 3, 15)]
    for start in starts:
        for end in ends:
            if start <= end:
                _agree(start, end)
    for _ in range(6):
        start = date(2024, 4, 1) + timedelta(days=rng.randrange(700))
        _agree(start, start + timedelta(days=rng.randrange(200)))
    for place in ({"airport": "LFW"}, {"country": "TG"}, {"region": "wca"}, {"country": "NG"}):
        _agree(date(2025, 6, 10), END, **place)
    # Something to compare: the roll-up holds every figure.
    assert {f for (f,) in SeizureFigure.objects.values_list("figure").distinct()} == set(figures.FIGURES)


def test_every_write_keeps_the_rollup_equal_to_a_rebuild(register, user_named):
    officer = register["officer"]
    # A submitted record moved to another month and airport leaves its old cell.
    moved = services.update_seizure(
        actor=officer,
        seizure=register["draft"],
        data=record(
            occurred_at="2025-11-03T12:00",
            airport="LFW",
            items=[{"category": "drugs", "subtype": "cannabis_resin", "quantity": "900", "unit": "g"}],
        ),
    )
    assert moved.status == "submitted"
    services.validate_seizure(actor=user_named("head-lfw"), seizure=register["linked"])
    csv = (
        "date,airport,flow,phase,direction,flight,origin,transit,destination,category,subtype,quantity,unit,"
        "concealment,detection,offender_nationality,offender_sex,offender_age\n"
        "2026-01-20T10:00,LFW,passenger_body,arrival,inbound,ET921,GRU,ADD,LFW,drugs,cocaine,1.5,kg,"
        "inside_body,xray,BRA,M,34\n"
        "2026-03-02T10:00,LFW,mail,arrival,inbound,,,,,drugs,tramadol,2000,tablets,mail_item,xray,,,\n"
    )
    report = importer.import_csv(csv.encode(), actor=officer, name="two.csv")
    assert report.ok, report.problems
    incremental = _rows()
    figures.rebuild()
    assert _rows() == incremental
    _agree(date(2025, 11, 1), END)
    # The moved record counts in November 2025, no longer in January 2026.
    january = figures.cells("measure", date(2026, 1, 1), date(2026, 1, 31), airport="LFW")
    november = figures.cells("measure", date(2025, 11, 1), date(2025, 11, 30), airport="LFW")
    assert "drugs|cannabis_resin|kg" in november
    assert "drugs|cannabis_resin|kg" not in january


def test_drafts_are_not_in_the_rollup(user_named):
    officer = user_named("officer-lfw")
    draft = services.create_seizure(actor=officer, data=record())
    assert not SeizureFigure.objects.exists()
    services.submit_seizure(actor=officer, seizure=draft)
    total = figures.cells("total", date(2026, 3, 1), date(2026, 3, 31))[""]
    assert total.seizures == 1 and Seizure.objects.count() == 1
    assert SeizureFigure.objects.filter(figure="total", month=date(2026, 3, 1)).get().seizures == 1


def test_a_period_splits_into_whole_months_and_edges():
    whole = figures.split(date(2025, 1, 1), date(2025, 12, 31))
    assert whole.months == (date(2025, 1, 1), date(2025, 12, 1)) and whole.edges == ()
    parts = figures.split(date(2024, 11, 26), date(2025, 11, 25))
    assert parts.months == (date(2024, 12, 1), date(2025, 10, 1))
    assert [(a.date(), b.date()) for a, b in parts.edges] == [
        (date(2024, 11, 26), date(2024, 12, 1)),
        (date(2025, 11, 1), date(2025, 11, 26)),
    ]
    short = figures.split(date(2025, 1, 20), date(2025, 2, 10))
    assert short.months is None
    assert [(a.date(), b.date()) for a, b in short.edges] == [
        (date(2025, 1, 20), date(2025, 2, 1)),
        (date(2025, 2, 1), date(2025, 2, 11)),
    ]


def test_an_edge_whose_month_holds_nothing_else_is_read_from_the_rollup(
    user_named, django_assert_max_num_queries
):
    officer = user_named("officer-lfw")
    for day in (10, 14, 20):
        services.create_seizure(actor=officer, data=record(occurred_at=f"2026-01-{day}T09:00"), submit=True)
    # 5 to 25 January: nothing else in January, so the month's cells are the period's.
    with django_assert_max_num_queries(3):  # two probes and one roll-up read, no scan of the register
        through = figures.cells("measure", date(2026, 1, 5), date(2026, 1, 25))
    assert through["drugs|cocaine|kg"].seizures == 3
    _agree(date(2026, 1, 5), date(2026, 1, 25))
    # A record after the period in the same month: the edge is read from the register again.
    services.create_seizure(actor=officer, data=record(occurred_at="2026-01-28T09:00"), submit=True)
    assert figures.cells("measure", date(2026, 1, 5), date(2026, 1, 25))["drugs|cocaine|kg"].seizures == 3
    assert figures.cells("measure", date(2026, 1, 5), date(2026, 1, 31))["drugs|cocaine|kg"].seizures == 4
    _agree(date(2026, 1, 5), date(2026, 1, 25))


def test_the_summary_derives_commodities_from_measures_exactly(register):
    officer = register["officer"]
    # One seizure holding tramadol in two measures, one with a single measure: 2 seizures, not 3.
    two = [
        {"category": "drugs", "subtype": "tramadol", "quantity": "500", "unit": "tablets"},
        {"category": "drugs", "subtype": "tramadol", "quantity": "2", "unit": "kg"},
    ]
    services.create_seizure(
        actor=officer, data=record(occurred_at="2026-03-10T10:00", items=two), submit=True
    )
    services.create_seizure(
        actor=officer, data=record(occurred_at="2026-03-11T10:00", items=two[:1]), submit=True
    )
    for start, end in ((date(2026, 3, 5), date(2026, 3, 20)), (date(2025, 12, 17), date(2026, 3, 12))):
        memo: dict = {}
        figures.cells("measure", start, end, memo=memo)
        shared = figures.cells("subtype", start, end, memo=memo)
        direct = figures.cells("subtype", start, end, use_rollup=False)
        assert _rounded(shared) == _rounded(direct)
    assert shared["drugs|tramadol"].seizures == direct["drugs|tramadol"].seizures >= 2
