"""Machine-readable zones (screening/mrz.py, ICAO Doc 9303): the specimens of the
specification, check digits that do not match, every way input is refused, the centuries,
the long document number of TD1, the builders, and the `aircop mrz` command (no database)."""

from __future__ import annotations

import dataclasses
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aircop.screening import mrz
from aircop.screening.mrz import Check, MrzError, check_digit, make_td1, make_td3, read

TODAY = date(2026, 5, 1)

# The specimens of Doc 9303: Anna Maria Eriksson of Utopia (passport part 4, TD1 part 5,
# TD2 part 6) and Peter John Stevenson's card with a 12-character document number (part 5).
TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
TD1_LONG = [
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
]
# Visas (part 7) have no composite check digit.
MRVA = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F9612109" + "<" * 16]
MRVB = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109" + "<" * 8]


def text(lines):
    return "\n".join(lines)


def replace(lines, line, column, chars):
    """The MRZ with the characters from (line, column), both 1-based, replaced by ``chars``."""
    out = list(lines)
    out[line - 1] = out[line - 1][: column - 1] + chars + out[line - 1][column - 1 + len(chars) :]
    return text(out)


def wrong(reading):
    return [c.field for c in reading.checks if not c.ok]


# --- check digits ------------------------------------------------------------------------


def test_check_digit_weights_7_3_1_with_letters_10_to_35_and_filler_0():
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("ZE184226B<<<<<") == "1"
    assert check_digit("D23145890734") == "9"
    assert check_digit("<<<<<<") == "0"
    assert check_digit("") == "0"
    assert check_digit("A") == "0"  # 10 x 7 = 70
    assert check_digit("Z") == "5"  # 35 x 7 = 245
    assert check_digit("l898902c3") == "6"
    with pytest.raises(ValueError):
        check_digit("AB-1")


# --- the specimens -----------------------------------------------------------------------


def test_the_passport_specimen():
    m = read(text(TD3), today=TODAY)
    assert (m.format, m.document_code, m.issuing_state) == ("TD3", "P", "UTO")
    assert (m.surname, m.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (m.document_number, m.nationality, m.sex) == ("L898902C3", "UTO", "F")
    assert (m.date_of_birth, m.expiry_date) == (date(1974, 8, 12), date(2012, 4, 15))
    assert (m.optional_data, m.optional_data_2) == ("ZE184226B", "")
    assert m.checks == (
        ("document number", "6", "6", True),
        ("date of birth", "2", "2", True),
        ("date of expiry", "9", "9", True),
        ("optional data", "1", "1", True),
        ("composite", "0", "0", True),
    )
    assert m.valid and m.problems == ()
    assert m.lines == tuple(TD3)
    assert isinstance(m.checks[0], Check) and m.checks[0].field == "document number"
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.surname = "X"


def test_the_identity_card_specimen_td1():
    m = read(text(TD1), today=TODAY)
    assert (m.format, m.document_code, m.issuing_state, m.nationality) == ("TD1", "I", "UTO", "UTO")
    assert (m.surname, m.given_names, m.document_number) == ("ERIKSSON", "ANNA MARIA", "D23145890")
    assert (m.date_of_birth, m.sex, m.expiry_date) == (date(1974, 8, 12), "F", date(2012, 4, 15))
    assert [c.field for c in m.checks] == ["document number", "date of birth", "date of expiry", "composite"]
    assert m.checks[-1] == ("composite", "6", "6", True)
    assert m.valid and m.problems == ()


def test_the_td2_specimen():
    m = read(text(TD2), today=TODAY)
    assert (m.format, m.document_code, m.surname, m.given_names) == ("TD2", "I", "ERIKSSON", "ANNA MARIA")
    assert (m.document_number, m.date_of_birth, m.expiry_date) == (
        "D23145890",
        date(1974, 8, 12),
        date(2012, 4, 15),
    )
    assert [c.field for c in m.checks] == ["document number", "date of birth", "date of expiry", "composite"]
    assert m.valid


def test_the_long_document_number_of_td1_continues_in_the_optional_data():
    m = read(text(TD1_LONG), today=TODAY)
    assert m.document_number == "D23145890734"
    assert m.optional_data == ""
    assert m.checks[0] == ("document number", "9", "9", True)  # over all 12 characters
    assert (m.surname, m.given_names, m.sex) == ("STEVENSON", "PETER JOHN", "M")
    assert (m.date_of_birth, m.expiry_date) == (date(1934, 7, 12), date(1995, 7, 12))
    assert m.valid
    # The long number's own check digit is checked, and named where it is.
    bad = read(replace(TD1_LONG, 1, 19, "8"), today=TODAY)
    assert wrong(bad) == ["document number", "composite"]
    assert "(line 1, column 19)" in bad.problems[0]
    # Optional data after the number's filler is kept.
    more = make_td1(
        surname="Stevenson",
        document_number="D23145890734",
        nationality="UTO",
        date_of_birth="340712",
        sex="M",
        expiry_date="950712",
        optional_data="AB12",
    )
    assert more.splitlines()[0] == "I<UTOD23145890<7349<AB12<<<<<<"
    again = read(more, today=TODAY)
    assert (again.document_number, again.optional_data, again.valid) == ("D23145890734", "AB12", True)


def test_td2_writes_a_long_document_number_the_same_way():
    line2 = "D23145890<UTO7408122F1204159" + "734" + check_digit("D23145890734") + "<<<"
    line2 += check_digit(line2[0:10] + line2[13:20] + line2[21:35])
    m = read(text([TD2[0], line2]), today=TODAY)
    assert (m.document_number, m.optional_data, m.valid) == ("D23145890734", "", True)
    assert m.checks[0] == ("document number", "9", "9", True)


def test_a_filler_in_place_of_a_short_numbers_check_digit_is_a_wrong_check_digit():
    m = read(replace(TD1, 1, 15, "<"), today=TODAY)
    assert m.checks[0] == ("document number", "7", "<", False)
    assert m.document_number == "D23145890" and not m.valid


def test_visas_have_no_composite_check_digit():
    a = read(text(MRVA), today=TODAY)
    b = read(text(MRVB), today=TODAY)
    for m in (a, b):
        assert (m.document_code, m.document_number, m.nationality) == ("V", "L8988901C", "XXX")
        assert (m.date_of_birth, m.expiry_date) == (date(1940, 9, 7), date(1996, 12, 10))
        assert [c.field for c in m.checks] == ["document number", "date of birth", "date of expiry"]
        assert m.valid and m.problems == ()
    assert (a.format, b.format) == ("MRVA", "MRVB")


# --- check digits that do not match ------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "field"),
    [
        (10, "document number"),
        (20, "date of birth"),
        (28, "date of expiry"),
        (43, "optional data"),
        (44, "composite"),
    ],
)
def test_each_mutated_check_digit_of_the_passport_is_reported(column, field):
    found = "5" if TD3[1][column - 1] != "5" else "4"
    m = read(replace(TD3, 2, column, found), today=TODAY)
    assert not m.valid
    failed = [c for c in m.checks if not c.ok]
    assert failed[0].field == field and failed[0].found == found
    # A check digit covered by the composite also makes the composite wrong.
    assert wrong(m) == ([field] if column == 44 else [field, "composite"])
    assert f"(line 2, column {column})" in m.problems[0]
    assert "expected" in m.problems[0] and "found" in m.problems[0]


def test_a_changed_data_character_breaks_its_check_and_the_composite():
    m = read(replace(TD3, 2, 2, "9"), today=TODAY)  # L898902C3 -> L998902C3
    assert m.document_number == "L998902C3"
    assert wrong(m) == ["document number", "composite"]
    m = read(replace(TD1, 2, 19, "1"), today=TODAY)  # TD1 optional data is under the composite only
    assert wrong(m) == ["composite"]
    assert m.optional_data_2 == "1"
    assert m.problems == ("the composite check digit is wrong: 3 expected, 6 found (line 2, column 30)",)


def test_the_check_cannot_see_a_change_by_ten():
    # "<" counts 0 and "A" 10: weighted, the difference is a multiple of 10 (Doc 9303's 7-3-1
    # scheme does not catch it). Such an MRZ reads as valid; nothing else can be said.
    m = read(replace(TD1, 2, 19, "A"), today=TODAY)
    assert m.valid and m.optional_data_2 == "A"


@pytest.mark.parametrize("digit", ["<", "0"])
def test_an_empty_personal_number_may_have_filler_or_zero_as_check_digit(digit):
    lines = make_td3(
        surname="Doe",
        given_names="Jane",
        document_number="X1234567",
        nationality="FRA",
        date_of_birth=date(1990, 1, 31),
        sex="F",
        expiry_date=date(2030, 1, 1),
    ).splitlines()
    assert lines[1][28:43] == "<" * 15
    m = read(replace(lines, 2, 43, digit), today=TODAY)
    assert "optional data" not in [c.field for c in m.checks]
    assert m.document_number == "X1234567" and m.optional_data == ""
    assert m.valid  # "<" and "0" both count 0 in the composite
    m = read(replace(lines, 2, 43, "7"), today=TODAY)
    assert ("optional data", "0", "7", False) in m.checks


# --- what is tolerated -------------------------------------------------------------------


def test_whitespace_case_line_endings_and_a_single_pasted_line_are_accepted():
    expected = read(text(TD3), today=TODAY)
    for variant in (
        "  \n" + TD3[0].lower() + "  \r\n\n\t" + TD3[1] + "\n  ",
        TD3[0] + TD3[1],
        "  " + (TD3[0] + TD3[1]).lower() + "\n",
    ):
        assert read(variant, today=TODAY) == expected
    assert read("".join(TD2), today=TODAY).format == "TD2"  # 72
    assert read("".join(TD1), today=TODAY).format == "TD1"  # 90


def test_fillers_names_sex_and_unknown_date_of_birth():
    lines = make_td3(
        surname="van der Berg",
        given_names="",
        document_number="AB1",
        nationality="NLD",
        date_of_birth=None,
        sex="<",
        expiry_date="300101",
    )
    m = read(lines, today=TODAY)
    assert (m.surname, m.given_names, m.sex, m.date_of_birth) == ("VAN DER BERG", "", "X", None)
    assert m.checks[1] == ("date of birth", "0", "0", True)
    assert m.valid and m.problems == ()


def test_a_partly_unknown_date_of_birth_is_accepted_and_noted():
    for raw in ("7408<<", "74<<<<"):
        lines = TD3[1][:13] + raw + check_digit(raw) + TD3[1][20:43]
        lines += check_digit(lines[0:10] + lines[13:20] + lines[21:43])
        m = read(text([TD3[0], lines]), today=TODAY)
        assert m.date_of_birth is None and m.valid
        assert m.problems == (f"the date of birth is only partly known ({raw})",)


def test_a_name_that_fills_its_field_may_be_cut_short():
    full = "P<UTO" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ<<ABCDEFGHIJK"
    m = read(text([full, TD3[1]]), today=TODAY)
    assert m.given_names == "ABCDEFGHIJK"
    assert m.problems == ("the name fills its whole field and may have been cut short",)


# --- country codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "UTO",
        "D<<",
        "XXA",
        "XXB",
        "XXC",
        "XXX",
        "UNO",
        "UNA",
        "UNK",
        "EUE",
        "GBD",
        "GBN",
        "GBO",
        "GBP",
        "GBS",
        "RKS",
        "FRA",
        "NGA",
    ],
)
def test_known_and_icao_special_country_codes_are_kept_without_fillers(code):
    m = read(replace(TD3, 1, 3, code), today=TODAY)
    assert m.lines[0][2:5] == code
    assert m.issuing_state == code.rstrip("<")
    assert m.problems == ()


def test_an_unknown_country_code_is_kept_and_noted_not_refused():
    line1 = TD3[0].replace("P<UTO", "P<ZZZ")
    m = read(text([line1, TD3[1]]), today=TODAY)
    assert m.issuing_state == "ZZZ" and m.valid
    assert m.problems == ("unknown issuing state 'ZZZ'",)
    line2 = TD3[1][:10] + "QQQ" + TD3[1][13:]  # not under a check digit
    m = read(text([line1, line2]), today=TODAY)
    assert m.problems == ("unknown issuing state 'ZZZ'", "unknown nationality 'QQQ'")
    m = read(text([TD3[0].replace("P<UTO", "P<<<<"), TD3[1]]), today=TODAY)
    assert m.issuing_state == "" and m.problems == ("no issuing state (line 1, column 3)",)


# --- unreadable input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mrz_text", "message"),
    [
        ("", "no MRZ: the text is empty"),
        ("  \n\t\n", "no MRZ: the text is empty"),
        (TD3[0], "line 1: one line of 44 characters; an MRZ has 2 lines of 44"),
        (text(TD3 + TD3), "line 4: 4 lines; an MRZ has"),
        (text([TD3[0], TD3[1][:-1]]), "line 2, column 44: the line ends after 43 characters; 44 expected"),
        (
            text([TD3[0], TD3[1] + "<"]),
            "line 2, column 45: the line is too long (45 characters; 44 expected)",
        ),
        (text([TD3[0][:-2], TD3[1][:-2]]), "line 1: 42 characters; an MRZ has"),
        (text([TD2[0], TD3[1]]), "line 2, column 37: the line is too long (44 characters; 36 expected)"),
        (
            text([TD1[0], TD1[1], TD1[2][:29]]),
            "line 3, column 30: the line ends after 29 characters; 30 expected",
        ),
        (
            replace(TD3, 1, 20, " "),
            "line 1, column 20: a space is not allowed in an MRZ (only A-Z, 0-9 and <)",
        ),
        (replace(TD3, 1, 7, "É"), "line 1, column 7: 'É' is not allowed in an MRZ"),
        (replace(TD3, 2, 5, "-"), "line 2, column 5: '-' is not allowed in an MRZ"),
        (replace(TD3, 1, 1, "<"), "line 1, column 1: a document code starts with a letter, not '<'"),
        (replace(TD3, 1, 1, "9"), "line 1, column 1: '9' is not allowed in a document code"),
        (
            replace(TD3, 1, 4, "1"),
            "line 1, column 4: '1' is not allowed in a country code (1 and I may have been confused)",
        ),
        (replace(TD3, 1, 4, "<"), "line 1, column 4: '<' inside a country code (U<O)"),
        (
            replace(TD3, 1, 8, "0"),
            "line 1, column 8: '0' is not allowed in a name (0 and O may have been confused)",
        ),
        (
            replace(TD3, 2, 14, "O"),
            "line 2, column 14: 'O' is not allowed in a date of birth (O and 0 may have been confused)",
        ),
        (replace(TD3, 2, 15, "A"), "line 2, column 15: 'A' is not allowed in a date of birth"),
        (replace(TD3, 2, 16, "<"), "line 2, column 16: '<' is not allowed here in a date of birth"),
        (replace(TD3, 2, 16, "1"), "line 2, column 16: 18 is not a month (date of birth 741812)"),
        (replace(TD3, 2, 18, "3"), "line 2, column 18: 32 is not a day of August (date of birth 740832)"),
        (
            replace(TD3, 2, 20, "O"),
            "line 2, column 20: 'O' is not allowed in a check digit (O and 0 may have been confused)",
        ),
        (replace(TD3, 2, 21, "Q"), "line 2, column 21: 'Q' is not allowed in the sex (M, F, X or <)"),
        (replace(TD3, 2, 22, "<"), "line 2, column 22: '<' is not allowed in a date of expiry"),
        (replace(TD3, 2, 24, "00"), "line 2, column 24: 00 is not a month (date of expiry 120015)"),
        (
            replace(TD3, 2, 44, "I"),
            "line 2, column 44: 'I' is not allowed in a check digit (I and 1 may have been confused)",
        ),
        (replace(TD1_LONG, 1, 19, "S"), "line 1, column 19: 'S' is not allowed in a check digit"),
    ],
)
def test_unreadable_input_names_the_line_and_column(mrz_text, message):
    with pytest.raises(MrzError) as refused:
        read(mrz_text, today=TODAY)
    assert str(refused.value).startswith(message), str(refused.value)


def test_the_error_carries_its_line_and_column():
    with pytest.raises(MrzError) as refused:
        read(replace(TD3, 2, 14, "O"), today=TODAY)
    assert (refused.value.line, refused.value.column) == (2, 14)
    assert isinstance(refused.value, ValueError)
    with pytest.raises(TypeError):
        read(b"P<UTO")


def test_29_february_exists_only_in_leap_years():
    def passport(birth, expiry):
        return make_td3(
            surname="X",
            document_number="1",
            nationality="FRA",
            date_of_birth=birth,
            sex="M",
            expiry_date=expiry,
        )

    assert read(passport("000229", "280229"), today=TODAY).date_of_birth == date(2000, 2, 29)
    assert read(passport("000229", "280229"), today=TODAY).expiry_date == date(2028, 2, 29)
    with pytest.raises(
        MrzError, match=r"line 2, column 26: there is no 29 February in 2027 \(date of expiry 270229\)"
    ):
        read(passport("000229", "270229"), today=TODAY)
    with pytest.raises(MrzError, match=r"line 2, column 18: there is no 29 February in 1901"):
        read(passport("010229", "280229"), today=TODAY)


# --- centuries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "raw", "born"),
    [
        (date(2026, 5, 1), "260401", date(2026, 4, 1)),  # earlier this year
        (date(2026, 5, 1), "260501", date(2026, 5, 1)),  # today
        (date(2026, 5, 1), "260502", date(1926, 5, 2)),  # tomorrow would be the future
        (date(2026, 5, 1), "991231", date(1999, 12, 31)),
        (date(2026, 5, 1), "000101", date(2000, 1, 1)),
        (date(2031, 1, 1), "301231", date(2030, 12, 31)),
        (date(1999, 6, 1), "990101", date(1999, 1, 1)),
        (date(1999, 6, 1), "000101", date(1900, 1, 1)),
    ],
)
def test_the_century_of_birth_is_the_latest_that_is_not_in_the_future(today, raw, born):
    mrz_text = make_td3(
        surname="X", document_number="1", nationality="FRA", date_of_birth=raw, sex="F", expiry_date="300101"
    )
    assert read(mrz_text, today=today).date_of_birth == born


@pytest.mark.parametrize(
    ("today", "raw", "expires"),
    [
        (date(2026, 5, 1), "300101", date(2030, 1, 1)),
        (date(2026, 5, 1), "120415", date(2012, 4, 15)),
        (date(2026, 5, 1), "761231", date(2076, 12, 31)),  # 50 years ahead: still 20xx
        (date(2026, 5, 1), "770101", date(1977, 1, 1)),  # more than 50 years ahead: 19xx
        (date(2026, 5, 1), "990101", date(1999, 1, 1)),
        (date(2060, 1, 1), "050101", date(2105, 1, 1)),
        (date(2060, 1, 1), "110101", date(2011, 1, 1)),
    ],
)
def test_the_century_of_expiry_is_20xx_unless_more_than_50_years_ahead(today, raw, expires):
    mrz_text = make_td1(
        surname="X", document_number="1", nationality="FRA", date_of_birth="800101", sex="F", expiry_date=raw
    )
    assert read(mrz_text, today=today).expiry_date == expires


# --- building ----------------------------------------------------------------------------


def test_the_builders_reproduce_the_specimens():
    anna = {
        "surname": "Eriksson",
        "given_names": "Anna Maria",
        "nationality": "UTO",
        "date_of_birth": date(1974, 8, 12),
        "sex": "F",
        "expiry_date": date(2012, 4, 15),
    }
    assert make_td3(document_number="L898902C3", optional_data="ZE184226B", **anna) == text(TD3)
    assert make_td1(document_number="D23145890", **anna) == text(TD1)
    assert make_td1(
        surname="STEVENSON",
        given_names="PETER JOHN",
        document_number="D23145890734",
        nationality="UTO",
        date_of_birth="340712",
        sex="M",
        expiry_date="950712",
    ) == text(TD1_LONG)
    german = make_td3(
        surname="Müller".replace("ü", "ue"),
        given_names="Hans-Peter",
        document_number="C01X00T47",
        nationality="D",
        date_of_birth=date(1964, 8, 12),
        sex="M",
        expiry_date=date(2027, 10, 31),
    )
    m = read(german, today=TODAY)
    assert german.startswith("P<D<<MUELLER<<HANS<PETER<")
    assert (m.issuing_state, m.nationality, m.given_names, m.valid) == ("D", "D", "HANS PETER", True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"surname": "Müller"}, "surname: 'Ü' cannot be written in an MRZ; transliterate it first"),
        ({"surname": "A" * 40}, "is longer than the 39 characters of its field"),
        ({"document_number": "1234567890"}, "document_number: '1234567890' is longer than 9 characters"),
        ({"document_number": "AB-1"}, "document_number: '-' cannot be written"),
        ({"sex": "Y"}, "sex: 'Y' is not M, F, X or <"),
        ({"expiry_date": None}, "expiry_date is required"),
        ({"date_of_birth": "1974-08-12"}, "date_of_birth: '1974-08-12' is not YYMMDD"),
    ],
)
def test_the_builders_refuse_what_does_not_fit(change, message):
    fields = {
        "surname": "Doe",
        "document_number": "X1",
        "nationality": "FRA",
        "date_of_birth": None,
        "sex": "M",
        "expiry_date": "300101",
    }
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_td3(**(fields | change))


# --- the command -------------------------------------------------------------------------


def test_the_command_prints_the_fields_and_each_check_digit(capsys):
    call_command("mrz", *TD3)
    out = capsys.readouterr().out
    assert "surname          ERIKSSON" in out and "given names      ANNA MARIA" in out
    assert "date of birth    1974-08-12" in out and "passport (TD3, 2 lines of 44)" in out
    assert "  composite        0  ok" in out
    assert out.rstrip().endswith("valid")


def test_the_command_prints_json_and_reads_a_single_pasted_line(capsys):
    call_command("mrz", "".join(TD1_LONG), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "TD1" and data["document_number"] == "D23145890734"
    assert data["date_of_birth"] == "1934-07-12" and data["valid"] is True
    assert data["checks"][0] == {"field": "document number", "expected": "9", "found": "9", "ok": True}


def test_the_command_reads_standard_input(capsys):
    call_command("mrz", stdin=io.StringIO("\n" + text(TD2).lower() + "\n"))
    assert "document number  D23145890" in capsys.readouterr().out
    call_command("mrz", "-", "--json", stdin=io.StringIO(text(MRVB)))
    assert json.loads(capsys.readouterr().out)["format"] == "MRVB"


def test_the_command_exits_1_on_a_wrong_check_digit_and_still_prints(capsys):
    with pytest.raises(CommandError) as failed:
        call_command("mrz", *replace(TD3, 2, 20, "3").splitlines())
    assert failed.value.returncode == 1
    assert str(failed.value) == "wrong check digit: date of birth, composite"
    out = capsys.readouterr().out
    assert "  date of birth    3  WRONG (expected 2)" in out
    assert (
        "problem: the check digit of the date of birth is wrong: 2 expected, 3 found (line 2, column 20)"
        in out
    )
    assert out.rstrip().endswith("NOT VALID")
    with pytest.raises(CommandError) as failed:
        call_command("mrz", *replace(TD3, 2, 44, "1").splitlines(), "--json")
    assert failed.value.returncode == 1
    assert json.loads(capsys.readouterr().out)["valid"] is False


def test_the_command_exits_2_on_unreadable_input():
    with pytest.raises(CommandError) as failed:
        call_command("mrz", *replace(TD3, 2, 14, "O").splitlines())
    assert failed.value.returncode == 2
    assert str(failed.value) == (
        "unreadable MRZ: line 2, column 14: 'O' is not allowed in a date of birth (O and 0 may have been confused)"
    )
    with pytest.raises(CommandError) as failed:
        call_command("mrz", stdin=io.StringIO(""))
    assert failed.value.returncode == 2 and "no MRZ" in str(failed.value)


def test_every_format_is_named():
    assert set(mrz.FORMATS) == {"TD1", "TD2", "TD3", "MRVA", "MRVB"}
