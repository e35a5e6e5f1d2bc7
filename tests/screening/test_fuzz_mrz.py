"""Property tests of the MRZ reader (screening/mrz, docs/mrz.md) and of the check of one person
or document (screening/check.py, the /check/ page and POST /api/v1/screening/check).

``mrz.read`` raises nothing but ``MrzError`` (its message names the line and column when there
is one), whatever the text: random text, and mutations of the specimens of Doc 9303 (a character
replaced, inserted or removed, lines dropped, doubled, swapped or joined, dates set to
impossible days, case and whitespace changed). ``check.check`` raises nothing but
``ServiceError`` naming its field, writes one audit entry when it answers and none when it
refuses; the API answers 200 or 400, never 500."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aircop.accounts.services import create_token
from aircop.audit.models import AuditEntry
from aircop.core.errors import ServiceError
from aircop.screening import check, mrz, runner
from aircop.screening.importer import import_entries
from aircop.screening.services import create_watchlist
from tests.fuzzing import NASTY, fuzz, in_savepoint

TODAY = date(2026, 5, 1)
SPECIMENS = [
    ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
    ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
    ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
    ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"],
    ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F9612109" + "<" * 16],
    ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109" + "<" * 8],
]
MRZ_CHARS = list(mrz.CHARSET) + list("OIl| \t-«ﾠ\x00\u0660\u00e9ßa<<<<")
DATES = ["000000", "999999", "000229", "010229", "991231", "001301", "000132", "<<<<<<", "00<<<<", "0001<<"]


@st.composite
def mutated_mrz(draw) -> str:
    lines = list(draw(st.sampled_from(SPECIMENS)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(st.sampled_from(["replace", "replace", "insert", "delete", "line", "date", "case", "join"]))
        n = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
        if not lines:
            lines = [""]
        line = lines[n]
        at = draw(st.integers(min_value=0, max_value=len(line)))
        if op == "replace" and line:
            at = min(at, len(line) - 1)
            lines[n] = line[:at] + draw(st.sampled_from(MRZ_CHARS)) + line[at + 1 :]
        elif op == "insert":
            lines[n] = (
                line[:at] + draw(st.text(st.sampled_from(MRZ_CHARS), min_size=1, max_size=3)) + line[at:]
            )
        elif op == "delete":
            lines[n] = line[:at] + line[at + 1 :]
        elif op == "line":
            action = draw(st.sampled_from(["drop", "double", "swap", "empty"]))
            if action == "drop":
                del lines[n]
            elif action == "double":
                lines.insert(n, line)
            elif action == "swap":
                m = draw(st.integers(min_value=0, max_value=len(lines) - 1))
                lines[n], lines[m] = lines[m], lines[n]
            else:
                lines.insert(n, draw(st.sampled_from(["", "   ", "\r", "\x0b", "\u2028"])))
        elif op == "date":  # six characters somewhere on the line become a (bad) date
            if len(line) >= 6:
                at = min(at, len(line) - 6)
                lines[n] = line[:at] + draw(st.sampled_from(DATES)) + line[at + 6 :]
        elif op == "case":
            lines[n] = line.lower()
        else:
            lines = ["".join(lines)]
    separator = draw(st.sampled_from(["\n", "\r\n", "\n\n", " \n ", "\r"]))
    return separator.join(lines)


def check_read(text: str) -> None:
    try:
        reading = mrz.read(text, today=TODAY)
    except mrz.MrzError as exc:
        assert exc.reason and str(exc)
        if exc.line is not None:
            assert str(exc).startswith(f"line {exc.line}")
        return
    assert reading.format in mrz.FORMATS
    assert reading.valid == all(c.ok for c in reading.checks)
    json.dumps(reading.as_json())


@fuzz(300, seconds=2)
@given(st.one_of(st.text(max_size=200), st.text(st.sampled_from(MRZ_CHARS + ["\n"]), max_size=140)))
def test_random_text_raises_only_mrz_error(text):
    check_read(text)


@fuzz(400, seconds=2)
@given(mutated_mrz())
def test_mutated_zones_raise_only_mrz_error(text):
    check_read(text)


def test_the_specimens_read():
    for lines in SPECIMENS:
        assert mrz.read("\n".join(lines), today=TODAY).format


@pytest.mark.parametrize(
    "text",
    [
        "<" * 100_000,
        "P<" + "<" * 1_000_000,
        "\n" * 100_000,
        "\n".join(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"] * 50_000),
        "\ud800" * 88,
    ],
    ids=["100,000 fillers", "a million characters", "100,000 line breaks", "50,000 lines", "surrogates"],
)
def test_pathological_zones_finish_quickly(text):
    check_read(text)


# ----------------------------------------------------------------------------- check of one person
@pytest.fixture
def lists(db, user_named):
    runner.forget()
    owner = user_named("officer-dss")
    wanted = create_watchlist(
        actor=owner, name="fuzz-check", title="Wanted", kind="wanted", source="t", owner="jaitf-dss"
    )
    data = b"reference,names,date_of_birth,nationality,document_number,document_country\n"
    data += b"W-1,Anna Maria Eriksson,1974-08-12,SWE,L898902C3,SWE\nW-2,Youssef Haddad,1984-02-29,SYR,,\n"
    assert import_entries(actor=owner, watchlist=wanted, data=data).ok
    yield
    runner.forget()


FIELD_VALUES = st.one_of(
    st.sampled_from([*NASTY, "ERIKSSON", "Anna Maria", "UTO", "SY", "M", "f", "1974-08-12", "L898902C3"]),
    st.text(max_size=30),
)
CHECK_FIELDS = ("surname", "given_names", "date_of_birth", "nationality", "sex", "document_number")
CHECK_FIELDS += ("document_country", "mrz")


@fuzz(80)
@given(
    st.fixed_dictionaries({}, optional=dict.fromkeys(CHECK_FIELDS, FIELD_VALUES)),
    st.one_of(st.none(), mutated_mrz(), st.sampled_from(SPECIMENS).map("\n".join)),
)
def test_the_check_answers_or_refuses_naming_a_field(lists, user_named, values, zone):
    officer = user_named("officer-lfw")
    if zone is not None:
        values["mrz"] = zone

    def run():
        before = AuditEntry.objects.count()
        try:
            result = check.check(actor=officer, **values)
        except ServiceError as exc:
            assert exc.field in (*CHECK_FIELDS, "actor") and exc.message
            assert AuditEntry.objects.count() == before
            return
        assert AuditEntry.objects.count() == before + 1
        assert result.lists >= 1 and all(m.reference in ("W-1", "W-2") for m in result.matches)

    in_savepoint(run)


@fuzz(20)
@given(st.fixed_dictionaries({}, optional=dict.fromkeys(CHECK_FIELDS, FIELD_VALUES)))
def test_the_check_api_answers_200_or_400(lists, user_named, values):
    token = create_token(actor=None, user=user_named("officer-lfw"), days=1)[1]
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = json.dumps(values)  # lone surrogates go as \\ud800 escapes, as a client could send them

    def run():
        response = client.post("/api/v1/screening/check", body, content_type="application/json")
        assert response.status_code in (200, 400, 422), (response.status_code, response.content[:300])

    in_savepoint(run)
