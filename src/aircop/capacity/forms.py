"""The capacity-building forms. They carry what the user typed; the services decide what is
wrong, and their problems come back to the field they name ("topics[1]" goes to topics)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aircop.capacity.codes import (
    ActivityKind,
    Condition,
    DocumentKind,
    EquipmentCategory,
    Language,
    Level,
    Readers,
    Sex,
    TopicCode,
)
from aircop.capacity.importer import MAX_BYTES
from aircop.network.models import AgencyKind

_INDEXED = re.compile(r"^(\w+)\[\d+\]")
BLANK = [("", "—")]


def add_problem(form: forms.Form, field: str | None, message: str) -> None:
    """A service's problem next to the field it names, else at the top of the form."""
    name = field or ""
    match = _INDEXED.match(name)
    if match:
        name = match.group(1)
    if name and name in form.fields:
        form.add_error(name, message)
    else:
        form.add_error(None, f"{field}: {message}" if field else message)


def add_problems(form: forms.Form, exc) -> None:
    for problem in getattr(exc, "problems", None) or [exc]:
        add_problem(form, problem.field, problem.message)


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}))


def _units_choices(units) -> list[tuple[str, str]]:
    return [(u.code, f"{u.name} ({u.code})") for u in units]


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=TopicCode.choices, widget=forms.CheckboxSelectMultiple
    )
    start_date = _date(_("First day"))
    end_date = _date(_("Last day"))
    city = forms.CharField(label=_("City"), max_length=120)
    country = forms.CharField(
        label=_("Country"),
        max_length=3,
        help_text=_("ISO code, e.g. SN or SEN"),
        widget=forms.TextInput(attrs={"size": 4}),
    )
    airport = forms.CharField(
        label=_("Airport"), max_length=3, required=False, help_text=_("IATA code, if held at an airport"),
        widget=forms.TextInput(attrs={"size": 4}),
    )  # fmt: skip
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    organising_unit = forms.ChoiceField(label=_("Organising unit"))
    host_unit = forms.ChoiceField(
        label=_("Host unit"), required=False, help_text=_("For an exchange programme: the receiving unit")
    )
    beneficiary_units = forms.MultipleChoiceField(
        label=_("Beneficiary units"),
        required=False,
        help_text=_("For an exchange programme: the one visiting unit"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    trainers = forms.MultipleChoiceField(
        label=_("Trainers"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisers=(), units=(), trainers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organising_unit"].choices = _units_choices(organisers)
        self.fields["host_unit"].choices = BLANK + _units_choices(units)
        self.fields["beneficiary_units"].choices = _units_choices(units)
        self.fields["trainers"].choices = [(str(t.pk), f"{t} ({t.nationality.iso3})") for t in trainers]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["trainers"] = [int(x) for x in data["trainers"]]
        return data


class ParticipantForm(forms.Form):
    participant = forms.IntegerField(
        label=_("Participant number"),
        required=False,
        min_value=1,
        help_text=_("Someone already recorded; otherwise fill in the fields below"),
    )
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=BLANK + Sex.choices, required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), choices=BLANK + AgencyKind.choices, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = BLANK + _units_choices(units)

    def service_data(self) -> dict:
        data = self.cleaned_data
        if data.get("participant"):
            return {"participant": data["participant"]}
        return {k: v for k, v in data.items() if k != "participant"}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file of participants"))
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("the file is larger than 2 MB: split it"))
        return upload


class TrainerForm(forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    given_names = forms.CharField(label=_("Given names"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    nationality = forms.CharField(
        label=_("Nationality"),
        max_length=3,
        help_text=_("ISO code, e.g. FR or FRA"),
        widget=forms.TextInput(attrs={"size": 4}),
    )
    agency = forms.ChoiceField(label=_("Agency"), choices=BLANK + AgencyKind.choices, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    expertise = forms.MultipleChoiceField(
        label=_("Expertise"), choices=TopicCode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=TopicCode.choices, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    readers = forms.ChoiceField(label=_("Who may read it"), choices=Readers.choices, initial=Readers.NETWORK)
    targets = forms.CharField(
        label=_("Regions, countries or units"),
        required=False,
        max_length=2000,
        help_text=_("Codes separated by commas, as the choice above says: e.g. wca; SN, TG; jaitf-lfw"),
    )

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class DocumentUploadForm(DocumentForm):
    file = forms.FileField(label=_("File (PDF, text, DOCX or ODT; at most 20 MB)"))

    field_order = ["file", "title", "kind", "language", "topics", "summary", "readers", "targets"]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("file")
        return data


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", _("All"))] + TopicCode.choices, required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All"))] + Language.choices, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All"))] + DocumentKind.choices, required=False)


class EquipmentForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=EquipmentCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    holding_unit = forms.ChoiceField(label=_("Holding unit"))
    provided_on = _date(_("Provided on"))
    value = forms.CharField(
        label=_("Value"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    currency = forms.CharField(
        label=pgettext_lazy("money unit", "Currency"),
        max_length=3,
        required=False,
        help_text=_("ISO 4217, e.g. USD"),
    )
    condition = forms.ChoiceField(
        label=pgettext_lazy("state of equipment", "Condition"), choices=Condition.choices
    )
    donor = forms.CharField(label=_("Donor or programme"), max_length=200, required=False)
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holding_unit"].choices = BLANK + _units_choices(units)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class ConditionForm(forms.Form):
    """What the holding unit reports about an item it holds."""

    condition = forms.ChoiceField(
        label=pgettext_lazy("state of equipment", "Condition"), choices=Condition.choices
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def service_data(self) -> dict:
        return dict(self.cleaned_data)
