"""The composer and the small forms of the alert page. Field names follow the service's
``details`` / ``nominal`` keys so the view can pass them through unchanged."""

from django import forms
from django.utils.translation import gettext_lazy as _

from aircop.messaging.audience import BROADCAST_KINDS
from aircop.messaging.kinds import FIELDS
from aircop.messaging.models import Alert, Kind, Priority, Result, Tlp
from aircop.network import selectors as network_selectors

LABELS = {
    "flight": _("Flight"),
    "flight_date": _("Flight date"),
    "route": _("Route (IATA codes, e.g. GRU-ADD-LFW)"),
    "indicators": _("Risk indicators (one per line)"),
    "nationality": _("Nationality"),
    "sex": _("Sex (M, F or X)"),
    "surname": _("Surname"),
    "given_names": _("Given names"),
    "date_of_birth": _("Date of birth"),
    "document_type": _("Document type"),
    "document_number": _("Document number"),
    "document_country": _("Issuing country"),
    "booking_reference": _("Booking reference (PNR)"),
    "bag_tag": _("Bag tag"),
    "description": _("Description"),
    "passenger_name": _("Passenger name"),
    "awb": _("Air waybill number"),
    "goods_description": _("Goods description"),
    "pieces": _("Pieces"),
    "weight_kg": _("Weight (kg)"),
    "shipper": _("Shipper"),
    "consignee": _("Consignee"),
    "item_id": _("Postal item identifier (S10)"),
    "declared_contents": _("Declared contents"),
    "sender_name": _("Sender"),
    "addressee": _("Addressee"),
    "commodity": _("Commodity"),
    "quantity": _("Quantity"),
    "concealment": _("Concealment"),
    "offender_name": _("Offender name"),
    "subject_name": _("Person concerned"),
}
DATE_FIELDS = {"flight_date", "date_of_birth"}
TEXTAREA_FIELDS = {"indicators", "goods_description", "declared_contents", "description"}


def kind_fields(kind: str) -> tuple[list[str], list[str]]:
    details, nominal, _required = FIELDS[kind]
    return list(details), list(nominal)


class ComposeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Kind.choices, widget=forms.Select(attrs={"data-kind-select": ""})
    )
    sender_unit = forms.ChoiceField(label=_("Send as"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.ROUTINE)
    tlp = forms.ChoiceField(label=_("Handling (TLP)"), choices=Tlp.choices, initial=Tlp.AMBER)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    to_units = forms.MultipleChoiceField(
        label=_("Units"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    to_countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    to_regions = forms.MultipleChoiceField(label=_("Regions"), required=False)
    to_groups = forms.MultipleChoiceField(label=_("Groups of units"), required=False)
    to_network = forms.BooleanField(label=_("The whole network"), required=False)
    to_operation = forms.ChoiceField(
        label=_("Joint operation (its participants only, while it runs)"), required=False
    )
    destination = forms.CharField(label=_("Destination airport (IATA)"), required=False, max_length=3)
    valid_until = forms.DateTimeField(
        label=_("Valid until (destination's local time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    nominal_restricted = forms.BooleanField(
        label=_("Restrict names, documents and dates of birth to the units named directly"), required=False
    )
    # Made when the form is shown: the same form sent twice (a second tap, a resend after a
    # lost answer on a slow link) sends one alert.
    client_key = forms.CharField(
        required=False, max_length=Alert._meta.get_field("client_key").max_length, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_unit"].choices = [
            (m.unit.code, m.unit.name) for m in network_selectors.my_memberships(user).order_by("unit__code")
        ]
        units = list(network_selectors.units(user))
        self.fields["to_units"].choices = [(u.code, f"{u.name} — {u.country.name}") for u in units]
        self.fields["to_countries"].choices = sorted(
            {(u.country_id, u.country.name) for u in units if u.kind in BROADCAST_KINDS}, key=lambda c: c[1]
        )
        self.fields["to_regions"].choices = [
            (r.code, r.name) for r, _ in network_selectors.regions_with_countries(user)
        ]
        self.fields["to_groups"].choices = [(g.slug, g.name) for g in network_selectors.groups(user)]
        from aircop.operations import selectors as operation_selectors  # operations imports messaging

        self.fields["to_operation"].choices = [("", "—")] + [
            (o.name, o.title) for o in operation_selectors.sendable(user)
        ]
        for kind in Kind.values:
            details, nominal = kind_fields(kind)
            for name in details + nominal:
                key = f"{kind}__{name}"
                widget = (
                    forms.DateInput(attrs={"type": "date"})
                    if name in DATE_FIELDS
                    else forms.Textarea(attrs={"rows": 2})
                    if name in TEXTAREA_FIELDS
                    else None
                )
                self.fields[key] = forms.CharField(
                    label=LABELS.get(name, name), required=False, widget=widget
                )

    def kind_sections(self):
        """[(kind, label, [bound detail fields], [bound nominal fields])] for the template."""
        out = []
        for kind, label in Kind.choices:
            details, nominal = kind_fields(kind)
            out.append(
                (
                    kind,
                    label,
                    [self[f"{kind}__{n}"] for n in details],
                    [self[f"{kind}__{n}"] for n in nominal],
                )
            )
        return out

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        kind = data["kind"]
        details_names, nominal_names = kind_fields(kind)

        def value(name):
            raw = (data.get(f"{kind}__{name}") or "").strip()
            if name == "indicators":
                return [line.strip() for line in raw.splitlines() if line.strip()]
            if name == "route" and raw:
                return [
                    part.strip()
                    for part in raw.replace(",", "-").replace(" ", "-").split("-")
                    if part.strip()
                ]
            return raw

        audience = [{"scope": "unit", "target": c} for c in data["to_units"]]
        audience += [{"scope": "country", "target": c} for c in data["to_countries"]]
        audience += [{"scope": "region", "target": c} for c in data["to_regions"]]
        audience += [{"scope": "group", "target": c} for c in data["to_groups"]]
        if data["to_network"]:
            audience.append({"scope": "network"})
        if data.get("to_operation"):
            audience.append({"scope": "operation", "target": data["to_operation"]})
        return {
            "kind": kind,
            "title": data["title"],
            "body": data["body"],
            "priority": data["priority"],
            "tlp": data["tlp"],
            "sender_unit": data["sender_unit"],
            "audience_entries": audience,
            "details": {n: value(n) for n in details_names},
            "nominal": {n: value(n) for n in nominal_names},
            "nominal_restricted": data["nominal_restricted"],
            "destination": (data["destination"] or "").strip().upper() or None,
            "valid_until": data["valid_until"].replace(tzinfo=None) if data["valid_until"] else None,
            "client_key": data.get("client_key") or "",
        }


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(label=_("Outcome"), choices=Result.choices)
    seizure_reference = forms.CharField(label=_("Seizure reference"), required=False, max_length=60)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(forms.Form):
    units = forms.MultipleChoiceField(label=_("Also send to"), widget=forms.SelectMultiple(attrs={"size": 5}))
    reason = forms.CharField(label=_("Why they need it"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = network_selectors.units(user).filter(kind__in=BROADCAST_KINDS).order_by("code")
        self.fields["units"].choices = [(u.code, u.name) for u in units]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or PDF"))
    nominal = forms.BooleanField(
        label=_("Shows a person or an identity document (restricted like names)"), required=False
    )


class UpdateForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    valid_until = forms.DateTimeField(
        label=_("Valid until (destination's local time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    body = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
