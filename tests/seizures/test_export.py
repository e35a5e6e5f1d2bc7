"""Seizure exports: CSV that re-imports, JSON with nominal data only where the rules give
it, the CEN-style CSV (docs/seizures-csv.md)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from aircop.audit.models import AuditEntry
from aircop.seizures import exporter, importer, services
from aircop.seizures.models import Seizure

GOOD = Path(__file__).parent / "fixtures" / "good.csv"


def _export(fmt, user=None, **kwargs) -> str:
    out = io.StringIO()
    exporter.export(fmt, out, user=user, **kwargs)
    return out.getvalue()


def _csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _with_nominal(actor, *, tlp="green", submit=True) -> Seizure:
    return services.create_seizure(
        actor=actor,
        submit=submit,
        data={
            "occurred_at": "2025-08-02T10:15",
            "airport": "LFW",
            "flow": "passenger_body",
            "phase": "arrival",
            "direction": "inbound",
            "flight": "AT555",
            "origin": "CMN",
            "destination": "LFW",
            "concealment": "inside_body",
            "detection": "body_scanner",
            "tlp": tlp,
            "notes": "nominal test",
            "items": [
                {"category": "drugs", "subtype": "cocaine", "quantity": "820", "unit": "g"},
                {
                    "category": "currency",
                    "subtype": "banknotes",
                    "quantity": "3000",
                    "unit": "currency",
                    "currency": "EUR",
                },
            ],
            "persons": [
                {
                    "role": "courier",
                    "nationality": "FRA",
                    "sex": "F",
                    "age": 33,
                    "nominal": {
                        "surname": "ZYGMUNTOWICZ",
                        "given_names": "Anna",
                        "document_number": "19AB12345",
                    },
                }
            ],
        },
    )


@pytest.mark.django_db
def test_csv_export_has_the_import_columns_and_re_imports():
    report = importer.import_csv(GOOD)
    assert report.ok, report.problems
    text = _export("csv")
    rows = {r["reference"]: r for r in _csv(text)}
    assert text.splitlines()[0].split(",") == list(importer.COLUMNS)
    first = rows["CASE-001"]
    assert first["date"] == "2025-11-03" and first["time"] == "08:30"
    assert (
        first["airport"],
        first["recording_unit"],
        first["origin"],
        first["transit"],
        first["destination"],
    ) == (
        "LFW",
        "jaitf-lfw",
        "GRU",
        "ADD",
        "LFW",
    )
    assert (first["quantity"], first["unit"], first["subtype"], first["drug_form"]) == (
        "1500",
        "g",
        "cocaine",
        "powder",
    )
    assert (first["offender_nationality"], first["offender_sex"], first["offender_age"]) == (
        "BRA",
        "M",
        "25-34",
    )
    assert first["notes"] == "Swallowed pellets" and first["tlp"] == "green"
    cash = rows["CASE-004"]
    assert (cash["date"], cash["time"], cash["transit"], cash["currency"]) == (
        "2025-12-01",
        "14:00",
        "CDG;BRU",
        "USD",
    )
    assert (
        rows["CASE-003"]["offender_role"] == "" and rows["CASE-003"]["notes"] == 'Two crates, "machine parts"'
    )

    # Re-importing the export gives the same records again.
    ours = [r for r in _csv(text) if r["reference"].startswith("CASE-")]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=importer.COLUMNS)
    writer.writeheader()
    writer.writerows(ours)
    again = importer.import_csv(buffer.getvalue().encode(), name="export.csv")
    assert again.ok, again.problems
    assert again.created == 4
    for ref in ("CASE-001", "CASE-002", "CASE-003", "CASE-004"):
        copies = list(
            Seizure.objects.filter(notes__startswith=f"reference: {ref}").prefetch_related("items", "persons")
        )
        assert len(copies) == 2
        a, b = copies
        assert (a.occurred_at, a.route_key, a.unit_id, a.tlp, a.notes) == (
            b.occurred_at,
            b.route_key,
            b.unit_id,
            b.tlp,
            b.notes,
        )
        items_a = [(i.subtype, i.quantity, i.mass_kg, i.currency) for i in a.items.all()]
        assert items_a == [(i.subtype, i.quantity, i.mass_kg, i.currency) for i in b.items.all()]
        persons_a = [(p.role, p.nationality_id, p.sex, p.age_band) for p in a.persons.all()]
        assert persons_a == [(p.role, p.nationality_id, p.sex, p.age_band) for p in b.persons.all()]


@pytest.mark.django_db
def test_json_export_hides_nominal_data_from_a_reader_who_may_not_see_it(user_named):
    seizure = _with_nominal(user_named("officer-lfw"))
    # The recording unit sees the names (rule 1).
    own = json.loads(_export("json", user_named("officer-lfw")))
    record = next(s for s in own["seizures"] if s["id"] == seizure.pk)
    assert record["nominal_included"] is True
    assert record["persons"][0]["nominal"]["surname"] == "ZYGMUNTOWICZ"
    assert [i["mass_kg"] for i in record["items"]] == ["0.82", None]
    assert record["route_key"] == "CMN>LFW" and record["status"] == "submitted"

    # Another task force sees the TLP:GREEN record (the community) but not the names.
    text = _export("json", user_named("officer-acc"))
    other = json.loads(text)
    record = next(s for s in other["seizures"] if s["id"] == seizure.pk)
    assert record["nominal_included"] is False
    assert "nominal" not in record["persons"][0]
    assert record["persons"][0] == {"role": "courier", "nationality": "FRA", "sex": "F", "age_band": "25-34"}
    assert "ZYGMUNTOWICZ" not in text and "19AB12345" not in text
    csv_text = _export("csv", user_named("officer-acc"))
    row = next(r for r in _csv(csv_text) if r["reference"] == seizure.reference)
    assert row["offender_surname"] == "" and "ZYGMUNTOWICZ" not in csv_text

    # The operator's export covers every record and never carries names.
    everything = _export("json")
    assert f'"id": {seizure.pk},' in everything and "ZYGMUNTOWICZ" not in everything
    assert "ZYGMUNTOWICZ" not in _export("cen", user_named("officer-lfw"))

    exports = AuditEntry.objects.filter(action="seizures.exported").order_by("seq")
    assert [e.data["nominal_records"] > 0 for e in exports] == [True, False, False, False, False]
    assert exports[0].actor_username == "officer-lfw"


@pytest.mark.django_db
def test_export_covers_only_what_the_user_may_see(user_named):
    amber = _with_nominal(user_named("officer-lfw"), tlp="amber")
    draft = _with_nominal(user_named("officer-lfw"), submit=False)
    ids_acc = {s["id"] for s in json.loads(_export("json", user_named("officer-acc")))["seizures"]}
    ids_lfw = {s["id"] for s in json.loads(_export("json", user_named("officer-lfw")))["seizures"]}
    assert amber.pk not in ids_acc and draft.pk not in ids_acc
    assert {amber.pk, draft.pk} <= ids_lfw
    # The CSV of a record with two items carries the first (JSON carries all).
    out = io.StringIO()
    result = exporter.export("csv", out, user=user_named("officer-lfw"))
    assert result.incomplete >= 2
    row = next(r for r in _csv(out.getvalue()) if r["reference"] == amber.reference)
    assert (row["subtype"], row["offender_surname"]) == ("cocaine", "ZYGMUNTOWICZ")


@pytest.mark.django_db
def test_dates_limit_the_export():
    importer.import_csv(GOOD)
    refs = {
        r["reference"] for r in _csv(_export("csv", date_from=date(2025, 11, 4), date_to=date(2025, 11, 30)))
    }
    assert {r for r in refs if r.startswith("CASE-")} == {"CASE-002", "CASE-003"}


@pytest.mark.django_db
def test_cen_style_export_maps_our_fields(user_named):
    seizure = _with_nominal(user_named("officer-lfw"))
    importer.import_csv(GOOD)
    rows = _csv(_export("cen"))
    assert list(rows[0]) == list(exporter.CEN_COLUMNS)
    ours = [r for r in rows if r["case_reference"] == seizure.reference]
    assert len(ours) == 2  # one row per item
    cocaine, cash = ours
    assert (
        cocaine["transport_mode"],
        cocaine["place_type"],
        cocaine["place"],
        cocaine["reporting_country"],
    ) == (
        "air",
        "airport",
        "LFW",
        "TG",
    )
    assert (cocaine["customs_procedure"], cocaine["conveyance"]) == ("import", "passenger")
    assert (cocaine["detection_method"], cocaine["concealment_method"]) == (
        "body scanner",
        "internal body concealment",
    )
    assert (cocaine["commodity_group"], cocaine["commodity"]) == ("drugs", "Cocaine")
    assert Decimal(cocaine["net_weight_kg"]) == Decimal("0.82") and cocaine["quantity_unit"] == "g"
    assert (cocaine["departure_country"], cocaine["destination_country"]) == ("MA", "TG")
    assert (cocaine["offender_nationality"], cocaine["offender_sex"], cocaine["offender_age_group"]) == (
        "FR",
        "female",
        "25-34",
    )
    assert (cash["commodity_group"], cash["currency"], cash["net_weight_kg"]) == (
        "cash and precious metals",
        "EUR",
        "",
    )
    case4 = next(r for r in rows if r["seizure_date"] == "2025-12-01" and r["place"] == "LOS")
    assert (case4["transit_places"], case4["transit_countries"], case4["destination_country"]) == (
        "CDG;BRU",
        "FR;BE",
        "US",
    )
