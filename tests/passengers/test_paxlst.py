"""PAXLST -> Manifest: our own fixtures (D05B passenger list with two legs, D02B crew list, the
US CEDIPAX layout with UNS and PDT, a one-line message with custom separators and release
characters, a broken file), the conformance corpus when it is present, error positions and
the tolerated deviations. Pure: no database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from aircop.passengers.parsers import decode, edifact, paxlst

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path("/work/shared/samples/paxlst")


def read(name: str) -> edifact.Reading:
    reading = edifact.read(decode((FIXTURES / name).read_bytes()))
    assert reading.errors == [] and reading.warnings == []
    assert all(m.warnings == [] for m in reading.messages)
    return reading


def one(name: str):
    (message,) = read(name).messages
    return paxlst.parse(message)


def build(*body: str, version: str = "D:05B", ref: str = "M1") -> edifact.Message:
    """A message from its body segments (standard separators); UNH is segment 1."""
    directory, release = version.split(":")
    segments = [f"UNH+{ref}+PAXLST:{directory}:{release}:UN:IATA", *body]
    text = "'".join([*segments, f"UNT+{len(segments) + 1}+{ref}"]) + "'"
    reading = edifact.read(text)
    assert reading.errors == []
    (message,) = reading.messages
    assert message.warnings == []
    return message


HEADER = ("BGM+745", "NAD+MS+++APIS DESK")  # segments 2, 3
FLIGHT = (
    "TDT+20+LH400+++LH",  # 4
    "LOC+125+FRA",
    "DTM+189:2606011030:201",
    "LOC+87+JFK",
    "DTM+232:2606011310:201",  # 8
)
JANE = ("NAD+FL+++DOE:JANE", "ATT+2++F", "DTM+329:800101")  # 9, 10, 11


def parse(*body: str, **kw):
    return paxlst.parse(build(*body, **kw))


def error_of(*body: str, **kw) -> edifact.EdifactError:
    with pytest.raises(edifact.EdifactError) as info:
        parse(*body, **kw)
    return info.value


# ----------------------------------------------------------------------------- fixtures
def pick(obj, names: str) -> tuple:
    """The JSON values of some fields: pick(leg, "carrier number") -> ("AV", "0010")."""
    data = obj.as_json()
    return tuple(data[name] for name in names.split())


ROUTE = "carrier number departure_airport arrival_airport scheduled_departure scheduled_arrival"
DOCUMENT = "type number issuing_country expiry_date issue_date"


def test_d05b_passenger_list_with_two_legs():
    manifest = one("paxlst_d05b_two_legs.edi")
    assert pick(manifest, "message_ref sender version kind") == ("AV0010A", "AVIANCA", "D:05B", "passenger")
    assert pick(manifest.reporting_party, "name phone fax") == (
        "AVIANCA APIS DESK",
        "57 1 5877700",
        "57 1 5877701",
    )
    assert manifest.reporting_party.email == "apis.desk@avianca.example"
    assert [pick(leg, ROUTE) for leg in manifest.flights] == [
        ("AV", "0010", "BOG", "MAD", "2026-03-14T19:35:00-05:00", "2026-03-15T12:50:00+01:00"),
        ("AV", "0010", "MAD", "FCO", "2026-03-15T14:30:00+01:00", "2026-03-15T16:55:00+01:00"),
    ]
    juan, ana, sean = manifest.travellers
    person = "type in_transit surname given_names sex date_of_birth"
    origin = "nationality residence_country place_of_birth"
    assert pick(juan, person) == ("passenger", False, "RESTREPO GOMEZ", "JUAN CARLOS", "M", "1985-04-12")
    assert pick(juan, origin) == ("COL", "COL", "MEDELLIN")
    assert pick(juan, "embarkation debarkation transit booking_reference seat") == (
        "BOG",
        "FCO",
        [],
        "QZ7K2P",
        "23C",
    )
    assert juan.bag_tags == ["AV123456", "AV123457"]  # FTX+BAG+++AV123456:2: two tags in sequence
    assert juan.addresses == ["CARRERA 7 NO 45-12, BOGOTA, 110231, CO"]
    assert [pick(d, DOCUMENT) for d in juan.documents] == [
        ("P", "AX1234567", "COL", "2031-08-20", None),
        ("V", "ITA0099887", "ITA", "2026-09-01", "2025-09-01"),
    ]
    # In transit (NAD+DDU): LOC+22 is her final destination, MAD (LOC+179) a transit airport.
    assert pick(ana, person) == ("passenger", True, "MARTINEZ", "ANA SOFIA", "F", "1992-03-03")
    assert pick(ana, origin) == ("VEN", None, None)
    assert pick(ana, "embarkation debarkation transit") == ("BOG", "ZRH", ["MAD"])
    assert [pick(d, DOCUMENT) for d in ana.documents] == [("P", "V98765432", "VEN", "2030-01-15", None)]
    # A released apostrophe; sex U is "unknown"; an unknown country code is left empty.
    assert pick(sean, "surname sex nationality booking_reference") == ("O'BRIEN", None, None, "QZ7K2P")
    assert manifest.warnings == [
        "segment 43 (NAT): out of place (NAT after the traveller's DOC): read anyway",
        "segment 49 (NAT): nationality: country code 'XY' is not known: left empty",
        "segment 51 (RFF): RFF qualifier 'XYZ' is not known: ignored",
    ]


def test_crew_list():
    manifest = one("paxlst_crew_d02b.edi")
    assert pick(manifest, "kind version sender warnings") == ("crew", "D:02B", "KLMAPI", [])
    assert pick(manifest.reporting_party, "name phone fax") == ("KLM CREW CONTROL", "31 20 6494444", None)
    assert manifest.reporting_party.email == "crew.control@klm.example"
    assert [pick(leg, ROUTE) for leg in manifest.flights] == [
        ("KL", "0591", "AMS", "LOS", "2026-03-20T10:25:00+01:00", "2026-03-20T16:50:00+01:00")
    ]
    pieter, chiamaka = manifest.travellers
    assert pick(pieter, "type in_transit surname given_names") == ("crew", False, "VAN DER BERG", "PIETER")
    assert pick(chiamaka, "type in_transit sex") == ("crew", True, "X")  # NAD+DDT
    assert [pick(d, DOCUMENT) for d in chiamaka.documents] == [("AC", "CM1234567", "NGA", "2028-01-01", None)]


def test_us_cedipax_layout_with_uns_sections_and_pdt():
    manifest = one("paxlst_us_cedipax.edi")
    assert pick(manifest, "kind version warnings") == ("passenger", "001:000", [])
    assert pick(manifest.reporting_party, "name phone fax") == (
        "OPERACIONES CM",
        "507 217 2672",
        "507 217 2673",
    )
    # LOC+5 departure, LOC+PT a stop (arrival, then departure), LOC+8 arrival; DTM+136/132.
    # The layout gives only the arrival time of a stop; Miami is on daylight saving time.
    assert [pick(leg, ROUTE) for leg in manifest.flights] == [
        ("CM", "472", "BOG", "PTY", "2026-03-14T01:30:00-05:00", "2026-03-14T03:20:00-05:00"),
        ("CM", "472", "PTY", "MIA", None, "2026-03-14T08:45:00-04:00"),
    ]
    castillo, oneill, rios, herrera = manifest.travellers
    person = "type in_transit surname given_names sex date_of_birth embarkation debarkation"
    assert [pick(t, person) for t in manifest.travellers] == [
        ("passenger", False, "CASTILLO", "MIGUEL ANGEL", "M", "1981-07-03", "BOG", "MIA"),
        ("passenger", True, "O'NEILL", "GRACE", "F", "1994-08-12", "BOG", "MIA"),  # ITI
        ("crew", False, "RIOS", "LUIS", "M", "1978-01-15", "BOG", "MIA"),  # CRW
        ("passenger", False, "HERRERA", "PAOLA", "F", "2000-02-29", "PTY", "MIA"),
    ]
    assert [pick(d, DOCUMENT) for d in castillo.documents] == [("P", "AR0456789", "COL", "2029-05-10", None)]
    assert [pick(d, DOCUMENT) for d in herrera.documents] == [("V", "US5566778", "USA", "2028-06-30", None)]


def test_one_line_message_with_custom_separators_and_release_characters():
    reading = read("paxlst_oneline_custom.edi")
    assert (reading.separators.component, reading.separators.element, reading.separators.segment) == (
        "^",
        "*",
        "~",
    )
    manifest = paxlst.parse(reading.messages[0])
    assert manifest.warnings == []
    assert pick(manifest.reporting_party, "name email") == ("SKY*LINK OPS", "ops~apis@skylink.example")
    # LOC+92 routing: the first is the departure, the second the arrival.
    assert [pick(leg, ROUTE) for leg in manifest.flights] == [
        ("SL", "0714", "CDG", "DXB", "2026-03-15T07:10:00+01:00", "2026-03-15T16:25:00+04:00")
    ]
    leila, luc = manifest.travellers
    assert pick(leila, "surname given_names nationality seat") == ("HADDAD", "LEILA NOUR", "LBN", "04A")
    assert pick(luc, "date_of_birth nationality bag_tags") == ("1976-02-29", "FRA", ["SL004512"])
    assert [pick(d, DOCUMENT) for d in luc.documents] == [("I", "FR77AB1234", "FRA", None, None)]


def test_broken_file_rejects_only_the_broken_message():
    good, broken = read("paxlst_broken_dob.edi").messages
    manifest = paxlst.parse(good)
    assert [t.surname for t in manifest.travellers] == ["SANCHEZ", "TORRES"]
    with pytest.raises(edifact.EdifactError) as info:
        paxlst.parse(broken)
    assert info.value.as_dict() == {
        "message": "IB6583B",
        "segment": 15,
        "tag": "DTM",
        "element": 1,
        "component": 2,
        "reason": "date of birth: not a calendar date: '851332'",
    }


# ----------------------------------------------------------------------------- conformance corpus
# What each sample of the corpus gives: (travellers, legs, kind, route, part of a warning).
CORPUS_EXPECTED = {
    "gtas-loader__Test1.txt": (8, 1, "crew", ["FRA-IAD"], "the total is in element 2"),
    "gtas-loader__Test3.txt": (260, 1, "passenger", ["FRA-IAD"], "CNT+41 counts 206 crew members"),
    "gtas-loader__airline2.edi": (10, 1, "passenger", ["BRE-YEU"], "CNT+42 counts 136 passengers"),
    "gtas-loader__multiple_flight_leg_apis.txt": (2, 3, "passenger", ["MIA-IAD", "IAD-JFK", "JFK-CDG"], None),
    "gtas-parsers__apisMessage.txt": (2, 2, "passenger", ["ATL-ORD", "ORD-JFK"], None),
}
CORPUS_FILES = sorted(CORPUS.glob("*")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_FILES, reason="the conformance corpus is not on this machine")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_conformance_corpus(path):
    reading = edifact.read(decode(path.read_bytes()))
    assert reading.errors == []
    paxlst_messages = [m for m in reading.messages if m.type == "PAXLST"]
    assert paxlst_messages
    for message in paxlst_messages:
        try:
            manifest = paxlst.parse(message)
        except edifact.EdifactError as exc:  # a deliberate refusal says where
            assert exc.message == message.ref and exc.segment and exc.tag, exc
            assert path.name not in CORPUS_EXPECTED, f"{path.name}: {exc}"
            continue
        assert manifest.flights and all(t.surname for t in manifest.travellers)
        if path.name not in CORPUS_EXPECTED:
            continue
        travellers, legs, kind, route, warning = CORPUS_EXPECTED[path.name]
        assert (len(manifest.travellers), len(manifest.flights), manifest.kind) == (travellers, legs, kind)
        assert [f"{leg.departure_airport}-{leg.arrival_airport}" for leg in manifest.flights] == route
        assert all(leg.scheduled_departure.utcoffset() is not None for leg in manifest.flights)
        if warning:
            assert any(warning in w for w in manifest.warnings), manifest.warnings
        else:
            assert manifest.warnings == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the conformance corpus is not on this machine")
def test_conformance_corpus_values():
    def manifest_of(name):
        (message,) = edifact.read(decode((CORPUS / name).read_bytes())).messages
        return paxlst.parse(message)

    crew = manifest_of("gtas-loader__Test1.txt")
    first = crew.travellers[0]
    assert pick(first, "type surname given_names sex") == ("crew", "Steur", "Andrea Pat", "F")
    assert pick(first, "date_of_birth place_of_birth residence_country") == (
        "1978-07-06",
        "Hartford USA",
        "GBR",
    )
    assert [pick(d, DOCUMENT) for d in first.documents] == [("P", "123456789", "GBR", "2061-02-18", None)]
    assert [pick(leg, ROUTE) for leg in crew.flights] == [
        ("UA", "0989", "FRA", "IAD", "2017-01-27T17:25:00+01:00", "2017-01-28T07:10:00-05:00")
    ]

    legs = manifest_of("gtas-loader__multiple_flight_leg_apis.txt")
    assert [(f.number, f.scheduled_departure.isoformat()) for f in legs.flights] == [
        ("877", "2008-07-10T15:00:00-04:00"),
        ("827", "2008-08-10T18:30:00-04:00"),
        ("827", "2008-08-10T20:00:00-04:00"),
    ]
    barrett = legs.travellers[0]
    assert (barrett.booking_reference, barrett.embarkation, barrett.debarkation) == ("GJIO3RT", "MIA", "CDG")

    sabre = manifest_of("gtas-loader__airline2.edi")  # '*' between elements, '$' ends segments
    assert (sabre.flights[0].carrier, sabre.flights[0].number) == ("TN", "506")  # no TDT element 5
    assert [d.number for d in sabre.travellers[0].documents] == ["178556534"]


# ----------------------------------------------------------------------------- errors
def test_traveller_without_surname_is_an_error():
    exc = error_of(*HEADER, *FLIGHT, "NAD+FL+++:JANE")
    assert (exc.message, exc.segment, exc.tag, exc.element, exc.component) == ("M1", 9, "NAD", 4, 1)


def test_bad_date_of_birth_names_dtm_element_1_component_2():
    exc = error_of(*HEADER, *FLIGHT, "NAD+FL+++DOE:JANE", "ATT+2++F", "DTM+329:80A101")
    assert (exc.segment, exc.tag, exc.element, exc.component) == (11, "DTM", 1, 2)
    assert "date of birth" in exc.reason


def test_date_of_birth_in_the_future_is_an_error():
    future = (date.today() + timedelta(days=400)).strftime("%Y%m%d")
    exc = error_of(*HEADER, *FLIGHT, "NAD+FL+++DOE:JANE", f"DTM+329:{future}:102")
    assert (exc.segment, exc.tag, exc.element, exc.component) == (10, "DTM", 1, 2)
    assert "in the future" in exc.reason


def test_bad_flight_time_is_an_error():
    exc = error_of(*HEADER, "TDT+20+LH400+++LH", "LOC+125+FRA", "DTM+189:2606011090:201", *JANE)
    assert (exc.segment, exc.tag, exc.element, exc.component) == (6, "DTM", 1, 2)


def test_flight_without_number_is_an_error():
    exc = error_of(*HEADER, "TDT+20", "LOC+125+FRA", *JANE)
    assert (exc.segment, exc.tag, exc.element, exc.component) == (4, "TDT", 2, 1)


def test_message_without_flight_is_an_error():
    exc = error_of(*HEADER, *JANE)
    assert (exc.message, exc.segment, exc.tag) == ("M1", 4, "NAD")
    assert "no flight" in exc.reason


def test_pdt_with_bad_date_of_birth_names_element_2_component_4():
    exc = error_of(
        "TDT++SA812+40+SA",
        "LOC+005+NZAKL:50",
        "LOC+008+USLAX:50",
        "UNS+D",
        "PDT+P/E54321A:980831:IE+OLEARY:KRIS:ANN:331331:F+PAX+NZAKL:USLAX",
        version="001:000",
    )
    assert (exc.segment, exc.tag, exc.element, exc.component) == (6, "PDT", 2, 4)


def test_message_that_is_not_paxlst_is_refused():
    message = build(*HEADER, *FLIGHT)
    message.type = "PNRGOV"
    with pytest.raises(edifact.EdifactError) as info:
        paxlst.parse(message)
    assert (info.value.segment, info.value.tag, info.value.element) == (1, "UNH", 2)


# ----------------------------------------------------------------------------- deviations
def test_control_total_that_does_not_match_is_a_warning():
    manifest = parse(*HEADER, *FLIGHT, *JANE, "CNT+42:3")
    assert manifest.warnings == ["segment 12 (CNT): CNT+42 counts 3 passengers, the message reports 1"]
    assert parse(*HEADER, *FLIGHT, *JANE, "CNT+42:1").warnings == []


def test_unknown_qualifiers_and_segments_are_ignored_with_one_warning_each():
    manifest = parse(
        *HEADER,
        *FLIGHT,
        "NAD+FL+++DOE:JANE",
        "XYZ+1",
        "ATT+2++Q",
        "LOC+999+ABC",
        "NAD+FL+++ROE:RICHARD",
        "XYZ+2",
        "NAT+2+QQ",
        "NAD+FL+++POE:EDGAR",
        "NAT+2+QQ",
    )
    assert [t.sex for t in manifest.travellers] == [None, None, None]
    assert manifest.warnings == [
        "segment 10 (XYZ): not a PAXLST segment: ignored (and 1 more like it)",
        "segment 11 (ATT): sex 'Q' is not M, F, U or X: left empty",
        "segment 12 (LOC): LOC qualifier '999' is not known for a traveller: ignored",
        "segment 15 (NAT): nationality: country code 'QQ' is not known: left empty (and 1 more like it)",
    ]


def test_unknown_nad_qualifier_after_the_flight_is_read_as_a_passenger():
    manifest = parse(*HEADER, *FLIGHT, "NAD+ZZ+++DOE:JANE")
    assert [(t.type, t.surname) for t in manifest.travellers] == [("passenger", "DOE")]
    assert manifest.warnings == ["segment 9 (NAD): NAD qualifier 'ZZ' is not known: read as a passenger"]


def test_arrival_before_departure_is_read_in_flight_order():
    manifest = parse(
        *HEADER,
        "TDT+20+LH400+++LH",
        "LOC+87+JFK",
        "DTM+232:2606011310:201",
        "LOC+125+FRA",
        "DTM+189:2606011030:201",
        *JANE,
    )
    (leg,) = manifest.flights
    assert (leg.departure_airport, leg.arrival_airport) == ("FRA", "JFK")
    assert leg.scheduled_departure.isoformat() == "2026-06-01T10:30:00+02:00"
    assert manifest.warnings == [
        "segment 5 (LOC): the arrival comes before the departure: read in flight order"
    ]


def test_progressive_routing_makes_one_leg_per_stop():
    manifest = parse(
        *HEADER,
        "TDT+20+ET500+++ET",
        "LOC+92+ADD",
        "DTM+189:2606012235:201",
        "LOC+92+DUB",
        "DTM+232:2606020625:201",
        "DTM+189:2606020740:201",
        "LOC+92+IAD",
        "DTM+232:2606020955:201",
        *JANE,
    )
    assert [leg.as_json()["scheduled_departure"] for leg in manifest.flights] == [
        "2026-06-01T22:35:00+03:00",
        "2026-06-02T07:40:00+01:00",
    ]
    assert [(leg.departure_airport, leg.arrival_airport) for leg in manifest.flights] == [
        ("ADD", "DUB"),
        ("DUB", "IAD"),
    ]
    assert manifest.warnings == []


def test_bad_document_dates_and_date_only_flight_times_are_warnings():
    manifest = parse(
        *HEADER,
        "TDT+20+LH400+++LH",
        "LOC+125+FRA",
        "DTM+189:260601:102",
        "LOC+87+JFK",
        *JANE,
        "DOC+P:110:111+C01X00T47",
        "DTM+36:301399",
        "LOC+91+D",
    )
    assert manifest.flights[0].scheduled_departure is None
    (document,) = manifest.travellers[0].documents
    assert (document.number, document.expiry_date, document.issuing_country) == ("C01X00T47", None, "DEU")
    assert manifest.warnings == [
        "segment 6 (DTM): departure time '260601' has no time of day: left empty",
        "segment 12 (DTM): expiry date is not read (not a calendar date: '301399'): left empty",
    ]


def test_bgm_change_indicator_and_message_function_are_noted():
    manifest = parse("BGM+745+CP+5", *HEADER[1:], *FLIGHT, *JANE)
    assert manifest.warnings == [
        "segment 2 (BGM): BGM 745+CP: changed passenger data (replaces what was sent before)",
        "segment 2 (BGM): message function 5: a replacement of a message sent before",
    ]


def test_clearance_airport_of_a_traveller_who_is_not_in_transit_is_a_transit_airport():
    manifest = parse(*HEADER, *FLIGHT, *JANE, "LOC+22+JFK", "LOC+179+BOS", "LOC+178+FRA")
    jane = manifest.travellers[0]
    assert (jane.embarkation, jane.transit, jane.debarkation) == ("FRA", ["JFK"], "BOS")


def test_us_crew_manifest_flight_number_ends_with_c():
    manifest = parse(
        "CTA+IC+:CREW DESK+1-703-644-5200:TE",
        "TDT++SA812C+40+SA",
        "LOC+005+NZAKL:50",
        "DTM+136+260601+1030+M05",
        "LOC+008+USLAX:50",
        "UNS+D",
        "PDT+P/182345345:300909:US+MANGUS:SIMON:P:590429:M+CRW+NZAKL:USLAX",
        version="001:000",
    )
    assert manifest.kind == "crew"
    (leg,) = manifest.flights
    assert (leg.carrier, leg.number, leg.departure_airport, leg.arrival_airport) == (
        "SA",
        "812",
        "AKL",
        "LAX",
    )
    assert leg.scheduled_departure.isoformat() == "2026-06-01T10:30:00+12:00"
    assert manifest.travellers[0].given_names == "SIMON P"
    assert manifest.warnings == []


def test_format_code_that_does_not_fit_the_value_is_read_by_its_length():
    manifest = parse(
        *HEADER, "TDT+20+LH400+++LH", "LOC+125+FRA", "DTM+189:2606011030:203", "LOC+87+JFK", *JANE
    )
    assert manifest.flights[0].scheduled_departure.isoformat() == "2026-06-01T10:30:00+02:00"
    assert manifest.warnings == ["segment 6 (DTM): format 203 does not fit '2606011030': read by its length"]
