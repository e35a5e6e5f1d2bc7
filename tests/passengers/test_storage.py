"""Storing passenger data (passengers/services.py): flights and their legs, travellers on the
right flights, duplicates, merging, rejection with nothing stored, PNR re-pushes, holds; who
may see it (docs/handling.md, "Passenger data"); retention."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import timezone

from aircop.audit.models import AuditEntry
from aircop.core.visibility import visible_to
from aircop.passengers import parsers, retention, selectors, services
from aircop.passengers.models import Booking, Flight, MessageStatus, ReceivedMessage, Traveller
from aircop.passengers.parsers import model

LOME = ZoneInfo("Africa/Lome")
ADDIS = ZoneInfo("Africa/Addis_Ababa")


def leg(carrier, number, dep, arr, dep_at, arr_at, dep_tz=ADDIS, arr_tz=LOME):
    return model.FlightLeg(
        carrier=carrier,
        number=number,
        departure_airport=dep,
        arrival_airport=arr,
        scheduled_departure=dep_at.replace(tzinfo=dep_tz) if dep_at else None,
        scheduled_arrival=arr_at.replace(tzinfo=arr_tz) if arr_at else None,
    )


def person(surname, given, embark=None, debark=None, doc="P1234567", **kw):
    return model.Traveller(
        surname=surname,
        given_names=given,
        sex=kw.pop("sex", "M"),
        date_of_birth=kw.pop("dob", date(1980, 5, 17)),
        nationality=kw.pop("nationality", "BRA"),
        embarkation=embark,
        debarkation=debark,
        documents=[model.Document(type="P", number=doc, issuing_country="BRA", expiry_date=date(2030, 1, 1))],
        **kw,
    )


def paxlst(ref="PAX001", interchange="000006640", travellers=None, legs=None, sender="ET"):
    when = datetime(2026, 11, 20, 8, 30)
    legs = legs or [
        leg(
            "ET",
            "921",
            "GRU",
            "ADD",
            when,
            when + timedelta(hours=12),
            dep_tz=ZoneInfo("America/Sao_Paulo"),
            arr_tz=ADDIS,
        ),
        leg("ET", "921", "ADD", "LFW", when + timedelta(hours=14), when + timedelta(hours=19)),
    ]
    return parsers.ParsedMessage(
        kind="paxlst",
        sender=sender,
        interchange_ref=interchange,
        message_ref=ref,
        version="D:05B",
        manifest=model.Manifest(message_ref=ref, flights=legs, travellers=travellers or []),
    )


def store(parsed, actor=None):
    return services.store_message(parsed, name="test.edi", sha="0" * 64, source="cli", actor=actor)


def test_a_manifest_is_stored_with_its_flight_stops_travellers_and_documents(db):
    outcome = store(
        paxlst(
            travellers=[
                person("SILVA", "ANA", "GRU", "LFW", sex="F"),
                person("COSTA", "JOAO", doc="P7654321"),
            ]
        )
    )
    assert outcome.status == MessageStatus.STORED and outcome.travellers == 2
    flight = Flight.objects.get()
    assert (flight.carrier, flight.number, flight.departure_airport, flight.arrival_airport) == (
        "ET",
        "921",
        "GRU",
        "LFW",
    )
    assert flight.departure_date == date(2026, 11, 20)
    # 08:30 in Sao Paulo is 11:30 UTC; arrival 14:30 the next day in Lome (UTC+0) after 19 h.
    assert flight.scheduled_departure == datetime(2026, 11, 20, 11, 30, tzinfo=ZoneInfo("UTC"))
    assert [s.iata for s in flight.stops.all()] == ["GRU", "ADD", "LFW"]
    assert [s.country for s in flight.stops.all()] == ["BR", "ET", "TG"]
    assert len(flight.legs) == 2
    silva = Traveller.objects.get(surname="SILVA")
    assert silva.documents.get().number == "P1234567" and silva.sex == "F"
    entry = AuditEntry.objects.filter(action="passengers.message_stored").get()
    assert entry.data["travellers"] == 2 and "SILVA" not in str(entry.data)


def test_travellers_are_put_on_the_flights_of_their_journey(db):
    t = datetime(2026, 11, 20, 8, 0)
    legs = [
        leg("AA", "123", "ATL", "ORD", t, t + timedelta(hours=2)),
        leg("AA", "124", "ORD", "JFK", t + timedelta(hours=3), t + timedelta(hours=5)),
    ]
    store(
        paxlst(
            legs=legs,
            travellers=[
                person("CLARK", "MICHAEL", "ATL", "JFK"),
                person("CLARK", "CHERYL", "ORD", "JFK", doc="P2"),
            ],
        )
    )
    first, second = Flight.objects.get(number="123"), Flight.objects.get(number="124")
    assert list(first.travellers.values_list("given_names", flat=True)) == ["MICHAEL"]
    assert sorted(second.travellers.values_list("given_names", flat=True)) == ["CHERYL", "MICHAEL"]


def test_duplicates_are_not_stored_twice_and_updates_merge(db):
    store(paxlst(travellers=[person("SILVA", "ANA", seat="12A")]))
    again = store(paxlst(travellers=[person("SILVA", "ANA", seat="12A")]))
    assert again.status == MessageStatus.DUPLICATE
    assert Traveller.objects.count() == 1
    # A later message (another reference) for the same flight: the seat changes, one more traveller.
    update = store(
        paxlst(
            ref="PAX002",
            interchange="000006641",
            travellers=[person("SILVA", "ANA", seat="14C"), person("LIMA", "RUI", doc="P9")],
        )
    )
    assert update.status == MessageStatus.STORED
    assert Flight.objects.count() == 1
    assert Traveller.objects.count() == 2 and Traveller.objects.get(surname="SILVA").seat == "14C"
    assert list(ReceivedMessage.objects.order_by("id").values_list("status", flat=True)) == [
        "stored",
        "duplicate",
        "stored",
    ]


def test_a_rejected_message_stores_nothing_but_its_receipt(db):
    bad = paxlst(legs=[leg("ET", "921", "ADD", "LFW", None, None)], travellers=[person("SILVA", "ANA")])
    outcome = store(bad)
    assert outcome.status == MessageStatus.REJECTED
    assert "no scheduled departure or arrival time" in outcome.errors[0]["reason"]
    assert not Flight.objects.exists() and not Traveller.objects.exists()
    receipt = ReceivedMessage.objects.get()
    assert receipt.status == "rejected" and receipt.errors == outcome.errors
    # A parse error travels with its position.
    broken = paxlst(ref="PAX009")
    broken.errors = [
        {
            "message": "PAX009",
            "segment": 7,
            "tag": "DTM",
            "element": 1,
            "component": 2,
            "reason": "not a date",
        }
    ]
    assert store(broken).status == MessageStatus.REJECTED and not Flight.objects.exists()


def booking(locator, names, pushed_at_day=20):
    t = datetime(2026, 11, pushed_at_day, 14, 0)
    flight = leg("ET", "508", "ADD", "LFW", t, t + timedelta(hours=5))
    return model.Booking(
        record_locator=locator,
        flight=flight,
        itinerary=[flight],
        travellers=[
            model.Traveller(surname=s, given_names=g, reference=str(i)) for i, (s, g) in enumerate(names, 1)
        ],
        payments=[
            model.Payment(kind="card", card_type="VI", card_number=model.mask_card("4111111111111111"))
        ],
        contacts=[model.Contact(kind="phone", value="+228 90 00 00 00")],
    )


def pnr(ref, bookings, interchange="IC1"):
    return parsers.ParsedMessage(
        kind="pnrgov",
        sender="ET",
        interchange_ref=interchange,
        message_ref=ref,
        version="13:1",
        bookings=bookings,
    )


def test_a_pnr_pushed_again_replaces_its_travellers_but_not_held_ones(db):
    store(
        pnr(
            "M1",
            [booking("ABC123", [("DOE", "JANE"), ("DOE", "JOHN")]), booking("XYZ789", [("ROE", "RICHARD")])],
        )
    )
    assert Booking.objects.count() == 2 and Traveller.objects.filter(source="pnr").count() == 3
    b = Booking.objects.get(record_locator="ABC123")
    assert b.data["payments"][0]["card_number"] == "************1111"
    john = Traveller.objects.get(given_names="JOHN")
    retention.hold(actor=None, traveller=john, reason="confirmed hit 42")
    # The -24 h push: John is no longer in the PNR, Jim is new; John is held, so he stays.
    store(pnr("M2", [booking("ABC123", [("DOE", "JANE"), ("DOE", "JIM")])], interchange="IC2"))
    names = sorted(
        Booking.objects.get(record_locator="ABC123").travellers.values_list("given_names", flat=True)
    )
    assert names == ["JANE", "JIM", "JOHN"]


@pytest.fixture
def stored_flight(db):
    t = datetime(2026, 11, 20, 8, 0)
    legs = [leg("ET", "921", "ADD", "LFW", t, t + timedelta(hours=5))]
    store(paxlst(legs=legs, travellers=[person("SILVA", "ANA")]))
    return Flight.objects.get()


@pytest.mark.parametrize(
    "username, sees",
    [
        ("officer-lfw", True),  # task force at the arrival airport
        ("coordinator-tg", True),  # national headquarters of Togo
        ("officer-gru", False),  # another task force
        ("analyst", False),  # the programme's analysts: no passenger data
        ("liaison-gh", False),
        ("airline-et", False),
        ("admin", False),
    ],
)
def test_passenger_data_belongs_to_the_airports_task_forces_and_national_hq(
    stored_flight, user_named, username, sees
):
    user = user_named(username)
    assert visible_to(Flight, user).filter(pk=stored_flight.pk).exists() is sees
    assert visible_to(Traveller, user).filter(flight=stored_flight).exists() is sees
    if not sees:
        with pytest.raises(Http404):
            selectors.flight(user, stored_flight.pk)


def test_every_read_of_a_manifest_is_audited(stored_flight, user_named):
    officer = user_named("officer-lfw")
    rows = selectors.manifest(officer, stored_flight, via="page")
    assert [t.surname for t in rows] == ["SILVA"]
    entry = AuditEntry.objects.filter(action="passengers.read").latest("seq")
    assert entry.actor_username == "officer-lfw" and entry.data["travellers"] == 1
    assert "SILVA" not in str(entry.data)


def test_retention_masks_then_deletes_and_keeps_what_is_held(db, settings):
    settings.AIRCOP_PASSENGER_MASK_DAYS, settings.AIRCOP_PASSENGER_DELETE_DAYS = 30, 180
    now = timezone.now()

    def flight_days_ago(days, number, surname):
        t = (now - timedelta(days=days)).astimezone(LOME).replace(tzinfo=None)
        legs = [leg("ET", number, "ADD", "LFW", t - timedelta(hours=5), t)]
        store(
            paxlst(ref=number, interchange=number, legs=legs, travellers=[person(surname, "X", doc=number)])
        )

    flight_days_ago(2, "1", "RECENT")
    flight_days_ago(40, "2", "MASKED")
    flight_days_ago(200, "3", "DELETED")
    flight_days_ago(210, "4", "HELD")
    retention.hold(actor=None, traveller=Traveller.objects.get(surname="HELD"), reason="seizure SZ-1")
    counts = retention.run(dry_run=True)
    assert (counts.travellers_masked, counts.flights_deleted) == (1, 1)
    assert Traveller.objects.count() == 4  # a dry run changes nothing
    counts = retention.run()
    assert (counts.travellers_masked, counts.flights_deleted, counts.travellers_deleted) == (1, 1, 1)
    assert set(Traveller.objects.values_list("surname", flat=True)) == {"RECENT", "", "HELD"}
    masked = Traveller.objects.get(masked_at__isnull=False)
    assert (
        masked.date_of_birth is None and masked.documents.get().number == "" and masked.nationality == "BRA"
    )
    assert retention.run().travellers_masked == 0  # idempotent
    assert AuditEntry.objects.filter(action="passengers.retention").count() == 1


def test_a_large_manifest_is_stored_in_a_few_statements(db, django_assert_max_num_queries):
    many = [person(f"NAME{i:03d}", "X", doc=f"P{i:06d}") for i in range(400)]
    many.append(person("NAME000", "X", doc="P000000", seat="1A"))  # listed twice: stored once
    with django_assert_max_num_queries(40):
        outcome = store(paxlst(travellers=many))
    assert outcome.status == MessageStatus.STORED
    assert Traveller.objects.count() == 400 and Traveller.objects.get(surname="NAME000").seat == "1A"
    assert Traveller.objects.filter(documents__number="P000399").exists()
