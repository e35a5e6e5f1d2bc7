"""The check page (docs/screening.md, "Checking a person or a document"): a form with a name,
date of birth, document, or a passport's machine-readable zone; the answer lists every match
in the active watchlists with the owner to contact. Thin: check.py does the work."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from aircop.core.errors import ServiceError
from aircop.screening import check


class CheckForm(forms.Form):
    mrz = forms.CharField(
        label=_("Machine-readable zone"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "class": "mono", "spellcheck": "false", "autocomplete": "off"}
        ),
        help_text=_(
            "Type or scan the two or three lines at the foot of the document; its fields fill those left empty."
        ),
    )
    surname = forms.CharField(label=_("Surname"), required=False, max_length=check.LIMIT)
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=check.LIMIT)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = forms.CharField(label=_("Nationality (ISO code)"), required=False, max_length=3)
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=[("", "—"), ("M", _("Male")), ("F", _("Female")), ("X", "X")]
    )
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=check.LIMIT)
    document_country = forms.CharField(label=_("Issuing country (ISO code)"), required=False, max_length=3)


@require_http_methods(["GET", "HEAD", "POST"])
def check_page(request):
    if request.user.role not in check.CHECK_ROLES:
        raise PermissionDenied
    result = None
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = check.check(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
    return render(request, "screening/check.html", {"form": form, "result": result})
