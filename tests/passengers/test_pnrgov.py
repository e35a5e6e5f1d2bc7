"""PNRGOV reader: our own fixtures (values checked one by one), the conformance corpus from real
feeds (/work/shared/samples/pnrgov, skipped when absent) and error positions. No database."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from aircop.passengers import parsers
from aircop.passengers.parsers import edifact, pnrgov
from aircop.passengers.parsers import pnrgov_segments as segments
from aircop.passengers.parsers import pnrgov_ssr as ssrs

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path("/work/shared/samples/pnrgov")


def read(text: str):
    reading = edifact.read(text)
    assert reading.errors == []
    assert len(reading.messages) == 1
    return reading, pnrgov.parse(reading.messages[0], reading.separators)


def fixture(name: str):
    return read((FIXTURES / name).read_text(encoding="utf-8"))


def offset(moment: datetime) -> timedelta:
    return moment.utcoffset()


# ----------------------------------------------------------------------------- our fixture: two PNRs
@pytest.fixture(scope="module")
def two():
    reading, bookings = fixture("pnrgov_two_pnrs.edi")
    assert reading.warnings == [] and reading.messages[0].warnings == []
    return bookings


def test_two_pnrs_booking_fields(two):
    assert [b.record_locator for b in two] == ["K7Q2ZD", "M3XW9P"]
    first, second = two
    assert (first.sender, first.version, first.message_ref) == ("TP", "13:1", "1")
    # RCI: creation date and time; DAT 700: last PNR transaction; DAT 710: ticket issued (UTC).
    assert first.created_at == datetime(2025, 1, 12, 14, 32, tzinfo=UTC)
    assert first.last_modified_at == datetime(2025, 3, 11, 22, 10, tzinfo=UTC)
    assert first.ticketed_at == [datetime(2025, 1, 15, 9, 30, tzinfo=UTC)]
    assert second.created_at == datetime(2025, 3, 2, 9, 15, tzinfo=UTC)  # first RCI composite only
    agency = first.travel_agency
    assert (agency.code, agency.city, agency.country) == ("20512345/SAOB22118", "SAO", "BRA")
    assert (second.travel_agency.code, second.travel_agency.country) == ("LISTP0101", "PRT")
    # The flight the push is for, in local times with the airports' offsets.
    flight = first.flight
    assert (flight.carrier, flight.number, flight.departure_airport, flight.arrival_airport) == (
        "TP",
        "0088",
        "GRU",
        "LIS",
    )
    assert flight.scheduled_departure.replace(tzinfo=None) == datetime(2025, 3, 14, 16, 5)
    assert offset(flight.scheduled_departure) == timedelta(hours=-3)
    assert flight.scheduled_arrival.replace(tzinfo=None) == datetime(2025, 3, 15, 5, 45)
    assert offset(flight.scheduled_arrival) == timedelta(0)
    assert first.flight is not second.flight
    assert first.warnings == []


def test_itinerary_and_code_shares(two):
    first, second = two
    gru_lis, lis_ams = first.itinerary
    assert (gru_lis.booking_class, gru_lis.status, gru_lis.operating_carrier) == ("Y", "HK", None)
    # TVL carrier TP:KL (marketing:operating); the TVL+++++1692 after it adds no leg.
    assert (lis_ams.carrier, lis_ams.number, lis_ams.operating_carrier) == ("TP", "6402", "KL")
    # Only the arrival time is sent: the day comes from the airports' offsets (2 h 15 flight).
    assert lis_ams.scheduled_arrival.replace(tzinfo=None) == datetime(2025, 3, 15, 10, 45)
    assert lis_ams.scheduled_arrival - lis_ams.scheduled_departure == timedelta(hours=2, minutes=15)
    marketed = second.itinerary[0]
    # TRA gives the operating carrier of a code share.
    assert (marketed.carrier, marketed.number, marketed.operating_carrier) == ("G3", "5088", "TP")
    assert [leg.arrival_airport for leg in second.itinerary] == ["LIS", "ACC"]


def test_traveller_and_infant(two):
    mother, baby = two[0].travellers
    assert (mother.surname, mother.given_names, mother.reference) == ("SILVA", "ANA MARIA MRS", "1")
    assert (mother.sex, mother.date_of_birth, mother.nationality) == ("F", date(1988, 2, 14), "BRA")
    assert mother.with_infant and not mother.infant
    assert mother.booking_reference == "K7Q2ZD"
    assert mother.frequent_flyer == ["TP 123456789"]
    assert mother.ticket_numbers == ["0472412345678"]
    # The DOCS with sex FI in the mother's group is the infant's; INFT and INF tickets too.
    assert (baby.surname, baby.given_names, baby.reference, baby.infant) == ("SILVA", "BEATRIZ", "2", True)
    assert (baby.sex, baby.date_of_birth, baby.nationality) == ("F", date(2025, 1, 2), "BRA")
    assert [(d.type, d.number, d.issuing_country, d.expiry_date) for d in baby.documents] == [
        ("P", "FN654321", "BRA", date(2030, 1, 1))
    ]
    assert baby.ticket_numbers == ["0472412345680"]
    assert baby.seat is None


def test_docs_doco_doca(two):
    mother = two[0].travellers[0]
    passport, visa = mother.documents
    assert (passport.type, passport.number, passport.issuing_country, passport.expiry_date) == (
        "P",
        "FN123456",
        "BRA",
        date(2031, 2, 13),
    )
    # DOCO: a visa is issued by the country it is valid for.
    assert (visa.type, visa.number, visa.issuing_country, visa.issue_date) == (
        "V",
        "PT9988776",
        "PRT",
        date(2025, 1, 10),
    )
    assert mother.place_of_birth == "SAO PAULO"
    assert mother.residence_country == "BRA"  # DOCA R
    assert mother.addresses == [
        "RUA AUGUSTA 1508, SAO PAULO, SP, 01304001, BRA (residence)",
        "RUA DO OURO 12, LISBOA, 1100060, PRT (destination)",
    ]
    child = two[1].travellers[1]
    assert (child.given_names, child.sex, child.date_of_birth) == ("ADA", "F", None)
    assert child.documents[0].number == "B01234567"


def test_contacts(two):
    first, second = two
    contacts = [(c.kind, c.value, c.traveller) for c in first.contacts]
    assert contacts == [
        ("address", "RUA AUGUSTA 1508, SAO PAULO, SP, 01304-001, BRA", None),  # ADD in the PNR group
        ("phone", "5511987654321", None),  # ADD telephone; the CTCM OSI says the same
        ("email", "ana_silva-lima@example.com.br", None),  # CTCE: .. is _, ./ is -, // is @
        ("address", "RUA AUGUSTA 1508 SAO PAULO", 0),  # the payer (IFT 4:43) of her ticket
        ("phone", "5511987654321", 0),
    ]
    # SSR CTCM in a flight group names its traveller by reference.
    assert [(c.kind, c.value, c.traveller) for c in second.contacts] == [("phone", "2348031234567", 0)]


def test_card_payment_masked_everywhere(two):
    payment = two[0].payments[0]
    assert (payment.kind, payment.card_type, payment.card_number) == ("card", "VI", "************1111")
    assert (payment.card_holder, payment.card_expiry, payment.amount, payment.currency) == (
        "ANA M SILVA",
        "0828",
        "1450.00",
        "EUR",  # MON T of the ticket
    )
    cash = two[1].payments[0]
    assert (cash.kind, cash.card_number, cash.amount, cash.currency) == ("cash", None, "980.00", "EUR")
    everything = json.dumps([b.as_json() for b in two])
    assert "4111111111111111" not in everything
    assert "411111111111" not in everything
    assert "3/A/FP/FP CCVI************1111/0828" in everything  # the history line, masked
    # Ticket numbers are not taken for cards.
    assert "TKT 047-2498765432" in everything


def test_seats(two):
    first, second = two
    # The check-in seat (SSD 024C) replaces the booked one (SSR SEAT 23C).
    assert first.seats == [
        {"traveller": 0, "flight": 0, "seat": "24C"},
        {"traveller": 0, "flight": 1, "seat": "7D"},
    ]
    assert first.travellers[0].seat == "24C"  # on the flight the push is for
    # The code share G3 5088 is the pushed TP 0088: same route and day.
    assert [t.seat for t in second.travellers] == ["12A", "12B"]


def test_bags(two):
    first, second = two
    # TBD++2:46:700++HP+TP:0047812345:2:AMS: two consecutive tags, 46 kg in all.
    assert first.bags == [
        {
            "traveller": 0,
            "tag": "0047812345",
            "count": 1,
            "weight_kg": 46.0,
            "destination": "AMS",
            "excess": False,
        },
        {
            "traveller": 0,
            "tag": "0047812346",
            "count": 1,
            "weight_kg": None,
            "destination": "AMS",
            "excess": False,
        },
    ]
    assert first.travellers[0].bag_tags == ["0047812345", "0047812346"]
    excess, checked = second.bags
    assert excess == {
        "traveller": None,
        "tag": None,
        "count": 1,
        "weight_kg": None,
        "destination": None,
        "excess": True,
        "rate": "150.00",
        "currency": "EUR",
    }
    assert checked == {
        "traveller": 0,
        "tag": None,
        "count": 3,
        "weight_kg": 64.0,
        "destination": None,
        "excess": False,
    }


def test_history(two):
    removed, added, name, payment = two[0].history
    at = datetime(2025, 3, 11, 22, 10, tzinfo=UTC)
    assert (removed.action, removed.what, removed.at) == ("X", "service", at)
    assert "31A" in removed.text and removed.text.endswith("(by SAOB22118 SAO 1A)")
    assert (added.action, added.what) == ("A", "service") and "23C" in added.text
    assert (name.action, name.what, name.at) == ("O", "traveller", None)
    assert name.text == "0/O/NM/SILVA/ANA MARIA MRS(INF/BEATRIZ/02JAN25)"
    assert (payment.action, payment.what) == ("A", "payment")


def test_warnings_name_the_segment(two):
    assert two[1].warnings == [
        "segment 59 (SSR): SSR DOCS date of birth left out: not a calendar date: '31FEB15'",
        "segments not read: XYZ (1)",
    ]


# ----------------------------------------------------------------------------- one line, custom separators
def test_one_line_custom_separators_and_release():
    reading, (booking,) = fixture("pnrgov_oneline.edi")
    seps = reading.separators
    assert (seps.component, seps.element, seps.release, seps.segment) == ("^", "|", "!", "~")
    assert booking.record_locator == "ZX8KLM"
    assert booking.created_at == datetime(2025, 3, 1, 12, 15, tzinfo=UTC)
    traveller = booking.travellers[0]
    assert (traveller.surname, traveller.date_of_birth, traveller.documents[0].number) == (
        "ADEYEMI",
        date(1990, 5, 5),
        "A11223344",
    )
    assert [(c.kind, c.value) for c in booking.contacts] == [
        ("address", "12 AWOLOWO ROAD^ IKOYI, LAGOS, NGA"),  # a released component separator
        ("email", "t-adeyemi@mail.example.ng"),
    ]
    assert booking.payments[0].card_number == "************4444"
    texts = [h.text for h in booking.history]
    assert texts == [
        "1/A/RX/PAX ASKS AISLE^ WINDOW NOT OK| SEE NOTE!",
        "2/A/FP/CCCA************4444/1127",
        "2/A/TK/TKT 220-2412345678",
    ]
    assert [h.what for h in booking.history] == ["remark", "payment", "ticket"]
    assert "5555555555554444" not in json.dumps(booking.as_json())
    leg = booking.itinerary[0]
    assert offset(leg.scheduled_departure) == timedelta(hours=1)  # FRA in winter time
    assert leg.scheduled_arrival.replace(tzinfo=None) == datetime(2025, 3, 15, 6, 15)
    assert booking.warnings == []


# ----------------------------------------------------------------------------- errors and deviations
MINIMAL = (
    "UNH+M1+PNRGOV:13:1:IA'MSG+:22'ORG+XX'TVL+140325:1000:140325:1300+CDG+DKR+XX+1'EQN+1'SRC'{pnr}UNT+9+M1'"
)


def test_rci_without_record_locator_is_an_error():
    reading = edifact.read(MINIMAL.format(pnr="RCI+XX'TIF+DOE+JOHN:A:1'"))
    with pytest.raises(edifact.EdifactError) as caught:
        pnrgov.parse(reading.messages[0])
    err = caught.value
    assert (err.message, err.segment, err.tag, err.element, err.component) == ("M1", 7, "RCI", 1, 2)


def test_pnr_without_rci_is_an_error_at_its_src():
    reading = edifact.read(MINIMAL.format(pnr="TIF+DOE+JOHN:A:1'"))
    with pytest.raises(edifact.EdifactError) as caught:
        pnrgov.parse(reading.messages[0])
    err = caught.value
    assert (err.message, err.segment, err.tag, err.element) == ("M1", 6, "SRC", None)
    assert "record locator" in err.reason


def test_read_file_reports_the_error_position():
    parsed = parsers.read_file(MINIMAL.format(pnr="RCI+XX'").encode())
    (message,) = parsed.messages
    assert not message.ok and message.bookings == []
    assert message.errors[0] | {"reason": ""} == {
        "message": "M1",
        "segment": 7,
        "tag": "RCI",
        "element": 1,
        "component": 2,
        "reason": "",
    }


def test_eqn_count_and_missing_header_flight_are_warnings():
    text = "UNH+M2+PNRGOV:13:1:IA'MSG+:22'EQN+3'SRC'RCI+XX:ABC123'SRC'RCI+XX:DEF456'UNT+8+M2'"
    _, bookings = read(text)
    assert [b.record_locator for b in bookings] == ["ABC123", "DEF456"]
    assert bookings[0].warnings == [
        "EQN announces 3 PNR(s), the message has 2",
        "the message header names no flight (TVL)",
    ]
    assert bookings[1].warnings == []


def test_glued_segments_are_split():
    pnr = "RCI+XX:ABC123'TIF+DOE+JOHN:A:1'TVL+140325:1000:140325:1300+CDG+DKR+XX+1:Y'RPI+1+HKSSR+SEAT:HK:1:XX+4C::1'"
    _, (booking,) = read(MINIMAL.format(pnr=pnr))
    assert booking.itinerary[0].status == "HK"
    assert booking.seats == [{"traveller": 0, "flight": 0, "seat": "4C"}]
    assert booking.warnings == [
        "segment 10 (RPI): segment SSR glued to it without a terminator: read as two segments"
    ]


def test_names_that_end_like_a_tag_are_not_split():
    seg = edifact.Segment("TIF", [["BORG"], ["PETRA", "A", "1"]], 5)
    assert segments.unglue([seg], print) == [seg]


def test_checked_in_traveller_missing_from_the_pnr_is_added():
    pnr = "RCI+XX:ABC123'TVL+140325:1000:140325:1300+CDG+DKR+XX+1:Y'TRI++1:::7'TIF+ROE+JANE:A:7'SSD+02A++++Y'"
    _, (booking,) = read(MINIMAL.format(pnr=pnr))
    assert [(t.surname, t.reference, t.seat) for t in booking.travellers] == [("ROE", "7", "2A")]
    assert "checked-in traveller ROE/JANE is not in the PNR: added" in booking.warnings[0]


# ----------------------------------------------------------------------------- free text
@pytest.mark.parametrize(
    "text, expected",
    [
        ("CTCE MOLLY..LOBB//GMAIL.COM", ("email", "molly_lobb@gmail.com")),
        ("CTCE MOLLY..LONT+50BB//GMAIL.COM", ("email", "molly_lont+50bb@gmail.com")),
        ("CTCE JEAN./PAUL//EXAMPLE.FR/FR", ("email", "jean-paul@example.fr")),
        ("YY CTCM 123456789", ("phone", "123456789")),
        ("EK CTC M 5432109876", ("phone", "5432109876")),
        ("AM CTCBOG 571-600 5820-A-COTOURIST", ("phone", "BOG 571-600 5820-A-COTOURIST")),
        ("CTCA 12 MAIN STREET LONDON", ("address", "12 MAIN STREET LONDON")),
        ("CTCR 00115555555555", None),  # the passenger refused to give a contact
        ("THIS PASSENGER IS A VIP", None),
    ],
)
def test_ctc(text, expected):
    assert segments.read_ctc(text) == expected


def test_scrub_cards():
    assert segments.scrub_cards("FP CCVI4111111111111111/0828") == "FP CCVI************1111/0828"
    assert segments.scrub_cards("card 4111 1111 1111 1111 ok") == "card **** **** **** 1111 ok"
    assert segments.scrub_cards("AX 378282246310005") == "AX ***********0005"
    assert segments.scrub_cards("PAID 41111111111111110828") == "PAID ************11110828"
    for kept in ("TKT 0472412345678", "PHONE 00441753637285", "TKT 618-2402058077", "NO DIGITS"):
        assert segments.scrub_cards(kept) == kept


def test_mask_keeps_a_senders_masking():
    assert segments.mask("XXXXXXXX1186") == "********1186"
    assert segments.mask("372395XXXXX9581") == "***********9581"
    assert segments.mask("4111XXXXXXXXXXXX") == "****************"
    assert segments.mask("") is None


def test_docs_text_variants():
    def docs(text):
        ssr = ssrs.read_ssr(edifact.Segment("SSR", [["DOCS", "HK", "1", "LH", "", "", "", "", text]], 3))
        return ssrs.read_docs(ssr, warnings.append)

    warnings: list[str] = []
    person = docs("/////05FEB53/F//DORON/NINA")
    assert (person.document, person.date_of_birth, person.sex, person.surname) == (
        None,
        date(1953, 2, 5),
        "F",
        "DORON",
    )
    person = docs("P/KR/JR3364288/KR/10SEP72/M/05JUL16/PARK/SE JOON/")
    assert (person.document.issuing_country, person.nationality, person.given_names) == (
        "KOR",
        "KOR",
        "SE JOON",
    )
    person = docs("/P/ERI/191259499/0/28MAY89/MI/24JUL22/LAI/BI")
    assert (person.nationality, person.sex, person.infant) == (None, "M", True)
    assert warnings == ["segment 3 (SSR): SSR DOCS nationality '0' is not a country code"]


# ----------------------------------------------------------------------------- the conformance corpus
# file: (PNRs, travellers) as read; every message of every file reads.
CORPUS = {
    "gtas-loader__2_pnrs_basic.edi": (2, 4),
    "gtas-loader__3_pnrs.edi": (3, 13),
    "gtas-loader__adult_and_infant.edi": (1, 2),
    "gtas-loader__codeshare.edi": (2, 2),
    "gtas-loader__infant.edi": (1, 2),
    "gtas-loader__multiple_flight_leg_pnr.txt": (1, 2),
    "gtas-loader__no_pnr_history.edi": (3, 4),
    "gtas-loader__pnr1.txt": (1, 2),
    "gtas-loader__pnr2.txt": (1, 2),
    "gtas-loader__pnr3.txt": (1, 4),
    "gtas-loader__pnr4.txt": (1, 1),
    "gtas-loader__pnrMessageExample.txt": (1, 5),
    "gtas-loader__pnr_split.edi": (2, 3),
    "gtas-parsers__bigMessagePnr.txt": (1, 7),
    "gtas-parsers__bigbigPnr.txt": (47, 86),
    "gtas-parsers__danglingMetaCharacter.txt": (1, 1),
    "gtas-parsers__modifyPnr77ForCodeShare.txt": (1, 1),
    "gtas-parsers__pnrAddressPhoneCTCM.txt": (1, 1),
    "gtas-parsers__pnrBadFormat.txt": (1, 2),
    "gtas-parsers__pnrEdge.txt": (1, 1),
    "gtas-parsers__pnrMessage.txt": (1, 2),
    "gtas-parsers__pnrMessageExample.txt": (1, 5),
    "gtas-parsers__pnrMessagePg75.txt": (2, 2),
    "gtas-parsers__pnrMessagePg76.txt": (1, 2),
    "gtas-parsers__pnrMessagePg77.txt": (1, 1),
    "gtas-parsers__pnrNoOrgMsg.txt": (1, 1),
    "gtas-parsers__pnrPhoneCTCM.txt": (1, 1),
    "gtas-parsers__pnrPhoneCTC_M.txt": (1, 1),
    "gtas-parsers__pnrSeatFormats.txt": (1, 1),
    "gtas-parsers__pnrWithBags.txt": (127, 268),
    "gtas-parsers__pnrWithDoco.txt": (1, 1),
    "gtas-parsers__pnrWithPrefixesAndBookingDetailBags.txt": (1, 2),
}
needs_corpus = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason="no conformance corpus in /work/shared/samples"
)
_MASKED = re.compile(r"\*+\d{0,4}")


def sample(name: str):
    text = (SAMPLES / name).read_text(encoding="utf-8", errors="replace")
    reading = edifact.read(text)
    assert reading.errors == []
    return reading, [b for m in reading.messages for b in pnrgov.parse(m, reading.separators)]


@needs_corpus
def test_corpus_is_complete():
    assert sorted(p.name for p in SAMPLES.iterdir()) == sorted(CORPUS)


@needs_corpus
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file_reads(name):
    _, bookings = sample(name)
    assert (len(bookings), sum(len(b.travellers) for b in bookings)) == CORPUS[name]
    for b in bookings:
        assert b.record_locator and b.flight is not None  # a few samples are cut before the itinerary
        assert all(leg.departure_airport and leg.arrival_airport for leg in b.itinerary)
        assert all(t.booking_reference == b.record_locator for t in b.travellers)
        for p in b.payments:
            assert p.card_number is None or _MASKED.fullmatch(p.card_number)
        json.dumps(b.as_json())


@needs_corpus
def test_corpus_bad_format_reads_and_a_damaged_copy_fails_where_damaged():
    # pnrBadFormat's flaw is its trailer (text after UNZ): a reader warning, the PNR reads.
    reading, (booking,) = sample("gtas-parsers__pnrBadFormat.txt")
    assert any("UNZ reference" in w for w in reading.warnings)
    assert booking.record_locator == "35K2IO"
    text = (SAMPLES / "gtas-parsers__pnrBadFormat.txt").read_text()
    damaged = edifact.read(text.replace("RCI+1A:35K2IO::150213:0149+1S:EVFSDI'\nDAT", "RCI+1A'\nDAT", 1))
    with pytest.raises(edifact.EdifactError) as caught:
        pnrgov.parse(damaged.messages[0])
    err = caught.value
    assert (err.message, err.segment, err.tag, err.element, err.component) == (
        "00102181551362",
        7,
        "RCI",
        1,
        2,
    )


@needs_corpus
def test_corpus_two_pnrs_basic():
    _, (first, second) = sample("gtas-loader__2_pnrs_basic.edi")
    assert (first.record_locator, second.record_locator) == ("MFN4TI", "23456")
    smith, jones = first.travellers
    assert (smith.surname, smith.documents[0].number, smith.seat) == ("SMITHJR", "123456789", "15A")
    assert smith.frequent_flyer == ["DL 1234567890"]
    assert first.payments[0].card_number == "********1186"
    assert (jones.date_of_birth, jones.documents) == (date(1964, 7, 12), [])  # DOCS without a document
    # Hotel (MSG+8 TVL) and split PNR (EQN RCI) are not flights; the history has 12 SAC entries.
    assert [leg.number for leg in first.itinerary] == ["324", "330"]
    assert len(first.history) == 12 and {h.action for h in first.history} == {"X", "A"}
    # SSD (check-in) 15A for COOPER overrides the booked 17B.
    assert second.travellers[1].seat == "15A"
    assert second.bags[0]["excess"] and second.bags[0]["count"] == 2


@needs_corpus
def test_corpus_infant():
    _, (booking,) = sample("gtas-loader__infant.edi")
    mother, baby = booking.travellers
    assert mother.with_infant and baby.infant
    assert (baby.given_names, baby.date_of_birth, baby.documents[0].number) == (
        "SOPHY",
        date(2012, 9, 20),
        "512731999",
    )
    assert (mother.documents[0].number, mother.frequent_flyer) == ("509229987", ["SQ 8794285757"])


@needs_corpus
def test_corpus_codeshare_with_lost_terminators():
    # A ’ typed for the terminator glued TVL to an SSR and a TIF to an ORG: both are split.
    _, (park, kim) = sample("gtas-parsers__pnrMessagePg75.txt")
    leg = kim.itinerary[0]
    assert (leg.carrier, leg.operating_carrier, leg.number) == ("OZ", "SQ", "609")
    assert [(t.surname, t.reference, t.seat) for t in kim.travellers] == [("KIM", "3", "14A")]
    assert park.travellers[0].documents[0].issuing_country == "KOR"
    assert any("segment TIF glued" in w for w in kim.warnings)


@needs_corpus
def test_corpus_contacts_and_separators():
    _, (booking,) = sample("gtas-parsers__danglingMetaCharacter.txt")
    assert ("email", "reuben_serio@gmail.com") in [(c.kind, c.value) for c in booking.contacts]
    # Element separator "-": free text split on it is put back with it.
    assert ("phone", "SEA 866 746-4647 CARLSON WAGONLIT TVL") in [(c.kind, c.value) for c in booking.contacts]
    _, (edge,) = sample("gtas-parsers__pnrEdge.txt")
    assert [c.value for c in edge.contacts if c.kind == "email"] == ["molly_louunt+50bb@gmail.com"]
    _, (ctc_m,) = sample("gtas-parsers__pnrPhoneCTC_M.txt")
    assert ("phone", "123456789", 0) in [(c.kind, c.value, c.traveller) for c in ctc_m.contacts]


@needs_corpus
def test_corpus_doco_and_bags():
    _, (booking,) = sample("gtas-parsers__pnrWithDoco.txt")
    visa = booking.travellers[0].documents[1]
    assert (visa.type, visa.number, visa.issuing_country, visa.issue_date) == (
        "V",
        "8675309",
        "LIE",
        date(2006, 12, 22),
    )
    _, bookings = sample("gtas-parsers__pnrWithBags.txt")
    tagged = [bag for b in bookings for bag in b.bags if bag["tag"]]
    assert len(tagged) > 200 and all(re.fullmatch(r"ET\d{4}", bag["tag"]) for bag in tagged[:5])
    # 37 lb (unit 701) is 16.8 kg.
    _, (legs,) = sample("gtas-loader__multiple_flight_leg_pnr.txt")
    assert legs.bags[0]["weight_kg"] == 16.8
