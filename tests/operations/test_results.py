"""The operation's results against a hand-counted fixture, and its page and report (HTML, PDF)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aircop.audit.models import AuditEntry
from aircop.messaging import services as messaging
from aircop.operations import calendar, report, results, services
from aircop.seizures import services as seizures
from tests.operations.conftest import alert_to, midnight

COCAINE = [{"category": "drugs", "subtype": "cocaine", "quantity": "3", "unit": "kg"}]


def seize(user, *, days, airport, origin="BOG", items=COCAINE, submit=True, tlp="amber"):
    when = (midnight(days) + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M")
    return seizures.create_seizure(
        actor=user,
        submit=submit,
        data={
            "occurred_at": when,
            "airport": airport,
            "flow": "checked_baggage",
            "phase": "arrival",
            "direction": "inbound",
            "origin": origin,
            "transit": "ADD",
            "destination": airport,
            "concealment": "baggage_lining",
            "detection": "xray",
            "tlp": tlp,
            "items": items,
        },
    )


@pytest.fixture
def counted(running, user_named):
    """Seven records, two alerts and three reports; the figures below are counted by hand."""
    u = user_named
    s1 = seize(u("officer-lfw"), days=-1, airport="LFW")  # window and linked
    seize(
        u("officer-lis"), days=-2, airport="LIS", origin="GRU", items=[{**COCAINE[0], "quantity": "5"}]
    )  # window
    seize(
        u("officer-gru"),
        days=-1,
        airport="GRU",
        items=[{"category": "drugs", "subtype": "tramadol", "quantity": "1000", "unit": "tablets"}],
    )  # window
    s4 = seize(u("officer-acc"), days=-1, airport="ACC", tlp="green", items=[{**COCAINE[0], "quantity": "4"}])
    s5 = seize(u("officer-lfw"), days=-1, airport="LFW", submit=False)  # a linked draft: not counted
    seize(u("officer-bko"), days=-1, airport="BKO")  # another unit, not linked: not counted
    seize(u("officer-lfw"), days=-6, airport="LFW")  # before the window: not counted
    today = timezone.now().date()
    services.file_report(
        user=u("officer-lfw"),
        operation=running,
        day=today - timedelta(days=1),
        controls=40,
        seizures=[s1.pk, s4.pk, s5.pk],
    )
    services.file_report(user=u("officer-lfw"), operation=running, day=today - timedelta(days=2), controls=10)
    services.file_report(user=u("officer-lis"), operation=running, day=today - timedelta(days=1), controls=7)
    first = messaging.send_alert(sender=u("officer-bog"), **alert_to("cocaine-bridge"))
    second = messaging.send_alert(sender=u("officer-bog"), **alert_to("cocaine-bridge", title="Second"))
    messaging.acknowledge(user=u("officer-lfw"), alert=first)
    messaging.record_outcome(user=u("officer-lfw"), alert=first, result="seized")
    messaging.record_outcome(user=u("officer-lis"), alert=first, result="negative")
    messaging.record_outcome(user=u("officer-gru"), alert=second, result="missed")
    return running


def test_the_figures_match_the_hand_count(counted):
    f = results.figures(counted)
    assert f["seizures"] == {"total": 4, "linked": 2, "window": 3, "both": 1, "linked_drafts": 1}
    assert [(r["subtype"], r["seizures"], r["mass_kg"], r["count"]) for r in f["by_commodity"]] == [
        ("cocaine", 3, 12.0, 0),
        ("tramadol", 1, 0.0, 1000),
    ]
    assert [(r["airport"], r["seizures"], r["mass_kg"]) for r in f["by_airport"]] == [
        ("LIS", 1, 5.0),
        ("ACC", 1, 4.0),
        ("LFW", 1, 3.0),
        ("GRU", 1, 0.0),
    ]
    assert [(r["route"], r["seizures"]) for r in f["by_route"]] == [
        ("GRU>ADD>LIS", 1),
        ("BOG>ADD>ACC", 1),
        ("BOG>ADD>LFW", 1),
        ("BOG>ADD>GRU", 1),
    ]
    assert f["alerts"] == {
        "alerts": 2,
        "flash": 0,
        "senders": 1,
        "recipients": 8,
        "acknowledged": 3,
        "outcomes": {"seized": 1, "negative": 1, "not_on_board": 0, "missed": 1, "no_action": 0},
        "no_outcome": 5,
    }
    units = {u["unit"]: u for u in f["participation"]}
    assert units["jaitf-lfw"] | {} == {
        **units["jaitf-lfw"],
        "reports": 2,
        "days_due": 4,
        "share": 0.5,
        "controls": 50,
        "seizures_linked": 3,
        "alerts_sent": 0,
    }
    assert units["jaitf-lis"]["reports"] == 1 and units["jaitf-bog"]["alerts_sent"] == 2
    for code in ("jaitf-bog", "jaitf-gru", "jaitf-lis"):
        unit = counted.units.get(code=code)
        assert units[code]["days_due"] == len(calendar.expected_days(counted, unit))
    assert f["reports"] == 3 and f["totals"]["controls"] == 57 and f["days"] == 7


def test_readers_outside_the_operation_do_not_get_small_routes(counted):
    f = results.figures(counted, withhold_small_routes=True)
    assert f["by_route"] == [] and f["routes_withheld"] == 4
    assert f["seizures"]["total"] == 4  # the totals stay


def test_the_results_page_draws_each_chart_beside_its_table(counted, client_for):
    page = client_for("officer-lis").get("/operations/cocaine-bridge/results/")
    assert page.status_code == 200
    html = page.content.decode()
    for section in ("commodity", "airport", "route", "alerts", "participation"):
        assert f'id="{section}"' in html
    assert html.count("<svg") == 5 and "<style" not in html.split("<main>")[1]
    assert "Cocaine" in html and "GRU &gt; ADD &gt; LIS" in html


def test_the_report_in_html_and_pdf(counted, user_named, client_for):
    out = report.report(user_named("coordinator-co"), counted, fmt_name="html")
    html = out.body.decode()
    assert "Operation Cocaine Bridge" in html and 'id="participation"' in html and "TLP:AMBER" in html
    assert "linked in situation reports" in html
    pdf = client_for("coordinator-co").get("/operations/cocaine-bridge/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="report.generated", object_id=str(counted.pk)).count() == 2
    assert client_for("officer-bko").get("/operations/cocaine-bridge/report.html").status_code == 404
