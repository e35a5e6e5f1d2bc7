"""The seizure form: one Django form for the record, one per item row and one per person row.

The forms only carry and redisplay what the user typed: every field is a plain optional
text field (selects included), so that the one checker, validation.clean (reached through
services.create_seizure / update_seizure), decides what is wrong. Its problems come back
here by field path ("items[1].quantity") and are shown next to the row and field they name."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from aircop.messaging.models import Tlp
from aircop.network import selectors as network_selectors
from aircop.network.models import AgencyKind
from aircop.seizures import codes
from aircop.seizures.services import RECORDING_UNIT_KINDS
from aircop.seizures.validation import MAX_ITEMS, MAX_PERSONS, NOMINAL_FIELDS

DEFAULT_ITEM_ROWS = 3
DEFAULT_PERSON_ROWS = 2
BLANK = [("", "—")]
_SEPARATORS = re.compile(r"[\s,;>\-]+")


def _select(label, choices, **kwargs):
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=choices), **kwargs)


def _text(label, max_length=300, **attrs):
    return forms.CharField(
        label=label, required=False, max_length=max_length, widget=forms.TextInput(attrs=attrs)
    )


def _subtype_choices():
    return BLANK + [
        (codes.Category(category).label, list(subtypes.items()))
        for category, subtypes in codes.SUBTYPES.items()
    ]


class SeizureForm(forms.Form):
    occurred_date = forms.CharField(
        label=_("Date (local time at the airport)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    occurred_time = forms.CharField(
        label=_("Time (local time at the airport)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Leave empty if unknown: the record then counts at noon of that day."),
    )
    airport = _text(_("Airport (IATA)"), 3, size=4, autocapitalize="characters")
    unit = _select(_("Recording unit"), BLANK)
    reporting_agency = _select(_("Reporting agency"), AgencyKind.choices, initial=AgencyKind.CUSTOMS)
    flow = _select(_("Flow"), BLANK + codes.Flow.choices)
    phase = _select(_("Phase"), BLANK + codes.Phase.choices)
    direction = _select(_("Direction"), BLANK + codes.Direction.choices)
    flight = _text(_("Flight"), 10, size=8, autocapitalize="characters")
    origin = _text(_("Origin airport (IATA)"), 3, size=4, autocapitalize="characters")
    transit = _text(_("Transit airports (IATA, e.g. ADD CDG)"), 60, autocapitalize="characters")
    destination = _text(_("Destination airport (IATA)"), 3, size=4, autocapitalize="characters")
    goods_origin_country = _text(_("Country of origin of the goods (ISO code)"), 3, size=4)
    concealment = _select(_("Concealment"), BLANK + codes.Concealment.choices)
    detection = _select(_("Detection"), BLANK + codes.Detection.choices)
    triggering_alert = _text(_("Triggering alert (number)"), 12, size=8, inputmode="numeric")
    alerts = _text(_("Other linked alerts (numbers)"), 200, inputmode="numeric")
    tlp = _select(_("Handling (TLP)"), Tlp.choices, initial=Tlp.AMBER)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = [
            m.unit
            for m in network_selectors.my_memberships(user).order_by("unit__code")
            if m.unit.kind in RECORDING_UNIT_KINDS and m.unit.is_active
        ]
        self.fields["unit"].widget.choices = [("", _("automatic (your unit at this airport)"))] + [
            (u.code, u.name) for u in units
        ]
        self.section_errors: dict[str, list[str]] = {"items": [], "persons": []}


class ItemForm(forms.Form):
    category = _select(_("Category"), BLANK + codes.Category.choices)
    subtype = _select(_("Type"), [])
    drug_form = _select(_("Form"), BLANK + codes.DrugForm.choices)
    quantity = _text(_("Quantity"), 20, size=8, inputmode="decimal")
    unit = _select(_("Unit"), BLANK + codes.QuantityUnit.choices)
    currency = _text(_("Currency (for money)"), 3, size=4, autocapitalize="characters")
    estimated_value = _text(_("Estimated value"), 20, size=10, inputmode="decimal")
    value_currency = _text(_("Value currency"), 3, size=4, autocapitalize="characters")
    description = _text(_("Description"), 300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subtype"].widget.choices = _subtype_choices()


class PersonForm(forms.Form):
    role = _select(_("Role"), BLANK + codes.PersonRole.choices)
    nationality = _text(_("Nationality (ISO code)"), 3, size=4, autocapitalize="characters")
    sex = _select(_("Sex"), BLANK + codes.Sex.choices)
    age = _text(_("Age"), 3, size=4, inputmode="numeric")
    age_band = _select(_("or age band"), BLANK + codes.AgeBand.choices)
    surname = _text(_("Surname"), 200)
    given_names = _text(_("Given names"), 200)
    date_of_birth = forms.CharField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_type = _text(_("Document type"), 200)
    document_number = _text(_("Document number"), 200)
    document_country = _text(_("Issuing country (ISO code)"), 3, size=4, autocapitalize="characters")

    statistics_fields = ("role", "nationality", "sex", "age", "age_band")
    nominal_fields = NOMINAL_FIELDS

    def statistics(self):
        return [self[name] for name in self.statistics_fields]

    def nominal(self):
        return [self[name] for name in self.nominal_fields]


def row_count(value, default: int, limit: int) -> int:
    try:
        return max(1, min(int(value), limit))
    except (TypeError, ValueError):
        return default


class SeizureFormSet:
    """The record form and its rows, bound or not, and the way back from service problems."""

    def __init__(self, *, user, data=None, initial=None, items=None, persons=None, n_items, n_persons):
        initial = initial or {}
        items = items or []
        persons = persons or []
        self.n_items = row_count(max(n_items, len(items)), DEFAULT_ITEM_ROWS, MAX_ITEMS)
        self.n_persons = row_count(max(n_persons, len(persons)), DEFAULT_PERSON_ROWS, MAX_PERSONS)
        self.form = SeizureForm(data, user=user, initial=initial)
        self.items = [
            ItemForm(data, prefix=f"item-{i}", initial=items[i] if i < len(items) else None)
            for i in range(self.n_items)
        ]
        self.persons = [
            PersonForm(data, prefix=f"person-{i}", initial=persons[i] if i < len(persons) else None)
            for i in range(self.n_persons)
        ]
        # Which form row each entry of the service's lists came from (blank rows are skipped).
        self.item_rows: list[int] = []
        self.person_rows: list[int] = []

    def is_valid(self) -> bool:
        # Evaluate every form so that each has cleaned_data (and can take errors).
        results = [f.is_valid() for f in (self.form, *self.items, *self.persons)]
        return all(results)

    def service_data(self) -> dict:
        """The input dict of validation.clean, from the cleaned forms."""
        d = self.form.cleaned_data
        when = d["occurred_date"].strip()
        if when and d["occurred_time"].strip():
            when = f"{when}T{d['occurred_time'].strip()}"
        data = {
            "occurred_at": when,
            "airport": d["airport"],
            "unit": d["unit"] or None,
            "reporting_agency": d["reporting_agency"],
            "flow": d["flow"],
            "phase": d["phase"],
            "direction": d["direction"],
            "flight": d["flight"],
            "origin": d["origin"],
            "transit": [c for c in _SEPARATORS.split(d["transit"]) if c],
            "destination": d["destination"],
            "goods_origin_country": d["goods_origin_country"],
            "concealment": d["concealment"],
            "detection": d["detection"],
            "triggering_alert": d["triggering_alert"].strip().lstrip("#"),
            "alerts": [a.lstrip("#") for a in re.split(r"[\s,;]+", d["alerts"]) if a],
            "tlp": d["tlp"],
            "notes": d["notes"],
            "items": [],
            "persons": [],
        }
        self.item_rows, self.person_rows = [], []
        for i, form in enumerate(self.items):
            row = {k: (v or "").strip() for k, v in form.cleaned_data.items()}
            if any(row.values()):
                self.item_rows.append(i)
                data["items"].append(row)
        for i, form in enumerate(self.persons):
            row = {k: (v or "").strip() for k, v in form.cleaned_data.items()}
            if any(row.values()):
                self.person_rows.append(i)
                person = {k: row[k] for k in PersonForm.statistics_fields}
                person["nominal"] = {k: row[k] for k in PersonForm.nominal_fields if row[k]}
                data["persons"].append(person)
        return data

    def add_problem(self, field: str | None, message: str) -> None:
        """Put one problem next to the field it names ("items[1].quantity", "transit[0]", ...)."""
        field = field or ""
        match = re.match(r"^(items|persons)\[(\d+)\](?:\.(?:nominal\.)?(\w+))?", field)
        if match:
            kind, index, name = match.group(1), int(match.group(2)), match.group(3)
            rows, forms_ = (
                (self.item_rows, self.items) if kind == "items" else (self.person_rows, self.persons)
            )
            if index < len(rows):
                form = forms_[rows[index]]
                form.add_error(name if name in form.fields else None, message)
                return
        if field in ("items", "persons"):
            self.form.section_errors[field].append(message)
            return
        name = {"occurred_at": "occurred_date"}.get(field, field.split("[")[0].split(".")[0])
        if name in self.form.fields:
            self.form.add_error(name, message)
        else:
            self.form.add_error(None, f"{field}: {message}" if field else message)

    @property
    def error_count(self) -> int:
        forms_ = (self.form, *self.items, *self.persons)
        return sum(len(errors) for f in forms_ for errors in f.errors.values()) + sum(
            len(v) for v in self.form.section_errors.values()
        )


def initial_from(seizure, items, persons, alert_ids, *, nominal: bool) -> tuple[dict, list[dict], list[dict]]:
    """The form's initial values for an existing record (times in the airport's local time).
    ``alert_ids``: the linked alerts the editor may see."""
    local = seizure.occurred_at.astimezone(ZoneInfo(seizure.airport.tz or "UTC"))
    initial = {
        "occurred_date": local.strftime("%Y-%m-%d"),
        "occurred_time": local.strftime("%H:%M"),
        "airport": seizure.airport.iata,
        "unit": seizure.unit.code,
        "reporting_agency": seizure.reporting_agency,
        "flow": seizure.flow,
        "phase": seizure.phase,
        "direction": seizure.direction,
        "flight": seizure.flight,
        "origin": seizure.origin.iata if seizure.origin else "",
        "transit": " ".join(seizure.transit or []),
        "destination": seizure.destination.iata if seizure.destination else "",
        "goods_origin_country": seizure.goods_origin_country_id or "",
        "concealment": seizure.concealment,
        "detection": seizure.detection,
        "triggering_alert": seizure.triggering_alert_id or "",
        "alerts": " ".join(str(pk) for pk in alert_ids if pk != seizure.triggering_alert_id),
        "tlp": seizure.tlp,
        "notes": seizure.notes,
    }
    item_rows = [
        {
            "category": i.category,
            "subtype": i.subtype,
            "drug_form": i.drug_form,
            "quantity": _plain(i.quantity),
            "unit": i.unit,
            "currency": i.currency,
            "estimated_value": _plain(i.estimated_value) if i.estimated_value is not None else "",
            "value_currency": i.value_currency,
            "description": i.description,
        }
        for i in items
    ]
    person_rows = [
        {
            "role": p.role,
            "nationality": p.nationality_id or "",
            "sex": p.sex,
            "age_band": p.age_band,
            **({k: p.nominal.get(k, "") for k in NOMINAL_FIELDS} if nominal else {}),
        }
        for p in persons
    ]
    return initial, item_rows, person_rows


def _plain(number) -> str:
    """A Decimal as typed by a person: 4.200 -> "4.2", 1E+3 -> "1000"."""
    return format(number.normalize(), "f")


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("Photo or PDF"))
    nominal = forms.BooleanField(
        label=_("Shows a person or an identity document (restricted like names)"), required=False
    )
