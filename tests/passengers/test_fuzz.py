"""Property tests of the passenger data readers: whatever the bytes, ``edifact.read`` raises
nothing but ``EdifactError`` and ``parsers.read_file`` nothing but ``UnreadableFile`` (bad
content is reported in the result), and neither hangs.

Inputs: random text (biased toward the EDIFACT service characters) and random bytes; then
mutations of valid messages (our fixtures, two synthetic messages written here, and the small
real messages of /work/shared/samples when present): segments deleted, duplicated or swapped,
separators and release characters inserted at random places, the text cut short, qualifiers
and values (dates, counts, codes, free text fields) changed. Deterministic (``derandomize``, no example database) and bounded (``max_examples``,
small inputs, a per-example deadline), so CI runs the same examples every time in well under
a minute. Plus pathological inputs that must finish quickly: 100,000 release characters,
200,000 separators, tens of thousands of segments. What the fuzzing found is kept at the end as
regression tests once fixed."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aircop.passengers import parsers
from aircop.passengers.parsers import edifact

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path("/work/shared/samples")
SEED_MAX_BYTES = 6_000  # real samples larger than this are left out: examples stay small

FUZZ = settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=2),  # an example takes milliseconds; seconds means a hang
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

SYNTHETIC_PAXLST = (
    "UNA:+.? '\n"
    "UNB+UNOA:4+FUZZAIR:FZ+XXAPI:ZZ+260402:0900+FZ0001X++APIS'\n"
    "UNH+FZ1+PAXLST:D:05B:UN:IATA+FZ100/020426/1100+01:F'\n"
    "BGM+745'\n"
    "NAD+MS+++FUZZ APIS DESK'\n"
    "TDT+20+FZ100+++FZ'\n"
    "LOC+125+LFW'\n"
    "DTM+189:2604021100:201'\n"
    "LOC+87+CDG'\n"
    "DTM+232:2604021930:201'\n"
    "NAD+FL+++D?'ALMEIDA:ANA?+MARIA+RUA 1+LISBOA++1000+PT'\n"
    "ATT+2++F'\n"
    "DTM+329:900101'\n"
    "LOC+178+LFW'\n"
    "LOC+179+CDG'\n"
    "NAT+2+PRT'\n"
    "RFF+AVF:ABC123'\n"
    "RFF+SEA:12A'\n"
    "FTX+BAG+++FZ000123:2'\n"
    "DOC+P:110:111+P1234567'\n"
    "DTM+36:300101'\n"
    "LOC+91+PRT'\n"
    "NAD+FM+++KOFFI:YAO'\n"
    "ATT+2++M'\n"
    "DTM+329:19800229:102'\n"
    "NAT+2+TG'\n"
    "DOC+P+TG99887'\n"
    "CNT+42:1'\n"
    "CNT+41:1'\n"
    "UNT+29+FZ1'\n"
    "UNZ+1+FZ0001X'\n"
)
SYNTHETIC_PNRGOV = (
    "UNA:+.?*'\n"
    "UNB+IATA:1+FZ+XXPNR+260402:0900+FZ0002X'\n"
    "UNH+1+PNRGOV:13:1:IA+FZ0002'\n"
    "MSG+:22'\n"
    "ORG+FZ:LFW+12345678'\n"
    "TVL+020426:1100:020426:1930+LFW+CDG+FZ+100'\n"
    "EQN+2'\n"
    "SRC'\n"
    "RCI+FZ:ABC123::010426:1200'\n"
    "DAT+700:010426:1200'\n"
    "TIF+D?'ALMEIDA+ANA MARIA:A:1'\n"
    "FTI+FZ:123456789:::GOLD'\n"
    "SSR+DOCS:HK:1:FZ:::::/P/PRT/P1234567/PRT/01JAN90/F/01JAN30/D?'ALMEIDA/ANA/MARIA+::1'\n"
    "TKT+9991234567890:T:1'\n"
    "FOP+CC:::VI:XXXXXXXXXXXX1234:0130'\n"
    "TVL+020426:1100:020426:1930+LFW+CDG+FZ+100:Y'\n"
    "RPI+1+HK'\n"
    "SSR+SEAT:HK:1:FZ:::LFW:CDG+12A::1'\n"
    "TBD++1:23:700++HP+FZ+FZ000123:1:CDG'\n"
    "SRC'\n"
    "RCI+FZ:DEF456::010426:1300'\n"
    "TIF+KOFFI+YAO:A:1'\n"
    "SSR+DOCS:HK:1:FZ:::::/P/TGO/TG99887/TGO/29FEB80/M/01JAN29/KOFFI/YAO+::1'\n"
    "TVL+020426:1100:020426:1930+LFW+CDG+FZ+100:Y'\n"
    "UNT+24+1'\n"
    "UNZ+1+FZ0002X'\n"
)


def _decoded(path: Path) -> str:
    return parsers.decode(path.read_bytes())


def _seeds() -> list[str]:
    seeds = [SYNTHETIC_PAXLST, SYNTHETIC_PNRGOV]
    seeds += [_decoded(p) for p in sorted(FIXTURES.glob("*.edi"))]
    if SAMPLES.is_dir():
        seeds += [
            _decoded(p)
            for p in sorted(SAMPLES.glob("*/*"))
            if p.is_file() and p.stat().st_size <= SEED_MAX_BYTES
        ]
    return seeds


SEEDS = _seeds()
# Drawn half from PAXLST messages, half from PNRGOV ones (the real samples are mostly PNRGOV).
PAXLST_SEEDS = [s for s in SEEDS if "PAXLST" in s]
PNRGOV_SEEDS = [s for s in SEEDS if "PAXLST" not in s]
SPECIALS = ":+'?*.\\ \n\r\t~^\u2019\ufeff"
QUALIFIERS = ["", "1", "2", "5", "8", "22", "36", "41", "42", "87", "91", "92", "125", "189", "232", "329"]
QUALIFIERS += ["745", "250", "FL", "FM", "DDU", "DDT", "MS", "P", "V", "AVF", "SEA", "BAG", "DOCS", "CC"]
QUALIFIERS += ["700", "710", "X" * 40, "9" * 30, "UNH", "UNT", "?", "::", "++", "'"]
# Values that dates, counts, codes and free text readers may choke on.
NASTY = ["", " ", "\x00", "\u00e9\u00e8", "/", "//////", "/P/", "N" * 300, "9" * 25, "1234567890123456789"]
NASTY += ["0", "-1", "+1", "1e9", "1.5", "000000", "991332", "290229", "000229", "2402301261", "0000"]
NASTY += ["0101", "2500", "29FEB01", "31APR25", "00XXX00", "ZZ", "XXX", "U", "DOCS", "CTCE", "12A", "A:B"]


# ----------------------------------------------------------------------------- the checks
def check_read(text: str) -> None:
    """edifact.read raises EdifactError or returns a coherent Reading."""
    try:
        reading = edifact.read(text)
    except edifact.EdifactError as exc:
        assert exc.reason and str(exc)
        return
    assert isinstance(reading.separators, edifact.Separators)
    for message in reading.messages:
        assert message.type and message.segments and message.segments[0].tag == "UNH"
        assert [s.number for s in message.segments] == list(range(1, len(message.segments) + 1))
    for error in reading.errors:
        assert isinstance(error, edifact.EdifactError) and error.as_dict()["reason"]


def check_read_file(data: bytes | str) -> None:
    """parsers.read_file raises UnreadableFile or reports every problem in its result."""
    try:
        parsed = parsers.read_file(data, "fuzz.edi")
    except parsers.UnreadableFile:
        return
    assert parsed.format in ("edifact", "csv")
    for message in parsed.messages:
        message.as_json()
        assert all(e.get("reason") for e in message.errors)
        assert message.ok == (not message.errors)
    assert all(e.get("reason") for e in parsed.errors)


# ----------------------------------------------------------------------------- mutations
def _split_segments(text: str) -> tuple[str, list[str], str]:
    """The UNA advice (if any), the segments with their terminators, and the terminator."""
    stripped = text.lstrip(" \t\r\n\ufeff")
    try:
        seps, _, _ = edifact.tokenize(stripped)
    except edifact.EdifactError:
        return "", [stripped], "'"
    una = ""
    body = stripped
    if stripped.startswith("UNA"):
        una = stripped[:9]
        body = stripped[9:]
        if seps.decimal == "." and stripped[5] != ".":  # a repaired five-character advice
            una, body = stripped[:8], stripped[8:]
    term, release = seps.segment, seps.release
    segments, start, i = [], 0, 0
    while i < len(body):
        ch = body[i]
        if release and ch == release:
            i += 2
            continue
        if ch == term:
            segments.append(body[start : i + 1])
            start = i + 1
        i += 1
    if start < len(body):
        segments.append(body[start:])
    return una, segments, term


@st.composite
def mutated(draw) -> str:
    seed = draw(st.sampled_from(PAXLST_SEEDS) | st.sampled_from(PNRGOV_SEEDS))
    una, segments, term = _split_segments(seed)
    operations = draw(st.integers(min_value=1, max_value=6))
    for _ in range(operations):
        if not segments:
            segments = [draw(st.text(SPECIALS + "UNHTBGM01", max_size=20))]
        op = draw(
            st.sampled_from(
                [
                    "delete",
                    "duplicate",
                    "swap",
                    "separator",
                    "release",
                    "truncate",
                    "qualifier",
                    "value",
                    "junk",
                ]
            )
        )
        i = draw(st.integers(min_value=0, max_value=len(segments) - 1))
        if op == "delete":
            del segments[i]
        elif op == "duplicate":
            segments.insert(i, segments[i])
        elif op == "swap":
            j = draw(st.integers(min_value=0, max_value=len(segments) - 1))
            segments[i], segments[j] = segments[j], segments[i]
        elif op in ("separator", "release", "junk"):
            chars = {"separator": ":+'*~^\n", "release": "?\\", "junk": SPECIALS + "\x00\u00e9\U0001f600"}[op]
            insert = draw(st.text(alphabet=chars, min_size=1, max_size=4))
            seg = segments[i]
            at = draw(st.integers(min_value=0, max_value=len(seg)))
            segments[i] = seg[:at] + insert + seg[at:]
        elif op == "truncate":
            text = "".join(segments)
            cut = draw(st.integers(min_value=0, max_value=len(text)))
            segments = [text[:cut]]
        elif op == "qualifier":  # element 1 (after the tag) replaced
            parts = segments[i].split("+", 2)
            value = draw(st.sampled_from(QUALIFIERS))
            if len(parts) >= 2:
                parts[1] = value
                segments[i] = "+".join(parts)
        else:  # value: one component (or "/" field of a free text) replaced
            pieces = re.split(r"([+:/])", segments[i])
            if len(pieces) > 2:
                k = draw(st.integers(min_value=1, max_value=len(pieces) // 2)) * 2
                pieces[min(k, len(pieces) - 1)] = draw(st.sampled_from(NASTY))
                segments[i] = "".join(pieces)
    text = una + "".join(segments)
    if draw(st.booleans()):  # also without the UNA advice, or with a broken one
        text = (
            draw(st.sampled_from(["", "UNA", "UNA:+.? ", "UNA:+\\*'\n", "UNA::.? '", "\ufeff"]))
            + text[len(una) :]
        )
    return text


# ----------------------------------------------------------------------------- properties
EDIFACT_TEXT = st.text(
    alphabet=st.sampled_from(list(SPECIALS) + list("UNABHTGZMPXLSO0123456789")), max_size=300
)
ANY_TEXT = st.text(max_size=300)
EDIFACT_PREFIXED = st.tuples(
    st.sampled_from(["UNA", "UNA:+.? '", "UNB+", "UNH+", "UNH+1+PAXLST'", "UNH+1+PNRGOV:13:1:IA'"]),
    EDIFACT_TEXT,
).map("".join)


@FUZZ
@given(st.one_of(ANY_TEXT, EDIFACT_TEXT, EDIFACT_PREFIXED))
def test_random_text_never_crashes_the_readers(text):
    check_read(text)
    check_read_file(text)


@FUZZ
@given(st.one_of(st.binary(max_size=300), EDIFACT_PREFIXED.map(lambda t: t.encode("utf-8", "replace"))))
def test_random_bytes_never_crash_the_readers(data):
    check_read(data.decode("latin-1"))
    check_read_file(data)


@FUZZ
@given(mutated())
def test_mutated_messages_never_crash_the_readers(text):
    assume(len(text) < 20_000)
    check_read(text)
    check_read_file(text)
    check_read_file(text.encode("utf-8"))


def test_the_seeds_are_valid_messages():
    """The mutations start from messages that read without errors."""
    for seed in SEEDS:
        parsed = parsers.read_file(seed, "seed.edi")
        assert parsed.errors == [] and parsed.messages, seed[:80]
    for synthetic in (SYNTHETIC_PAXLST, SYNTHETIC_PNRGOV):
        (message,) = parsers.read_file(synthetic, "synthetic.edi").messages
        assert message.ok, message.errors
    assert parsers.read_file(SYNTHETIC_PAXLST).messages[0].manifest.travellers[0].surname == "D'ALMEIDA"


# ----------------------------------------------------------------------------- pathological inputs
HEAD = "UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'TDT+20+FZ100'LOC+125+LFW'DTM+189:2604021100:201'"
PNR_HEAD = "UNH+1+PNRGOV:13:1:IA'MSG+:22'TVL+020426:1100+LFW+CDG+FZ+100'"
PATHOLOGICAL = {
    "100,000 release characters": "UNH+1+PAXLST'NAD+FL+++" + "?" * 100_000 + "'UNT+3+1'",
    "100,001 release characters (one left at the end)": "UNH+1+PAXLST'NAD+FL+++" + "?" * 100_001,
    "100,000 released apostrophes": HEAD + "NAD+FL+++" + "?'" * 50_000 + "'UNT+7+1'",
    "200,000 element separators": HEAD + "NAD+FL+++" + "+" * 200_000 + "'UNT+7+1'",
    "200,000 component separators": HEAD + "NAD+FL+++X" + ":" * 200_000 + "'UNT+7+1'",
    "200,000 segment terminators": "UNH+1+PAXLST'" + "'" * 200_000 + "UNT+2+1'",
    "200,000 line breaks": "UNH+1+PAXLST'" + "\r\n" * 100_000 + "UNT+2+1'",
    "200,000 spaces": "UNH+1+PAXLST'" + " " * 200_000 + "UNT+2+1'",
    "20,000 message headers": "UNH+1+PAXLST'" * 20_000,
    "20,000 interchange headers": "UNB+UNOA:4+A+B+260101:0000+1'" * 20_000,
    "20,000 travellers without surname": HEAD + "NAD+FL'" * 20_000 + "UNT+2+1'",
    "20,000 out-of-place segments": HEAD + "DOC+P+1'ATT+2++Q'" * 10_000 + "UNT+2+1'",
    "20,000 flights": "UNH+1+PAXLST'" + "TDT+20+FZ1'LOC+92+LFW'" * 10_000 + "UNT+2+1'",
    "5,000 PNRs": PNR_HEAD + "SRC'RCI+FZ:A1'TIF+X+Y:A:1'" * 5_000 + "UNT+2+1'",
    "20,000 SSRs in one PNR": PNR_HEAD + "SRC'RCI+FZ:A1'TIF+X+Y:A:1'" + "SSR+DOCS:HK::FZ:::::/P'" * 20_000,
    "20,000 history entries": PNR_HEAD + "SRC'RCI+FZ:A1'ABI+1'" + "SAC+++X'TIF+X+Y'" * 10_000,
    "a UNA and nothing else": "UNA:+.? '",
    "a release character as the last UNA character": "UNA:+.? ?",
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_inputs_finish_quickly(name):
    text = PATHOLOGICAL[name]
    began = time.perf_counter()
    check_read(text)
    check_read_file(text)
    elapsed = time.perf_counter() - began
    # Linear work on at most a few hundred KB: well under a second on any machine; 5 s leaves
    # room for a loaded CI runner while still catching anything quadratic.
    assert elapsed < 5, f"{name}: {elapsed:.1f} s"


# ----------------------------------------------------------------------------- findings (reported)
def test_a_csv_field_longer_than_the_csv_module_limit_is_reported_not_raised():
    check_read_file(b"a" * 131_073)


def test_text_with_a_lone_surrogate_is_reported_not_raised():
    check_read_file("UNH+1+PAXLST'NAD+FL+++\ud800'UNT+3+1'")
