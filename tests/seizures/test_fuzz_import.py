"""Property tests of the seizure CSV import (docs/seizures-csv.md, seizures/importer.py):
whatever the bytes, ``import_csv`` raises nothing but ``ImportFileError`` (not UTF-8) and
otherwise returns a report whose problems each name a line and a column. All or nothing: a
report with problems wrote nothing (no seizure, item, person, alert link, figure, airport or
audit entry); a report without problems wrote exactly its rows. Inputs: random bytes and text,
and mutations of the documented example files (tests/seizures/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aircop.audit.models import AuditEntry
from aircop.network.models import Airport
from aircop.seizures import importer
from aircop.seizures.models import Seizure, SeizureFigure, SeizureItem, SeizurePerson
from tests.fuzzing import counts, fuzz, in_savepoint, mutated_csv, note, random_file

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = [
    (FIXTURES / "good.csv").read_text(encoding="utf-8-sig"),
    (FIXTURES / "semicolon_bom.csv").read_text(encoding="utf-8-sig"),
]
# Only the rows at Lomé (LFW): a file officer-lfw may import.
SEEDS.append("".join(line for n, line in enumerate(SEEDS[0].splitlines(True)) if n == 0 or ",LFW," in line))
HEADER = ",".join(importer.REQUIRED_COLUMNS)
# Codes and values of other columns, so that a mutation often stays almost valid.
VALUES = ["LFW", "ACC", "LOS", "ZZZ", "QQQ", "GRU;ADD", ";;", "CDG;" * 12, "drugs", "cocaine", "ivory"]
VALUES += ["tablets", "12.5", "1,5", "0", "-3", "0.0000001", "1e30", "currency", "USD", "XXX", "pieces"]
VALUES += ["international_alert", "999999999999999999999", "1", "high_risk", "25-34", "119", "120", "0-17"]
VALUES += ["2025-11-03", "2025-11-03T08:30", "2025-11-03 08:30+01:00", "1989-12-31", "2999-01-01", "08:30"]
VALUES += ["jaitf-lfw", "jaitf-nowhere", "JAITF-LFW", "amber", "red", "ET509", "ET 509", "XX99999"]
CHANGED = (Seizure, SeizureItem, SeizurePerson, SeizureFigure, Seizure.alerts.through, Airport, AuditEntry)


def check_import(data: bytes, actor, unit, dry_run: bool) -> None:
    def run():
        before = counts(*CHANGED)
        try:
            report = importer.import_csv(data, actor=actor, name="fuzz.csv", unit=unit, dry_run=dry_run)
        except importer.ImportFileError as exc:
            note("file refused")
            assert "not UTF-8" in str(exc) or "NUL character" in str(exc)
            assert counts(*CHANGED) == before
            return
        note("imported" if not report.problems else "problems")
        after = counts(*CHANGED)
        if report.problems or dry_run:
            assert after == before, "a refused import wrote something"
            assert report.created == 0
            for p in report.problems:
                assert p.line >= 1 and p.message and str(p)
                assert p.column == "" or p.column in importer.KNOWN_COLUMNS or p.line == 1
        else:
            assert report.created == report.rows >= 1
            assert after["seizures.Seizure"] == before["seizures.Seizure"] + report.created
            assert (
                after["seizures.SeizureItem"] + after["seizures.SeizurePerson"]
                >= before["seizures.SeizureItem"] + before["seizures.SeizurePerson"] + report.created
            )

    in_savepoint(run)


@fuzz(150)
@given(
    st.one_of(random_file(HEADER), mutated_csv(SEEDS, VALUES)),
    st.sampled_from([None, None, "officer-lfw"]),
    st.sampled_from([None, None, None, "jaitf-lfw"]),
    st.integers(min_value=0, max_value=5),
)
def test_an_import_writes_every_row_or_none(db, user_named, data, actor, unit, dry_run):
    check_import(data, user_named(actor) if actor else None, unit, dry_run == 0)


def test_the_seeds_import(db):
    for seed in SEEDS:
        report = importer.import_csv(seed.encode(), dry_run=True)
        assert report.ok, report.problems


PATHOLOGICAL = {
    "a field of 200,000 characters": HEADER.encode() + b"\n" + b"a" * 200_000 + b"\n",
    "a header field of 200,000 characters": b"date," + b"a" * 200_000 + b"\n1\n",
    "an unclosed quote": HEADER.encode() + b'\n"' + b"x\n" * 2000,
    "10,000 empty rows": HEADER.encode() + b"\n" + b",,,,\n" * 10_000,
    "5,000 bad rows": HEADER.encode() + b"\n" + b"x,y,z\n" * 5_000,
    "a NUL in the notes": (SEEDS[0].split("\n", 1)[0] + "\n").encode()
    + SEEDS[0].split("\n")[1].encode().replace(b"Swallowed", b"Swal\x00lowed")
    + b"\n",
    "a triggering alert beyond 64 bits": (
        SEEDS[0].split("\n", 1)[0]
        + ",triggering_alert\n"
        + SEEDS[0].split("\n")[1]
        + ",99999999999999999999999\n"
    ).encode(),
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_files_are_refused_or_imported_cleanly(db, name):
    check_import(PATHOLOGICAL[name], None, None, False)


# ----------------------------------------------------------------------------- findings (fixed)
def _one_row(**changes) -> bytes:
    header, row = SEEDS[0].split("\n")[:2]
    values = dict(zip(header.split(","), row.split(","), strict=True))
    values.update(changes)
    return (",".join(values) + "\n" + ",".join(values.values()) + "\n").encode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "9" * 5000])
def test_a_triggering_alert_that_is_no_alert_number_is_a_row_problem(value):
    report = importer.import_csv(_one_row(triggering_alert=value))
    assert [(p.line, p.column) for p in report.problems] == [(2, "triggering_alert")]
    assert "not an alert number" in report.problems[0].message and not report.created


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "9" * 5000, "٣٣"])
def test_an_age_that_is_no_ascii_number_is_a_row_problem(value):
    report = importer.import_csv(_one_row(offender_age=value))
    assert [(p.line, p.column) for p in report.problems] == [(2, "offender_age")]
    assert "not an age in years" in report.problems[0].message


@pytest.mark.django_db
def test_a_nul_character_refuses_the_file_naming_its_line():
    with pytest.raises(importer.ImportFileError, match="line 2: a NUL character"):
        importer.import_csv(PATHOLOGICAL["a NUL in the notes"])
