"""XSS: every user-writable text field of every kind of record holds markup, written through
the real services, and every page that shows it (lists, details, edit forms, dashboards, HTML
reports, search results, error messages that echo input, the admin) renders it inert.

How it works: each covered field gets the payload ``hostile(tag)`` with a tag of its own
(``HqAlertTitle`` …). The pages are found by crawling the site's own links as several users
from a set of start pages. Two checks over everything crawled: no page contains the payload's
markup unescaped (``UNESCAPED``), and every covered field's tag appears on at least one page
(so a field that is covered in name only, or no longer shown, fails too). A third check ties
the coverage to the models: every CharField/TextField/JSONField without choices of an AIRCOP
model is either in ``COVERED`` or in ``EXEMPT`` with the reason."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
from datetime import UTC, datetime, time, timedelta

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.utils import timezone, translation

from tests.conftest import BROWSER_MARKS, DEMO_PASSWORD, sign_in

# ------------------------------------------------------------------ payloads and the check
LONG = '"><script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
SHORT = "\"'><svg onload=__xss=1><img src=x onerror=__xss=1>"  # no slash: survives file names
UNESCAPED = re.compile(r"<script>window\.__xss|<img src=x onerror|<svg onload", re.I)


def hostile(tag: str, *, short: bool = False) -> str:
    return (SHORT if short else LONG) + tag


def unescaped(text: str) -> list[str]:
    """The places where the payload's markup stands unescaped, with some context."""
    return [text[max(0, m.start() - 80) : m.end() + 40] for m in UNESCAPED.finditer(text)]


def test_self_check_the_detector_catches_raw_markup_and_passes_escaped_markup():
    from django.utils.html import escape

    for payload in (hostile("HqX"), hostile("HqX", short=True)):
        assert unescaped(f"<td>{payload}</td>")  # as a template with |safe would write it
        assert unescaped(f'<input value="{payload}">')
        assert unescaped(f"<p>{payload.upper()}</p>")  # names upper-cased by a service
        assert not unescaped(f"<td>{escape(payload)}</td>")
        assert not unescaped(f'<input value="{escape(payload)}">')
    assert not unescaped('<script src="/static/web/live.js"></script>')


# ------------------------------------------------------------------ the fields and their coverage
# model field -> its tag. The tag is what the pages must show (escaped payload + tag).
COVERED = {
    "messaging.Alert.title": "HqAlertTitle",
    "messaging.Alert.body": "HqAlertBody",
    "messaging.Alert.details": "HqAlertDetail",
    "messaging.Alert.nominal": "HqAlertNominal",
    "messaging.Outcome.note": "HqOutcomeNote",
    "messaging.Outcome.seizure_reference": "HqSzRef",
    "messaging.Message.body": "HqReply",
    "messaging.ForwardRequest.reason": "HqFwdReason",
    "messaging.Attachment.name": "HqAttName",
    "seizures.Seizure.notes": "HqSzNotes",
    "seizures.SeizureItem.description": "HqItemDesc",
    "seizures.SeizurePerson.nominal": "HqOffender",
    "seizures.SeizurePhoto.name": "HqPhotoName",
    "screening.Watchlist.title": "HqWlTitle",
    "screening.Watchlist.source": "HqWlSource",
    "screening.Watchlist.description": "HqWlDesc",
    "screening.WatchlistEntry.names": "HqEntryName",
    "screening.WatchlistEntry.reason": "HqEntryReason",
    "screening.WatchlistEntry.documents": "HqEntryDoc",
    "screening.RiskRule.title": "HqRuleTitle",
    "screening.RiskRule.description": "HqRuleDesc",
    "screening.RuleVersion.expression": "HqRuleExpr",
    "screening.RuleVersion.canonical": "HqRuleExpr",
    "screening.RuleVersion.note": "HqRuleNote",
    "screening.Hit.review_note": "HqHitReview",
    "screening.Hit.outcome_note": "HqHitOutcome",
    "operations.Operation.title": "HqOpTitle",
    "operations.Operation.lead_organisation": "HqOpLead",
    "operations.Operation.description": "HqOpDesc",
    "operations.Operation.routes": "HqOpRoute",
    "operations.Operation.threats": "HqOpThreat",
    "operations.SituationReport.remarks": "HqSitrep",
    "capacity.Trainer.family_name": "HqTrFamily",
    "capacity.Trainer.given_names": "HqTrGiven",
    "capacity.Trainer.organisation": "HqTrOrg",
    "capacity.Activity.title": "HqActTitle",
    "capacity.Activity.city": "HqActCity",
    "capacity.Activity.notes": "HqActNotes",
    "capacity.Participant.family_name": "HqPaFamily",
    "capacity.Participant.given_names": "HqPaGiven",
    "capacity.Participant.job_title": "HqPaJob",
    "capacity.Document.title": "HqDocTitle",
    "capacity.Document.summary": "HqDocSummary",
    "capacity.Document.name": "HqDocFile",
    "capacity.Equipment.description": "HqEqDesc",
    "capacity.Equipment.donor": "HqEqDonor",
    "capacity.Equipment.serial_number": "HqEqSerial",
    "capacity.Equipment.notes": "HqEqNotes",
    "network.Unit.name": "HqUnitName",
    "network.Unit.decree_reference": "HqDecree",
    "network.UnitAgency.name": "HqAgency",
    "network.UnitGroup.name": "HqGroupName",
    "network.UnitGroup.description": "HqGroupDesc",
    "accounts.User.first_name": "HqFirst",
    "accounts.User.last_name": "HqLast",
    "accounts.ApiToken.name": "HqToken",
    "audit.AuditEntry.data": "HqAlertTitle",  # the audit page shows what the services recorded
    "passengers.Traveller.surname": "HqPaxSurname",
    "passengers.Traveller.given_names": "HqPaxGiven",
}

NOT_SHOWN = "not shown on any page (no template names it); written and read through the API (JSON) only"
CODE = "a code or identifier checked against a fixed pattern or list: markup is refused"
DERIVED = "derived by the server from other fields or from the bytes, never typed by a user"
SECRET = "never shown (a hash, a stored name, a password)"
EXEMPT = {
    # reference data loaded from pycountry / airportsdata, not writable through any page or API
    "network.Region.name": "reference data (the demo loader and the admin only)",
    "network.Country.name": "reference data from pycountry",
    "network.Airport.name": "reference data from airportsdata",
    "network.Airport.city": "reference data from airportsdata",
    "network.Airport.tz": CODE,
    "network.Airport.iata": CODE,
    "network.Airport.icao": CODE,
    "network.Country.iso2": CODE,
    "network.Country.iso3": CODE,
    "network.Region.code": CODE,
    "network.Unit.code": CODE,
    "network.Unit.airline_code": CODE,
    "network.UnitGroup.slug": CODE,
    "accounts.User.username": "checked by Django's username validator (letters, digits, @.+-_)",
    "accounts.User.email": "EmailField: Django's validator refuses markup",
    "accounts.User.password": SECRET,
    "accounts.ApiToken.prefix": DERIVED,
    "accounts.ApiToken.key_hash": SECRET,
    "audit.AuditEntry.actor_username": "a username (see accounts.User.username)",
    "audit.AuditEntry.action": DERIVED,
    "audit.AuditEntry.object_type": DERIVED,
    "audit.AuditEntry.object_id": DERIVED,
    "audit.AuditEntry.ip": DERIVED,
    "audit.AuditEntry.channel": DERIVED,
    "audit.AuditEntry.prev_hash": DERIVED,
    "audit.AuditEntry.hash": DERIVED,
    "core.Task.kind": DERIVED,
    "core.Task.payload": "never shown: the task's input (a stored file's name and options)",
    "core.Task.stage": DERIVED,
    "core.Task.result": "shown on the progress pages; holds the import's problems, covered by "
    "test_error_messages_that_echo_input_are_escaped",
    "core.Task.error": "an exception's text; shown on the progress pages like the result",
    "messaging.ForwardRequest.decision_note": NOT_SHOWN,
    "passengers.ReceivedMessage.file_name": NOT_SHOWN,
    "passengers.Traveller.place_of_birth": NOT_SHOWN,
    "messaging.Recipient.via": DERIVED,
    "messaging.Attachment.content_type": DERIVED,
    "messaging.Attachment.sha256": DERIVED,
    "messaging.Alert.client_key": "never shown (visible ASCII only; the composer's hidden field holds "
    "the key it made, or the sender's own posted value, escaped by Django's widget)",
    "messaging.Alert.client_digest": DERIVED,
    "messaging.Attachment.stored_name": SECRET,
    "messaging.Event.type": DERIVED,
    "messaging.Event.data": "JSON only (the events API and the WebSocket), never HTML",
    "seizures.Seizure.flight": CODE,
    "seizures.Seizure.transit": CODE,
    "seizures.Seizure.route_key": DERIVED,
    "seizures.SeizureItem.subtype": CODE,
    "seizures.SeizureItem.currency": CODE,
    "seizures.SeizureItem.value_currency": CODE,
    "seizures.SeizureItem.route_key": DERIVED,
    "seizures.SeizureItem.flow": DERIVED,
    "seizures.SeizureItem.concealment": DERIVED,
    "seizures.SeizureItem.detection": DERIVED,
    "seizures.SeizurePhoto.content_type": DERIVED,
    "seizures.SeizurePhoto.sha256": DERIVED,
    "seizures.SeizurePhoto.stored_name": SECRET,
    "seizures.SeizureFigure.figure": DERIVED,
    "seizures.SeizureFigure.key": DERIVED,
    "passengers.Flight.carrier": CODE,
    "passengers.Flight.number": CODE,
    "passengers.Flight.departure_airport": CODE,
    "passengers.Flight.arrival_airport": CODE,
    "passengers.Flight.legs": DERIVED,
    "passengers.FlightStop.iata": CODE,
    "passengers.FlightStop.country": CODE,
    "passengers.ReceivedMessage.sender": "EDIFACT envelope field (UN/EDIFACT level A/B characters)",
    "passengers.ReceivedMessage.interchange_ref": "EDIFACT envelope field",
    "passengers.ReceivedMessage.message_ref": "EDIFACT envelope field",
    "passengers.ReceivedMessage.version": "EDIFACT envelope field",
    "passengers.ReceivedMessage.sha256": DERIVED,
    "passengers.ReceivedMessage.errors": "parser messages; covered by the upload error check",
    "passengers.ReceivedMessage.warnings": "parser messages; covered by the upload error check",
    "passengers.Booking.sender": "EDIFACT envelope field",
    "passengers.Booking.record_locator": CODE,
    "passengers.Booking.data": "PNR data: not shown on a page (the traveller's fields are)",
    "passengers.Traveller.type": CODE,
    "passengers.Traveller.sex": CODE,
    "passengers.Traveller.nationality": CODE,
    "passengers.Traveller.residence_country": CODE,
    "passengers.Traveller.embarkation": CODE,
    "passengers.Traveller.debarkation": CODE,
    "passengers.Traveller.transit": CODE,
    "passengers.Traveller.booking_reference": CODE,
    "passengers.Traveller.seat": CODE,
    "passengers.Traveller.bag_tags": CODE,
    "passengers.Traveller.extra": "not shown on a page",
    "passengers.Traveller.identity": DERIVED,
    "passengers.Traveller.hold_reason": "set by the retention command (`aircop passengers retention`)",
    "passengers.TravelDocument.type": CODE,
    "passengers.TravelDocument.number": CODE,
    "passengers.TravelDocument.issuing_country": CODE,
    "screening.Watchlist.name": CODE,
    "screening.WatchlistEntry.reference": CODE,
    "screening.WatchlistEntry.date_of_birth": CODE,
    "screening.WatchlistEntry.nationality": CODE,
    "screening.WatchlistEntry.sex": CODE,
    "screening.RiskRule.name": CODE,
    "screening.RuleVersion.fields": DERIVED,
    "screening.RuleVersion.last_test": DERIVED,
    "screening.Hit.entry_reference": "copied from WatchlistEntry.reference (a code)",
    "screening.Hit.explanation": "derived by the matcher from the entry's names (covered there)",
    "screening.Hit.outcome": CODE,
    "operations.Operation.name": CODE,
    "operations.Operation.commodities": CODE,
    "capacity.Participant.name_key": DERIVED,
    "capacity.Document.content_type": DERIVED,
    "capacity.Document.sha256": DERIVED,
    "capacity.Document.stored_name": SECRET,
    "capacity.Equipment.currency": CODE,
}


def text_fields() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("aircop."):
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.CharField | models.TextField | models.JSONField)
                and not field.choices
            ):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_text_field_of_every_model_is_covered_or_exempt_with_a_reason():
    fields = text_fields()
    assert len(fields) > 150  # the enumeration itself works
    missing = sorted(fields - set(COVERED) - set(EXEMPT))
    assert not missing, f"text fields neither covered by the XSS test nor exempt: {missing}"
    assert not set(COVERED) & set(EXEMPT)
    stale = sorted((set(COVERED) | set(EXEMPT)) - fields)
    assert not stale, f"no longer text fields of a model: {stale}"
    assert all(reason.strip() for reason in EXEMPT.values())


# ------------------------------------------------------------------ the hostile records
def h(field: str, *, short: bool = False) -> str:
    return hostile(COVERED.get(field) or "Hq" + field.replace(".", ""), short=short)


def jpeg(name: str) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def midnight(days: int) -> datetime:
    return datetime.combine(timezone.now().date() + timedelta(days=days), time.min, tzinfo=UTC)


MANIFEST_HEADER = (
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,scheduled_arrival,type,"
    "surname,given_names,sex,date_of_birth,nationality,residence_country,place_of_birth,document_type,"
    "document_number,document_issuing_country,document_expiry_date,embarkation,debarkation,"
    "booking_reference,seat,bag_tags\n"
)


# The rule language's strings take no double quote: the payload without them.
RULE_EXPRESSION = 'booking.one_way and traveller.place_of_birth == "{}"'.format(
    hostile(COVERED["screening.RuleVersion.expression"]).replace('"', "")
)


def build_world(user_named, settings, tmp_path) -> dict:
    """Every kind of record, each free-text field holding its payload, written through the
    services the pages and the API use. Centred on Lomé's task force (jaitf-lfw)."""
    from aircop.accounts.services import create_token, create_user
    from aircop.capacity import library, services_equipment, services_people
    from aircop.capacity import services as capacity
    from aircop.core.tasks import run_queued
    from aircop.messaging import services as messaging
    from aircop.messaging.attachments import add_attachment
    from aircop.network import services as network
    from aircop.network.models import Unit
    from aircop.operations import services as operations
    from aircop.passengers import services as passengers
    from aircop.screening import runner, services_hits, services_rules
    from aircop.screening import services as screening
    from aircop.screening.models import Hit
    from aircop.seizures import services as seizures
    from aircop.seizures.photos import add_photo

    settings.MEDIA_ROOT = tmp_path / "files"
    lfw, gru = user_named("officer-lfw"), user_named("officer-gru")
    world = {}

    # Alerts: sent by Sao Paulo to Lomé, answered, forwarded (refused), with an attachment.
    alert = messaging.send_alert(
        sender=gru,
        kind="passenger",
        title=h("messaging.Alert.title"),
        body=h("messaging.Alert.body"),
        priority="flash",
        tlp="amber",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
        details={
            "flight": "ET908",
            "route": ["GRU", "ADD", "LFW"],
            "indicators": [h("messaging.Alert.details")],
        },
        nominal={"surname": h("messaging.Alert.nominal"), "given_names": "JOHN"},
    )
    cargo = messaging.send_alert(
        sender=gru,
        kind="cargo",
        title="Cargo with a hostile description",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
        details={"awb": "176-12345675", "goods_description": h("messaging.Alert.details")},
        nominal={"shipper": h("messaging.Alert.nominal")},
    )
    messaging.post_message(user=lfw, alert=alert, body=h("messaging.Message.body"))
    messaging.record_outcome(
        user=lfw,
        alert=alert,
        result="seized",
        note=h("messaging.Outcome.note"),
        seizure_reference=h("messaging.Outcome.seizure_reference", short=True)[:60],
    )
    request = messaging.request_forward(
        user=lfw, alert=cargo, unit_codes=["jaitf-acc"], reason=h("messaging.ForwardRequest.reason")
    )
    messaging.decide_forward(
        user=gru, request=request, approve=False, note=h("messaging.ForwardRequest.decision_note")
    )
    attachment = add_attachment(
        user=lfw, alert=alert, uploaded_file=jpeg(h("messaging.Attachment.name", short=True) + ".jpg")
    )
    world.update(alert=alert, cargo=cargo, attachment=attachment)

    # Seizures: a record of Lomé with notes, an item's description, an offender's names, a photo.
    seizure = seizures.create_seizure(
        actor=lfw,
        data={
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
            "notes": h("seizures.Seizure.notes"),
            "items": [
                {
                    "category": "drugs",
                    "subtype": "cocaine",
                    "quantity": "4200",
                    "unit": "g",
                    "description": h("seizures.SeizureItem.description"),
                }
            ],
            "persons": [
                {
                    "role": "courier",
                    "nationality": "BRA",
                    "sex": "F",
                    "age": "31",
                    "nominal": {
                        "surname": h("seizures.SeizurePerson.nominal"),
                        "given_names": h("seizures.SeizurePerson.nominal"),
                    },
                }
            ],
        },
        submit=True,
    )
    photo = add_photo(
        user=lfw, seizure=seizure, uploaded_file=jpeg(h("seizures.SeizurePhoto.name", short=True) + ".jpg")
    )
    world.update(seizure=seizure, photo=photo)

    # Watchlists and entries of Lomé; a risk rule; hits on a manifest to Lomé.
    wl = screening.create_watchlist(
        actor=lfw,
        name="hostile-list",
        title=h("screening.Watchlist.title"),
        kind="wanted",
        source=h("screening.Watchlist.source"),
        owner="jaitf-lfw",
        description=h("screening.Watchlist.description"),
    )
    screening.add_entry(
        actor=lfw,
        watchlist=wl,
        reference="W-1",
        names=["Mohammed Abdullah", h("screening.WatchlistEntry.names")],
        date_of_birth="1980-05-17",
        nationality="SDN",
        sex="M",
        reason=h("screening.WatchlistEntry.reason"),
    )
    screening.add_entry(
        actor=lfw,
        watchlist=wl,
        reference="W-2",
        names=["Maria Gonzales"],
        documents=[
            {"number": h("screening.WatchlistEntry.documents", short=True), "country": "COL", "type": "P"}
        ],
        reason="second",
    )
    rule = services_rules.create_rule(
        actor=lfw,
        name="hostile-rule",
        title=h("screening.RiskRule.title"),
        owner="jaitf-lfw",
        description=h("screening.RiskRule.description"),
        expression=RULE_EXPRESSION,
        note=h("screening.RuleVersion.note"),
    )
    world.update(watchlist=wl, rule=rule)
    runner.forget()
    rows = (
        "KP,0044,BOG,LFW,2026-11-20T10:00,2026-11-20T22:00,passenger,ABDULLAH,MUHAMMAD,M,1980-05-17,SDN,,,P,"
        "P1111111,SDN,2031-01-01,BOG,LFW,ABC123,12A,\n"
        "KP,0044,BOG,LFW,2026-11-20T10:00,2026-11-20T22:00,passenger,GONZALES,MARIA,F,1975-02-03,COL,,,P,"
        "P2222222,COL,2031-01-01,BOG,LFW,ABC124,12B,\n"
    )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        ["KP", "0044", "BOG", "LFW", "2026-11-20T10:00", "2026-11-20T22:00", "passenger",
         h("passengers.Traveller.surname"), h("passengers.Traveller.given_names"), "F", "1991-01-01", "COL", "",
         h("passengers.Traveller.place_of_birth"), "P", "P3333333", "COL", "2031-01-01", "BOG", "LFW", "ABC125",
         "12C", ""]
    )  # fmt: skip
    hostile_pax = out.getvalue()
    report = passengers.ingest(
        (MANIFEST_HEADER + rows + hostile_pax).encode(),
        name=h("passengers.ReceivedMessage.file_name", short=True) + ".csv",
        source="cli",
    )
    assert report.ok, report.as_json()
    run_queued()
    runner.forget()
    hits = {hit.entry_reference: hit for hit in Hit.objects.filter(watchlist=wl)}
    assert set(hits) >= {"W-1", "W-2"}, hits
    services_hits.dismiss(actor=lfw, hit=hits["W-2"], reason=h("screening.Hit.review_note"))
    services_hits.confirm(actor=lfw, hit=hits["W-1"], note="confirmed")
    services_hits.record_outcome(
        actor=lfw, hit=hits["W-1"], result="seized", note=h("screening.Hit.outcome_note")
    )
    world["hits"] = hits

    # A joint operation coordinated by Togo's headquarters, with Lomé's situation report.
    operation = operations.create_operation(
        actor=user_named("coordinator-tg"),
        name="hostile-op",
        title=h("operations.Operation.title"),
        lead_organisation=h("operations.Operation.lead_organisation"),
        description=h("operations.Operation.description"),
        starts_at=midnight(-3),
        ends_at=midnight(4),
        units=["jaitf-lfw", "jaitf-gru"],
        coordinator_unit="hq-tg",
        coordinators=["coordinator-tg"],
        commodities=["cocaine"],
        routes=[h("operations.Operation.routes")],
        threats=[h("operations.Operation.threats")],
    )
    operations.file_report(
        user=lfw,
        operation=operation,
        day=timezone.localdate() - timedelta(days=1),
        unit="jaitf-lfw",
        remarks=h("operations.SituationReport.remarks"),
        controls=3,
    )
    world["operation"] = operation

    # Capacity building: an activity of Lomé with a participant and a trainer, a library
    # document, an item of equipment.
    trainer = services_people.create_trainer(
        actor=user_named("analyst"),
        data={
            "family_name": h("capacity.Trainer.family_name"),
            "given_names": h("capacity.Trainer.given_names"),
            "organisation": h("capacity.Trainer.organisation"),
            "sex": "F",
            "nationality": "FRA",
            "expertise": ["targeting"],
        },
    )
    activity = capacity.create_activity(
        actor=lfw,
        data={
            "kind": "basic_training",
            "level": "national",
            "title": h("capacity.Activity.title"),
            "start_date": "2024-03-04",
            "end_date": "2024-03-08",
            "city": h("capacity.Activity.city"),
            "country": "TG",
            "airport": "LFW",
            "organising_unit": "jaitf-lfw",
            "host_unit": "",
            "beneficiary_units": [],
            "topics": ["targeting"],
            "trainers": [trainer.pk],
            "language": "fr",
            "notes": h("capacity.Activity.notes"),
        },
    )
    attendance = services_people.add_participant(
        actor=lfw,
        activity=activity,
        data={
            "family_name": h("capacity.Participant.family_name"),
            "given_names": h("capacity.Participant.given_names"),
            "sex": "F",
            "unit": "jaitf-lfw",
            "agency": "customs",
            "job_title": h("capacity.Participant.job_title"),
        },
    )
    document = library.add_document(
        actor=user_named("analyst"),
        uploaded_file=SimpleUploadedFile(
            h("capacity.Document.name", short=True) + ".pdf",
            b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        ),
        data={
            "kind": "sop",
            "title": h("capacity.Document.title"),
            "summary": h("capacity.Document.summary"),
            "language": "en",
            "topics": ["cargo"],
            "readers": "network",
            "targets": [],
        },
    )
    equipment = services_equipment.create_equipment(
        actor=user_named("analyst"),
        data={
            "category": "xray",
            "description": h("capacity.Equipment.description"),
            "provided_on": "2024-05-01",
            "holding_unit": "jaitf-lfw",
            "donor": h("capacity.Equipment.donor"),
            "serial_number": h("capacity.Equipment.serial_number"),
            "notes": h("capacity.Equipment.notes"),
        },
    )
    world.update(
        activity=activity,
        participant=attendance.participant,
        trainer=trainer,
        document=document,
        equipment=equipment,
    )

    # The network: a unit, an agency's own name and a group; a colleague's display name; a token.
    unit = network.create_unit(
        actor=None,
        code="jaitf-hostile",
        kind="national_hq",
        name=h("network.Unit.name"),
        country_code="TG",
        decree_reference=h("network.Unit.decree_reference"),
        agencies=[("customs", h("network.UnitAgency.name"))],
    )
    network.create_group(
        actor=None,
        slug="hostile-group",
        name=h("network.UnitGroup.name"),
        units=[unit, Unit.objects.get(code="jaitf-lfw")],
        description=h("network.UnitGroup.description"),
    )
    colleague = create_user(
        actor=None,
        username="hostile.colleague",
        password=None,
        role="officer",
        first_name=h("accounts.User.first_name"),
        last_name=h("accounts.User.last_name"),
    )
    network.add_member(actor=None, user=colleague, unit=Unit.objects.get(code="jaitf-lfw"), agency="customs")
    network.add_member(actor=None, user=colleague, unit=unit, agency="customs")
    create_token(actor=lfw, user=lfw, days=5, name=h("accounts.ApiToken.name"))
    world["unit"] = unit
    return world


# ------------------------------------------------------------------ crawling the pages
LINK = re.compile(r'(?:href|action)="(/[^"#]*)"')
NEVER = re.compile(
    r"^/(logout|i18n|static|api|ws)/|^/files/|/download/|/photos/\d+/|\.pdf(\?|$)|/status/$|/live/$"
    r"|^/admin/(logout|jsi18n|password_change)/|^/admin/.*/password/$|^/admin/.*/(history|delete)/$"
)
SEEDS = [
    "/", "/alerts/", "/alerts/new/", "/seizures/", "/seizures/new/", "/watchlists/", "/rules/", "/hits/",
    "/check/", "/operations/", "/capacity/", "/capacity/trainers/", "/capacity/library/", "/capacity/equipment/",
    "/analytics/", "/analytics/programme/", "/analytics/programme.html", "/analytics/reports/strategic.html",
    "/passengers/", "/network/", "/network/units/jaitf-lfw/", "/network/units/jaitf-lfw/members/",
    "/network/units/jaitf-hostile/", "/network/units/jaitf-hostile/members/", "/account/", "/audit/",
]  # fmt: skip
# Every query parameter a page reads, each set to the payload: reflected input.
ECHOED = ["q", "airport", "status", "category", "date_from", "date_to", "flight", "severity", "action", "region",
          "country", "kind", "unit", "date", "at", "tlp", "page", "topic", "language", "holding_unit", "sort",
          "name", "document", "figure", "operation"]  # fmt: skip
PER_SHAPE = 3
# Pages drawing charts take a second each: crawled as one user only (ECHO_USERS[0]).
SLOW = ("/analytics/", "/operations/hostile-op/report", "/operations/hostile-op/results")
ECHO_USERS = ("officer-lfw", "analyst")


def shape(url: str) -> str:
    path, _, query = url.partition("?")
    path = re.sub(r"/units/[^/]+/", "/units/X/", re.sub(r"\d+", "N", path))
    return path + "?" + ",".join(sorted(k.split("=")[0] for k in query.split("&") if k))


class Crawl:
    def __init__(self):
        self.pages: dict[tuple[str, str], str] = {}
        self.json: dict[tuple[str, str], str] = {}
        self.problems: list[str] = []

    def visit(
        self, username: str, client: Client, seeds: list[str], *, admin=False, analytics=True, limit=400
    ):
        queue, seen, shapes = list(seeds), set(), {}
        forced = set(seeds)
        while queue and len(seen) < limit:
            url = htmllib.unescape(queue.pop(0))
            if url in seen or NEVER.search(url) or (url.startswith("/admin/") and not admin):
                continue
            if not analytics and url.startswith(SLOW):
                continue
            if url not in forced:
                n = shapes.get(shape(url), 0)
                if n >= PER_SHAPE:
                    continue
                shapes[shape(url)] = n + 1
            seen.add(url)
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code in (301, 302):
                queue.append(response.url)
                continue
            if response.status_code != 200:
                continue
            body = response.content.decode("utf-8", "replace")
            if kind.startswith("application/json"):
                self.json[(username, url)] = body
                continue
            if not kind.startswith("text/html"):
                continue
            self.check(username, url, body)
            queue.extend(u for u in LINK.findall(body) if u not in seen)
        return seen

    def check(self, username: str, url: str, body: str):
        self.pages[(username, url)] = body
        for place in unescaped(body):
            self.problems.append(f"{username} {url}: unescaped payload ...{place}...")


CRAWLERS = ["officer-lfw", "officer-gru", "coordinator-tg", "analyst", "auditor", "admin"]
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"', re.I)
NOT_POSTED = re.compile(r"^/(logout|i18n|admin)/|/(remove|revoke|deactivate|activate|ack)/$")


def post_hostile_forms(crawl: Crawl, username: str, client: Client) -> int:
    """Every POST form on the pages this user saw, every field set to the payload: the answer
    (a form with its errors, or the page redirected to) must render the input inert."""
    forms = {}
    for (who, url), body in crawl.pages.items():
        if who != username:
            continue
        for attrs, inner in FORM.findall(body):
            if 'method="post"' not in attrs.lower():
                continue
            action = re.search(r'action="([^"]*)"', attrs)
            target = htmllib.unescape(action.group(1)) if action and action.group(1) else url.split("?")[0]
            if target.startswith("/") and not NOT_POSTED.search(target):
                forms.setdefault(target, set()).update(FIELD.findall(inner))
    for target, names in forms.items():
        data = {n: hostile("HqForm") for n in names if n != "csrfmiddlewaretoken" and not n.endswith("_rows")}
        response = client.post(target, data, follow=True)
        if response.get("Content-Type", "").startswith("text/html"):
            crawl.check(username, f"POST {target}", response.content.decode())
    return len(forms)


def test_every_text_field_renders_inert_on_every_page(user_named, settings, tmp_path, client_for):
    world = build_world(user_named, settings, tmp_path)
    seeds = SEEDS + [
        f"/alerts/{world['alert'].pk}/", f"/alerts/{world['cargo'].pk}/", f"/seizures/{world['seizure'].pk}/",
        f"/seizures/{world['seizure'].pk}/edit/", f"/analytics/reports/seizure/{world['seizure'].pk}.html",
        f"/analytics/reports/alert/{world['alert'].pk}.html", "/watchlists/hostile-list/", "/rules/hostile-rule/",
        "/operations/hostile-op/", "/operations/hostile-op/sitreps/", "/operations/hostile-op/results/",
        "/operations/hostile-op/report.html", f"/capacity/activities/{world['activity'].pk}/",
        f"/capacity/participants/{world['participant'].pk}/", f"/capacity/trainers/{world['trainer'].pk}/",
        f"/capacity/library/{world['document'].pk}/", "/capacity/equipment/unit/jaitf-lfw/",
    ] + [f"/hits/{hit.pk}/" for hit in world["hits"].values()]  # fmt: skip
    crawl, forms = Crawl(), 0
    for username in CRAWLERS:
        client = client_for(username)
        crawl.visit(username, client, seeds, admin=username == "admin", analytics=username == ECHO_USERS[0])
        # Reflected input: every parameter the pages read, set to the payload.
        if username not in ECHO_USERS:
            continue
        forms += post_hostile_forms(crawl, username, client)
        echo = "&".join(f"{k}={hostile('HqEcho')}" for k in ECHOED).replace("#", "%23")
        for seed in seeds:
            if seed.startswith(SLOW) and username != ECHO_USERS[0]:
                continue
            response = client.get(f"{seed}?{echo}")
            if response.get("Content-Type", "").startswith("text/html"):
                crawl.check(username, seed + "?<echo>", response.content.decode())
    translation.deactivate()
    assert len(crawl.pages) > 200, len(crawl.pages)
    assert forms > 30, forms
    assert not crawl.problems, "\n".join(crawl.problems[:40])
    everything = "\n".join(crawl.pages.values()).lower()
    unseen = sorted(field for field, tag in COVERED.items() if tag.lower() not in everything)
    assert not unseen, f"covered fields whose payload no page showed: {unseen}"
    # The echoes did reach the pages (escaped) somewhere.
    assert "hqecho" in everything
    assert "hqform" in everything


# ------------------------------------------------------------------ in a real browser
@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_in_chromium_no_payload_runs_on_the_key_pages_nor_on_a_live_refresh(server, page):
    """Against a real `aircop serve`: records with markup written through the API, the key
    pages opened in Chromium, and a reply with markup arriving while the alert page is open
    (the live refresh puts the server's fragment into the page). No script of the payload runs:
    window.__xss stays undefined and no dialog opens."""
    import json
    import urllib.request

    token = server.aircop("token", "officer-gru").stdout.strip().splitlines()[-1]

    def api(method, path, body):
        request = urllib.request.Request(  # noqa: S310 - our own server, http only
            f"{server.url}/api/v1{path}",
            data=json.dumps(body).encode(),
            method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our own server
            return json.loads(answer.read())

    alert = api("POST", "/alerts", {
        "kind": "passenger", "title": hostile("HqBrTitle"), "body": hostile("HqBrBody"), "priority": "flash",
        "audience": [{"scope": "unit", "target": "jaitf-lfw"}],
        "details": {"flight": "ET908", "route": ["GRU", "ADD", "LFW"], "indicators": [hostile("HqBrInd")]},
        "nominal": {"surname": hostile("HqBrName")},
    })  # fmt: skip
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, server.url, "officer-lfw", DEMO_PASSWORD)
    page.wait_for_url(f"{server.url}/")
    for path in ("/", "/alerts/", f"/alerts/{alert['id']}/", f"/alerts/?q={hostile('HqBrQ')}", "/network/"):
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", path
    page.goto(f"{server.url}/alerts/{alert['id']}/")
    assert "HqBrTitle" in page.inner_text("body") and "HqBrName" in page.inner_text("body")
    page.wait_for_selector("#live-status[data-state=live]", timeout=15000)
    api("POST", f"/alerts/{alert['id']}/messages", {"body": hostile("HqBrReply")})
    # A locator, not wait_for_function: the page's CSP forbids the eval that a string predicate needs.
    page.get_by_text("HqBrReply", exact=False).first.wait_for(timeout=15000)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
