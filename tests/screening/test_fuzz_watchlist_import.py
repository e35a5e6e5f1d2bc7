"""Property tests of the watchlist import (docs/screening.md, "Importing a list";
screening/importer.py): whatever the bytes, CSV or JSON, ``import_entries`` raises nothing but
``ImportFileError`` (the file cannot be read at all) and otherwise returns a report. All or
nothing: a report with problems (each naming its line and field) wrote nothing, neither an
entry nor an audit entry; a report without problems wrote exactly its rows."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aircop.audit.models import AuditEntry
from aircop.screening import importer, services
from aircop.screening.models import WatchlistEntry
from tests.fuzzing import NASTY, counts, fuzz, in_savepoint, mutated_csv, note, random_file

CSV_SEED = (
    "reference,names,date_of_birth,nationality,sex,document_number,document_country,document_type,reason\n"
    "W-1,محمد عبد الله|Mohammed Abdullah,1980-05-17,SD,M,P1234567,SDN,P,wanted for trafficking\n"
    "W-2,Ибрагим Хусейн,1975,RUS,M,,,,\n"
    "W-3,Jean Dupont,1975-03,FRA,,X99,FR,ID,\n"
)
SEMICOLON_SEED = "\ufeffreference;names;date_of_birth;sex\nW-9;Ana Maria ALMEIDA;1990-01-01;F\n"
JSON_SEED = [
    {
        "reference": "W-1",
        "names": ["Mohammed Abdullah", "محمد عبد الله"],
        "date_of_birth": "1980-05-17",
        "nationality": "SDN",
        "sex": "M",
        "document_number": "P1234567",
        "document_country": "SD",
        "document_type": "P",
        "reason": "wanted",
    },
    {"reference": "W-2", "names": "Ibrahim Hussein|Ибрагим Хусейн", "date_of_birth": "1975"},
]
VALUES = ["W-1", "W-2", "1980", "1980-05", "1980-02-30", "SD", "SDN", "ZZ", "M", "F", "X", "Q", "P1", "|"]
JSON_VALUES = st.one_of(
    st.sampled_from(NASTY + VALUES),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.lists(st.sampled_from(NASTY + VALUES), max_size=3),
    st.dictionaries(st.sampled_from(importer.COLUMNS), st.sampled_from(VALUES), max_size=2),
)


@st.composite
def mutated_json(draw) -> bytes:
    entries = [dict(e) for e in JSON_SEED]
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 5]))):
        op = draw(st.sampled_from(["value", "value", "drop_key", "add_entry", "not_object", "duplicate"]))
        i = draw(st.integers(min_value=0, max_value=len(entries) - 1)) if entries else 0
        if not entries:
            entries.append({})
        if op in ("value", "drop_key") and not isinstance(entries[i], dict):
            entries[i] = {}
        if op == "value":
            near = draw(st.booleans())  # often a value that is valid somewhere
            entries[i][draw(st.sampled_from([*importer.COLUMNS, "extra"]))] = (
                draw(st.sampled_from(VALUES)) if near else draw(JSON_VALUES)
            )
        elif op == "drop_key" and entries[i]:
            entries[i].pop(draw(st.sampled_from(sorted(entries[i]))))
        elif op == "add_entry":
            entries.append(draw(st.dictionaries(st.sampled_from(importer.COLUMNS), JSON_VALUES, max_size=4)))
        elif op == "not_object":
            entries[i] = draw(JSON_VALUES)
        elif op == "duplicate":
            entries.append(dict(entries[i]) if isinstance(entries[i], dict) else entries[i])
    document = draw(st.sampled_from(["list", "object", "object"]))
    loaded = entries if document == "list" else {"entries": entries}
    text = json.dumps(loaded, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(min_value=0, max_value=5)) == 0:  # cut short
        text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text.encode("utf-8", "surrogatepass")


RANDOM_JSON = st.one_of(
    st.binary(max_size=200),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
        max_leaves=20,
    ).map(lambda v: json.dumps(v).encode()),
)


@pytest.fixture
def watchlists(db):
    make = services.create_watchlist
    return {
        "wanted": make(
            actor=None, name="fuzz-wanted", title="W", kind="wanted", source="t", owner="jaitf-lfw"
        ),
        "documents": make(
            actor=None, name="fuzz-docs", title="D", kind="documents", source="t", owner="jaitf-lfw"
        ),
    }


def check_import(watchlist, data: bytes, fmt: str, replace: bool) -> None:
    def run():
        before = counts(WatchlistEntry, AuditEntry)
        try:
            report = importer.import_entries(
                actor=None, watchlist=watchlist, data=data, name="fuzz", fmt=fmt, replace=replace
            )
        except importer.ImportFileError as exc:
            note("file refused")
            assert str(exc)
            assert counts(WatchlistEntry, AuditEntry) == before
            return
        note("imported" if not report.problems else "problems")
        after = counts(WatchlistEntry, AuditEntry)
        if report.problems:
            assert after == before, "a refused import wrote something"
            for p in report.problems:
                assert p.line >= 1 and p.reason and str(p)
            assert report.created == report.updated == report.removed == 0
        else:
            assert report.rows >= 1 and report.created + report.updated == report.rows
            assert after["screening.WatchlistEntry"] == before["screening.WatchlistEntry"] + report.created
            assert after["audit.AuditEntry"] == before["audit.AuditEntry"] + 1
            for entry in WatchlistEntry.objects.filter(watchlist=watchlist):
                assert entry.reference and (entry.names or entry.documents)

    in_savepoint(run)


@fuzz(120)
@given(
    st.one_of(random_file(CSV_SEED.split("\n", 1)[0]), mutated_csv([CSV_SEED, SEMICOLON_SEED], VALUES)),
    st.sampled_from(["wanted", "documents"]),
    st.booleans(),
)
def test_a_csv_file_imports_whole_or_not_at_all(watchlists, data, kind, replace):
    check_import(watchlists[kind], data, "csv", replace)


@fuzz(120)
@given(st.one_of(RANDOM_JSON, mutated_json()), st.sampled_from(["wanted", "documents"]), st.booleans())
def test_a_json_file_imports_whole_or_not_at_all(watchlists, data, kind, replace):
    check_import(watchlists[kind], data, "json", replace)


def test_the_seeds_import(watchlists):
    for data, fmt in (
        (CSV_SEED.encode(), "csv"),
        (SEMICOLON_SEED.encode(), "csv"),
        (json.dumps(JSON_SEED).encode(), "json"),
    ):
        report = importer.import_entries(actor=None, watchlist=watchlists["wanted"], data=data, fmt=fmt)
        assert report.ok, report.problems


# ----------------------------------------------------------------------------- pathological inputs
PATHOLOGICAL = {
    "JSON nested 100,000 deep": ("json", b"[" * 100_000 + b"]" * 100_000),
    "JSON object nested 100,000 deep": ("json", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
    "a JSON integer of 5,000 digits": ("json", b'[{"reference": ' + b"9" * 5000 + b', "names": "A"}]'),
    "a JSON number too large for a float": ("json", b'[{"reference": "R", "names": "A", "sex": 1e999}]'),
    "a CSV field of 200,000 characters": ("csv", b"reference,names\nR1," + b"a" * 200_000 + b"\n"),
    "a CSV header field of 200,000 characters": ("csv", b"reference," + b"a" * 200_000 + b"\nR1,x\n"),
    "an unclosed CSV quote": ("csv", b'reference,names\nR1,"never closed\n' + b"x\n" * 1000),
    "5,000 CSV rows": ("csv", b"reference,names\n" + b"".join(b"R%d,N\n" % i for i in range(5_000))),
    "a NUL in a name": ("csv", b"reference,names\nR1,A\x00B\n"),
    "a lone surrogate in JSON": ("json", b'[{"reference": "R1", "names": "\\ud800"}]'),
    "a NUL in JSON": ("json", b'[{"reference": "R\\u0000", "names": "A\\u0000"}]'),
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_files_are_refused_or_imported_cleanly(watchlists, name):
    fmt, data = PATHOLOGICAL[name]
    check_import(watchlists["wanted"], data, fmt, False)


# ----------------------------------------------------------------------------- findings (fixed)
def test_json_nested_too_deeply_is_refused_in_one_line(watchlists):
    with pytest.raises(importer.ImportFileError, match="nested too deeply"):
        importer.import_entries(
            actor=None, watchlist=watchlists["wanted"], data=b"[" * 100_000 + b"]" * 100_000, fmt="json"
        )


def test_a_json_number_too_long_to_convert_is_refused_naming_where(watchlists):
    data = b'[{"names": "A",\n "reference": ' + b"9" * 5000 + b"}]"
    with pytest.raises(importer.ImportFileError, match=r"more than 4300 digits \(line 2, column 15\)"):
        importer.import_entries(actor=None, watchlist=watchlists["wanted"], data=data, fmt="json")


def test_a_csv_header_field_over_the_csv_limit_is_refused_in_one_line(watchlists):
    with pytest.raises(importer.ImportFileError, match="line 1: not CSV: field larger than field limit"):
        importer.import_entries(
            actor=None, watchlist=watchlists["wanted"], data=b"reference," + b"a" * 200_000 + b"\nR1,x\n"
        )


def test_a_nul_character_in_a_csv_file_refuses_it_naming_its_line(watchlists):
    with pytest.raises(importer.ImportFileError, match="line 2: a NUL character"):
        importer.import_entries(
            actor=None, watchlist=watchlists["wanted"], data=PATHOLOGICAL["a NUL in a name"][1]
        )


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\udfff"])
def test_nul_and_lone_surrogate_escapes_in_json_are_line_problems(watchlists, escape):
    data = ('[{"reference": "R1", "names": "A"}, {"reference": "R' + escape + '", "names": "B"}]').encode()
    report = importer.import_entries(actor=None, watchlist=watchlists["wanted"], data=data, fmt="json")
    assert [(p.line, p.field) for p in report.problems] == [(2, "reference")] and not report.created
