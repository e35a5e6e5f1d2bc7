"""The seizure register's pages: list, one form for the whole record, detail with its status
buttons, and the linked seizures on an alert's page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from aircop.audit.models import AuditEntry
from aircop.messaging import services as messaging
from aircop.seizures import services
from aircop.seizures.models import Seizure


def record(**overrides) -> dict:
    data = {
        "occurred_at": "2026-03-14T08:30",
        "airport": "LFW",
        "flow": "checked_baggage",
        "phase": "arrival",
        "direction": "inbound",
        "flight": "ET921",
        "origin": "GRU",
        "transit": "ADD",
        "destination": "LFW",
        "concealment": "baggage_lining",
        "detection": "xray",
        "tlp": "amber",
        "items": [{"category": "drugs", "subtype": "cocaine", "quantity": "4200", "unit": "g"}],
        "persons": [
            {
                "role": "courier",
                "nationality": "BRA",
                "sex": "F",
                "age": "31",
                "nominal": {"surname": "SILVA"},
            }
        ],
    }
    data.update(overrides)
    return data


def form_post(**overrides) -> dict:
    """What the browser sends for a record with an item in rows 0 and 2 (row 1 left blank)."""
    data = {
        "items_rows": "3",
        "persons_rows": "2",
        "occurred_date": "2026-03-14",
        "occurred_time": "08:30",
        "airport": "gru",
        "unit": "",
        "reporting_agency": "customs",
        "flow": "passenger_body",
        "phase": "departure",
        "direction": "outbound",
        "flight": "ET 507",
        "origin": "GRU",
        "transit": "ADD",
        "destination": "LFW",
        "goods_origin_country": "BO",
        "concealment": "inside_body",
        "detection": "risk_profiling",
        "triggering_alert": "",
        "alerts": "",
        "tlp": "green",
        "notes": "Pellets found at the boarding gate.",
        "item-0-category": "drugs",
        "item-0-subtype": "cocaine",
        "item-0-drug_form": "powder",
        "item-0-quantity": "1,25",
        "item-0-unit": "kg",
        "item-2-category": "currency",
        "item-2-subtype": "banknotes",
        "item-2-quantity": "15000",
        "item-2-unit": "currency",
        "item-2-currency": "usd",
        "item-2-description": "blue bag",
        "person-0-role": "courier",
        "person-0-nationality": "NG",
        "person-0-sex": "M",
        "person-0-age": "27",
        "person-0-surname": "OKAFOR",
        "person-0-document_number": "A0011223",
        "action": "submit",
    }
    data.update(overrides)
    return data


def fieldset(html: str, row_id: str) -> str:
    match = re.search(rf'<fieldset[^>]*id="{row_id}".*?</fieldset>', html, re.S)
    assert match, row_id
    return match.group(0)


def test_list_shows_own_units_records_in_local_time_and_not_another_units_draft(client_for, user_named):
    mine = services.create_seizure(actor=user_named("officer-gru"), data=record(airport="GRU", origin="BOG"))
    other_draft = services.create_seizure(
        actor=user_named("officer-acc"), data=record(airport="ACC", destination="ACC")
    )
    client = client_for("officer-gru")
    html = client.get("/seizures/").content.decode()
    assert f'data-seizure="{mine.pk}"' in html
    assert f'data-seizure="{other_draft.pk}"' not in html
    row = re.search(rf'<tr data-seizure="{mine.pk}".*?</tr>', html, re.S).group(0)
    # 08:30 at Sao Paulo is 11:30 UTC: the list shows the airport's local time.
    assert "2026-03-14 08:30" in row and "11:30" not in row
    assert "Cocaine 4.2 kg" in row and "BOG &gt; ADD &gt; LFW" in row
    assert "TLP:AMBER" in row and "Draft" in row
    # Filters narrow the list.
    assert f'data-seizure="{mine.pk}"' not in client.get("/seizures/?category=wildlife").content.decode()
    assert f'data-seizure="{mine.pk}"' not in client.get("/seizures/?status=submitted").content.decode()
    assert f'data-seizure="{mine.pk}"' not in client.get("/seizures/?date_from=2026-03-15").content.decode()
    kept = client.get("/seizures/?airport=gru&date_from=2026-03-14&date_to=2026-03-14&category=drugs")
    assert f'data-seizure="{mine.pk}"' in kept.content.decode()
    assert "Not a date" in client.get("/seizures/?date_from=14/03/2026").content.decode()
    # Not visible is a 404 on every page of the record.
    assert client.get(f"/seizures/{other_draft.pk}/").status_code == 404
    assert client.get(f"/seizures/{other_draft.pk}/edit/").status_code == 404
    assert client.post(f"/seizures/{other_draft.pk}/submit/").status_code == 404


def test_form_round_trip_creates_a_record_with_two_items(client_for):
    client = client_for("officer-gru")
    page = client.get("/seizures/new/").content.decode()
    assert 'id="item-2"' in page and 'id="person-1"' in page and 'id="item-3"' not in page
    assert "?items=6&amp;persons=4" in page
    more = client.get("/seizures/new/?items=6&persons=4").content.decode()
    assert 'id="item-5"' in more and 'id="person-3"' in more
    before = Seizure.objects.count()
    response = client.post("/seizures/new/", form_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    seizure = Seizure.objects.latest("pk")
    assert Seizure.objects.count() == before + 1
    assert response.url == f"/seizures/{seizure.pk}/"
    assert seizure.status == "submitted" and seizure.unit.code == "jaitf-gru" and seizure.tlp == "green"
    assert seizure.route_key == "GRU>ADD>LFW" and seizure.flight == "ET507"
    assert seizure.occurred_at.isoformat().startswith("2026-03-14T11:30")  # 08:30 at GRU, in UTC
    items = list(seizure.items.order_by("position"))
    assert [(i.subtype, i.mass_kg, i.currency) for i in items] == [
        ("cocaine", Decimal("1.250"), ""),
        ("banknotes", None, "USD"),
    ]
    person = seizure.persons.get()
    assert person.age_band == "25-34" and person.nominal == {
        "surname": "OKAFOR",
        "document_number": "A0011223",
    }
    detail = client.get(response.url).content.decode()
    assert "Cocaine 1.25 kg" in detail and "OKAFOR" in detail
    # The edit form shows what was saved, in local time, and saves changes.
    edit = client.get(f"/seizures/{seizure.pk}/edit/").content.decode()
    assert 'value="08:30"' in edit and 'value="OKAFOR"' in edit and 'value="1.25"' in edit
    changed = form_post(**{"item-0-quantity": "2", "action": "save"})
    assert client.post(f"/seizures/{seizure.pk}/edit/", changed).status_code == 302
    assert seizure.items.get(subtype="cocaine").mass_kg == Decimal("2.000")
    seizure.refresh_from_db()
    assert seizure.status == "submitted"


def test_a_draft_is_saved_then_submitted_from_its_page(client_for):
    client = client_for("officer-gru")
    response = client.post("/seizures/new/", form_post(action="draft"))
    seizure = Seizure.objects.get(pk=response.url.strip("/").split("/")[-1])
    assert seizure.status == "draft"
    assert f'action="/seizures/{seizure.pk}/submit/"' in client.get(response.url).content.decode()
    assert client.post(f"/seizures/{seizure.pk}/submit/").status_code == 302
    seizure.refresh_from_db()
    assert seizure.status == "submitted"


def test_bad_input_names_the_row_keeps_what_was_typed_and_saves_nothing(client_for):
    client = client_for("officer-gru")
    before = Seizure.objects.count()
    response = client.post(
        "/seizures/new/",
        form_post(
            **{
                "item-2-quantity": "-3",
                "item-2-currency": "",
                "flow": "teleport",
                "person-1-role": "organiser",
                "person-1-document_country": "XX",
            }
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert Seizure.objects.count() == before
    bad_row = fieldset(html, "item-2")  # the service's items[1] is the form's third row
    assert "must be a number above zero" in bad_row
    assert "an amount of money needs its ISO 4217 currency code" in bad_row
    assert 'value="blue bag"' in bad_row and 'value="-3"' in bad_row
    assert "must be a number above zero" not in fieldset(html, "item-0")
    assert 'value="1,25"' in fieldset(html, "item-0")
    assert "unknown value &#x27;teleport&#x27;" in html
    assert "unknown country &#x27;XX&#x27;" in fieldset(html, "person-1")
    assert "unknown country" not in fieldset(html, "person-0")
    assert 'value="Pellets found at the boarding gate."' not in html  # a textarea keeps it as text
    assert "Pellets found at the boarding gate." in html
    # A refusal of the service itself (not of a field's value) is shown by its field too.
    html = client.post("/seizures/new/", form_post(airport="LFW")).content.decode()
    assert re.search(r'id="id_airport_error"><li>no unit of yours may record a seizure at LFW', html)
    # No item at all: the problem stands above the item rows.
    empty = {k: v for k, v in form_post().items() if not k.startswith("item-")}
    html = client.post("/seizures/new/", empty).content.decode()
    assert 'id="items-errors"' in html and "record at least one item" in html
    assert Seizure.objects.count() == before


def test_nominal_data_is_withheld_from_the_community_and_its_reading_is_audited(client_for, user_named):
    seizure = services.create_seizure(actor=user_named("officer-lfw"), data=record(tlp="green"), submit=True)
    reads = AuditEntry.objects.filter(action="seizure.nominal_read", object_id=str(seizure.pk))
    community = client_for("officer-acc")
    page = community.get(f"/seizures/{seizure.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cocaine 4.2 kg" in html and "Courier" in html
    assert "SILVA" not in html and "withheld" in html
    assert not reads.exists()
    assert 'action="/seizures/' not in html  # no status button for a reader
    own = client_for("officer-lfw").get(f"/seizures/{seizure.pk}/").content.decode()
    assert "SILVA" in own and "withheld" not in own
    assert list(reads.values_list("actor_username", flat=True)) == ["officer-lfw"]
    # A draft is the recording unit's only.
    draft = services.create_seizure(actor=user_named("officer-lfw"), data=record(tlp="green"))
    assert community.get(f"/seizures/{draft.pk}/").status_code == 404


def test_validate_by_the_unit_head_only(client_for, user_named):
    seizure = services.create_seizure(actor=user_named("officer-lfw"), data=record(), submit=True)
    officer = client_for("officer-lfw")
    assert (
        f'action="/seizures/{seizure.pk}/validate/"'
        not in officer.get(f"/seizures/{seizure.pk}/").content.decode()
    )
    refused = officer.post(f"/seizures/{seizure.pk}/validate/", follow=True)
    assert "only the head of the recording unit validates" in refused.content.decode()
    seizure.refresh_from_db()
    assert seizure.status == "submitted"
    head = client_for("head-lfw")
    assert (
        f'action="/seizures/{seizure.pk}/validate/"' in head.get(f"/seizures/{seizure.pk}/").content.decode()
    )
    assert head.post(f"/seizures/{seizure.pk}/validate/").status_code == 302
    seizure.refresh_from_db()
    assert seizure.status == "validated" and seizure.validated_by.username == "head-lfw"
    # Locked: no edit; the head reopens it.
    assert officer.get(f"/seizures/{seizure.pk}/edit/").status_code == 302
    assert head.get(f"/seizures/{seizure.pk}/validate/").status_code == 405
    assert head.post(f"/seizures/{seizure.pk}/reopen/").status_code == 302
    seizure.refresh_from_db()
    assert seizure.status == "submitted"


def test_the_alert_page_lists_a_linked_seizure(client_for, user_named):
    alert = messaging.send_alert(
        sender=user_named("officer-gru"),
        kind="general",
        title="Courier on ET 921",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
    )
    receiver = client_for("officer-lfw")
    response = receiver.post(
        "/seizures/new/",
        form_post(
            airport="LFW",
            direction="inbound",
            phase="arrival",
            detection="international_alert",
            triggering_alert=str(alert.pk),
            tlp="amber",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    seizure = Seizure.objects.latest("pk")
    assert seizure.triggering_alert_id == alert.pk
    assert f"/alerts/{alert.pk}/" in receiver.get(response.url).content.decode()
    sender_page = client_for("officer-gru").get(f"/alerts/{alert.pk}/").content.decode()
    assert 'id="linked-seizures"' in sender_page and f'href="/seizures/{seizure.pk}/"' in sender_page
    # The sender follows the link to the record and sees its nominal data (rule 3).
    assert "OKAFOR" in client_for("officer-gru").get(f"/seizures/{seizure.pk}/").content.decode()


@pytest.mark.parametrize("how", ["cookie", "setlang"])
def test_pages_render_in_french(client_for, user_named, settings, how):
    seizure = services.create_seizure(actor=user_named("officer-lfw"), data=record(), submit=True)
    client = client_for("officer-lfw")
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    else:
        client.post("/i18n/setlang/", {"language": "fr", "next": "/seizures/"})
    for path in ("/seizures/", "/seizures/new/", f"/seizures/{seizure.pk}/", f"/seizures/{seizure.pk}/edit/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert 'lang="fr"' in html, path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r'(src|href)="(https?:)?//', html), path
    bad = client.post("/seizures/new/", form_post(**{"item-0-quantity": "abc"}))
    assert bad.status_code == 400 and 'lang="fr"' in bad.content.decode()
