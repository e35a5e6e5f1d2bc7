"""The UN/EDIFACT reader (aircop.passengers.parsers.edifact): the UNA advice and its two
repaired deviations, release characters, line breaks, envelopes, trailer warnings and error
positions; then the conformance corpus (/work/shared/samples, when present) read without
errors. Pure: no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from aircop.passengers import parsers
from aircop.passengers.parsers import edifact

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path("/work/shared/samples")
DEFAULT = edifact.Separators(":", "+", ".", "?", " ", "'")


def only(text: str) -> edifact.Message:
    """The one message of ``text``, read without errors."""
    reading = edifact.read(text)
    assert reading.errors == []
    (message,) = reading.messages
    return message


def values(message: edifact.Message) -> list[tuple[str, list[list[str]]]]:
    return [(s.tag, s.elements) for s in message.segments]


# ----------------------------------------------------------------------------- UNA
def test_without_una_the_syntax_level_a_defaults_apply():
    reading = edifact.read("UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+1'")
    assert reading.separators == DEFAULT
    assert reading.warnings == [] and reading.errors == []
    (message,) = reading.messages
    assert (message.ref, message.type, message.version, message.agency, message.association) == (
        "1",
        "PAXLST",
        "D:05B",
        "UN",
        "IATA",
    )
    assert values(message) == [
        ("UNH", [["1"], ["PAXLST", "D", "05B", "UN", "IATA"]]),
        ("BGM", [["745"]]),
        ("UNT", [["3"], ["1"]]),
    ]
    assert message.warnings == []


def test_the_default_una_is_read_like_no_una():
    with_una = edifact.read("UNA:+.? 'UNH+1+PAXLST'BGM+745'UNT+3+1'")
    assert with_una.separators == DEFAULT and with_una.warnings == []
    assert values(with_una.messages[0]) == values(only("UNH+1+PAXLST'BGM+745'UNT+3+1'"))


def test_custom_separators_from_the_una():
    reading = edifact.read("UNA^*,\\ ~UNH*7*PAXLST^D^05B~NAD*FL***DOE^JANE\\*X\\~Y\\^Z+'~UNT*3*7~")
    assert reading.separators == edifact.Separators("^", "*", ",", "\\", " ", "~")
    assert reading.warnings == []
    (message,) = reading.messages
    # The default characters are plain data under other separators.
    assert message.segments[1].elements == [["FL"], [""], [""], ["DOE", "JANE*X~Y^Z+'"]]
    assert message.version == "D:05B" and message.warnings == []


def test_the_one_line_fixture_with_custom_separators():
    reading = edifact.read(parsers.decode((FIXTURES / "paxlst_oneline_custom.edi").read_bytes()))
    assert reading.separators.segment == "~" and reading.separators.release == "\\"
    assert reading.warnings == [] and reading.errors == []
    (message,) = reading.messages
    assert message.warnings == [] and len(message.segments) == 31
    nad, com = message.segments[2:4]
    assert nad.tag == "NAD" and nad.el(4) == "SKY*LINK OPS"
    assert com.tag == "COM" and com.el(2) == "ops~apis@skylink.example"
    assert message.envelope.sender == "SKYLINK" and message.envelope.control_ref == "SL0714A"


def test_leading_blank_and_byte_order_mark_before_una():
    reading = edifact.read("\ufeff \r\nUNA:+.? 'UNH+1+PAXLST'UNT+2+1'")
    assert reading.separators == DEFAULT and reading.errors == [] and len(reading.messages) == 1


def test_a_space_as_release_character_means_none():
    reading = edifact.read("UNA:+. *'UNH+1+PAXLST'NAD+A?B'UNT+3+1'")
    assert reading.separators.release == ""
    assert reading.messages[0].segments[1].elements == [["A?B"]]


def test_a_five_character_una_is_repaired_with_a_warning():
    # Seen in real PNRGOV feeds: "UNA:+\*'" then a line break; the decimal mark is left out.
    text = "UNA:+\\*'\nUNH+1+PNRGOV:13:1:IA'\nSRC'\nTIF+O\\'NEIL+ANN:A:1'\nUNT+4+1'\n"
    reading = edifact.read(text)
    assert reading.separators == edifact.Separators(":", "+", ".", "\\", "*", "'")
    (warning,) = reading.warnings
    assert "five characters instead of six" in warning
    (message,) = reading.messages
    assert message.segments[2].elements == [["O'NEIL"], ["ANN", "A", "1"]]
    assert message.warnings == []


def test_a_smart_quote_terminator_in_the_una_is_read_as_the_apostrophe():
    text = "UNA:+.\\*\u2019UNH+1+PNRGOV:13:1:IA'SRC'UNT+3+1'"
    reading = edifact.read(text)
    assert reading.separators == edifact.Separators(":", "+", ".", "\\", "*", "'")
    (warning,) = reading.warnings
    assert "U+2019" in warning and "never uses" in warning
    assert [s.tag for s in only(text).segments] == ["UNH", "SRC", "UNT"]


def test_a_terminator_the_file_does_use_is_kept():
    reading = edifact.read("UNA:+.? \u2019UNH+1+PAXLST\u2019BGM+O'K\u2019UNT+3+1\u2019")
    assert reading.separators.segment == "\u2019" and reading.warnings == []
    assert reading.messages[0].segments[1].elements == [["O'K"]]


@pytest.mark.parametrize("una", ["UNA", "UNA:+.", "UNA:+.? "])
def test_a_una_cut_short_is_an_error(una):
    with pytest.raises(edifact.EdifactError) as info:
        edifact.read(una)
    assert info.value.tag == "UNA" and "six characters" in info.value.reason


def test_a_una_giving_one_character_to_two_separators_is_an_error():
    with pytest.raises(edifact.EdifactError) as info:
        edifact.read("UNA::.? 'UNH+1+PAXLST'UNT+2+1'")
    assert (info.value.tag, info.value.element) == ("UNA", 1)
    assert str(info.value).startswith("segment UNA, element 1: the UNA advice gives the same character")


# ----------------------------------------------------------------------------- release characters
def test_released_separators_are_data():
    message = only("UNH+1+PAXLST'NAD+FL+++O?'BRIEN:SEAN?+PAT?:RICK'UNT+3+1'")
    assert message.segments[1].elements == [["FL"], [""], [""], ["O'BRIEN", "SEAN+PAT:RICK"]]


def test_a_released_release_character_is_one_release_character():
    message = only("UNH+1+PAXLST'FTX+AAA+++WHY??+WHY???:'UNT+3+1'")
    assert message.segments[1].elements == [["AAA"], [""], [""], ["WHY?"], ["WHY?:"]]


def test_a_release_before_an_ordinary_character_is_dropped():
    message = only("UNH+1+PAXLST'FTX+?A?B'UNT+3+1'")
    assert message.segments[1].elements == [["AB"]]


def test_a_release_at_the_very_end_is_dropped_with_a_warning():
    reading = edifact.read("UNH+1+PAXLST'BGM+745'UNT+3+1'?")
    assert reading.errors == []
    assert reading.warnings == ["the text ends with the release character '?': it is dropped"]
    assert values(reading.messages[0])[-1] == ("UNT", [["3"], ["1"]])


def test_a_release_before_the_last_terminator_releases_it():
    reading = edifact.read("UNH+1+PAXLST'UNT+2+1?'")
    (message,) = reading.messages
    assert message.segments[-1].elements == [["2"], ["1'"]]
    assert any("no segment terminator" in w for w in reading.warnings)
    assert "UNT reference \"1'\" is not the UNH reference '1'" in message.warnings


def test_placeholders_do_not_leak_into_tags_or_values():
    message = only("UNH+1+PAXLST'N?AD+?:?+?'??'UNT+3+1'")
    assert values(message)[1] == ("NAD", [[":+'?"]])
    for seg in message.segments:
        for element in seg.elements:
            assert all(not any(0xE000 <= ord(ch) < 0xF900 for ch in c) for c in element)


# ----------------------------------------------------------------------------- line breaks, spaces
def test_line_breaks_are_not_data_and_leading_spaces_are_ignored():
    text = "UNH+1+PAXLST'\r\n   BGM+745'\n\tNAD+FL+++SMI\nTH:JO\r\nHN'\nUNT+4+1'\n"
    message = only(text)
    assert values(message) == [
        ("UNH", [["1"], ["PAXLST"]]),
        ("BGM", [["745"]]),
        ("NAD", [["FL"], [""], [""], ["SMITH", "JOHN"]]),
        ("UNT", [["4"], ["1"]]),
    ]
    assert message.warnings == []


def test_a_line_break_as_segment_terminator():
    reading = edifact.read("UNA:+.? \nUNH+1+PAXLST\nNAD+FL+++O'NEIL:ANN\n  BGM+745\nUNT+4+1\n")
    assert reading.separators.segment == "\n" and reading.warnings == []
    (message,) = reading.messages
    assert [s.tag for s in message.segments] == ["UNH", "NAD", "BGM", "UNT"]
    assert message.segments[1].el(4) == "O'NEIL" and message.warnings == []


def test_crlf_lines_with_a_line_break_terminator_give_clean_values():
    reading = edifact.read("UNA:+.? \nUNH+1+PAXLST:D:05B\r\nBGM+745\r\nUNT+3+1\r\n")
    (message,) = reading.messages
    assert message.version == "D:05B" and message.segments[1].el(1) == "745"
    assert message.warnings == []


def test_a_whole_interchange_on_one_line():
    text = (
        "UNA:+.? 'UNB+UNOA:4+SND+RCV+260101:1200+IC1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'"
        "UNT+3+M1'UNH+M2+PAXLST:D:05B:UN:IATA'BGM+250'UNT+3+M2'UNZ+2+IC1'"
    )
    reading = edifact.read(text)
    assert reading.warnings == [] and reading.errors == []
    assert [(m.ref, m.number, m.envelope.control_ref) for m in reading.messages] == [
        ("M1", 1, "IC1"),
        ("M2", 2, "IC1"),
    ]
    assert all(m.warnings == [] for m in reading.messages)


def test_the_last_segment_without_terminator_is_read_with_a_warning():
    reading = edifact.read("UNH+1+PAXLST'BGM+745'UNT+3+1")
    assert reading.warnings == ["the last segment ('UNT') has no segment terminator \"'\""]
    assert reading.messages[0].warnings == []
    assert values(reading.messages[0])[-1] == ("UNT", [["3"], ["1"]])


def test_empty_segments_and_trailing_blanks_are_skipped():
    message = only("UNH+1+PAXLST''  '\n'BGM+745'UNT+3+1'  \n")
    assert [s.tag for s in message.segments] == ["UNH", "BGM", "UNT"]
    assert message.warnings == []


# ----------------------------------------------------------------------------- envelopes
TWO_INTERCHANGES = (
    "UNA:+.? '\n"
    "UNB+UNOA:4+SENDER1:ZZ+RCV1:ZZ+260101:1200+IC1++APIS'\n"
    "UNG+PAXLST+GSENDER:ZZ+GRCV+260101:1200+G1+UN+D:05B'\n"
    "UNH+M1+PAXLST:D:05B:UN:IATA+FLIGHT/1'\n"
    "BGM+745'\n"
    "UNT+3+M1'\n"
    "UNH+M2+PAXLST:D:02B:UN:IATA'\n"
    "BGM+250'\n"
    "UNT+3+M2'\n"
    "UNE+2+G1'\n"
    "UNZ+1+IC1'\n"
    "UNB+IATA:1+SENDER2+RCV2+260102:0800+IC2'\n"
    "UNH+P1+PNRGOV:13:1:IA+X'\n"
    "SRC'\n"
    "UNT+3+P1'\n"
    "UNZ+1+IC2'\n"
)


def test_several_interchanges_groups_and_messages_in_one_file():
    reading = edifact.read(TWO_INTERCHANGES)
    assert reading.warnings == [] and reading.errors == []
    m1, m2, p1 = reading.messages
    assert [(m.ref, m.type, m.version, m.number) for m in reading.messages] == [
        ("M1", "PAXLST", "D:05B", 1),
        ("M2", "PAXLST", "D:02B", 2),
        ("P1", "PNRGOV", "13:1", 3),
    ]
    assert (m1.envelope.syntax, m1.envelope.sender, m1.envelope.recipient) == ("UNOA:4", "SENDER1", "RCV1")
    assert (m1.envelope.prepared, m1.envelope.control_ref, m1.envelope.application_ref) == (
        "260101:1200",
        "IC1",
        "APIS",
    )
    assert (m1.envelope.group_type, m1.envelope.group_sender, m1.envelope.group_ref) == (
        "PAXLST",
        "GSENDER",
        "G1",
    )
    assert m1.envelope.group_version == "D:05B" and m1.common_access_ref == "FLIGHT/1"
    assert m2.envelope == m1.envelope and m2.envelope is not m1.envelope
    assert (p1.envelope.sender, p1.envelope.control_ref, p1.envelope.group_ref) == ("SENDER2", "IC2", "")
    assert p1.agency == "IA" and p1.common_access_ref == "X"
    # Segments are numbered within their message (UNH is 1) and the body leaves out UNH and UNT.
    assert [s.number for s in p1.segments] == [1, 2, 3]
    assert [s.tag for s in p1.body] == ["SRC"]


def test_messages_without_envelope():
    reading = edifact.read("UNH+A+PAXLST:D:05B'BGM+745'UNT+3+A'UNH+B+PNRGOV:11:1:IA'SRC'UNT+3+B'")
    assert reading.warnings == [] and reading.errors == []
    assert [(m.ref, m.type) for m in reading.messages] == [("A", "PAXLST"), ("B", "PNRGOV")]
    assert all(m.envelope == edifact.Envelope() for m in reading.messages)


def test_segments_outside_any_message_are_ignored_with_a_warning():
    reading = edifact.read("BGM+1'UNH+1+PAXLST'UNT+2+1'FOO+2'BGM+3'")
    assert reading.warnings == ["3 segment(s) outside any message were ignored (BGM, FOO)"]
    assert [s.tag for s in reading.messages[0].segments] == ["UNH", "UNT"]


def test_envelope_counts_and_references_that_do_not_match_are_warnings():
    text = (
        "UNB+UNOA:4+S+R+260101:1200+IC1'UNG+PAXLST+S+R+260101:1200+G1+UN+D:05B'"
        "UNH+M1+PAXLST'UNT+2+M1'UNE+3+G9'UNZ+2+IC9'"
    )
    reading = edifact.read(text)
    assert reading.warnings == [
        "UNE counts 3 messages, the group has 1",
        "UNE reference 'G9' is not the UNG reference 'G1'",
        "UNZ counts 2, the interchange has 1 group(s)",
        "UNZ reference 'IC9' is not the UNB reference 'IC1'",
    ]
    assert reading.errors == [] and reading.messages[0].warnings == []


def test_unz_counts_messages_when_there_is_no_group():
    reading = edifact.read("UNB+UNOA:4+S+R+260101:1200+IC1'UNH+1+PAXLST'UNT+2+1'UNZ+5+IC1'")
    assert reading.warnings == ["UNZ counts 5, the interchange has 1 message(s)"]


# ----------------------------------------------------------------------------- trailer warnings
def test_a_wrong_unt_count_is_a_warning():
    message = only("UNH+1+PAXLST'BGM+745'UNT+9+1'")
    assert message.warnings == ["UNT counts 9 segments, the message has 3"]


def test_a_unt_without_count_or_reference_is_a_warning():
    message = only("UNH+1+PAXLST'BGM+745'UNT'")
    assert message.warnings == ["UNT gives no segment count ('')", "UNT has no reference"]


def test_a_wrong_unt_reference_is_a_warning():
    message = only("UNH+1+PAXLST'BGM+745'UNT+3+2'")
    assert message.warnings == ["UNT reference '2' is not the UNH reference '1'"]


def test_a_missing_unt_ends_the_message_at_the_next_one_or_the_end_of_the_file():
    reading = edifact.read(
        "UNB+UNOA:4+S+R+260101:1200+IC'UNH+1+PAXLST'BGM+745'UNH+2+PAXLST'BGM+745'UNZ+2+IC'UNH+3+PNRGOV'SRC'"
    )
    assert reading.errors == [] and reading.warnings == []
    missing = "no UNT trailer: the message ends where the next one (or the file) begins"
    assert [(m.ref, [s.tag for s in m.segments], m.warnings) for m in reading.messages] == [
        ("1", ["UNH", "BGM"], [missing]),
        ("2", ["UNH", "BGM"], [missing]),
        ("3", ["UNH", "SRC"], [missing]),
    ]
    assert [s.tag for s in reading.messages[0].body] == ["BGM"]


def test_a_unh_without_reference_gets_one_by_position():
    reading = edifact.read("UNH+A+PAXLST'UNT+2+A'UNH++PAXLST'UNT+2'")
    assert [(m.ref, m.number) for m in reading.messages] == [("A", 1), ("#2", 2)]
    assert reading.messages[1].warnings == ["UNH has no message reference", "UNT has no reference"]


# ----------------------------------------------------------------------------- errors
def test_a_unh_without_message_type_is_an_error_that_does_not_stop_the_others():
    reading = edifact.read("UNH+A+PAXLST'UNT+2+A'UNH+B'BGM+745'UNT+3+B'UNH+C+PNRGOV'UNT+2+C'")
    (error,) = reading.errors
    assert error.as_dict() == {
        "message": "B",
        "segment": 1,
        "tag": "UNH",
        "element": 2,
        "component": None,
        "reason": "UNH names no message type",
    }
    assert str(error) == "message B, segment 1 (UNH), element 2: UNH names no message type"
    # Its segments are skipped with it: they are not "outside any message".
    assert reading.warnings == []
    assert [m.ref for m in reading.messages] == ["A", "C"]


def test_messages_after_one_without_type_keep_their_position_in_the_file():
    reading = edifact.read("UNH+A+PAXLST'UNT+2+A'UNH+B'UNT+2+B'UNH+C+PAXLST'UNT+2+C'")
    assert [(m.ref, m.number) for m in reading.messages] == [("A", 1), ("C", 3)]


@pytest.mark.parametrize("text", ["", "   \r\n", "BGM+745'NAD+MS'", "UNA:+.? '"])
def test_a_file_without_any_message_is_an_error(text):
    reading = edifact.read(text)
    assert reading.messages == []
    (error,) = reading.errors
    assert error.reason == "no message (UNH ... UNT) in the file" and error.where() == ""


def test_error_positions_name_the_message_segment_tag_element_and_component():
    error = edifact.EdifactError("bad date", message="M7", segment=12, tag="DTM", element=1, component=2)
    assert str(error) == "message M7, segment 12 (DTM), element 1, component 2: bad date"
    assert error.as_dict() == {
        "message": "M7",
        "segment": 12,
        "tag": "DTM",
        "element": 1,
        "component": 2,
        "reason": "bad date",
    }
    assert isinstance(error, ValueError)
    assert str(edifact.EdifactError("no flight", tag="TDT")) == "segment TDT: no flight"


def test_segment_error_carries_its_number_in_the_message_and_its_tag():
    text = (
        "UNB+UNOA:4+S+R+260101:1200+IC'UNH+M1+PAXLST'BGM+745'UNT+3+M1'"
        "UNH+M2+PAXLST'NAD+FL'DTM+329:X'UNT+4+M2'"
    )
    reading = edifact.read(text)
    m2 = reading.messages[1]
    dtm = m2.segments[2]
    assert (dtm.tag, dtm.number, dtm.el(1, 2), dtm.el(1, 3, "none"), dtm.el(5)) == ("DTM", 3, "X", "none", "")
    assert dtm.components(1) == ["329", "X"] and dtm.components(4) == []
    error = dtm.error("not a date", m2.ref, 1, 2)
    assert str(error) == "message M2, segment 3 (DTM), element 1, component 2: not a date"
    assert str(m2.error("no flight")) == "message M2: no flight"


def test_error_positions_through_the_paxlst_reader():
    """A date of birth that is not a date rejects its message, and says where."""
    text = (
        "UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+MS+++DESK'TDT+20+LH400+++LH'LOC+125+FRA'"
        "DTM+189:2606011030:201'LOC+87+JFK'DTM+232:2606011310:201'NAD+FL+++DOE:JANE'"
        "DTM+329:851332'UNT+11+M1'"
    )
    parsed = parsers.read_file(text, "broken.edi")
    (message,) = parsed.messages
    (error,) = message.errors
    assert {k: error[k] for k in ("message", "segment", "tag", "element", "component")} == {
        "message": "M1",
        "segment": 10,
        "tag": "DTM",
        "element": 1,
        "component": 2,
    }
    assert "date of birth" in error["reason"]


def test_tokenize_numbers_segments_in_file_order():
    seps, segments, warnings = edifact.tokenize("UNB+X'UNH+1+PAXLST'BGM'UNT+3+1'")
    assert seps == DEFAULT and warnings == []
    assert [(s.tag, s.number, s.elements) for s in segments] == [
        ("UNB", 1, [["X"]]),
        ("UNH", 2, [["1"], ["PAXLST"]]),
        ("BGM", 3, []),
        ("UNT", 4, [["3"], ["1"]]),
    ]


# ----------------------------------------------------------------------------- conformance
def _sample_files() -> list:
    if not SAMPLES.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SAMPLES} is absent"))]
    files = sorted(p for p in SAMPLES.glob("*/*") if p.is_file())
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in files]


@pytest.mark.parametrize("path", _sample_files())
def test_every_real_sample_reads_without_errors(path):
    reading = edifact.read(parsers.decode(path.read_bytes()))
    assert reading.errors == [], [str(e) for e in reading.errors]
    assert reading.messages
    expected = path.parent.name.upper()  # the folder says the kind: paxlst/, pnrgov/
    assert {m.type for m in reading.messages} == {expected}
    for message in reading.messages:
        assert message.ref and message.version
        assert message.segments[0].tag == "UNH"
        assert [s.number for s in message.segments] == list(range(1, len(message.segments) + 1))
