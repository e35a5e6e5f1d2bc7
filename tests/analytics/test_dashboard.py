"""The seizure analysis dashboard at /analytics/: figures, CSV downloads, SVG charts and the
disclosure rule (docs/analytics.md)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from aircop.accounts.models import User
from aircop.analytics import dashboard
from aircop.messaging import services as messaging
from aircop.seizures import services

PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}
SVG = "{http://www.w3.org/2000/svg}"


def seize(actor, *, when, items=None, persons=None, airport="LFW", **extra):
    return services.create_seizure(
        actor=actor,
        submit=True,
        data={
            "occurred_at": when,
            "airport": airport,
            "flow": "checked_baggage",
            "phase": "arrival",
            "direction": "inbound",
            "concealment": "baggage_lining",
            "detection": "xray",
            "tlp": "amber",
            "items": items or [],
            "persons": persons or [],
            **extra,
        },
    )


@pytest.fixture
def register(user_named):
    """Five seizures recorded in Lome (jaitf-lfw), one of them after an alert from Sao Paulo."""
    lome = user_named("officer-lfw")
    alert = messaging.send_alert(
        sender=user_named("officer-gru"),
        kind="general",
        title="Courier on ET 921",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
    )
    messaging.record_outcome(user=lome, alert=alert, result="seized")
    route = {"origin": "GRU", "transit": "ADD", "destination": "LFW"}
    seize(
        lome,
        when="2026-03-14T08:30",
        items=[{"category": "drugs", "subtype": "cocaine", "quantity": "1500", "unit": "kg"}],
        persons=[{"role": "courier", "nationality": "BRA", "sex": "M"}],
        detection="international_alert",
        triggering_alert=str(alert.pk),
        **route,
    )
    for day in ("2026-04-02T10:00", "2026-04-20T10:00"):
        seize(
            lome,
            when=day,
            items=[{"category": "wildlife", "subtype": "pangolin_scales", "quantity": "350", "unit": "kg"}],
            persons=[{"role": "courier", "nationality": "NGA", "sex": "F"}],
            concealment="cargo_consignment",
            **route,
        )
    seize(
        lome,
        when="2026-04-21T10:00",
        items=[{"category": "drugs", "subtype": "tramadol", "quantity": "1200000", "unit": "tablets"}],
        persons=[{"role": "courier", "nationality": "NGA", "sex": "F"}],
        **route,
    )
    seize(lome, when="2026-05-01T10:00", persons=[{"role": "high_risk", "nationality": "FRA", "sex": "M"}])
    return alert


def fetch_csv(client, figure, **params):
    response = client.get("/analytics/", {**PERIOD, **params, "format": "csv", "figure": figure})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="aircop-{figure}-2026-01-01-2026-12-31.csv"'
    )
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("username", ["analyst", "officer-lfw"])
def test_page_shows_the_headline_figures(client_for, register, username):
    response = client_for(username).get("/analytics/", PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("5 seizures", "1 high-risk passenger", "1.5 t", "700 kg", "1.2 million tablets"):
        assert text in page, text
    assert "Pangolin scales" in page and "Tramadol" in page
    # every chart is an image of the same view, every figure has its CSV link
    for figure in ("trend", "routes", "concealment", "detection", "nationality", "sex"):
        assert f"format=svg&amp;figure={figure}" in page
    for figure in dashboard.FIGURES:
        assert f"format=csv&amp;figure={figure}" in page


def test_headline_phrases_read_like_a_brochure_in_the_readers_language(db):
    assert dashboard.headline_text("kg", 5700.0, "cocaine") == "5.7 t of cocaine"
    assert dashboard.headline_text("kg", 700.0, "pangolin_scales") == "700 kg of pangolin scales"
    assert dashboard.headline_text("tablets", 1_200_000, "tramadol") == "1.2 million tablets of tramadol"
    assert dashboard.headline_text("kg", 0.25, "mdma") == "0.250 kg of MDMA (ecstasy)"
    assert dashboard.quantity_text("EUR", 100000.0) == "100,000 EUR"
    with translation.override("fr"):
        assert dashboard.mass_text(5700.0).startswith("5,7")


def test_csv_of_each_figure(client_for, register):
    client = client_for("officer-lfw")
    assert fetch_csv(client, "headline") == [
        ["category", "subtype", "measure", "quantity", "seizures"],
        ["drugs", "cocaine", "kg", "1500.0", "1"],
        ["drugs", "tramadol", "tablets", "1200000", "1"],
        ["wildlife", "pangolin_scales", "kg", "700.0", "2"],
    ]
    trend = fetch_csv(client, "trend")
    assert trend[0] == ["month", "seizures", "mass_kg", "drugs_kg", "wildlife_kg"]
    assert len(trend) == 1 + 12
    assert trend[3] == ["2026-03", "1", "1500.0", "1500.0", "0.0"]
    assert trend[4] == ["2026-04", "3", "700.0", "0.0", "700.0"]
    assert trend[5] == ["2026-05", "1", "0.0", "0.0", "0.0"]
    assert fetch_csv(client, "routes") == [["route", "seizures", "mass_kg"], ["GRU>ADD>LFW", "4", "2200.0"]]
    concealment = fetch_csv(client, "concealment")
    assert concealment[0] == ["concealment", "label", "seizures", "mass_kg"]
    assert [r[0] for r in concealment[1:]] == ["baggage_lining", "cargo_consignment"]
    assert concealment[2][2:] == ["2", "700.0"]
    detection = fetch_csv(client, "detection")
    assert {r[0]: r[2] for r in detection[1:]} == {"xray": "4", "international_alert": "1"}
    assert fetch_csv(client, "nationality") == [
        ["country", "label", "persons", "seizures"],
        ["NG", "Nigeria", "3", "3"],
        ["BR", "Brazil", "1", "1"],
        ["FR", "France", "1", "1"],
    ]
    sexes = fetch_csv(client, "sex")
    assert sexes[0] == ["sex", "label", "persons", "seizures"]
    assert {r[0]: r[2] for r in sexes[1:]} == {"F": "3", "M": "2"}
    tipoff = {r[0]: r[2:] for r in fetch_csv(client, "tipoff")[1:]}
    assert tipoff["all"] == ["5", "1.0", "2200.0"]
    assert tipoff["international_alert"] == ["1", "0.2", "1500.0"]
    assert tipoff["any_alert"] == ["1", "0.2", "1500.0"]
    outcomes = fetch_csv(client, "outcomes")
    assert outcomes[0] == [
        "unit",
        "alerts",
        "recipients",
        "reported",
        "seized",
        "report_rate",
        "seizure_rate",
    ]
    assert outcomes[-1] == ["all", "1", "1", "1", "1", "1.0", "1.0"]


def test_person_and_route_cells_of_few_seizures_are_withheld_from_other_readers(client_for, register):
    for username in ("analyst", "officer-acc"):
        client = client_for(username)
        rows = {r[0]: r[1:] for r in fetch_csv(client, "nationality")[1:]}
        assert rows["NG"] == ["Nigeria", "3", "3"]
        assert rows["BR"] == ["Brazil", "suppressed", "suppressed"]
        assert rows["FR"] == ["France", "suppressed", "suppressed"]
        sexes = {r[0]: r[2:] for r in fetch_csv(client, "sex")[1:]}
        assert sexes == {"F": ["3", "3"], "M": ["suppressed", "suppressed"]}
        page = client.get("/analytics/", PERIOD).content.decode()
        nationality = page[page.index('id="figure-nationality"') : page.index('id="figure-sex"')]
        assert "Brazil" in nationality and 'withheld">fewer than 3</td>' in nationality
    # a route of fewer than three seizures: values withheld
    seize(
        User.objects.get(username="officer-lfw"),
        when="2026-06-01T10:00",
        items=[{"category": "drugs", "subtype": "heroin", "quantity": "3", "unit": "kg"}],
        origin="ADD",
        destination="LFW",
    )
    routes = fetch_csv(client_for("analyst"), "routes")
    assert routes[1:] == [["GRU>ADD>LFW", "4", "2200.0"], ["ADD>LFW", "suppressed", "suppressed"]]


def test_nothing_is_withheld_when_every_record_is_the_readers_own(client_for, register):
    for username in ("officer-lfw", "head-lfw"):
        client = client_for(username)
        rows = {r[0]: r[2:] for r in fetch_csv(client, "nationality")[1:]}
        assert rows["BR"] == ["1", "1"] and rows["FR"] == ["1", "1"]
        page = client.get("/analytics/", PERIOD).content.decode()
        assert 'withheld">' not in page


def test_liaison_officers_are_refused(client_for, register):
    liaison = User.objects.filter(role="liaison").values_list("username", flat=True).first()
    client = client_for(liaison)
    assert client.get("/analytics/", PERIOD).status_code == 403
    assert client.get("/analytics/", {**PERIOD, "format": "csv", "figure": "headline"}).status_code == 403


def test_sign_in_is_required(client):
    response = client.get("/analytics/")
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.parametrize("figure", ["trend", "routes", "concealment", "detection", "nationality", "sex"])
def test_charts_are_well_formed_svg(client_for, register, figure):
    response = client_for("analyst").get("/analytics/", {**PERIOD, "format": "svg", "figure": figure})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "script-src" not in response["Content-Security-Policy"]
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    if figure == "routes":
        assert {"GRU", "ADD", "LFW"} <= set(texts.split())
        assert len(list(root.iter(f"{SVG}path"))) > 10  # land outlines, legs and airports
    if figure == "nationality":
        assert "Nigeria" in texts and "Brazil" not in texts  # a withheld cell is not drawn


def test_charts_of_an_empty_scope(client_for, db):
    client = client_for("analyst")
    for figure in ("trend", "routes", "sex"):
        response = client.get(
            "/analytics/", {"from": "1990-01-01", "to": "1990-02-01", "format": "svg", "figure": figure}
        )
        assert response.status_code == 200
        root = ET.fromstring(response.content)  # noqa: S314 (our own output)
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert figure == "trend" or any(t and t.startswith("No ") for t in texts), texts


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"country": "ZZZ"}, "country", "unknown country"),
        ({"from": "14/03/2026"}, "from", "not a date"),
        ({"from": "2026-05-01", "to": "2026-04-01"}, "to", "the period ends before it starts"),
        ({"country": "TG", "airport": "LFW"}, "region", "choose one of region, country and airport"),
    ],
)
def test_a_bad_scope_shows_the_error_next_to_the_field(client_for, db, params, field, message):
    client = client_for("analyst")
    response = client.get("/analytics/", {**PERIOD, **params})
    assert response.status_code == 400
    page = response.content.decode()
    error = page.index(f'id="error-{field}"')
    assert message in page[error : error + 300]
    assert page.rindex(f'name="{field}"', 0, error) > page.rindex("<label", 0, error)
    csv_response = client.get("/analytics/", {**PERIOD, **params, "format": "csv", "figure": "headline"})
    assert csv_response.status_code == 400 and field in csv_response.content.decode()


def test_unknown_figure_is_not_found(client_for, db):
    response = client_for("analyst").get("/analytics/", {"format": "csv", "figure": "passwords"})
    assert response.status_code == 404
