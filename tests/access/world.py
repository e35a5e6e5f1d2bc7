"""The objects of the access-control matrix, made through the real services.

Every object belongs to (or is addressed to) one **owner unit**, Lagos's task force
(``jaitf-los``). The requesters are one user per role in each of five units whose relation
to the owner is fixed (table.RELATION_UNITS): the owner itself, another task force of the same
country, that country's national headquarters, a task force of another country and a regional
office of the programme. Every object title or name carries a marker (``MX…``) that the leak
checks look for in lists, searches, exports and events."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from aircop.accounts.models import User, VettingStatus
from aircop.accounts.services import create_token, create_user
from aircop.capacity import library, services_equipment, services_people
from aircop.capacity import services as capacity
from aircop.core import tasks
from aircop.core.tasks import run_queued
from aircop.messaging import services as messaging
from aircop.messaging.attachments import add_attachment
from aircop.network import services as network
from aircop.network.models import Unit
from aircop.operations import services as operations
from aircop.passengers import services as passengers
from aircop.passengers.models import Flight, ReceivedMessage
from aircop.screening import runner, services_rules
from aircop.screening import services as screening
from aircop.screening.importer import import_entries
from aircop.screening.models import Hit
from aircop.seizures import services as seizures
from aircop.seizures.photos import add_photo
from tests.access.table import OWNER, RELATION_UNITS, REQUESTERS, TLPS

PASSWORD = "matrix-password-not-used-0"
OTHER = "jaitf-dss"  # the far end of alerts: a unit none of the requesters belongs to


@dataclass
class Variant:
    """One object of a kind: its label (the TLP, or what else tells it apart), its URL
    parameters and the marker its title carries."""

    label: str
    params: dict
    tlp: str | None = None
    marker: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class World:
    users: dict  # (role, relation) -> User
    tokens: dict  # (role, relation) -> raw bearer token
    objects: dict  # kind -> [Variant]
    markers: dict  # marker -> (kind, label): what must not leak


def png(colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 24), colour).save(out, format="PNG")
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def tlp_label(tlp: str) -> str:
    return "TLP:" + tlp.upper().replace("_", "+")


def _users() -> dict:
    users = {}
    hashed = make_password(PASSWORD)
    units = {code: Unit.objects.get(code=code) for code in RELATION_UNITS.values()}
    for role, relation in REQUESTERS:
        unit = units[RELATION_UNITS[relation]]
        user = create_user(
            actor=None,
            username=f"mx-{role.replace('_', '')}-{relation}",
            password=None,
            password_hash=hashed,
            role=role,
            first_name="Matrix",
            last_name=f"{role} {relation}",
            email=f"mx-{role}-{relation}@demo.aircop.invalid",
            vetting_status=VettingStatus.VETTED,
            vetting_date=date(2025, 1, 15),
            is_demo=True,
        )
        network.add_member(actor=None, user=user, unit=unit, agency="customs")
        users[(role, relation)] = user
    return users


MANIFEST_HEADER = (
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,scheduled_arrival,type,"
    "surname,given_names,sex,date_of_birth,nationality,residence_country,place_of_birth,document_type,"
    "document_number,document_issuing_country,document_expiry_date,embarkation,debarkation,"
    "booking_reference,seat,bag_tags\n"
)
# One traveller per label: each matches the owner's watchlist of that label.
TRAVELLERS = {
    "clear": ("ADEBAYOCLR", "CHINEDU", "M", "1981-01-11", "P7100001"),
    "green": ("OKONKWOGRN", "EMEKA", "M", "1982-02-12", "P7100002"),
    "amber": ("NWOSUAMB", "IFEOMA", "F", "1983-03-13", "P7100003"),
    "amber_strict": ("EZESTRICT", "OBINNA", "M", "1984-04-14", "P7100004"),
    "red": ("BALOGUNRED", "TEMITOPE", "F", "1985-05-15", "P7100005"),
}


def manifest(day: date) -> bytes:
    dep = f"{day.isoformat()}T10:00"
    arr = f"{day.isoformat()}T20:00"
    rows = [
        f"KP,0471,GRU,LOS,{dep},{arr},passenger,{s},{g},{x},{dob},NGA,,,P,{doc},NGA,2032-01-01,GRU,LOS,MXB{i}Q,1{i}A,\n"
        for i, (s, g, x, dob, doc) in enumerate(TRAVELLERS.values())
    ]
    return (MANIFEST_HEADER + "".join(rows)).encode()


def seizure_data(tlp: str, marker: str, **changes) -> dict:
    data = {
        "occurred_at": "2026-03-14T08:30",
        "airport": "LOS",
        "flow": "checked_baggage",
        "phase": "arrival",
        "direction": "inbound",
        "flight": "KP 471",
        "origin": "GRU",
        "destination": "LOS",
        "concealment": "baggage_lining",
        "detection": "xray",
        "tlp": tlp_label(tlp),
        "remarks": marker,
        "items": [
            {
                "category": "drugs",
                "subtype": "cocaine",
                "drug_form": "powder",
                "quantity": "3.1",
                "unit": "kg",
            }
        ],
        "persons": [
            {
                "role": "courier",
                "nationality": "BRA",
                "sex": "F",
                "age": "31",
                "nominal": {"surname": marker + "PERSON"},
            }
        ],
    }
    data.update(changes)
    return data


def seen(seizure) -> dict:
    """How a seizure shows in lists, which give no remarks or names: its reference in the API's
    JSON and its link on the pages (leak markers besides the one in its remarks)."""
    return {"also": [f'"{seizure.reference}"', f"/seizures/{seizure.pk}/"]}


def build() -> World:
    users = _users()
    objects: dict[str, list[Variant]] = {}
    markers: dict[str, tuple[str, str]] = {}
    own = users[("officer", "own")]
    head = users[("unit_head", "own")]
    far = User.objects.get(username="officer-dss")

    def mark(kind: str, label: str) -> str:
        m = f"MX{kind.upper().replace('_', '')}{label.upper().replace('_', '')}Q"
        markers[m] = (kind, label)
        return m

    def add(kind: str, variant: Variant):
        objects.setdefault(kind, []).append(variant)

    # ---------------------------------------------------------------- alerts
    for tlp in TLPS:
        m = mark("alertin", tlp)
        alert = messaging.send_alert(
            sender=far,
            kind="passenger",
            title=f"{m} courier on KP471",
            body=f"{m} body",
            audience_entries=[{"scope": "unit", "target": OWNER}],
            tlp=tlp,
            details={"flight": "KP471", "route": ["GRU", "LOS"]},
            nominal={"surname": m + "NOMINAL", "given_names": "JOHN"},
            nominal_restricted=True,
        )
        add("alert", Variant(f"in-{tlp}", {"alert_id": alert.pk}, tlp, m, {"dir": "in"}))
        upload = SimpleUploadedFile(f"{m}.png", png(), content_type="image/png")
        att = add_attachment(user=far, alert=alert, uploaded_file=upload, nominal=False)
        add("attachment", Variant(tlp, {"attachment_id": att.pk}, tlp, m))
        m = mark("alertout", tlp)
        alert = messaging.send_alert(
            sender=own,
            kind="passenger",
            title=f"{m} courier on KP471",
            body=f"{m} body",
            audience_entries=[{"scope": "unit", "target": OTHER}],
            tlp=tlp,
            details={"flight": "KP471", "route": ["LOS", "GRU"]},
            nominal={"surname": m + "NOMINAL", "given_names": "JANE"},
            nominal_restricted=True,
        )
        add("alert", Variant(f"out-{tlp}", {"alert_id": alert.pk}, tlp, m, {"dir": "out"}))
        if tlp in ("clear", "green", "amber"):
            request = messaging.request_forward(
                user=far, alert=alert, unit_codes=["jaitf-bjl"], reason="the Banjul task force should know"
            )
            add("forward", Variant(tlp, {"alert_id": alert.pk, "request_id": request.pk}, tlp, m))

    # ---------------------------------------------------------------- seizures
    for tlp in TLPS:
        m = mark("seizure", tlp)
        seizure = seizures.create_seizure(actor=own, data=seizure_data(tlp, m), submit=True)
        add(
            "seizure",
            Variant(tlp, {"seizure_id": seizure.pk}, tlp, m, {"status": seizure.status, **seen(seizure)}),
        )
        upload = SimpleUploadedFile(f"{m}.png", png((30, 30, 200)), content_type="image/png")
        photo = add_photo(user=own, seizure=seizure, uploaded_file=upload, nominal=False)
        add("photo", Variant(tlp, {"photo_id": photo.pk}, tlp, m, {"status": seizure.status}))
    # the only record on its route: a cell of one, withheld from figures outside the unit
    m = mark("seizure", "smallroute")
    seizures.create_seizure(actor=own, data=seizure_data("red", m, origin="BOG"), submit=True)
    m = mark("seizure", "draft")
    draft = seizures.create_seizure(actor=own, data=seizure_data("green", m))
    # a draft stays inside its unit whatever its label: one more variant of every seizure route
    add(
        "seizure",
        Variant("draft-green", {"seizure_id": draft.pk}, "green", m, {"status": draft.status, **seen(draft)}),
    )
    # a validated record is locked: seen as a submitted one, changed by nobody until its unit
    # head reopens it (docs/seizures.md)
    m = mark("seizure", "validated")
    locked = seizures.create_seizure(actor=own, data=seizure_data("green", m), submit=True)
    upload = SimpleUploadedFile(f"{m}.png", png((200, 30, 30)), content_type="image/png")
    photo = add_photo(user=own, seizure=locked, uploaded_file=upload, nominal=False)
    locked = seizures.validate_seizure(actor=head, seizure=locked)
    add(
        "seizure",
        Variant(
            "validated-green",
            {"seizure_id": locked.pk},
            "green",
            m,
            {"status": locked.status, **seen(locked)},
        ),
    )
    add("photo", Variant("validated-green", {"photo_id": photo.pk}, "green", m, {"status": locked.status}))

    # ---------------------------------------------------------------- passenger data, watchlists, hits
    runner.forget()
    day = timezone.now().date() + timedelta(days=1)
    for tlp in TLPS:
        name = f"mx-list-{tlp.replace('_', '-')}"
        m = mark("watchlist", tlp)
        watchlist = screening.create_watchlist(
            actor=own, name=name, title=f"{m} list", kind="wanted", source="matrix", owner=OWNER, tlp=tlp
        )
        s, g, x, dob, doc = TRAVELLERS[tlp]
        entry_csv = (
            "reference,names,date_of_birth,nationality,sex,document_number,document_country,reason\n"
            f"{m}E,{g} {s},{dob},NGA,{x},,,wanted\n"
        ).encode()
        report = import_entries(actor=own, watchlist=watchlist, data=entry_csv, name="e.csv")
        assert report.ok, report.problems
        entry = watchlist.entries.get()
        add("watchlist", Variant(tlp, {"name": name, "reference": f"{m}E", "entry_id": entry.pk}, tlp, m))
        m = mark("rule", tlp)
        rule = services_rules.create_rule(
            actor=own,
            name=f"mx-rule-{tlp.replace('_', '-')}",
            title=f"{m} rule",
            owner=OWNER,
            expression='route.origin_country in ["BRA"] and traveller.checked_bags == 0',
            tlp=tlp,
        )
        add("rule", Variant(tlp, {"name": rule.name, "number": 1}, tlp, m))
    report = passengers.ingest(manifest(day), name="kp471.csv", source="cli")
    assert report.ok, report.as_json()
    run_queued()
    flight = Flight.objects.get(carrier="KP", number__contains="471")
    add("flight", Variant("los", {"flight_id": flight.pk}, None, "BALOGUNRED"))
    markers["BALOGUNRED"] = ("traveller", "red")
    for tlp in TLPS:
        hit = Hit.objects.get(watchlist__name=f"mx-list-{tlp.replace('_', '-')}")
        add("hit", Variant(tlp, {"hit_id": hit.pk}, tlp, TRAVELLERS[tlp][0]))
    upload_task = tasks.enqueue("passengers.ingest", {"matrix": True}, user=own)
    add("passenger_task", Variant("own", {"task_id": upload_task.pk}, None))
    import_task = tasks.enqueue("seizures.import", {"matrix": True}, user=own)
    add("seizure_task", Variant("own", {"task_id": import_task.pk}, None))
    assert ReceivedMessage.objects.exists()

    # ---------------------------------------------------------------- operations
    start = datetime.combine(timezone.now().date() - timedelta(days=2), time.min, tzinfo=UTC)
    coordinator = User.objects.get(username="coordinator-sn")
    for tlp in TLPS:
        if tlp == "red":
            continue  # an operation is never TLP:RED (operation_tlp_not_red)
        m = mark("operation", tlp)
        name = f"mx-op-{tlp.replace('_', '-')}"
        op = operations.create_operation(
            actor=coordinator,
            name=name,
            title=f"{m} operation",
            lead_organisation="Matrix",
            starts_at=start,
            ends_at=start + timedelta(days=7),
            units=[OWNER, OTHER],
            coordinator_unit="hq-sn",
            commodities=["cocaine"],
            tlp=tlp,
        )
        report, _ = operations.file_report(
            user=own,
            operation=op,
            day=timezone.now().date() - timedelta(days=1),
            unit=OWNER,
            remarks=m + "REMARK",
        )
        add(
            "operation",
            Variant(tlp, {"name": name, "unit": OWNER, "day": report.day.isoformat()}, tlp, m),
        )

    # ---------------------------------------------------------------- capacity building
    m = mark("activity", "los")
    activity = capacity.create_activity(
        actor=own,
        data={
            "kind": "basic_training",
            "level": "national",
            "title": f"{m} profiling",
            "start_date": "2024-03-04",
            "end_date": "2024-03-08",
            "city": "Lagos",
            "country": "NG",
            "airport": "LOS",
            "organising_unit": OWNER,
            "host_unit": "",
            "beneficiary_units": [],
            "topics": ["targeting"],
            "trainers": [],
            "language": "en",
            "notes": "",
        },
    )
    attendance = services_people.add_participant(
        actor=own,
        activity=activity,
        data={
            "family_name": m + "PART",
            "given_names": "Ada",
            "sex": "F",
            "unit": OWNER,
            "agency": "customs",
            "job_title": "Inspector",
        },
    )
    add(
        "activity",
        Variant(
            "los",
            {
                "activity_id": activity.pk,
                "attendance_id": attendance.pk,
                "participant_id": attendance.participant_id,
            },
            None,
            m,
        ),
    )
    m = mark("trainer", "los")
    trainer = services_people.create_trainer(
        actor=own,
        data={
            "family_name": m,
            "given_names": "Bola",
            "sex": "F",
            "nationality": "NGA",
            "expertise": ["targeting"],
        },
    )
    add("trainer", Variant("los", {"trainer_id": trainer.pk}, None, m))
    m = mark("equipment", "los")
    item = services_equipment.create_equipment(
        actor=User.objects.get(username="admin"),
        data={
            "category": "xray",
            "description": f"{m} scanner",
            "provided_on": "2023-05-01",
            "holding_unit": OWNER,
            "condition": "new",
        },
    )
    add("equipment", Variant("los", {"equipment_id": item.pk, "code": OWNER}, None, m))
    programme = User.objects.get(username="admin")
    for label, readers, targets in (("units", "units", [OWNER]), ("country", "country", ["NG"])):
        m = mark("document", label)
        doc = library.add_document(
            actor=programme,
            uploaded_file=SimpleUploadedFile(f"{m}.pdf", PDF, content_type="application/pdf"),
            data={
                "kind": "good_practice",
                "title": f"{m} note",
                "summary": "matrix",
                "language": "en",
                "topics": ["targeting"],
                "readers": readers,
                "targets": targets,
            },
        )
        add("document", Variant(label, {"document_id": doc.pk}, None, m))

    # ---------------------------------------------------------------- accounts
    row, _raw = create_token(actor=None, user=own, days=5, name="matrix")
    add("token", Variant("own-officer", {"token_id": row.pk}, None))
    add("unit", Variant(OWNER, {"code": OWNER}, None))
    add("airport", Variant("LOS", {"iata": "LOS"}, None))
    del head
    objects["fmt"] = [Variant("html", {"fmt": "html"}), Variant("pdf", {"fmt": "pdf"}, extra={"once": True})]

    tokens = {}
    for key, user in users.items():
        _row, raw = create_token(actor=None, user=user, days=2, name="matrix")
        tokens[key] = raw
    return World(users=users, tokens=tokens, objects=objects, markers=markers)
