"""Property tests of the participant-list import (docs/capacity.md, "Participant lists";
capacity/importer.py): whatever the bytes, ``import_participants`` raises nothing but
``ImportFileError`` (not UTF-8, not CSV, too large, too many rows) and otherwise returns a
report whose problems each name a line and a column. All or nothing: a report with problems
wrote nothing (no participant, attendance or audit entry); a report without problems added
exactly one attendance per row."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aircop.audit.models import AuditEntry
from aircop.capacity import importer
from aircop.capacity.models import Attendance, Participant
from tests.fuzzing import counts, fuzz, in_savepoint, mutated_csv, note, random_file

SEED = (
    "family_name,given_names,sex,unit,agency,job_title\n"
    "Mensah,Afi,F,jaitf-lfw,customs,Inspector\n"
    "Agbeko,Komlan,m,JAITF-LFW,Police,\n"
    "\n"
    "Owusu,Kwame,M,jaitf-acc,immigration,Border officer\n"
)
SEMICOLON_SEED = "\ufeffparticipant;family_name;sex;unit;agency\n;Adébáyọ̀ OKAFOR;M;jaitf-los;customs\n"
VALUES = ["jaitf-lfw", "jaitf-acc", "jaitf-nowhere", "customs", "police", "M", "F", "X", "1", "0", "-1"]
VALUES += ["99999999999999999999", "9" * 30, "²", "1.0", " 1 ", "Mensah", "Afi"]
CHANGED = (Participant, Attendance, AuditEntry)


def check_import(activity, actor, data: bytes, dry_run: bool) -> None:
    def run():
        before = counts(*CHANGED)
        try:
            report = importer.import_participants(
                data, actor=actor, activity=activity, name="fuzz.csv", dry_run=dry_run
            )
        except importer.ImportFileError as exc:
            note("file refused")
            assert str(exc)
            assert counts(*CHANGED) == before
            return
        note("imported" if not report.problems else "problems")
        after = counts(*CHANGED)
        if report.problems or dry_run:
            assert after == before, "a refused import wrote something"
            for p in report.problems:
                assert p.line >= 1 and p.message and str(p)
        else:
            assert report.created >= 1
            assert after["capacity.Attendance"] == before["capacity.Attendance"] + report.created
            assert after["capacity.Participant"] == before["capacity.Participant"] + report.new_participants
            assert after["audit.AuditEntry"] == before["audit.AuditEntry"] + 1

    in_savepoint(run)


@fuzz(120)
@given(
    st.one_of(random_file(SEED.split("\n", 1)[0]), mutated_csv([SEED, SEMICOLON_SEED], VALUES)),
    st.integers(min_value=0, max_value=5),
)
def test_a_list_imports_whole_or_not_at_all(activity, user_named, data, dry_run):
    check_import(activity, user_named("officer-lfw"), data, dry_run == 0)


def test_the_seeds_import(activity, user_named):
    for seed in (SEED, SEMICOLON_SEED):
        report = importer.import_participants(
            seed.encode(), actor=user_named("officer-lfw"), activity=activity, dry_run=True
        )
        assert report.ok, report.problems


PATHOLOGICAL = {
    "a field of 200,000 characters": b"family_name,sex,unit,agency\n"
    + b"a" * 200_000
    + b",M,jaitf-lfw,customs\n",
    "a header field of 200,000 characters": b"family_name," + b"a" * 200_000 + b"\nx\n",
    "an unclosed quote": b'family_name,sex,unit,agency\n"' + b"x\n" * 5000,
    "2,001 rows": b"family_name,sex,unit,agency\n"
    + b"".join(b"P%d,M,jaitf-lfw,customs\n" % i for i in range(2001)),
    "3 MB": b"family_name,sex,unit,agency\n" + b"x" * 3 * 1024 * 1024,
    "a NUL in a name": b"family_name,sex,unit,agency\nMen\x00sah,F,jaitf-lfw,customs\n",
    "a NUL in a unit code": b"family_name,sex,unit,agency\nMensah,F,jaitf\x00lfw,customs\n",
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_files_are_refused_or_imported_cleanly(activity, user_named, name):
    check_import(activity, user_named("officer-lfw"), PATHOLOGICAL[name], False)


# ----------------------------------------------------------------------------- findings (fixed)
@pytest.mark.parametrize("number", ["99999999999999999999", "-99999999999999999999", "9" * 5000, "²", "١"])
def test_a_participant_number_that_is_no_record_id_is_a_row_problem(activity, user_named, number):
    data = f"participant,family_name,sex,unit,agency\n{number},,,,\n".encode()
    report = importer.import_participants(data, actor=user_named("officer-lfw"), activity=activity)
    assert [(p.line, p.column) for p in report.problems] == [(2, "participant")]
    assert not report.created


def test_a_nul_character_refuses_the_file_naming_its_line(activity, user_named):
    with pytest.raises(importer.ImportFileError, match="line 2: a NUL character"):
        importer.import_participants(
            PATHOLOGICAL["a NUL in a unit code"], actor=user_named("officer-lfw"), activity=activity
        )
