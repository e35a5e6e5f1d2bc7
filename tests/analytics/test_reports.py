"""Reports (docs/analytics.md, "Reports"): the strategic report for a period and a place, and
the case report of one seizure or one alert, as HTML and PDF, from the web and the CLI."""

from __future__ import annotations

import html as html_lib
import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from aircop.analytics import queries, reports
from aircop.audit.models import AuditEntry
from aircop.core.errors import ServiceError
from aircop.messaging import services as messaging
from aircop.seizures import photos, services
from tests.conftest import run_aircop

PERIOD = "from=2019-01-01&to=2019-12-31"
GOOD_CSV = Path(__file__).parents[1] / "seizures" / "fixtures" / "good.csv"


def seize(actor, *, when, tlp="amber", items=None, persons=None, **extra):
    return services.create_seizure(
        actor=actor,
        submit=True,
        data={
            "occurred_at": when,
            "airport": "LFW",
            "flow": "checked_baggage",
            "phase": "arrival",
            "direction": "inbound",
            "origin": "GRU",
            "transit": "ADD",
            "destination": "LFW",
            "concealment": "baggage_lining",
            "detection": "xray",
            "tlp": tlp,
            "items": items or [{"category": "drugs", "subtype": "cocaine", "quantity": "500", "unit": "kg"}],
            "persons": persons or [],
            **extra,
        },
    )


def is_pdf(body: bytes) -> bool:
    return body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF") and len(body) > 1000


def text_of(html: str) -> str:
    """The page's text, tags removed and spaces folded (for sentences split across tags)."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def year_2019(user_named):
    """Four seizures in Lome in 2019: three cocaine couriers from Nigeria, one from France."""
    lome = user_named("officer-lfw")
    made = [
        seize(
            lome,
            when=f"2019-0{month}-10T10:00",
            persons=[{"role": "courier", "nationality": "NGA", "sex": "F"}],
        )
        for month in (3, 4, 4)
    ]
    made.append(
        seize(
            lome,
            when="2019-05-02T10:00",
            items=[{"category": "drugs", "subtype": "tramadol", "quantity": "1200000", "unit": "tablets"}],
            persons=[{"role": "courier", "nationality": "FRA", "sex": "M"}],
        )
    )
    return made


# --------------------------------------------------------------------------- strategic
def test_strategic_html_holds_the_headline_totals_charts_and_texts(client_for, year_2019):
    response = client_for("analyst").get(f"/analytics/reports/strategic.html?{PERIOD}&country=TG")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    html = response.content.decode()
    text = text_of(html)
    assert "4 seizures" in text
    assert "Between Jan. 1, 2019 and Dec. 31, 2019, 4 seizures were recorded in Togo." in text
    assert "Cocaine accounted for 1.5 t, 100.0 % of the 1.5 t seized by weight." in text
    assert "Also seized: 1.2 million tablets of tramadol." in text
    assert "The busiest month was April 2019, with 2 seizures." in text
    assert "The leading route was GRU > ADD > LFW: 4 seizures, 1.5 t." in text
    assert "4 of the 4 seizures (100.0 %)" not in text  # no alert behind any of them
    assert "0 of the 4 seizures (0.0 %) followed an alert" in text
    # The charts are inline SVG (no image to fetch), their ids kept apart.
    assert html.count("<svg") == 7 and "<img" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'style="fill' not in html  # presentation attributes, not style attributes
    assert 'id="report-tlp">TLP:AMBER<' in html
    entry = AuditEntry.objects.filter(action="report.generated").latest("seq")
    assert entry.actor_username == "analyst"
    assert entry.data["kind"] == "strategic" and entry.data["format"] == "html"
    assert entry.data["scope"]["country"] == "TG" and entry.data["tlp"] == "amber"


def test_strategic_report_applies_the_dashboards_disclosure_rule(client_for, year_2019):
    """France appears in one seizure only: withheld for the analyst, shown to Lome, whose
    units recorded every record in the scope (exactly the dashboard's rule)."""
    analyst = text_of(
        client_for("analyst").get(f"/analytics/reports/strategic.html?{PERIOD}").content.decode()
    )
    assert re.search(r"France fewer than 3 fewer than 3", analyst)
    assert "Nigeria 3 3" in analyst
    assert "2 cells of fewer than 3 seizures are withheld." in analyst  # France, and Male by sex
    own = text_of(
        client_for("officer-lfw").get(f"/analytics/reports/strategic.html?{PERIOD}").content.decode()
    )
    assert "France 1 1" in own and "fewer than 3 fewer than" not in own
    assert "nothing is withheld" in own


def test_strategic_pdf_and_its_label(client_for, year_2019):
    response = client_for("analyst").get(f"/analytics/reports/strategic.pdf?{PERIOD}&tlp=TLP:GREEN")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert is_pdf(response.content)
    assert 'filename="aircop-strategic-2019-01-01-2019-12-31.pdf"' in response["Content-Disposition"]
    entry = AuditEntry.objects.filter(action="report.generated").latest("seq")
    assert entry.data["format"] == "pdf" and entry.data["tlp"] == "green"


def test_strategic_report_refusals(client_for):
    analyst = client_for("analyst")
    bad = analyst.get("/analytics/reports/strategic.html?from=2019-13-01&to=2019-12-31")
    assert bad.status_code == 400 and "from" in bad.content.decode()
    label = analyst.get(f"/analytics/reports/strategic.pdf?{PERIOD}&tlp=purple")
    assert label.status_code == 400 and "tlp: unknown TLP label 'purple'" in label.content.decode()
    assert client_for("liaison-gh").get(f"/analytics/reports/strategic.html?{PERIOD}").status_code == 403
    anonymous = Client().get(f"/analytics/reports/strategic.pdf?{PERIOD}")
    assert anonymous.status_code == 302 and "/login/" in anonymous.url
    assert not AuditEntry.objects.filter(action="report.generated").exists()


def test_the_operator_gets_the_rule_too(year_2019):
    scope = queries.parse_scope(date_from="2019-01-01", date_to="2019-12-31")
    report = reports.strategic(None, scope, fmt_name="html", tlp="red")
    text = text_of(report.body.decode())
    assert "France fewer than 3" in text and "generated for the operator" in text
    assert 'id="report-tlp">TLP:RED<' in report.body.decode()
    entry = AuditEntry.objects.filter(action="report.generated").latest("seq")
    assert entry.actor_id is None and entry.data["kind"] == "strategic"
    with pytest.raises(ServiceError):
        reports.strategic(None, scope, fmt_name="docx")


def test_arabic_report_is_right_to_left_and_renders_as_pdf(year_2019):
    scope = queries.parse_scope(date_from="2019-01-01", date_to="2019-12-31")
    with translation.override("ar"):
        html = reports.strategic(None, scope, fmt_name="html").body.decode()
        pdf = reports.strategic(None, scope, fmt_name="pdf").body
    assert '<html lang="ar" dir="rtl">' in html
    assert is_pdf(pdf)


def test_dashboard_links_to_the_report_of_its_scope(client_for):
    html = client_for("analyst").get(f"/analytics/?{PERIOD}&airport=LFW").content.decode()
    assert 'href="/analytics/reports/strategic.pdf?from=2019-01-01&amp;to=2019-12-31&amp;airport=LFW"' in html
    assert (
        'href="/analytics/reports/strategic.html?from=2019-01-01&amp;to=2019-12-31&amp;airport=LFW"' in html
    )


# --------------------------------------------------------------------------- case reports
COURIER = {
    "role": "courier",
    "nationality": "BRA",
    "sex": "F",
    "age": "31",
    "nominal": {"surname": "SILVA", "given_names": "Ana", "document_number": "FB123456"},
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def test_seizure_case_report_follows_the_nominal_rule_and_is_audited(client_for, user_named, media):
    lome = user_named("officer-lfw")
    seizure = seize(lome, when="2026-03-14T08:30", tlp="green", persons=[COURIER], flight="ET921")
    photos.add_photo(user=lome, seizure=seizure, uploaded_file=SimpleUploadedFile("goods.jpg", jpeg()))
    photos.add_photo(
        user=lome, seizure=seizure, uploaded_file=SimpleUploadedFile("face.jpg", jpeg()), nominal=True
    )
    url = f"/analytics/reports/seizure/{seizure.pk}"
    nominal_reads = AuditEntry.objects.filter(action="seizure.nominal_read", object_id=str(seizure.pk))
    generated = AuditEntry.objects.filter(action="report.generated", object_id=str(seizure.pk))

    own = client_for("officer-lfw").get(f"{url}.html")
    assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
    html = own.content.decode()
    assert "SILVA, Ana" in html and "FB123456" in html and "ET921" in html
    assert 'id="report-tlp">TLP:GREEN<' in html
    assert html.count('src="data:image/jpeg;base64,') == 2  # both thumbnails, inlined
    assert [e.data for e in nominal_reads.all()] == [{"via": "report", "persons": 1}]
    assert generated.get().data == {"kind": "seizure", "format": "html"}

    community = client_for("officer-acc").get(f"{url}.html")
    assert community.status_code == 200
    html = community.content.decode()
    assert "SILVA" not in html and "FB123456" not in html and "withheld" in html
    assert "Cocaine" in html and "goods.jpg" in html and "face.jpg" not in html
    assert html.count('src="data:image/jpeg;base64,') == 1
    assert nominal_reads.count() == 1  # the community read no nominal data
    assert generated.filter(actor_username="officer-acc").count() == 1

    pdf = client_for("officer-lfw").get(f"{url}.pdf")
    assert pdf.status_code == 200 and is_pdf(pdf.content)
    assert nominal_reads.count() == 2


def test_a_record_the_reader_may_not_see_is_404(client_for, user_named):
    amber = seize(user_named("officer-lfw"), when="2026-03-14T08:30", tlp="amber", persons=[COURIER])
    accra = client_for("officer-acc")  # community, but AMBER is not shared with it
    assert accra.get(f"/analytics/reports/seizure/{amber.pk}.pdf").status_code == 404
    assert accra.get(f"/analytics/reports/seizure/{amber.pk}.html").status_code == 404
    assert client_for("liaison-gh").get(f"/analytics/reports/seizure/{amber.pk}.html").status_code == 404
    assert not AuditEntry.objects.filter(action="report.generated").exists()
    assert not AuditEntry.objects.filter(action="seizure.nominal_read").exists()


def test_alert_case_report(client_for, user_named):
    sao_paulo, lome = user_named("officer-gru"), user_named("officer-lfw")
    alert = messaging.send_alert(
        sender=sao_paulo,
        kind="general",
        title="Courier on ET 921",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
        body="Watch the ET 921 arrival.",
    )
    messaging.acknowledge(user=lome, alert=alert)
    messaging.post_message(user=lome, alert=alert, body="On it at the arrival belt.")
    messaging.record_outcome(user=lome, alert=alert, result="seized", note="1.5 kg found")
    seizure = seize(lome, when="2026-03-14T08:30", alerts=[str(alert.pk)])

    response = client_for("officer-gru").get(f"/analytics/reports/alert/{alert.pk}.html")
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Courier on ET 921" in text and "Watch the ET 921 arrival." in text
    assert "1 of 1 acknowledged" in text and "officer-lfw" in text
    assert "On it at the arrival belt." in text and "1.5 kg found" in text
    assert seizure.reference in text  # Sao Paulo sent the alert behind it: tip-off loop
    assert 'id="report-tlp">TLP:AMBER<' in response.content.decode()
    assert AuditEntry.objects.get(action="report.generated", object_id=str(alert.pk)).data["kind"] == "alert"
    pdf = client_for("officer-lfw").get(f"/analytics/reports/alert/{alert.pk}.pdf")
    assert pdf.status_code == 200 and is_pdf(pdf.content)
    assert client_for("officer-acc").get(f"/analytics/reports/alert/{alert.pk}.pdf").status_code == 404


def test_record_pages_link_to_their_case_report(client_for, user_named):
    lome = user_named("officer-lfw")
    alert = messaging.send_alert(
        sender=user_named("officer-gru"),
        kind="general",
        title="Courier",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
    )
    seizure = seize(lome, when="2026-03-14T08:30")
    client = client_for("officer-lfw")
    assert (
        f'href="/analytics/reports/seizure/{seizure.pk}.pdf"'
        in client.get(f"/seizures/{seizure.pk}/").content.decode()
    )
    assert (
        f'href="/analytics/reports/alert/{alert.pk}.pdf"'
        in client.get(f"/alerts/{alert.pk}/").content.decode()
    )


# --------------------------------------------------------------------------- the CLI
def test_cli_writes_reports_and_refuses_bad_input_with_exit_2(tmp_path):
    """The real `aircop report` command on its own prepared database."""
    from tests.live import LiveAircop

    live = LiveAircop(tmp_path / "var")
    try:
        live.prepare()

        def aircop(*args):
            return run_aircop(*args, env=live.env)

        imported = aircop("seizures", "import", str(GOOD_CSV))
        assert imported.returncode == 0, imported.stderr
        pdf = tmp_path / "strategic.pdf"
        done = aircop(
            "report", "strategic", "--from", "2025-01-01", "--to", "2025-12-31", "--country", "TG",
            "--format", "pdf", "--output", str(pdf),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert is_pdf(pdf.read_bytes())

        html = tmp_path / "strategic-fr.html"
        french = aircop(
            "report", "strategic", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "html",
            "--output", str(html), "--as", "analyst", "--language", "fr",
        )  # fmt: skip
        assert french.returncode == 0, french.stderr
        assert '<html lang="fr" dir="ltr">' in html.read_text()

        for bad, field in (
            (["--from", "2025-13-01", "--to", "2025-12-31"], "--from"),
            (["--from", "2025-01-01", "--to", "2024-12-31"], "--to"),
            (["--from", "2025-01-01", "--to", "2025-12-31", "--airport", "ZZZ"], "--airport"),
        ):
            refused = aircop("report", "strategic", *bad, "--output", str(tmp_path / "bad.pdf"))
            assert refused.returncode == 2, refused.stderr
            assert len(refused.stderr.strip().splitlines()) == 1 and field in refused.stderr
        assert not (tmp_path / "bad.pdf").exists()

        exported = json.loads(aircop("seizures", "export", "--format", "json").stdout)
        lome = next(s for s in exported["seizures"] if s["external_reference"] == "CASE-001")
        case = tmp_path / "case.pdf"
        written = aircop("report", "seizure", str(lome["id"]), "--as", "officer-lfw", "--output", str(case))
        assert written.returncode == 0, written.stderr
        assert is_pdf(case.read_bytes())
        hidden = aircop("report", "seizure", "999999", "--as", "officer-lfw", "--output", str(case))
        assert hidden.returncode == 2 and "not found" in hidden.stderr
    finally:
        live.stop()
