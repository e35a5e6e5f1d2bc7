"""The programme dashboard (docs/analytics.md, "The programme dashboard"): the API, the page,
its HTML and PDF reports and `aircop report programme`, on the demo network."""

from __future__ import annotations

import contextvars
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from aircop.accounts.models import User
from aircop.analytics import programme, programme_sections
from aircop.audit.models import AuditEntry
from aircop.messaging import services

PAST = "2013-01-01"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def an_alert_today(user_named):
    sender, receiver = user_named("officer-lfw"), user_named("officer-dss")
    alert = services.send_alert(
        sender=sender,
        kind="general",
        title="Programme test",
        audience_entries=[{"scope": "unit", "target": "jaitf-dss"}],
    )
    services.record_outcome(user=receiver, alert=alert, result="seized")
    return alert


def liaison_name() -> str:
    return User.objects.filter(role="liaison").values_list("username", flat=True).first()


# --------------------------------------------------------------------------- API
def test_the_api_answers_the_summary_of_the_day(client_for, an_alert_today):
    response = client_for("officer-lfw").get("/api/v1/programme/summary")
    assert response.status_code == 200, response.content
    body = response.json()
    expected = json.loads(json.dumps(programme.summary(timezone.localdate())))
    for key, value in expected.items():
        assert body[key] == value, key
    assert body["at"] == timezone.localdate().isoformat()
    network = body["network"]
    assert network["airports"] > 0 and network["countries"] > 0
    assert network["units"] == sum(network["units_by_kind"].values())
    assert network["airports_by_year"][-1] == {
        "year": timezone.localdate().year,
        "new": network["airports_by_year"][-1]["new"],
        "total": network["airports"],
    }
    alerts = body["alerts"]
    assert alerts["alerts"] >= 1 and alerts["outcomes"]["seized"] >= 1
    assert set(body["seizures"]) == {"seizures", "high_risk_persons", "by_commodity"}


def test_a_past_date_gives_smaller_figures(client_for, an_alert_today):
    client = client_for("officer-lfw")
    now = client.get("/api/v1/programme/summary").json()
    then = client.get("/api/v1/programme/summary", {"at": PAST}).json()
    assert then["at"] == PAST
    assert then["network"]["airports"] < now["network"]["airports"]
    assert then["network"]["countries"] <= now["network"]["countries"]
    assert then["network"]["airports_by_year"][-1]["year"] == 2013
    assert then["alerts"]["alerts"] < now["alerts"]["alerts"]
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    before = client.get("/api/v1/programme/summary", {"at": yesterday}).json()
    assert before["alerts"]["alerts"] == now["alerts"]["alerts"] - 1


@pytest.mark.parametrize("raw", ["2026-13-01", "yesterday", "1999-12-31", "2999-01-01"])
def test_a_bad_date_is_a_400_naming_the_field(client_for, raw):
    response = client_for("analyst").get("/api/v1/programme/summary", {"at": raw})
    assert response.status_code == 400
    assert response.json()["field"] == "at" and response.json()["detail"].startswith("at: ")


def test_any_signed_in_user_may_read_it_and_nobody_else(client_for):
    assert Client().get("/api/v1/programme/summary").status_code == 401
    assert client_for(liaison_name()).get("/api/v1/programme/summary").status_code == 200


def test_the_openapi_document_types_the_summary(client_for):
    doc = client_for("analyst").get("/api/v1/openapi.json").json()
    assert "/api/v1/programme/summary" in doc["paths"]
    out = doc["components"]["schemas"]["ProgrammeSummaryOut"]
    for section in programme_sections.SECTIONS:
        assert section.key in out["properties"]
        assert (section.key in out["required"]) is not section.optional
    network = doc["components"]["schemas"]["ProgrammeNetworkOut"]["properties"]
    assert network["airports"]["type"] == "integer"


# --------------------------------------------------------------------------- the page
def test_the_page_draws_each_section_with_a_chart_and_its_table(client_for, an_alert_today):
    response = client_for(liaison_name()).get("/analytics/programme/")
    assert response.status_code == 200
    page = response.content.decode()
    summary = programme.summary(timezone.localdate())
    assert f'id="card-airports"><span class="amount">{summary["network"]["airports"]}<' in page
    assert 'id="card-outcome_rate"' in page and 'type="date" name="at"' in page
    for section, _data in programme_sections.present(summary):
        assert f'id="section-{section.key}"' in page
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(svgs) >= 4  # growth, units, commodities, outcomes
    for svg in svgs:
        ET.fromstring(svg)  # noqa: S314 (our own output): well-formed
    # The growth chart beside the table holding the same figures.
    growth = page[page.index('id="figure-airports_by_year"') :]
    growth = growth[: growth.index("</table>")]
    assert "<svg" in growth and "<table>" in growth
    last = summary["network"]["airports_by_year"][-1]
    assert f"<td>{last['year']}</td>" in growth and f'<td class="num">{last["total"]}</td>' in growth
    assert 'href="/analytics/programme.pdf?at=' in page


def test_the_page_keeps_the_strict_content_security_policy(client_for):
    response = client_for("officer-lfw").get("/analytics/programme/")
    csp = response["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp and "script-src 'self'" in csp
    page = response.content.decode()
    # Nothing the policy would refuse: no inline style (element or attribute), no inline script.
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_the_page_in_arabic_is_right_to_left(client_for):
    client = client_for("officer-lfw")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get("/analytics/programme/", {"at": PAST}).content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "<svg" in page and 'id="figure-airports_by_year"' in page
    assert '<div class="chart" dir="ltr"' in page  # the chart's own layout is not mirrored


def test_a_bad_date_on_the_page_is_shown_beside_the_field(client_for):
    response = client_for("officer-lfw").get("/analytics/programme/", {"at": "2026-02-30"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-at"' in page and "YYYY-MM-DD" in page and "<svg" not in page


def test_the_navigation_links_the_page_for_everyone(client_for):
    for username in ("officer-lfw", liaison_name()):
        assert 'href="/analytics/programme/"' in client_for(username).get("/").content.decode()


# --------------------------------------------------------------------------- reports
def test_the_pdf_and_html_reports(client_for):
    client = client_for("officer-lfw")
    pdf = client.get("/analytics/programme.pdf", {"at": PAST})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert 'filename="aircop-programme-2013-01-01.pdf"' in pdf["Content-Disposition"]
    html = client.get("/analytics/programme.html", {"at": PAST})
    assert html.status_code == 200 and "default-src 'none'" in html["Content-Security-Policy"]
    body = html.content.decode()
    assert "TLP:CLEAR" in body and "<svg" in body and 'id="card-airports"' in body
    entry = AuditEntry.objects.filter(action="report.generated").order_by("-seq").first()
    assert entry.data == {"kind": "programme", "format": "html", "at": PAST, "tlp": "clear"}
    bad = client.get("/analytics/programme.pdf", {"at": "2026-13-01"})
    assert bad.status_code == 400 and bad.content.decode().startswith("at: ")


def aircop_report(*args: str) -> tuple[int, str]:
    """`aircop report ...` in this process, on the test database. In a copy of the context, so
    that the command's "every write comes from the command line" does not outlive it."""
    err = io.StringIO()

    def run():
        try:
            call_command("report", *args, stderr=err)
        except CommandError as exc:
            return exc.returncode, str(exc)
        return 0, err.getvalue()

    return contextvars.copy_context().run(run)


def test_the_report_from_the_command_line(db, tmp_path):
    out = tmp_path / "programme.html"
    code, said = aircop_report("programme", "--at", PAST, "--format", "html", "--output", str(out))
    assert code == 0 and "programme report written" in said
    assert "<svg" in out.read_text() and "TLP:CLEAR" in out.read_text()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "report.generated" and entry.actor_id is None and entry.data["at"] == PAST
    pdf = tmp_path / "programme.pdf"
    assert aircop_report("programme", "--at", PAST, "--language", "ar", "--output", str(pdf))[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    code, said = aircop_report("programme", "--at", "2999-01-01", "--output", str(tmp_path / "x.pdf"))
    assert code == 2 and said == "--at: the date is in the future"
    assert not (tmp_path / "x.pdf").exists()


def test_every_section_is_built_from_the_registry():
    summary = {
        "at": date(2020, 1, 1).isoformat(),
        "network": {
            "countries": 1,
            "airports": 2,
            "units": 3,
            "units_by_kind": {"jaitf": 2, "national_hq": 1},
            "airports_by_year": [{"year": 2019, "new": 1, "total": 1}, {"year": 2020, "new": 1, "total": 2}],
        },
    }
    built = programme_sections.build(summary)  # a summary without seizures or alerts
    assert [s["key"] for s in built["sections"]] == ["network"]
    assert [c.id for c in built["cards"]] == ["countries", "airports", "units"]
    summary["alerts"] = {
        "alerts": 0,
        "acknowledged": 0,
        "acknowledged_rate": None,
        "with_outcome": 0,
        "outcome_rate": None,
        "outcomes": {"seized": 0, "negative": 0},
        "seized_rate": None,
    }
    alerts = programme_sections.build(summary)["sections"][1]
    assert alerts["key"] == "alerts"
    outcomes = alerts["figures"][0]
    assert len(outcomes["display"]["rows"]) == 2 and "No outcome reported" in outcomes["chart"]
    assert alerts["figures"][1]["chart"] is None and alerts["figures"][1]["display"]["rows"][0][2][0] == "—"
    growth = built["sections"][0]["figures"][0]
    assert growth["display"]["rows"][1][0] == ("2020", False, False)
    assert " style=" not in growth["chart"] and "<style" not in growth["chart"]
