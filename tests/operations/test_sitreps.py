"""Daily situation reports: one per unit and day (a second is an edit), the operation's local
days only, never a future day, seizures the reporting unit may see; who has not reported."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from aircop.audit.models import AuditEntry
from aircop.core.errors import ServiceError
from aircop.operations import calendar, selectors, services
from aircop.operations.models import SituationReport
from aircop.seizures import services as seizures
from tests.operations.conftest import midnight

COUNTS = {
    "controls": 40,
    "passengers_checked": 900,
    "bags_checked": 300,
    "consignments_checked": 12,
    "mail_checked": 5,
}


def seize(actor, *, when, airport="LFW", origin="BOG", status_submit=True, tlp="amber"):
    return seizures.create_seizure(
        actor=actor,
        submit=status_submit,
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
            "items": [{"category": "drugs", "subtype": "cocaine", "quantity": "3", "unit": "kg"}],
        },
    )


def lfw_today():
    return timezone.now().date()  # Lome is on UTC


def test_a_unit_files_its_report_and_a_second_one_edits_it(running, user_named):
    officer = user_named("officer-lfw")
    day = lfw_today() - timedelta(days=1)
    seizure = seize(officer, when=(midnight(-1) + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M"))
    report, created = services.file_report(
        user=officer,
        operation=running,
        day=day.isoformat(),
        seizures=[f"SZ-{seizure.pk}"],
        remarks="Quiet.",
        **COUNTS,
    )
    assert created and report.unit.code == "jaitf-lfw" and report.controls == 40
    assert list(report.seizures.all()) == [seizure]
    entry = AuditEntry.objects.get(action="sitrep.filed", object_id=str(report.pk))
    assert entry.data["seizures"] == [seizure.pk] and "remarks" not in entry.data
    again, created = services.file_report(
        user=user_named("head-lfw"), operation=running, day=day, controls=41, seizures=[]
    )
    assert not created and again.pk == report.pk and again.controls == 41 and again.passengers_checked == 0
    assert again.updated_by.username == "head-lfw" and not again.seizures.exists()
    assert SituationReport.objects.filter(operation=running).count() == 1
    assert AuditEntry.objects.filter(action="sitrep.updated", object_id=str(report.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"day": "tomorrow"}, "day", "expected a date"),
        ({"controls": -3}, "controls", "0 or more"),
        ({"bags_checked": "many"}, "bags_checked", "whole number"),
        ({"seizures": ["SZ-x"]}, "seizures[0]", "SZ-123"),
        ({"seizures": [999999999]}, "seizures[0]", "SZ-999999999"),
        ({"unit": "jaitf-bko"}, "unit", "does not take part"),
        ({"unit": "jaitf-bog"}, "unit", "not a member"),
        ({"remarks": "x" * 5001}, "remarks", "longer than"),
    ],
)
def test_bad_input_names_the_field(running, user_named, changes, field, words):
    data = {"day": lfw_today(), **COUNTS, **changes}
    with pytest.raises(ServiceError) as err:
        services.file_report(user=user_named("officer-lfw"), operation=running, **data)
    assert err.value.field == field and words in err.value.message, (err.value.field, err.value.message)
    assert not SituationReport.objects.filter(operation=running).exists()


def test_a_day_outside_the_window_or_in_the_future_is_refused(running, user_named):
    officer = user_named("officer-lfw")
    with pytest.raises(ServiceError) as err:
        services.file_report(user=officer, operation=running, day=lfw_today() + timedelta(days=1))
    assert err.value.field == "day" and "future" in err.value.message
    with pytest.raises(ServiceError) as err:
        services.file_report(user=officer, operation=running, day=lfw_today() - timedelta(days=4))
    assert err.value.field == "day" and "outside the operation" in err.value.message


def test_a_report_links_only_what_the_reporting_unit_may_see(running, user_named):
    # A draft of another unit, and a record of the unit's own before the window.
    other = seize(
        user_named("officer-gru"),
        when=(midnight(-1) + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M"),
        airport="GRU",
        status_submit=False,
    )
    early = seize(user_named("officer-lfw"), when=(midnight(-6)).strftime("%Y-%m-%dT%H:%M"))
    for seizure in (other, early):
        with pytest.raises(ServiceError) as err:
            services.file_report(
                user=user_named("officer-lfw"), operation=running, day=lfw_today(), seizures=[seizure.pk]
            )
        assert err.value.field == "seizures[0]"


def test_only_members_of_participating_units_report(running, user_named):
    for outsider in ("officer-bko", "coordinator-co", "admin"):
        with pytest.raises(ServiceError) as err:
            services.file_report(user=user_named(outsider), operation=running, day=lfw_today())
        assert err.value.code == "forbidden", outsider


def test_who_has_not_reported(running, user_named):
    today = lfw_today()
    services.file_report(user=user_named("officer-lfw"), operation=running, day=today, **COUNTS)
    services.file_report(user=user_named("officer-lis"), operation=running, day=today - timedelta(days=1))
    found = selectors.missing_reports(running, today)
    reported = [u.code for u in found["reported"]]
    missing = [u.code for u in found["missing"]]
    not_due = [u.code for u in found["not_due"]]
    assert reported == ["jaitf-lfw"]
    assert set(missing) | set(not_due) == {"jaitf-bog", "jaitf-gru", "jaitf-lis"}
    # Bogota and Sao Paulo are behind UTC: early in the UTC day, today has not begun there.
    for unit in running.units.exclude(code="jaitf-lfw"):
        tz = calendar.unit_tz(unit)
        assert (unit.code in missing) == (calendar.local_today(tz) >= today), unit.code
    yesterday = selectors.missing_reports(running, today - timedelta(days=1))
    assert [u.code for u in yesterday["reported"]] == ["jaitf-lis"]
    assert sorted(u.code for u in yesterday["missing"]) == ["jaitf-bog", "jaitf-gru", "jaitf-lfw"]
    before = selectors.missing_reports(running, today - timedelta(days=5))
    assert not before["missing"] and len(before["not_due"]) == 4


def test_the_missing_reports_page(running, client_for, user_named):
    services.file_report(
        user=user_named("officer-lfw"), operation=running, day=lfw_today() - timedelta(days=1)
    )
    day = (lfw_today() - timedelta(days=1)).isoformat()
    page = client_for("coordinator-co").get(f"/operations/cocaine-bridge/missing/?day={day}")
    assert page.status_code == 200
    html = page.content.decode()
    missing = html[html.index('id="missing-reports"') : html.index('id="reported"')]
    assert 'data-unit="jaitf-bog"' in missing and 'data-unit="jaitf-lfw"' not in missing
    assert client_for("officer-bko").get(f"/operations/cocaine-bridge/missing/?day={day}").status_code == 404


def test_filing_through_the_page(running, client_for):
    client = client_for("officer-lfw")
    form = client.get("/operations/cocaine-bridge/sitreps/file/")
    assert form.status_code == 200 and 'name="passengers_checked"' in form.content.decode()
    data = {"unit": "jaitf-lfw", "day": (lfw_today() + timedelta(days=1)).isoformat(), **COUNTS}
    refused = client.post("/operations/cocaine-bridge/sitreps/file/", data)
    assert refused.status_code == 400 and 'id="error-day"' in refused.content.decode()
    data["day"] = lfw_today().isoformat()
    assert client.post("/operations/cocaine-bridge/sitreps/file/", data).status_code == 302
    listing = client.get("/operations/cocaine-bridge/sitreps/").content.decode()
    assert 'data-unit="jaitf-lfw"' in listing and ">900<" in listing
    assert client_for("officer-bko").get("/operations/cocaine-bridge/sitreps/file/").status_code == 404
