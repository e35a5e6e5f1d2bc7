"""Watchlists: creation, import from CSV and JSON with a per-line report (all or nothing),
updates and full refresh, who sees a list, and the command line."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aircop.audit.models import AuditEntry
from aircop.core.errors import ServiceError
from aircop.core.visibility import visible_to
from aircop.screening import importer, services
from aircop.screening.models import Watchlist, WatchlistEntry

CSV = (
    "reference,names,date_of_birth,nationality,sex,document_number,document_country,document_type,reason\n"
    "W-1,محمد عبد الله|Mohammed Abdullah,1980-05-17,SD,M,P1234567,SDN,P,wanted for trafficking\n"
    "W-2,Ибрагим Хусейн,1975,RUS,M,,,,\n"
)


@pytest.fixture
def wanted(db):
    return services.create_watchlist(
        actor=None, name="wanted-tg", title="Wanted", kind="wanted", source="Police TG", owner="jaitf-lfw"
    )


def test_a_csv_import_adds_entries_and_is_audited_without_names(wanted):
    report = importer.import_entries(actor=None, watchlist=wanted, data=CSV.encode(), name="w.csv")
    assert report.ok and (report.created, report.updated) == (2, 0)
    one = WatchlistEntry.objects.get(reference="W-1")
    assert one.names == ["محمد عبد الله", "Mohammed Abdullah"] and one.nationality == "SDN"
    assert one.documents == [{"number": "P1234567", "country": "SDN", "type": "P"}]
    entry = AuditEntry.objects.filter(action="watchlist.imported").get()
    assert entry.data["created"] == 2 and "Mohammed" not in json.dumps(entry.data)


def test_every_bad_line_is_reported_and_nothing_is_imported(wanted):
    bad = CSV + "W-3,,1980-13-01,XX,Q,,,,\nW-1,Dup,,,,,,,\nW-4,Name,,,,AB1,,,\n"
    report = importer.import_entries(actor=None, watchlist=wanted, data=bad.encode())
    problems = [(p.line, p.field) for p in report.problems]
    assert (4, "names") in problems and (4, "date_of_birth") in problems
    assert (4, "nationality") in problems and (4, "sex") in problems
    assert (5, "reference") in problems  # W-1 twice
    assert (6, "document_country") in problems
    assert "already on line 2" in str(report.problems[[p.line for p in report.problems].index(5)])
    assert not WatchlistEntry.objects.exists()


def test_json_import_updates_and_replace_removes(wanted):
    importer.import_entries(actor=None, watchlist=wanted, data=CSV.encode())
    data = json.dumps(
        {"entries": [{"reference": "W-1", "names": ["Mohammed Abdallah"], "date_of_birth": "1980"}]}
    )
    report = importer.import_entries(
        actor=None, watchlist=wanted, data=data.encode(), fmt="json", replace=True
    )
    assert (report.created, report.updated, report.removed) == (0, 1, 1)
    assert list(WatchlistEntry.objects.values_list("reference", "date_of_birth")) == [("W-1", "1980")]
    broken = importer.import_entries
    with pytest.raises(importer.ImportFileError):
        broken(actor=None, watchlist=wanted, data=b"[{", fmt="json")


def test_a_list_of_documents_needs_document_numbers(db):
    sltd = services.create_watchlist(
        actor=None, name="sltd", title="Stolen", kind="documents", source="INTERPOL", owner="jaitf-lfw"
    )
    report = importer.import_entries(
        actor=None, watchlist=sltd, data=b"reference,document_number,document_country\nD-1,,\nD-2,X123,TGO\n"
    )
    assert [(p.line, p.field) for p in report.problems] == [(2, "document_number")]


def test_creation_refusals(db, user_named):
    with pytest.raises(ServiceError) as bad:
        services.create_watchlist(actor=None, name="x", title="", kind="nope", source="s", owner="jaitf-lfw")
    assert bad.value.field == "kind"
    with pytest.raises(ServiceError) as other:
        services.create_watchlist(
            actor=user_named("officer-gru"), name="x", title="", kind="wanted", source="s", owner="jaitf-lfw"
        )
    assert other.value.field == "owner"
    with pytest.raises(ServiceError) as threshold:
        services.create_watchlist(
            actor=None, name="x", title="", kind="wanted", source="s", owner="jaitf-lfw", threshold="0.3"
        )
    assert threshold.value.field == "threshold"


def test_a_list_and_its_entries_belong_to_the_owning_unit(wanted, user_named):
    importer.import_entries(actor=None, watchlist=wanted, data=CSV.encode())
    assert visible_to(WatchlistEntry, user_named("officer-lfw")).count() == 2
    assert not visible_to(WatchlistEntry, user_named("officer-gru")).exists()
    assert not visible_to(Watchlist, user_named("officer-gru")).exists()
    admin = user_named("admin")
    assert visible_to(Watchlist, admin).filter(pk=wanted.pk).exists()
    assert not visible_to(WatchlistEntry, admin).exists()


def test_the_command_line(db, tmp_path, capsys):
    call_command(
        "watchlist",
        "create",
        "wanted-sn",
        "--kind",
        "wanted",
        "--owner",
        "jaitf-dss",
        "--source",
        "Police SN",
    )
    path = tmp_path / "w.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("watchlist", "import", str(path), "--list", "wanted-sn")
    assert "2 added, 0 updated, 0 removed in wanted-sn" in capsys.readouterr().out
    path.write_text(CSV.replace("1975,RUS", "1975-02-30,RUS"), encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("watchlist", "import", str(path), "--list", "wanted-sn")
    assert failed.value.returncode == 1
    assert "line 3, date_of_birth" in capsys.readouterr().err
    with pytest.raises(CommandError) as missing:
        call_command("watchlist", "import", str(path), "--list", "nope")
    assert missing.value.returncode == 2
