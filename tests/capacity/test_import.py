"""Importing an activity's participant list from CSV: all rows or none, every problem named
by line and column, duplicates in the file and against those attending refused."""

from __future__ import annotations

import pytest

from aircop.audit.models import AuditEntry
from aircop.capacity import importer, services, services_people
from aircop.capacity.models import Attendance, Participant
from aircop.core.errors import ServiceError
from tests.capacity.conftest import activity_data, person

GOOD = (
    "family_name,given_names,sex,unit,agency,job_title\n"
    "Mensah,Afi,F,jaitf-lfw,customs,Inspector\n"
    "Agbeko,Komlan,m,JAITF-LFW,Police,\n"
    "\n"
    "Owusu,Kwame,M,jaitf-acc,immigration,Border officer\n"
)


def run(activity, text: str, user, **kw):
    return importer.import_participants(text.encode(), actor=user, activity=activity, name="list.csv", **kw)


def problems(report) -> list[tuple[int, str]]:
    return [(p.line, p.column) for p in report.problems]


def test_a_good_file_adds_every_row_in_one_audited_write(activity, user_named):
    report = run(activity, GOOD, user_named("officer-lfw"))
    assert report.ok and (report.rows, report.created, report.new_participants) == (3, 3, 3)
    people = Participant.objects.filter(attendances__activity=activity).order_by("family_name")
    assert [(p.family_name, p.sex, p.unit.code, p.agency) for p in people] == [
        ("Agbeko", "M", "jaitf-lfw", "police"),
        ("Mensah", "F", "jaitf-lfw", "customs"),
        ("Owusu", "M", "jaitf-acc", "immigration"),
    ]
    entry = AuditEntry.objects.get(action="activity.participants_imported", object_id=str(activity.pk))
    assert entry.data["added"] == 3 and entry.data["file"] == "list.csv" and len(entry.data["sha256"]) == 64
    assert "Mensah" not in str(entry.data)


def test_known_people_are_found_again_and_numbers_accepted(activity, user_named):
    officer = user_named("officer-lfw")
    earlier = services.create_activity(
        actor=officer, data=activity_data(start_date="2023-01-09", end_date="2023-01-10")
    )
    known = services_people.add_participant(actor=officer, activity=earlier, data=person()).participant
    other = services_people.add_participant(
        actor=officer, activity=earlier, data=person(family_name="Amouzou", given_names="Kossi", sex="M")
    ).participant
    text = f"participant,family_name,given_names,sex,unit,agency\n,MENSAH,Afi,F,jaitf-lfw,customs\n{other.pk},,,,,\n"
    report = run(activity, text, officer)
    assert report.ok and (report.created, report.new_participants) == (2, 0)
    assert set(Attendance.objects.filter(activity=activity).values_list("participant_id", flat=True)) == {
        known.pk,
        other.pk,
    }


def test_one_bad_row_means_nothing_is_imported_and_every_problem_is_named(activity, user_named):
    text = (
        "family_name,given_names,sex,unit,agency,job_title\n"
        "Mensah,Afi,F,jaitf-lfw,customs,Inspector\n"  # good
        ",Kofi,M,jaitf-lfw,police,\n"  # line 3: no family name
        "Agbeko,Komlan,W,jaitf-nowhere,army,\n"  # line 4: sex, unit, agency
        "mensah,AFI,F,jaitf-lfw,customs,\n"  # line 5: the same person as line 2
        "Diallo,Awa,F,jaitf-lfw,customs," + "x" * 130 + "\n"  # line 6: job title too long
    )
    before = (Participant.objects.count(), Attendance.objects.count(), AuditEntry.objects.count())
    report = run(activity, text, user_named("officer-lfw"))
    assert not report.ok and report.created == 0
    assert problems(report) == [
        (3, "family_name"),
        (4, "sex"),
        (4, "unit"),
        (4, "agency"),
        (5, "family_name"),
        (6, "job_title"),
    ]
    assert "line 2" in report.problems[4].message
    assert str(report.problems[1]) == "line 4, column sex: F, M or X"
    assert (Participant.objects.count(), Attendance.objects.count(), AuditEntry.objects.count()) == before


def test_someone_already_attending_is_a_problem_of_their_row(activity, user_named):
    officer = user_named("officer-lfw")
    services_people.add_participant(actor=officer, activity=activity, data=person())
    report = run(activity, GOOD, officer)
    assert problems(report) == [(2, "family_name")]
    assert report.problems[0].message == "already attends this activity"
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_numbers_must_be_visible_participants(activity, user_named):
    report = run(activity, "participant\n999999\nabc\n", user_named("officer-lfw"))
    assert problems(report) == [(2, "participant"), (3, "participant")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("given_names,sex,unit,agency\nA,F,jaitf-lfw,police\n", [(1, "family_name")]),
        ("family_name,sex,unit,agency,colour\nA,F,jaitf-lfw,police,red\n", [(1, "colour")]),
        ("family_name,sex,unit,agency,sex\nA,F,jaitf-lfw,police,F\n", [(1, "sex")]),
        ("family_name,sex,unit,agency\n", [(1, "")]),
        ("family_name,sex,unit,agency\nA,F,jaitf-lfw,police,extra\n", [(2, "")]),
    ],
)
def test_header_and_shape_problems(activity, user_named, text, expected):
    report = run(activity, text, user_named("officer-lfw"))
    assert problems(report) == expected and not Attendance.objects.filter(activity=activity).exists()


def test_semicolons_and_a_byte_order_mark_are_read(activity, user_named):
    data = "\ufefffamily_name;sex;unit;agency\nMensah;F;jaitf-lfw;customs\n".encode()
    report = importer.import_participants(data, actor=user_named("officer-lfw"), activity=activity)
    assert report.ok and report.created == 1


def test_an_unreadable_file_is_one_line_error(activity, user_named):
    with pytest.raises(importer.ImportFileError) as exc:
        importer.import_participants(
            b"family_name\n\xff\xfe", actor=user_named("officer-lfw"), activity=activity
        )
    assert "UTF-8" in str(exc.value)


def test_a_dry_run_checks_and_writes_nothing(activity, user_named):
    report = run(activity, GOOD, user_named("officer-lfw"), dry_run=True)
    assert report.ok and report.dry_run and report.created == 0
    assert not Attendance.objects.filter(activity=activity).exists()


def test_only_organisers_import(activity, user_named):
    with pytest.raises(ServiceError) as exc:
        run(activity, GOOD, user_named("officer-acc"))
    assert exc.value.code == "forbidden"
