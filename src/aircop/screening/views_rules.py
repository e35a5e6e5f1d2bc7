"""The risk-rule pages (docs/risk-rules.md, "Writing, testing and activating a rule"): the rules
one sees with their rates, a rule with its versions, counts and the forms that write a new
version, try a version on past manifests (the result and a sample of matches shown on the
page), activate and deactivate; creating a rule with the field catalogue beside the text.

Thin: selectors read, services write (services_rules.py), and a ServiceError goes back to the
field it names. A rule one does not see answers 404; the pages and forms that change a rule
answer 403 to anyone who sees it without being allowed to change it (an administrator)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from aircop.core.errors import ServiceError
from aircop.core.visibility import visible_to
from aircop.messaging.models import Tlp
from aircop.network import selectors as network_selectors
from aircop.passengers.models import Flight
from aircop.screening import selectors_hits, services_rules
from aircop.screening import selectors_rules as selectors
from aircop.screening.forms import add_problem
from aircop.screening.models import Severity
from aircop.screening.views_hits import page_counts, percent

GET_POST = require_http_methods(["GET", "HEAD", "POST"])

TYPE_LABELS = {
    "text": gettext_lazy("text"),
    "number": gettext_lazy("number"),
    "bool": gettext_lazy("yes/no"),
    "date": gettext_lazy("date"),
    "text list": gettext_lazy("list of texts"),
}
CATEGORY_LABELS = {
    "travel": gettext_lazy("travel indicator"),
    "person": gettext_lazy("personal attribute"),
    "document": gettext_lazy("travel document"),
}
CODE_LABELS = {
    "country": gettext_lazy("ISO country code"),
    "airport": gettext_lazy("IATA airport code"),
    "sex": gettext_lazy("M, F or X"),
}


# ------------------------------------------------------------------ forms
def _expression_field(label):
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "ltr", "spellcheck": "false", "class": "rule-text"}),
        help_text=gettext_lazy(
            "One condition over the fields listed beside, e.g. booking.one_way and flight.long_haul. "
            "Every way the rule can fire must involve a travel indicator."
        ),
    )


class RuleEditForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    severity = forms.ChoiceField(label=gettext_lazy("Severity of its hits"), choices=Severity.choices)
    tlp = forms.ChoiceField(label=gettext_lazy("Handling (TLP)"), choices=Tlp.choices, initial=Tlp.AMBER)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the rule looks for and why; what reviewers should check."),
    )


class RuleForm(RuleEditForm):
    name = forms.CharField(
        label=gettext_lazy("Short name"),
        max_length=60,
        help_text=gettext_lazy(
            "Letters, digits, hyphens and underscores, e.g. cash-one-way; it cannot be changed."
        ),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    owner = forms.ChoiceField(label=gettext_lazy("Owning unit"))
    expression = _expression_field(gettext_lazy("Condition"))
    note = forms.CharField(label=gettext_lazy("Note on this version"), max_length=300, required=False)

    field_order = ["name", "title", "owner", "severity", "tlp", "description", "expression", "note"]

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(u.code, u.name) for u in units]
        self.fields["severity"].initial = Severity.MEDIUM


class VersionForm(forms.Form):
    expression = _expression_field(gettext_lazy("Condition of the new version"))
    note = forms.CharField(
        label=gettext_lazy("What changed"), max_length=300, required=False, widget=forms.TextInput()
    )


class TrialForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput())
    since = forms.DateField(
        label=gettext_lazy("Departures from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(label=gettext_lazy("until"), widget=forms.DateInput(attrs={"type": "date"}))


class ActivateForm(forms.Form):
    version = forms.IntegerField(min_value=1)


# ------------------------------------------------------------------ helpers
def _writer_units(user) -> list:
    """The units a user may create a rule for: their own active units, with a writing role."""
    if user.role not in services_rules.WRITE_ROLES:
        return []
    return [m.unit for m in network_selectors.my_memberships(user).order_by("unit__code") if m.unit.is_active]


def _writable(request, name):
    """A rule the user changes: 404 when not visible, 403 when visible but not theirs to change."""
    rule = selectors.rule(request.user, name)
    if not selectors.may_write(request.user, rule):
        raise PermissionDenied(_("only members of the owning unit may change this rule"))
    return rule


def catalogue() -> list[dict]:
    """The field catalogue with translated labels, for the pages."""
    rows = []
    for f in selectors.catalogue():
        rows.append(
            {
                **f,
                "type_label": TYPE_LABELS.get(f["type"], f["type"]),
                "category_label": CATEGORY_LABELS.get(f["category"], f["category"]),
                "code_label": CODE_LABELS.get(f["code"], "") if f["code"] else "",
            }
        )
    return rows


def _test_initial(version_number: int) -> dict:
    today = timezone.localdate()
    return {"version": version_number, "since": today - timedelta(days=30), "until": today}


def _sample_rows(user, sample: list[dict]) -> list[dict]:
    """The trial's matches with their flights (designator and date; no traveller's name)."""
    flights = {f.pk: f for f in visible_to(Flight, user).filter(pk__in={m["flight"] for m in sample})}
    return [{**m, "flight_row": flights.get(m["flight"])} for m in sample]


def _detail(request, rule, *, version_form=None, test_form=None, result=None, tested=None, status=200):
    versions = list(rule.versions.all())
    writer = selectors.may_write(request.user, rule)
    test_forms = {}
    if writer:
        for v in versions:
            if test_form is not None and tested == v.number:
                test_forms[v.number] = test_form
            else:
                test_forms[v.number] = TrialForm(
                    initial=_test_initial(v.number), auto_id=f"id_v{v.number}_%s"
                )
    return render(
        request,
        "screening/rule.html",
        {
            "rule": rule,
            "versions": [
                {
                    "v": v,
                    "warnings": selectors.warnings(v),
                    "test_form": test_forms.get(v.number),
                    "test_pct": percent((v.last_test or {}).get("hit_rate")),
                }
                for v in versions
            ],
            "counts": _counts(rule),
            "may_write": writer,
            "version_form": version_form
            or (VersionForm(initial={"expression": _latest(versions)}) if writer else None),
            "result": result,
            "result_pct": percent(result["hit_rate"]) if result else None,
            "sample": _sample_rows(request.user, result["sample"]) if result else [],
            "tested": tested,
            "fields": catalogue() if writer else [],
            "max_days": services_rules.MAX_TEST_DAYS,
        },
        status=status,
    )


def _counts(rule) -> dict:
    return page_counts(selectors_hits.rule_counts(rule))


def _latest(versions) -> str:
    return versions[0].expression if versions else ""


# ------------------------------------------------------------------ pages
@require_safe
def rule_list(request):
    return render(
        request,
        "screening/rules.html",
        {
            "rows": [
                {
                    "rule": rule,
                    "counts": counts,
                    "hit_pct": percent(counts["hit_rate"]),
                    "outcome_pct": percent(counts["outcome_rate"]),
                }
                for rule, counts in selectors.rule_rows(request.user)
            ],
            "may_create": bool(_writer_units(request.user)),
        },
    )


@GET_POST
def rule_new(request):
    units = _writer_units(request.user)
    if not units:
        raise PermissionDenied(
            _("a rule belongs to one of your units, written by an officer, unit head, coordinator or analyst")
        )
    form = RuleForm(request.POST or None, units=units)
    if request.method == "POST":
        if form.is_valid():
            try:
                rule = services_rules.create_rule(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                add_problem(form, exc.field, exc.message)
            else:
                messages.success(
                    request,
                    _(
                        "Rule %(name)s created with its version 1. Test it on past manifests before activating it."
                    )
                    % {"name": rule.name},
                )
                return redirect("rules:rule", name=rule.name)
        return render(request, "screening/rule_form.html", {"form": form, "fields": catalogue()}, status=400)
    return render(request, "screening/rule_form.html", {"form": form, "fields": catalogue()})


@require_safe
def rule_detail(request, name):
    return _detail(request, selectors.rule(request.user, name))


@GET_POST
def rule_edit(request, name):
    rule = _writable(request, name)
    if request.method == "POST":
        form = RuleEditForm(request.POST)
        if form.is_valid():
            try:
                services_rules.update_rule(actor=request.user, rule=rule, **form.cleaned_data)
            except ServiceError as exc:
                add_problem(form, exc.field, exc.message)
            else:
                messages.success(request, _("Rule %(name)s saved.") % {"name": rule.name})
                return redirect("rules:rule", name=rule.name)
        return render(request, "screening/rule_edit.html", {"form": form, "rule": rule}, status=400)
    form = RuleEditForm(initial={key: getattr(rule, key) for key in services_rules.RULE_FIELDS})
    return render(request, "screening/rule_edit.html", {"form": form, "rule": rule})


@require_POST
def version_new(request, name):
    rule = _writable(request, name)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            version = services_rules.new_version(actor=request.user, rule=rule, **form.cleaned_data)
        except ServiceError as exc:
            add_problem(form, exc.field, exc.message)
        else:
            messages.success(
                request,
                _("Version %(n)d written. Test it on past manifests before activating it.")
                % {"n": version.number},
            )
            return redirect("rules:rule", name=rule.name)
    return _detail(request, selectors.rule(request.user, name), version_form=form, status=400)


@require_POST
def version_test(request, name, number):
    rule = _writable(request, name)
    version = selectors.version(request.user, rule, number)
    form = TrialForm(request.POST, auto_id=f"id_v{number}_%s")
    result = None
    if form.is_valid():
        try:
            result = services_rules.test_version(
                actor=request.user,
                version=version,
                since=form.cleaned_data["since"],
                until=form.cleaned_data["until"],
            )
        except ServiceError as exc:
            add_problem(form, {"from": "since"}.get(exc.field, exc.field), exc.message)
    rule = selectors.rule(request.user, name)
    return _detail(
        request, rule, test_form=form, result=result, tested=number, status=200 if result is not None else 400
    )


@require_POST
def activate(request, name):
    rule = _writable(request, name)
    form = ActivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a version to activate."))
        return redirect("rules:rule", name=rule.name)
    number = form.cleaned_data["version"]
    try:
        services_rules.activate(actor=request.user, rule=rule, version_number=number)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Version %(n)d is active: it screens every arriving manifest.") % {"n": number}
        )
    return redirect("rules:rule", name=rule.name)


@require_POST
def deactivate(request, name):
    rule = _writable(request, name)
    try:
        services_rules.deactivate(actor=request.user, rule=rule)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rule %(name)s no longer screens manifests.") % {"name": rule.name})
    return redirect("rules:rule", name=rule.name)
