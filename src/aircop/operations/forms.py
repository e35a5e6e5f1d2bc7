"""The forms of the operation pages. Field names are the services' argument names, so a
ServiceError's field lands on the right input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from aircop.messaging.models import Tlp
from aircop.network.models import Unit
from aircop.operations.services import COUNT_FIELDS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LIST_HELP = _("One per line")


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class OperationForm(forms.Form):
    name = forms.SlugField(label=_("Name (identifier)"), max_length=60, help_text=_("e.g. cocaine-2026"))
    title = forms.CharField(label=_("Title"), max_length=200)
    lead_organisation = forms.CharField(label=_("Lead organisation"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts (UTC)"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends (UTC)"), widget=DATETIME)
    tlp = forms.ChoiceField(
        label=_("Handling (TLP) of its alerts and results"),
        choices=[c for c in Tlp.choices if c[0] != Tlp.RED],
        initial=Tlp.AMBER,
    )
    units = forms.MultipleChoiceField(
        label=_("Participating units"), widget=forms.SelectMultiple(attrs={"size": 10})
    )
    coordinator_unit = forms.ChoiceField(label=_("Coordinator unit"))
    coordinators = forms.CharField(
        label=_("Coordinators (user names)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=LIST_HELP,
    )
    commodities = forms.CharField(
        label=_("Commodities (codes of the seizure register, e.g. cocaine, drugs)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=LIST_HELP,
    )
    routes = forms.CharField(
        label=_("Routes (airport pairs such as GRU-LIS, or free text)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=LIST_HELP,
    )
    threats = forms.CharField(
        label=_("Threats"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=LIST_HELP
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(is_active=True).select_related("country").order_by("code")
        self.fields["units"].choices = [(u.code, f"{u.name} — {u.country.name}") for u in units]
        self.fields["coordinator_unit"].choices = [(u.code, u.name) for u in units]
        if editing:
            del self.fields["name"]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        for field in ("coordinators", "commodities", "routes", "threats"):
            data[field] = _lines(data.get(field, ""))
        return data

    @classmethod
    def initial_of(cls, operation) -> dict:
        return {
            "title": operation.title,
            "lead_organisation": operation.lead_organisation,
            "starts_at": operation.starts_at,
            "ends_at": operation.ends_at,
            "tlp": operation.tlp,
            "units": list(operation.units.values_list("code", flat=True)),
            "coordinator_unit": operation.coordinator_unit.code,
            "coordinators": "\n".join(operation.coordinators.values_list("username", flat=True)),
            "commodities": "\n".join(operation.commodities),
            "routes": "\n".join(operation.routes),
            "threats": "\n".join(operation.threats),
            "description": operation.description,
        }


class SitrepForm(forms.Form):
    unit = forms.ChoiceField(label=_("Reporting unit"))
    day = forms.DateField(
        label=_("Day (the unit's local date)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    controls = forms.IntegerField(label=_("Controls made"), min_value=0, initial=0)
    passengers_checked = forms.IntegerField(label=_("Passengers checked"), min_value=0, initial=0)
    bags_checked = forms.IntegerField(label=_("Bags checked"), min_value=0, initial=0)
    consignments_checked = forms.IntegerField(label=_("Consignments checked"), min_value=0, initial=0)
    mail_checked = forms.IntegerField(label=_("Mail items checked"), min_value=0, initial=0)
    seizures = forms.MultipleChoiceField(
        label=_("Seizures linked (records your unit may see, within the operation's window)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("No names, documents or dates of birth: every member of the operation reads them."),
    )

    def __init__(self, *args, units, seizures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]
        self.fields["seizures"].choices = [
            (str(s.pk), f"{s.reference} · {s.airport.iata} · {s.occurred_at:%Y-%m-%d}") for s in seizures
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": data["unit"],
            "day": data["day"],
            "seizures": data["seizures"],
            "remarks": data["remarks"],
            **{f: data[f] for f in COUNT_FIELDS},
        }


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
