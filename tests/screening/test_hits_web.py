"""The hit review pages: the queue with its filters and live region, the badge in the
navigation bar (one COUNT query), a hit's page as an audited read (not its live refreshes),
confirm / dismiss / outcome as POSTs with CSRF that redirect back with a message, refusals on
the form (the reason named, 409 for a second review), 404 for another unit; strict CSP and
right to left in Arabic."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aircop.audit.models import AuditEntry
from aircop.core.tasks import run_queued
from aircop.messaging import services as messaging
from aircop.passengers import services as passengers
from aircop.screening import runner
from aircop.screening.context_processors import open_hits
from aircop.screening.importer import import_entries
from aircop.screening.models import Hit, HitStatus
from aircop.screening.services import create_watchlist

HEADER = (
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,scheduled_arrival,type,"
    "surname,given_names,sex,date_of_birth,nationality,residence_country,place_of_birth,document_type,"
    "document_number,document_issuing_country,document_expiry_date,embarkation,debarkation,"
    "booking_reference,seat,bag_tags\n"
)
ROWS = (
    "KP,0044,BOG,LFW,2026-11-20T10:00,2026-11-20T22:00,passenger,ABDULLAH,MUHAMMAD,M,1980-05-17,SDN,,,P,"
    "P1111111,SDN,2031-01-01,BOG,LFW,ABC123,12A,\n"
    "KP,0044,BOG,LFW,2026-11-20T10:00,2026-11-20T22:00,passenger,GONZALES,MARIA,F,1975-02-03,COL,,,P,"
    "P2222222,COL,2031-01-01,BOG,LFW,ABC124,12B,\n"
)
WANTED = b"reference,names,date_of_birth,nationality,sex\nW-1,Mohammed Abdullah,1980-05-17,SDN,M\n"
INTEREST = b"reference,names,date_of_birth,nationality,sex\nI-1,Maria Gonzalez,1975,COL,F\n"


@pytest.fixture(autouse=True)
def _fresh():
    runner.forget()
    yield
    runner.forget()
    translation.deactivate()  # a request in Arabic leaves Arabic active in the thread


@pytest.fixture
def hits(db, user_named):
    """Lomé's queue: a high hit (W-1, a wanted list) and a medium one (I-1, persons of interest)."""
    owner = user_named("officer-dss")
    for name, kind, data in (("wanted-test", "wanted", WANTED), ("interest-test", "interest", INTEREST)):
        wl = create_watchlist(
            actor=owner, name=name, title=f"{kind.title()} list", kind=kind, source="test", owner="jaitf-dss"
        )
        assert import_entries(actor=owner, watchlist=wl, data=data, name="l.csv").ok
    report = passengers.ingest((HEADER + ROWS).encode(), name="kp44.csv", source="cli")
    assert report.ok, report.as_json()
    run_queued()
    return {h.entry_reference: h for h in Hit.objects.all()}


def assert_strict(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<style", html) and " style=" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def nav_badge(html: str) -> str | None:
    found = re.search(
        r'<a href="/hits/">[^<]*<span class="badge( empty)?" id="nav-hits" data-live="nav-hits">(\d+)</span>',
        html,
    )
    return None if found is None else (found.group(1) or "") + found.group(2)


def row(html: str, hit) -> str:
    return re.search(rf'<tr data-hit="{hit.pk}"[^>]*>(.*?)</tr>', html, re.S).group(1)


def test_the_badge_counts_open_hits_for_the_roles_that_review(client_for, hits):
    assert nav_badge(client_for("officer-lfw").get("/").content.decode()) == "2"
    assert nav_badge(client_for("head-lfw").get("/").content.decode()) == "2"
    assert nav_badge(client_for("officer-bog").get("/").content.decode()) == " empty0"
    assert nav_badge(client_for("coordinator-tg").get("/").content.decode()) == " empty0"
    for name in ("admin", "analyst", "auditor", "airline-af"):
        html = client_for(name).get("/").content.decode()
        assert 'id="nav-hits"' not in html and 'href="/hits/"' not in html, name
    # Reviewed hits leave the count.
    Hit.objects.filter(pk=hits["I-1"].pk).update(status=HitStatus.DISMISSED)
    assert nav_badge(client_for("officer-lfw").get("/").content.decode()) == "1"


def test_the_badge_costs_one_count_query(user_named, hits):
    request = RequestFactory().get("/")
    request.user = user_named("officer-lfw")
    request.user.unit_ids()  # cached on the user by the request's first use (the alerts badge)
    with CaptureQueriesContext(connection) as queries:
        assert open_hits(request) == {"open_hits": 2}
    assert len(queries) == 1 and "COUNT(" in queries[0]["sql"].upper()
    request.user = user_named("analyst")
    with CaptureQueriesContext(connection) as queries:
        assert open_hits(request) == {}
    assert len(queries) == 0
    request.user = AnonymousUser()
    assert open_hits(request) == {}


def test_the_queue(client_for, hits):
    client = client_for("officer-lfw")
    response = client.get("/hits/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_strict(html)
    assert 'id="hits-table"' in html and 'data-live="hits-table"' in html
    assert re.search(r'id="hits-open">2 open<', html)
    high, medium = row(html, hits["W-1"]), row(html, hits["I-1"])
    assert html.index(f'data-hit="{hits["W-1"].pk}"') < html.index(f'data-hit="{hits["I-1"].pk}"')
    assert "High" in high and "KP0044 2026-11-20" in high and "BOG → LFW" in high
    assert "<strong>ABDULLAH</strong> MUHAMMAD" in high and "Wanted list" in high and "/ 0.80" in high
    assert f'href="/hits/{hits["W-1"].pk}/"' in high and "To review" in high
    assert "Medium" in medium and "GONZALES" in medium and "Interest list" in medium
    # Filters.
    html = client.get("/hits/", {"severity": "medium"}).content.decode()
    assert f'data-hit="{hits["I-1"].pk}"' in html and f'data-hit="{hits["W-1"].pk}"' not in html
    assert "No hit." in client.get("/hits/", {"status": "confirmed"}).content.decode()
    html = client.get("/hits/", {"status": "all", "flight": hits["W-1"].flight_id}).content.decode()
    assert f'data-hit="{hits["W-1"].pk}"' in html and f'data-hit="{hits["I-1"].pk}"' in html
    # Another unit's queue is empty; the list's owner does not see the hits either.
    for name in ("officer-bog", "officer-dss"):
        html = client_for(name).get("/hits/").content.decode()
        assert "No hit." in html and "ABDULLAH" not in html, name
    assert not AuditEntry.objects.filter(action="hit.read").exists()


def test_the_hit_page_is_an_audited_read_and_its_live_refreshes_are_not(client_for, hits):
    hit = hits["W-1"]
    client = client_for("officer-lfw")
    response = client.get(f"/hits/{hit.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_strict(html)
    explanation = re.search(r'<ul class="explanation">(.*?)</ul>', html, re.S).group(1)
    assert explanation.count("<li>") == len(hit.explanation) and "date of birth: same" in explanation
    assert "<strong>ABDULLAH</strong> MUHAMMAD" in html and "1980-05-17" in html and "P1111111" in html
    assert f'href="/passengers/flights/{hit.flight_id}/"' in html
    assert "Wanted list" in html and "wanted-test" in html and "W-1" in html and "JAITF Diass (DSS)" in html
    assert 'id="confirm-form"' in html and 'id="dismiss-form"' in html and 'id="outcome-form"' not in html
    for form in re.findall(r'<form method="post" action="/hits/.*?</form>', html, re.S):
        assert 'name="csrfmiddlewaretoken"' in form
    entry = AuditEntry.objects.get(action="hit.read")
    assert entry.actor_username == "officer-lfw" and entry.data == {"via": "page"} and entry.channel == "web"
    # live.js refreshing the page's live parts is not a new reading.
    assert client.get(f"/hits/{hit.pk}/", HTTP_X_AIRCOP_BACKGROUND="1").status_code == 200
    assert AuditEntry.objects.filter(action="hit.read").count() == 1


def test_another_unit_gets_404_everywhere(client_for, hits):
    hit = hits["W-1"]
    for name in ("officer-bog", "officer-dss", "admin"):
        client = client_for(name)
        assert client.get(f"/hits/{hit.pk}/").status_code == 404, name
        assert client.post(f"/hits/{hit.pk}/confirm/", {"note": ""}).status_code == 404, name
        assert client.post(f"/hits/{hit.pk}/dismiss/", {"reason": "no"}).status_code == 404, name
        assert client.post(f"/hits/{hit.pk}/outcome/", {"result": "seized"}).status_code == 404, name
    assert Hit.objects.get(pk=hit.pk).status == HitStatus.OPEN
    assert not AuditEntry.objects.filter(action="hit.read").exists()


def test_writes_need_csrf_and_post(user_named, hits):
    hit = hits["W-1"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_named("officer-lfw"))
    assert client.post(f"/hits/{hit.pk}/confirm/", {"note": ""}).status_code == 403
    assert client.get(f"/hits/{hit.pk}/confirm/").status_code == 405
    assert Hit.objects.get(pk=hit.pk).status == HitStatus.OPEN


def test_confirm_on_the_web_then_a_second_review_is_refused(client_for, user_named, hits):
    hit = hits["W-1"]
    client = client_for("officer-lfw")
    response = client.post(f"/hits/{hit.pk}/confirm/", {"note": "same passport photo"}, follow=True)
    assert response.redirect_chain == [(f"/hits/{hit.pk}/", 302)]
    html = response.content.decode()
    assert "Hit confirmed: an alert was sent to 2 units." in html
    hit.refresh_from_db()
    assert hit.status == HitStatus.CONFIRMED and hit.review_note == "same passport photo"
    assert "Confirmed by officer-lfw (JAITF Lome (LFW))" in html and "same passport photo" in html
    assert f'href="/alerts/{hit.alert_id}/"' in html
    assert 'id="confirm-form"' not in html and 'id="outcome-form"' in html
    # Someone else of the queue tries again: 409, the refusal shown, nothing changes.
    again = client_for("head-lfw").post(f"/hits/{hit.pk}/dismiss/", {"reason": "not him"})
    assert again.status_code == 409
    assert 'id="review-refusal"' in again.content.decode() and "already reviewed" in again.content.decode()
    assert Hit.objects.get(pk=hit.pk).status == HitStatus.CONFIRMED
    # The other units' outcomes, from the alert, show on the hit.
    messaging.record_outcome(user=user_named("officer-bog"), alert=hit.alert, result="not_on_board")
    html = client.get(f"/hits/{hit.pk}/").content.decode()
    outcomes = re.search(
        r'<div id="alert-outcomes" data-live="alert-outcomes">(.*?)</div>\s*</section>', html, re.S
    )
    assert "JAITF Bogota" in outcomes.group(1) and "Passenger not on board" in outcomes.group(1)


def test_dismissal_without_a_reason_is_refused_on_its_field(client_for, hits):
    hit = hits["I-1"]
    client = client_for("officer-lfw")
    response = client.post(f"/hits/{hit.pk}/dismiss/", {"reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    form = re.search(
        r'<form method="post" action="/hits/\d+/dismiss/" id="dismiss-form">(.*?)</form>', html, re.S
    )
    assert "Say why you dismiss this hit." in form.group(1) and 'name="reason"' in form.group(1)
    assert Hit.objects.get(pk=hit.pk).status == HitStatus.OPEN
    response = client.post(f"/hits/{hit.pk}/dismiss/", {"reason": "other date of birth"}, follow=True)
    assert response.redirect_chain == [(f"/hits/{hit.pk}/", 302)]
    assert "Hit dismissed." in response.content.decode()
    assert Hit.objects.get(pk=hit.pk).status == HitStatus.DISMISSED
    assert AuditEntry.objects.filter(action="hit.dismissed").count() == 1


def test_the_outcome_form(client_for, hits):
    hit = hits["W-1"]
    client = client_for("officer-lfw")
    early = client.post(f"/hits/{hit.pk}/outcome/", {"result": "seized"})
    assert early.status_code == 409 and 'id="review-refusal"' in early.content.decode()
    client.post(f"/hits/{hit.pk}/confirm/", {"note": ""})
    html = client.get(f"/hits/{hit.pk}/").content.decode()
    form = re.search(r'id="outcome-form">(.*?)</form>', html, re.S).group(1)
    assert all(f'value="{v}"' in form for v in ("seized", "negative", "not_on_board", "missed", "no_action"))
    assert client.post(f"/hits/{hit.pk}/outcome/", {"result": "arrested"}).status_code == 400
    response = client.post(f"/hits/{hit.pk}/outcome/", {"result": "seized", "note": "2 kg"}, follow=True)
    html = response.content.decode()
    assert "Outcome recorded." in html
    assert "Outcome of JAITF Lome (LFW):" in html and "<strong>Intercepted with seizure</strong>" in html
    assert Hit.objects.get(pk=hit.pk).outcome == "seized"


def test_a_traveller_removed_by_retention(client_for, hits):
    hit = hits["I-1"]
    Hit.objects.filter(pk=hit.pk).update(traveller=None, explanation=[])
    client = client_for("officer-lfw")
    assert "(removed by retention)" in row(client.get("/hits/").content.decode(), hit)
    html = client.get(f"/hits/{hit.pk}/").content.decode()
    assert "The traveller's record was deleted" in html and '<ul class="explanation">' not in html


def test_pages_are_csp_strict_and_read_right_to_left_in_arabic(client_for, hits, settings):
    client = client_for("officer-lfw")
    paths = ("/hits/", f"/hits/{hits['W-1'].pk}/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert_strict(html)
        assert 'lang="ar" dir="rtl"' in html, path
        assert 'id="nav-hits"' in html
