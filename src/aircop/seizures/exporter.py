"""Exporting seizure records (docs/seizures-csv.md): CSV in the import's own columns (an
export re-imports), JSON with full records, and a CEN-style CSV (our own mapping to the
fields commonly used in customs seizure reporting).

What a user exports is what they may see (selectors.seizures, visible_to); the nominal data
of persons (names, documents, date of birth) only where the selectors' rules give it to
them. With no user (an operator's command) the export covers every record and never
carries nominal data. Every export is audited before the data leaves, with how many records
carried nominal data."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TextIO
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation

from aircop.audit.services import record
from aircop.core.visibility import visible_to
from aircop.network import reference as network_reference
from aircop.network.models import Country
from aircop.seizures import codes, selectors
from aircop.seizures.importer import COLUMNS, REFERENCE_PREFIX
from aircop.seizures.models import Seizure, SeizureItem, SeizurePerson

FORMATS = ("csv", "json", "cen")
CHUNK = 1000
JSON_FORMAT = "aircop-seizures"
JSON_VERSION = 1

# --- the CEN-style mapping (ours; docs/seizures-csv.md, "CEN-style export") ------------
CEN_COLUMNS = (
    "case_reference",
    "seizure_date",
    "seizure_time",
    "reporting_country",
    "place_type",
    "place",
    "transport_mode",
    "customs_procedure",
    "conveyance",
    "detection_method",
    "concealment_method",
    "commodity_group",
    "commodity",
    "drug_form",
    "quantity",
    "quantity_unit",
    "net_weight_kg",
    "number_of_units",
    "currency",
    "estimated_value",
    "value_currency",
    "departure_country",
    "departure_place",
    "transit_countries",
    "transit_places",
    "destination_country",
    "destination_place",
    "country_of_origin_of_goods",
    "flight_number",
    "offender_role",
    "offender_nationality",
    "offender_sex",
    "offender_age_group",
    "reporting_agency",
)
CEN_PROCEDURE = {
    codes.Direction.INBOUND: "import",
    codes.Direction.OUTBOUND: "export",
    codes.Direction.TRANSIT: "transit",
}
CEN_CONVEYANCE = {
    codes.Flow.PASSENGER_BODY: "passenger",
    codes.Flow.CHECKED_BAGGAGE: "passenger baggage (checked)",
    codes.Flow.CABIN_BAGGAGE: "passenger baggage (hand)",
    codes.Flow.CARGO: "air cargo",
    codes.Flow.MAIL: "postal",
    codes.Flow.EXPRESS_COURIER: "express courier",
    codes.Flow.CREW: "crew",
    codes.Flow.AIRCRAFT: "aircraft",
}
CEN_DETECTION = {
    codes.Detection.RISK_PROFILING: "risk profiling / targeting",
    codes.Detection.INTELLIGENCE: "intelligence",
    codes.Detection.INTERNATIONAL_ALERT: "intelligence (international alert)",
    codes.Detection.RANDOM: "routine / random control",
    codes.Detection.DOG: "detector dog",
    codes.Detection.XRAY: "x-ray",
    codes.Detection.BODY_SCANNER: "body scanner",
    codes.Detection.TRACE: "trace detection",
    codes.Detection.BEHAVIOUR: "behavioural analysis",
    codes.Detection.DOCUMENT_CHECK: "document control",
}
CEN_CONCEALMENT = {
    codes.Concealment.INSIDE_BODY: "internal body concealment",
    codes.Concealment.STRAPPED_TO_BODY: "on the body",
    codes.Concealment.CLOTHING: "in clothing or shoes",
    codes.Concealment.BAGGAGE_LINING: "false bottom / lining of baggage",
    codes.Concealment.INSIDE_GOODS: "inside goods",
    codes.Concealment.FOOD: "in foodstuff",
    codes.Concealment.COSMETICS: "in cosmetics / toiletries",
    codes.Concealment.MAIL_ITEM: "in postal item",
    codes.Concealment.CARGO_CONSIGNMENT: "in cargo consignment",
    codes.Concealment.ULD: "in unit load device",
    codes.Concealment.AIRCRAFT_STRUCTURE: "in aircraft structure",
    codes.Concealment.NONE: "not concealed",
    codes.Concealment.OTHER: "other",
}
CEN_COMMODITY_GROUP = {
    codes.Category.DRUGS: "drugs",
    codes.Category.MEDICINES: "medicines",
    codes.Category.WILDLIFE: "CITES / wildlife",
    codes.Category.WEAPONS: "weapons and ammunition",
    codes.Category.EXPLOSIVES: "explosives",
    codes.Category.CURRENCY: "cash and precious metals",
    codes.Category.COUNTERFEIT: "IPR / counterfeit",
    codes.Category.CULTURAL: "cultural heritage",
    codes.Category.TOBACCO: "cigarettes and tobacco",
    codes.Category.OTHER: "other",
}
CEN_SEX = {codes.Sex.MALE: "male", codes.Sex.FEMALE: "female", codes.Sex.UNKNOWN: "unknown"}


@dataclass
class ExportResult:
    rows: int = 0  # seizure records written
    nominal: int = 0  # records whose persons' nominal data was included
    incomplete: int = 0  # CSV only: records with more than one item or person


def records(user, *, date_from: date | None = None, date_to: date | None = None) -> QuerySet:
    """The records ``user`` may see (all of them when ``user`` is None), oldest first."""
    if user is None:
        qs = Seizure.objects.all()
        if date_from:
            qs = qs.filter(occurred_at__date__gte=date_from)
        if date_to:
            qs = qs.filter(occurred_at__date__lte=date_to)
    else:
        qs = selectors.seizures(user, date_from=date_from, date_to=date_to)
    items = SeizureItem.objects.all() if user is None else visible_to(SeizureItem, user)
    persons = SeizurePerson.objects.all() if user is None else visible_to(SeizurePerson, user)
    return (
        qs.select_related("airport", "unit", "origin", "destination")
        .prefetch_related(
            Prefetch("items", queryset=items.order_by("position", "id")),
            Prefetch("persons", queryset=persons.order_by("position", "id")),
        )
        .order_by("occurred_at", "id")
    )


def nominal_ids(user, qs: QuerySet) -> set[int]:
    """The records of ``qs`` whose nominal data ``user`` sees (selectors' rules 1 to 3),
    in one query; none without a user."""
    if user is None:
        return set()
    rule = selectors._nominal_q(selectors.reach(user))
    return set(
        Seizure.objects.filter(rule, pk__in=qs.order_by().values("pk"))
        .values_list("pk", flat=True)
        .distinct()
    )


def split_reference(seizure: Seizure) -> tuple[str, str]:
    """(reference, notes): the external reference kept by an import as the first line of
    the notes, else our own SZ-<id>."""
    notes = seizure.notes or ""
    if notes.startswith(REFERENCE_PREFIX):
        first, _, rest = notes.partition("\n")
        return first[len(REFERENCE_PREFIX) :].strip(), rest
    return seizure.reference, notes


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def _local(seizure: Seizure):
    return timezone.localtime(seizure.occurred_at, ZoneInfo(seizure.airport.tz or "UTC"))


def _iata(airport) -> str:
    return airport.iata if airport is not None else ""


class _Countries:
    """ISO alpha-3 of our countries, and the country of any airport code."""

    def __init__(self):
        self.iso3 = dict(Country.objects.values_list("iso2", "iso3"))

    def alpha3(self, iso2: str | None) -> str:
        return self.iso3.get(iso2, "") if iso2 else ""

    @staticmethod
    def of_airport(code: str) -> str:
        data = network_reference.airport_record(code) if code else None
        return data["country"] if data else ""


def _iterate(qs: QuerySet):
    return qs.iterator(chunk_size=CHUNK)


def _audit(user, fmt: str, qs: QuerySet, nominal: set[int], date_from, date_to) -> None:
    record(
        user,
        "seizures.exported",
        data={
            "format": fmt,
            "rows": qs.count(),
            "nominal_records": len(nominal),
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
        },
        object_type="seizures.seizure",
    )


def export(
    fmt: str,
    out: TextIO,
    *,
    user=None,
    date_from: date | None = None,
    date_to: date | None = None,
    include_nominal: bool = True,
) -> ExportResult:
    """Write the records ``user`` may see to ``out`` in ``fmt`` (csv, json or cen)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    qs = records(user, date_from=date_from, date_to=date_to)
    nominal = nominal_ids(user, qs) if include_nominal and fmt != "cen" else set()
    _audit(user, fmt, qs, nominal, date_from, date_to)
    countries = _Countries()
    writer = {"csv": _write_csv, "json": _write_json, "cen": _write_cen}[fmt]
    return writer(out, qs, nominal, countries)


# --- CSV (the import's columns) -----------------------------------------------------------
def csv_row(seizure: Seizure, nominal_ok: bool, countries: _Countries) -> dict[str, str]:
    local = _local(seizure)
    ref, notes = split_reference(seizure)
    items = list(seizure.items.all())
    persons = list(seizure.persons.all())
    item = items[0] if items else None
    person = persons[0] if persons else None
    row = {
        "reference": ref,
        "date": local.date().isoformat(),
        "time": local.strftime("%H:%M:%S" if local.second else "%H:%M"),
        "airport": seizure.airport.iata,
        "recording_unit": seizure.unit.code,
        "reporting_agency": seizure.reporting_agency,
        "flow": seizure.flow,
        "phase": seizure.phase,
        "direction": seizure.direction,
        "flight": seizure.flight,
        "origin": _iata(seizure.origin),
        "transit": ";".join(seizure.transit or []),
        "destination": _iata(seizure.destination),
        "goods_origin_country": countries.alpha3(seizure.goods_origin_country_id),
        "concealment": seizure.concealment,
        "detection": seizure.detection,
        "triggering_alert": str(seizure.triggering_alert_id or ""),
        "tlp": seizure.tlp,
        "notes": notes,
    }
    if item is not None:
        row.update(
            category=item.category,
            subtype=item.subtype,
            drug_form=item.drug_form,
            quantity=_num(item.quantity),
            unit=item.unit,
            currency=item.currency,
            estimated_value=_num(item.estimated_value),
            value_currency=item.value_currency,
            description=item.description,
        )
    if person is not None:
        row.update(
            offender_role=person.role,
            offender_nationality=countries.alpha3(person.nationality_id),
            offender_sex=person.sex,
            offender_age="" if person.age_band == codes.AgeBand.UNKNOWN else person.age_band,
        )
        if nominal_ok:
            for key, value in (person.nominal or {}).items():
                row[f"offender_{key}"] = value
    return {c: row.get(c, "") for c in COLUMNS}


def _write_csv(out: TextIO, qs, nominal: set[int], countries: _Countries) -> ExportResult:
    result = ExportResult()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for seizure in _iterate(qs):
        nominal_ok = seizure.pk in nominal
        writer.writerow(csv_row(seizure, nominal_ok, countries))
        result.rows += 1
        result.nominal += nominal_ok and any(p.nominal for p in seizure.persons.all())
        if len(seizure.items.all()) > 1 or len(seizure.persons.all()) > 1:
            result.incomplete += 1
    return result


# --- JSON (full records) ----------------------------------------------------------------
def json_record(seizure: Seizure, nominal_ok: bool, countries: _Countries) -> dict:
    ref, notes = split_reference(seizure)
    local = _local(seizure)

    def when(value):
        return value.isoformat() if value else None

    persons = []
    for p in seizure.persons.all():
        person = {
            "role": p.role,
            "nationality": countries.alpha3(p.nationality_id) or None,
            "sex": p.sex,
            "age_band": p.age_band,
        }
        if nominal_ok:
            person["nominal"] = p.nominal or {}
        persons.append(person)
    return {
        "id": seizure.pk,
        "reference": seizure.reference,
        "external_reference": ref if ref != seizure.reference else None,
        "occurred_at": when(seizure.occurred_at),
        "local_time": local.isoformat(),
        "airport": seizure.airport.iata,
        "country": seizure.country_id,
        "unit": seizure.unit.code,
        "reporting_agency": seizure.reporting_agency,
        "flow": seizure.flow,
        "phase": seizure.phase,
        "direction": seizure.direction,
        "flight": seizure.flight,
        "origin": _iata(seizure.origin) or None,
        "transit": list(seizure.transit or []),
        "destination": _iata(seizure.destination) or None,
        "route_key": seizure.route_key,
        "goods_origin_country": countries.alpha3(seizure.goods_origin_country_id) or None,
        "concealment": seizure.concealment,
        "detection": seizure.detection,
        "triggering_alert": seizure.triggering_alert_id,
        "tlp": seizure.tlp,
        "status": seizure.status,
        "notes": notes,
        "created_at": when(seizure.created_at),
        "submitted_at": when(seizure.submitted_at),
        "validated_at": when(seizure.validated_at),
        "nominal_included": nominal_ok,
        "items": [
            {
                "category": i.category,
                "subtype": i.subtype,
                "drug_form": i.drug_form,
                "quantity": _num(i.quantity),
                "unit": i.unit,
                "currency": i.currency,
                "mass_kg": _num(i.mass_kg) or None,
                "count": i.count,
                "estimated_value": _num(i.estimated_value) or None,
                "value_currency": i.value_currency,
                "description": i.description,
            }
            for i in seizure.items.all()
        ],
        "persons": persons,
    }


def _write_json(out: TextIO, qs, nominal: set[int], countries: _Countries) -> ExportResult:
    result = ExportResult()
    head = {"format": JSON_FORMAT, "version": JSON_VERSION, "exported_at": timezone.now().isoformat()}
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "seizures": [')
    for seizure in _iterate(qs):
        nominal_ok = seizure.pk in nominal
        out.write(
            ("\n" if not result.rows else ",\n")
            + json.dumps(json_record(seizure, nominal_ok, countries), ensure_ascii=False)
        )
        result.rows += 1
        result.nominal += nominal_ok
    out.write(f'\n], "count": {result.rows}}}\n')
    return result


# --- CEN-style CSV (our mapping) ----------------------------------------------------------
def cen_rows(seizure: Seizure, countries: _Countries) -> list[dict[str, str]]:
    """One row per item (a record without items gives one row without a commodity); the
    first person is the offender. Never nominal data."""
    local = _local(seizure)
    persons = list(seizure.persons.all())
    person = persons[0] if persons else None
    transit = list(seizure.transit or [])
    base = {
        "case_reference": seizure.reference,
        "seizure_date": local.date().isoformat(),
        "seizure_time": local.strftime("%H:%M"),
        "reporting_country": seizure.country_id,
        "place_type": "airport",
        "place": seizure.airport.iata,
        "transport_mode": "air",
        "customs_procedure": CEN_PROCEDURE.get(seizure.direction, seizure.direction),
        "conveyance": CEN_CONVEYANCE.get(seizure.flow, seizure.flow),
        "detection_method": CEN_DETECTION.get(seizure.detection, seizure.detection),
        "concealment_method": CEN_CONCEALMENT.get(seizure.concealment, seizure.concealment),
        "departure_country": seizure.origin.country_id if seizure.origin else "",
        "departure_place": _iata(seizure.origin),
        "transit_countries": ";".join(countries.of_airport(c) for c in transit),
        "transit_places": ";".join(transit),
        "destination_country": seizure.destination.country_id if seizure.destination else "",
        "destination_place": _iata(seizure.destination),
        "country_of_origin_of_goods": seizure.goods_origin_country_id or "",
        "flight_number": seizure.flight,
        "reporting_agency": seizure.reporting_agency,
    }
    if person is not None:
        base.update(
            offender_role=person.role,
            offender_nationality=person.nationality_id or "",
            offender_sex=CEN_SEX.get(person.sex, "unknown"),
            offender_age_group=person.age_band,
        )
    rows = []
    for item in seizure.items.all() or [None]:
        row = dict(base)
        if item is not None:
            row.update(
                commodity_group=CEN_COMMODITY_GROUP.get(item.category, item.category),
                commodity=_english(codes.subtype_label, item.subtype),
                drug_form=item.drug_form,
                quantity=_num(item.quantity),
                quantity_unit=item.unit,
                net_weight_kg=_num(item.mass_kg),
                number_of_units="" if item.count is None else str(item.count),
                currency=item.currency,
                estimated_value=_num(item.estimated_value),
                value_currency=item.value_currency,
            )
        rows.append({c: row.get(c, "") for c in CEN_COLUMNS})
    return rows


def _english(func, *args) -> str:
    """The interchange file names commodities in English, whatever the active language."""
    with translation.override("en"):
        return str(func(*args))


def _write_cen(out: TextIO, qs, nominal: set[int], countries: _Countries) -> ExportResult:
    result = ExportResult()
    writer = csv.DictWriter(out, fieldnames=CEN_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for seizure in _iterate(qs):
        writer.writerows(cen_rows(seizure, countries))
        result.rows += 1
    return result
