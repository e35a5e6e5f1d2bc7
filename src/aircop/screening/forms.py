"""The watchlist forms. They only carry what the user typed: the services decide what is
wrong (an entry by the importer's own rules), and their problems come back here by field
("documents[1].country" goes to the second document row)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from aircop.messaging.models import Tlp
from aircop.screening.models import ListKind
from aircop.screening.services import MAX_UPLOAD_BYTES

MAX_IMPORT_BYTES = MAX_UPLOAD_BYTES
DOCUMENT_ROWS = 2
SEXES = [("", "—"), ("M", _("Male")), ("F", _("Female")), ("X", _("Unspecified"))]


def _date(label):
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


def add_problem(form: forms.Form, field: str | None, message: str) -> None:
    """A service's problem next to the field it names, else at the top of the form."""
    if field and field in form.fields:
        form.add_error(field, message)
    else:
        form.add_error(None, f"{field}: {message}" if field else message)


class WatchlistEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=200, help_text=_("Where the list comes from"))
    tlp = forms.ChoiceField(label=_("Handling (TLP)"), choices=Tlp.choices, initial=Tlp.AMBER)
    threshold = forms.CharField(
        label=_("Match threshold"),
        max_length=5,
        initial="0.80",
        widget=forms.TextInput(attrs={"size": 5, "inputmode": "decimal"}),
        help_text=_("Lowest score that makes a hit, from 0.50 to 1.00"),
    )
    valid_from = _date(_("Valid from"))
    valid_until = _date(_("Valid until"))
    is_active = forms.BooleanField(label=_("Active (screening uses the list)"), required=False, initial=True)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WatchlistForm(WatchlistEditForm):
    name = forms.CharField(
        label=_("Short name"),
        max_length=60,
        help_text=_("Letters, digits, hyphens and underscores, e.g. interpol-sltd; it cannot be changed."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ListKind.choices)
    owner = forms.ChoiceField(label=_("Owning unit"))
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    field_order = [
        "name",
        "title",
        "kind",
        "owner",
        "source",
        "tlp",
        "threshold",
        "valid_from",
        "valid_until",
        "description",
    ]

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]  # a new list is active
        self.fields["owner"].choices = [(u.code, u.name) for u in units]


class EntryForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=80, help_text=_("The entry's identifier in its source")
    )
    names = forms.CharField(
        label=_("Names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("The name and its aliases, one per line, in any script."),
    )
    date_of_birth = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"size": 10, "placeholder": "YYYY-MM-DD"}),
        help_text=_("YYYY-MM-DD, YYYY-MM or YYYY"),
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO code)"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=SEXES, required=False)
    reason = forms.CharField(
        label=_("Reason for listing"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # the reference identifies the entry in its source: it stays
            self.fields["reference"].disabled = True
            self.fields["reference"].required = False


class DocumentForm(forms.Form):
    number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
    )
    country = forms.CharField(
        label=_("Issuing country (ISO code)"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    type = forms.CharField(
        label=_("Document type"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
        help_text=_("e.g. P (passport), I (identity card)"),
    )


class EntryForms:
    """An entry's form and its document rows (the entry's documents and blank rows)."""

    def __init__(self, data=None, *, initial=None, documents=(), editing=False, rows=None):
        documents = list(documents)
        wanted = rows if rows is not None else len(documents) + 1
        self.n_documents = max(DOCUMENT_ROWS, min(int(wanted), 20), len(documents))
        self.form = EntryForm(data, initial=initial, editing=editing)
        self.documents = [
            DocumentForm(data, prefix=f"doc-{i}", initial=documents[i] if i < len(documents) else None)
            for i in range(self.n_documents)
        ]

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in (self.form, *self.documents)]
        return all(results)

    def service_data(self) -> dict:
        """The fields of services.add_entry / update_entry; every document row, blank ones
        included, so that "documents[i]" in a problem is row i."""
        d = self.form.cleaned_data
        return {
            "names": [line.strip() for line in d["names"].splitlines() if line.strip()],
            "date_of_birth": d["date_of_birth"],
            "nationality": d["nationality"],
            "sex": d["sex"],
            "documents": [
                {k: (f.cleaned_data.get(k) or "").strip() for k in ("number", "country", "type")}
                for f in self.documents
            ],
            "reason": d["reason"],
        }

    def add_problem(self, field: str | None, message: str) -> None:
        match = re.match(r"^documents\[(\d+)\](?:\.(\w+))?$", field or "")
        if match and int(match.group(1)) < len(self.documents):
            row = self.documents[int(match.group(1))]
            name = match.group(2)
            row.add_error(name if name in row.fields else None, message)
            return
        add_problem(self.form, field, message)

    @property
    def error_count(self) -> int:
        return sum(len(errors) for f in (self.form, *self.documents) for errors in f.errors.values())


def entry_initial(entry) -> tuple[dict, list[dict]]:
    return (
        {
            "reference": entry.reference,
            "names": "\n".join(entry.names),
            "date_of_birth": entry.date_of_birth,
            "nationality": entry.nationality,
            "sex": entry.sex,
            "reason": entry.reason,
        },
        [
            {"number": d.get("number", ""), "country": d.get("country") or "", "type": d.get("type", "")}
            for d in entry.documents
        ],
    )


class RemoveEntryForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the entry removed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail with the reference: do not repeat the names."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or JSON file"))
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("from the file's name (.json, else CSV)")), ("csv", "CSV"), ("json", "JSON")],
    )
    replace = forms.BooleanField(
        label=_("Replace the list: remove the entries the file does not hold"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("the file is larger than %(n)d MB: import it with `aircop watchlist import`")
                % {"n": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        return upload
