"""The seizure CSV import and the `aircop seizures` command (docs/seizures-csv.md)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from aircop.audit.models import AuditEntry
from aircop.network.models import Airport
from aircop.seizures import importer
from aircop.seizures.models import Seizure, SeizureItem, SeizurePerson
from tests.conftest import run_aircop

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good.csv"
BAD = FIXTURES / "bad.csv"
SEMICOLON_BOM = FIXTURES / "semicolon_bom.csv"


def _by_reference(ref: str) -> Seizure:
    return Seizure.objects.get(notes__startswith=f"{importer.REFERENCE_PREFIX}{ref}")


def test_columns_are_the_required_and_optional_ones():
    assert set(importer.COLUMNS) == set(importer.REQUIRED_COLUMNS) | set(importer.OPTIONAL_COLUMNS)
    assert len(importer.COLUMNS) == len(set(importer.COLUMNS))


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("items[0].quantity", "quantity"),
        ("items[0].unit", "unit"),
        ("items", "category"),
        ("persons[0].nationality", "offender_nationality"),
        ("persons[0].age", "offender_age"),
        ("persons[0].age_band", "offender_age"),
        ("persons[0].nominal.surname", "offender_surname"),
        ("occurred_at", "date"),
        ("transit[1]", "transit"),
        ("triggering_alert[0]", "triggering_alert"),
        ("unit", "recording_unit"),
        ("flight", "flight"),
    ],
)
def test_validation_fields_map_back_to_columns(field, column):
    assert importer.column_of(field) == column


@pytest.mark.django_db
def test_good_file_imports_every_row_in_one_audited_write():
    seizures_before = Seizure.objects.count()
    audit_before = AuditEntry.objects.count()
    seen = []
    report = importer.import_csv(GOOD, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert report.ok, report.problems
    assert (report.rows, report.created) == (4, 4)
    assert Seizure.objects.count() == seizures_before + 4
    assert ("validated", 4, 4) in seen and ("written", 4, 4) in seen

    first = _by_reference("CASE-001")
    assert (first.airport.iata, first.unit.code, first.country_id, first.status) == (
        "LFW",
        "jaitf-lfw",
        "TG",
        "submitted",
    )
    assert first.occurred_at == datetime(2025, 11, 3, 8, 30, tzinfo=UTC)  # Lomé is UTC+0
    assert first.route_key == "GRU>ADD>LFW" and first.transit == ["ADD"]
    assert first.tlp == "green" and first.flight == "ET509"
    assert first.notes == "reference: CASE-001\nSwallowed pellets"
    assert first.created_by is None and first.submitted_at is not None
    item = first.items.get()
    assert (item.category, item.subtype, item.drug_form, item.unit) == ("drugs", "cocaine", "powder", "g")
    assert item.quantity == Decimal("1500") and item.mass_kg == Decimal("1.500") and item.count is None
    assert (item.occurred_at, item.airport_id, item.country_id) == (first.occurred_at, first.airport_id, "TG")
    person = first.persons.get()
    assert (person.role, person.nationality_id, person.sex, person.age_band) == (
        "courier",
        "BR",
        "M",
        "25-34",
    )

    bales = _by_reference("CASE-002").items.get()
    assert bales.mass_kg == Decimal("12.500")
    assert _by_reference("CASE-002").occurred_at == datetime(
        2025, 11, 4, 12, 0, tzinfo=UTC
    )  # a bare date: noon

    cargo = _by_reference("CASE-003")
    assert not cargo.persons.exists()  # no offender value: no person
    assert cargo.tlp == "amber"  # the default label
    assert cargo.notes == 'reference: CASE-003\nTwo crates, "machine parts"'

    cash = _by_reference("CASE-004")
    assert cash.occurred_at == datetime(2025, 12, 1, 13, 0, tzinfo=UTC)  # Lagos is UTC+1
    assert cash.route_key == "LOS>CDG>BRU>JFK" and cash.tlp == "amber_strict"
    money = cash.items.get()
    assert (money.unit, money.currency, money.mass_kg) == ("currency", "USD", None)
    assert Airport.objects.filter(iata__in=["JFK", "BRU", "AMS"]).count() == 3

    entries = AuditEntry.objects.filter(seq__gt=0).order_by("seq")[audit_before:]
    imported = [e for e in entries if e.action == "seizures.imported"]
    assert len(imported) == 1
    assert imported[0].data == {
        "file": "good.csv",
        "sha256": hashlib.sha256(GOOD.read_bytes()).hexdigest(),
        "rows": 4,
        "status": "submitted",
    }
    assert not [e for e in entries if e.action == "seizure.created"]


@pytest.mark.django_db
def test_a_file_with_three_bad_rows_imports_nothing_and_names_each():
    before = (Seizure.objects.count(), SeizureItem.objects.count(), SeizurePerson.objects.count())
    audit_before = AuditEntry.objects.count()
    report = importer.import_csv(BAD)
    assert not report.ok and report.created == 0 and report.rows == 6
    found = [(p.line, p.column) for p in report.problems]
    assert found == [(3, "quantity"), (5, "offender_nationality"), (6, "date")]
    assert report.problems[0].message == "must be a number above zero"
    assert str(report.problems[0]) == "line 3, column quantity: must be a number above zero"
    assert "XXX" in report.problems[1].message
    assert (Seizure.objects.count(), SeizureItem.objects.count(), SeizurePerson.objects.count()) == before
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_unknown_and_missing_columns_are_named():
    text = GOOD.read_text().replace("drug_form", "weight", 1).replace(",offender_age,", ",", 1)
    report = importer.import_csv(text.encode(), name="renamed.csv")
    assert [(p.line, p.column, p.message) for p in report.problems] == [
        (1, "weight", "unknown column (see docs/seizures-csv.md for the columns)"),
        (1, "offender_age", "missing column"),
    ]
    assert report.rows == 0 and report.created == 0


@pytest.mark.django_db
def test_semicolon_delimiter_with_bom_and_decimal_comma():
    assert SEMICOLON_BOM.read_bytes().startswith(b"\xef\xbb\xbfdate;")
    report = importer.import_csv(SEMICOLON_BOM)
    assert report.ok, report.problems
    assert report.created == 2
    resin = _by_reference("GH-77")
    assert resin.items.get().mass_kg == Decimal("1.500")
    assert resin.occurred_at == datetime(2025, 9, 14, 11, 0, tzinfo=UTC)  # noon in Lagos
    meth = _by_reference("Ré-č 8")
    assert meth.route_key == "ABV>ADD>BKK" and meth.unit.code == "jaitf-abv"
    assert meth.items.get().quantity == Decimal("0.750")


@pytest.mark.django_db
def test_dry_run_checks_and_writes_nothing():
    before = Seizure.objects.count()
    report = importer.import_csv(GOOD, dry_run=True)
    assert report.ok and report.rows == 4 and report.created == 0
    assert Seizure.objects.count() == before
    assert not AuditEntry.objects.filter(action="seizures.imported").exists()


@pytest.mark.django_db
def test_the_recording_unit_is_checked_per_row(user_named):
    report = importer.import_csv(GOOD, unit="jaitf-nowhere")
    assert {(p.line, p.column) for p in report.problems} == {(n, "recording_unit") for n in (2, 3, 4, 5)}
    # A user imports only where one of their units may record: officer-lfw is in Togo.
    report = importer.import_csv(GOOD, actor=user_named("officer-lfw"))
    assert [(p.line, p.column) for p in report.problems] == [(3, "airport"), (5, "airport")]
    assert not Seizure.objects.filter(notes__startswith="reference: CASE-").exists()


@pytest.mark.django_db
def test_row_level_format_problems():
    header = ",".join(importer.REQUIRED_COLUMNS) + ",time,reference\n"
    good = "2025-10-01,LFW,cargo,arrival,inbound,,CDG,,LFW,drugs,cocaine,6,kg,cargo_consignment,xray,,,"
    text = (
        header
        + good
        + ",25:99,R1\n"  # line 2: bad time
        + "\n"  # line 3: blank, skipped
        + good
        + ",,R2,extra\n"  # line 4: one value too many
        + good.replace("cocaine", "ivory")
        + ",,R3\n"  # line 5: subtype of another category
    )
    report = importer.import_csv(text.encode(), name="x.csv")
    assert [(p.line, p.column) for p in report.problems] == [(2, "time"), (4, ""), (5, "subtype")]
    assert str(report.problems[1]).startswith("line 4: ")


def test_a_file_that_is_not_utf8_is_refused_in_one_line():
    with pytest.raises(importer.ImportFileError, match="not UTF-8"):
        importer.import_csv("date,airport\n2025-01-01,LOMÉ\n".encode("latin-1"))


@pytest.mark.django_db
def test_empty_file_and_header_only():
    assert [p.message for p in importer.import_csv(b"").problems] == [
        "no header row (the first line names the columns)"
    ]
    header_only = (",".join(importer.REQUIRED_COLUMNS) + "\n").encode()
    assert [p.message for p in importer.import_csv(header_only).problems] == [
        "the file has a header but no rows"
    ]


def test_cli_import_and_export_exit_codes(tmp_path):
    """The real `aircop` command on its own prepared database (SQLite, or a fresh PostgreSQL
    database when the suite runs on PostgreSQL)."""
    from tests.live import LiveAircop

    live = LiveAircop(tmp_path / "var")
    try:
        live.prepare()

        def aircop(*args):
            return run_aircop(*args, env=live.env)

        before = aircop("seizures", "export", "--format", "json")
        assert before.returncode == 0, before.stderr
        count_before = json.loads(before.stdout)["count"]  # the demo may hold seizures

        bad = aircop("seizures", "import", str(BAD))
        assert bad.returncode == 1, bad.stderr
        lines = bad.stderr.strip().splitlines()
        assert lines[:3] == [
            "line 3, column quantity: must be a number above zero",
            lines[1],
            lines[2],
        ]
        assert lines[1].startswith("line 5, column offender_nationality: unknown country 'XXX'")
        assert lines[2].startswith("line 6, column date: not a date or date-time: '2025-13-01'")
        assert "nothing imported" in lines[-1]

        missing = aircop("seizures", "import", str(tmp_path / "absent.csv"))
        assert missing.returncode == 2
        assert len(missing.stderr.strip().splitlines()) == 1 and "absent.csv" in missing.stderr

        latin = tmp_path / "latin.csv"
        latin.write_bytes("date,airport\n2025-01-01,LOMÉ\n".encode("latin-1"))
        unreadable = aircop("seizures", "import", str(latin))
        assert unreadable.returncode == 2 and "not UTF-8" in unreadable.stderr

        dry = aircop("seizures", "import", str(GOOD), "--dry-run")
        assert dry.returncode == 0 and "nothing written" in dry.stdout

        good = aircop("seizures", "import", str(GOOD))
        assert good.returncode == 0, good.stderr
        assert good.stdout.strip() == "good.csv: 4 seizure(s) imported"

        out = tmp_path / "all.json"
        export = aircop("seizures", "export", "--format", "json", "--output", str(out))
        assert export.returncode == 0, export.stderr
        data = json.loads(out.read_text())
        assert data["count"] == count_before + 4  # the bad file and the dry run left nothing behind
        ours = {s["external_reference"] for s in data["seizures"] if s["external_reference"]}
        assert {r for r in ours if r.startswith("CASE-")} == {f"CASE-00{n}" for n in (1, 2, 3, 4)}

        mine = aircop("seizures", "export", "--format", "csv", "--as", "officer-lfw", "--from", "2025-11-04")
        assert mine.returncode == 0, mine.stderr
        references = [r.split(",", 1)[0] for r in mine.stdout.strip().splitlines()]
        assert references[0] == "reference"
        assert [r for r in references if r.startswith("CASE-")] == ["CASE-003"]

        rebuilt = aircop("seizures", "rebuild-figures")
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert rebuilt.stdout.startswith("figures rebuilt: ") and int(rebuilt.stdout.split()[2]) > 0

        nobody = aircop("seizures", "export", "--as", "nobody")
        assert nobody.returncode == 2 and "nobody" in nobody.stderr
    finally:
        live.stop()
