"""CSV flight manifests -> Manifest: values read, offsets added, and the problem report that
lists every bad row. Pure: no database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from aircop.passengers.parsers import decode, manifest_csv

FIXTURES = Path(__file__).parent / "fixtures"
HEADER = (
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,scheduled_arrival,surname"
)
FLIGHT = "LH,0400,FRA,JFK,2026-06-01T10:30,2026-06-01T12:55"


def fixture(name: str) -> str:
    return decode((FIXTURES / name).read_bytes())


def problems_of(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(manifest_csv.ManifestCsvError) as info:
        manifest_csv.parse(text)
    return [(p.line, p.column, p.reason) for p in info.value.problems]


def test_comma_separated_manifest():
    manifest = manifest_csv.parse(fixture("manifest_good.csv"), name="manifest_good.csv")
    assert (manifest.message_ref, manifest.kind, manifest.warnings) == ("manifest_good.csv", "passenger", [])
    (leg,) = manifest.flights
    assert leg.as_json() == {
        "carrier": "IB",
        "number": "6583",
        "departure_airport": "MEX",
        "arrival_airport": "MAD",
        "scheduled_departure": "2026-03-21T14:55:00-06:00",  # local times: the airport's offset is added
        "scheduled_arrival": "2026-03-22T08:30:00+01:00",
        "booking_class": None,
        "status": None,
        "operating_carrier": None,
    }
    elena, diego, lucia = manifest.travellers
    assert elena.as_json() | {"documents": None} == {
        "type": "passenger",
        "surname": "Sánchez Ruiz",
        "given_names": "Elena María",  # whitespace collapsed
        "sex": "F",
        "date_of_birth": "1979-06-05",
        "nationality": "MEX",  # alpha-2 MX
        "residence_country": "MEX",
        "place_of_birth": "Guadalajara, Jalisco",
        "documents": None,
        "embarkation": "MEX",
        "debarkation": "MAD",
        "transit": [],
        "in_transit": False,
        "booking_reference": "X7YQ2M",
        "seat": "32A",
        "bag_tags": ["IB104233", "IB104234"],
        "reference": None,
        "infant": False,
        "with_infant": False,
        "frequent_flyer": [],
        "addresses": [],
        "ticket_numbers": [],
    }
    assert [d.as_json() for d in elena.documents] == [
        {
            "type": "P",
            "number": "G12345678",
            "issuing_country": "MEX",
            "expiry_date": "2030-05-01",
            "issue_date": None,
        }
    ]
    # type defaults to passenger; codes are upper-cased.
    assert (diego.type, diego.sex, diego.booking_reference, diego.debarkation) == (
        "passenger",
        "M",
        "X7YQ2M",
        "BCN",
    )
    assert [(d.number, d.issuing_country, d.expiry_date) for d in diego.documents] == [
        ("G87654321", "MEX", date(2029, 11, 30))
    ]
    assert (lucia.type, lucia.sex, lucia.documents, lucia.bag_tags) == ("crew", "X", [], [])


def test_semicolon_separated_manifest_with_bom_and_offsets():
    manifest = manifest_csv.parse(fixture("manifest_semicolon_bom.csv"))
    assert (manifest.kind, manifest.warnings) == ("crew", [])
    (leg,) = manifest.flights
    assert (leg.carrier, leg.number, leg.departure_airport, leg.arrival_airport) == (
        "LH",
        "0400",
        "FRA",
        "JFK",
    )
    assert leg.scheduled_departure.isoformat() == "2026-06-01T10:30:00+02:00"
    assert leg.scheduled_arrival.isoformat() == "2026-06-01T12:55:00-04:00"
    muller, adeyemi = manifest.travellers
    assert (muller.surname, muller.nationality, muller.bag_tags) == (
        "MÜLLER",
        "DEU",
        ["LH123456", "LH123457"],
    )
    assert [(d.type, d.number, d.issuing_country) for d in muller.documents] == [("P", "C01X00T47", "DEU")]
    assert (adeyemi.nationality, adeyemi.date_of_birth) == ("NGA", date(1991, 11, 2))


def test_every_bad_row_is_reported():
    with pytest.raises(manifest_csv.ManifestCsvError) as info:
        manifest_csv.parse(fixture("manifest_bad.csv"))
    assert [(p.line, p.column, p.reason) for p in info.value.problems] == [
        (1, "loyalty_tier", "unknown column(s): loyalty_tier"),
        (3, "surname", "is required"),
        (3, "sex", "'Q' is not M, F or X"),
        (4, "flight_number", "'0011' differs from line 2: one flight per file"),
        (4, "date_of_birth", "'1985-13-01' is not a date YYYY-MM-DD"),
        (4, "nationality", "'ZZ' is not an ISO 3166 country code (alpha-2 or alpha-3)"),
        (
            5,
            "scheduled_departure",
            "'14/03/2026 19:35' is not a date and time (ISO 8601, e.g. 2026-03-14T19:35)",
        ),
        (5, "document_expiry_date", "'2030-02-30' is not a date YYYY-MM-DD"),
    ]
    assert info.value.problems[1].as_dict() == {"line": 3, "column": "surname", "reason": "is required"}
    assert "line 3, column sex: 'Q' is not M, F or X" in str(info.value)


def test_missing_required_columns_and_duplicates():
    text = "carrier,flight_number,departure_airport,surname,surname\nLH,400,FRA,DOE,DOE\n"
    assert problems_of(text)[:4] == [
        (1, "surname", "the column appears twice"),
        (1, "arrival_airport", "required column missing"),
        (1, "scheduled_departure", "required column missing"),
        (2, "arrival_airport", "is required"),
    ]


def test_rows_with_more_values_than_columns_and_flight_values_that_change():
    text = (
        f"{HEADER}\n{FLIGHT},DOE\n{FLIGHT},ROE,EXTRA\nLH,0400,FRA,EWR,2026-06-01T10:30,2026-06-01T12:55,POE\n"
    )
    assert problems_of(text) == [
        (3, "", "8 values, the header has 7 columns"),
        (4, "arrival_airport", "'EWR' differs from line 2: one flight per file"),
    ]


def test_departure_needs_a_time_and_dates_of_birth_are_past():
    future = (date.today() + timedelta(days=30)).isoformat()
    text = (
        "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,surname,date_of_birth,type\n"
        f"LH,400,FRA,JFK,2026-06-01,DOE,{future},pilot\n"
    )
    assert problems_of(text) == [
        (2, "scheduled_departure", "'2026-06-01' is not a date and time (ISO 8601, e.g. 2026-03-14T19:35)"),
        (2, "type", "'pilot' is not passenger or crew"),
        (2, "date_of_birth", f"{future} is in the future"),
    ]


def test_document_details_need_a_number():
    text = f"{HEADER},document_type,document_issuing_country\n{FLIGHT},DOE,P,ES\n"
    assert problems_of(text) == [
        (2, "document_number", "is required when the document has a type, country or expiry date")
    ]


def test_empty_file_and_header_only():
    assert problems_of("") == [(1, "", "the file has no header row")]
    assert problems_of(HEADER + "\n") == [(1, "", "the file has no traveller row")]


def test_carrier_in_the_flight_number_column_and_offset_that_is_not_the_airports():
    text = f"{HEADER}\nLH,LH 0400,FRA,JFK,2026-06-01T10:30+01:00,,DOE\n"
    manifest = manifest_csv.parse(text)
    (leg,) = manifest.flights
    assert (leg.carrier, leg.number, leg.scheduled_arrival) == ("LH", "0400", None)
    assert leg.scheduled_departure.isoformat() == "2026-06-01T10:30:00+01:00"  # kept as sent
    assert manifest.warnings == [
        "line 2, column scheduled_departure: the offset of 2026-06-01T10:30+01:00 is not the one of FRA "
        "on that date (+02:00): kept as sent"
    ]


def test_unknown_airport_is_a_warning_and_bad_codes_are_problems():
    text = f"{HEADER},embarkation\nLH,400,FRA,QQQ,2026-06-01T10:30,2026-06-01T12:55,DOE,FR4\n"
    assert problems_of(text) == [(2, "embarkation", "'FR4' is not an IATA airport code")]
    manifest = manifest_csv.parse(text.replace("FR4", "FRA"))
    assert manifest.flights[0].scheduled_arrival.tzinfo is None
    assert manifest.warnings == ["airport QQQ is not in the reference list: its UTC offset is not known"]
