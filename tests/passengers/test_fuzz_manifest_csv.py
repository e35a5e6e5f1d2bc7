"""Property tests of the CSV manifests (docs/passenger-data.md, "CSV manifests") and of ingestion
end to end: ``manifest_csv.parse`` raises nothing but ``ManifestCsvError`` (every problem with
its line and column), ``parsers.read_file`` nothing but ``UnreadableFile``, and ``ingest``
stores a refused message as one ``rejected`` row and nothing of its content: no flight, stop,
traveller, document or booking. (The EDIFACT readers are fuzzed in test_fuzz.py; there, random
text that does not start like EDIFACT reaches the CSV reader too, but no mutation of a valid
manifest does.)"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from aircop.audit.models import AuditEntry
from aircop.core.models import Task
from aircop.passengers import parsers, services
from aircop.passengers.models import Booking, Flight, FlightStop, ReceivedMessage, TravelDocument, Traveller
from aircop.passengers.parsers import manifest_csv
from tests.fuzzing import counts, fuzz, in_savepoint, mutated_csv, note, random_file

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = [
    (FIXTURES / "manifest_good.csv").read_text(encoding="utf-8-sig"),
    (FIXTURES / "manifest_semicolon_bom.csv").read_text(encoding="utf-8-sig"),
]
HEADER = SEEDS[0].split("\n", 1)[0]
VALUES = ["IB", "6583", "IB6583", "MEX", "ZZZ", "M", "F", "X", "U", "crew", "passenger", "P", "MX", "ESP"]
VALUES += ["2026-03-21T14:55", "2026-03-21T14:55:00+05:00", "2026-03-21", "1979-06-05", "2099-01-01"]
CONTENT = (Flight, FlightStop, Traveller, TravelDocument, Booking)


def check_parse(data: bytes) -> None:
    try:
        text = parsers.decode(data)
    except parsers.UnreadableFile:
        return
    try:
        manifest = manifest_csv.parse(text, "fuzz.csv")
    except manifest_csv.ManifestCsvError as exc:
        assert exc.problems and str(exc)
        for p in exc.problems:
            assert p.reason and p.line >= 0 and isinstance(p.column, str)
        return
    assert manifest.flights and manifest.travellers
    assert all(t.surname for t in manifest.travellers)
    manifest.as_json()


def check_read_file(data: bytes) -> None:
    try:
        parsed = parsers.read_file(data, "fuzz.csv")
    except parsers.UnreadableFile:
        return
    for message in parsed.messages:
        message.as_json()
        assert message.ok == (not message.errors) and all(e.get("reason") for e in message.errors)


@fuzz(300)
@given(st.one_of(random_file(HEADER), mutated_csv(SEEDS, VALUES)))
def test_the_csv_reader_raises_only_its_documented_errors(data):
    check_parse(data)
    check_read_file(data)


def test_the_seeds_are_valid_manifests():
    for seed in SEEDS:
        (message,) = parsers.read_file(seed.encode(), "seed.csv").messages
        assert message.ok, message.errors


@fuzz(60)
@given(mutated_csv(SEEDS, VALUES))
def test_ingesting_a_mutated_manifest_stores_all_of_it_or_none(db, data):
    def run():
        before = counts(*CONTENT, ReceivedMessage, AuditEntry, Task)
        try:
            report = services.ingest(data, name="fuzz.csv", source="cli")
        except parsers.UnreadableFile:
            assert counts(*CONTENT, ReceivedMessage, AuditEntry, Task) == before
            return
        after = counts(*CONTENT, ReceivedMessage, AuditEntry, Task)
        (outcome,) = report.messages
        note(outcome.status)
        assert after["passengers.ReceivedMessage"] == before["passengers.ReceivedMessage"] + 1
        assert after["audit.AuditEntry"] > before["audit.AuditEntry"]
        row = ReceivedMessage.objects.get(pk=outcome.id)
        assert row.status == outcome.status
        if outcome.status == "stored":
            assert outcome.travellers >= 1 and after["core.Task"] == before["core.Task"] + 1
            # A row repeated in the file is the same traveller, merged (docs/passenger-data.md).
            assert 1 <= after["passengers.Traveller"] - before["passengers.Traveller"] <= outcome.travellers
        else:  # rejected (or a duplicate of the seed stored earlier): nothing of the content
            assert outcome.status in ("rejected", "duplicate")
            assert outcome.status == "duplicate" or (
                outcome.errors and all(e["reason"] for e in outcome.errors)
            )
            assert after["audit.AuditEntry"] == before["audit.AuditEntry"] + 1  # the refusal, only
            unchanged = [m._meta.label for m in (*CONTENT, Task)]
            assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}

    in_savepoint(run)
