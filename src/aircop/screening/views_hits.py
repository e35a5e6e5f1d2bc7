"""The hit review pages (docs/screening.md, "Reviewing hits"): the queue of one's units, a hit
with its explanation, traveller, flight and source, and the review: confirm, dismiss with a
reason, then the reviewing unit's outcome beside the outcomes the alert's recipients report.
Thin: selectors read (opening a hit is an audited read, its page's live refreshes are not),
services write, and a ServiceError goes back to the form that was sent.

A hit outside the user's queues answers 404, as one that does not exist."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from aircop.core.errors import ServiceError
from aircop.core.middleware import BACKGROUND_HEADER
from aircop.messaging import selectors as messaging_selectors
from aircop.messaging.models import Result
from aircop.screening import selectors_hits, services_hits
from aircop.screening.models import Hit, HitStatus, Severity

PAGE_SIZE = 50
ALL = "all"
STATUS_CODES = {"forbidden": 403, "conflict": 409}


# ------------------------------------------------------------------ forms
def _note_widget():
    return forms.Textarea(attrs={"rows": 2})


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=services_hits.NOTE_LIMIT,
        widget=_note_widget(),
        help_text=gettext_lazy("Sent as the text of the alert to the units concerned."),
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why this is not a match"),
        max_length=services_hits.NOTE_LIMIT,
        widget=_note_widget(),
        error_messages={"required": gettext_lazy("Say why you dismiss this hit.")},
    )


class HitOutcomeForm(forms.Form):
    result = forms.ChoiceField(label=gettext_lazy("Outcome"), choices=Result.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=services_hits.NOTE_LIMIT, widget=_note_widget()
    )


# ------------------------------------------------------------------ the queue
@require_safe
def queue(request):
    status = request.GET.get("status") or HitStatus.OPEN
    if status not in (*HitStatus.values, ALL):
        status = HitStatus.OPEN
    severity = request.GET.get("severity") or ""
    if severity not in Severity.values:
        severity = ""
    flight = request.GET.get("flight") or ""
    flight = int(flight) if flight.isdigit() else None
    qs = selectors_hits.hits(
        request.user, status=None if status == ALL else status, severity=severity or None, flight=flight
    ).prefetch_related("units")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors_hits.audit_listed(request.user, page.object_list, via="page")
    keep = {"status": status, "severity": severity, "flight": flight or ""}
    return render(
        request,
        "screening/hits.html",
        {
            "page": page,
            "open_count": selectors_hits.open_count(request.user),
            "status": status,
            "severity": severity,
            "flight": flight,
            "statuses": [*HitStatus.choices, (ALL, _("All"))],
            "severities": Severity.choices,
            "keep": urlencode({k: v for k, v in keep.items() if v}),
        },
    )


# ------------------------------------------------------------------ one hit
def _context(request, hit: Hit, *, refusal: str = "", **forms_in) -> dict:
    user = request.user
    reviewer = user.role in services_hits.REVIEW_ROLES
    alert_outcomes = list(messaging_selectors.outcomes(user, hit.alert_id)) if hit.alert_id else []
    alert_visible = bool(hit.alert_id) and messaging_selectors.alerts(user).filter(pk=hit.alert_id).exists()
    traveller = hit.traveller
    initial_outcome = {"result": hit.outcome, "note": hit.outcome_note} if hit.outcome else None
    return {
        "hit": hit,
        "traveller": traveller,
        "documents": list(traveller.documents.all()) if traveller is not None else [],
        "flight": hit.flight,
        "units": sorted(hit.units.all(), key=lambda u: u.code),
        "explanation": [str(r) for r in hit.explanation or []],
        "may_review": reviewer and hit.status == HitStatus.OPEN,
        "may_record_outcome": reviewer and hit.status == HitStatus.CONFIRMED,
        "outcome_label": Result(hit.outcome).label if hit.outcome in Result.values else "",
        "alert_visible": alert_visible,
        "alert_outcomes": alert_outcomes,
        "refusal": refusal,
        "confirm_form": forms_in.get("confirm_form") or ConfirmForm(),
        "dismiss_form": forms_in.get("dismiss_form") or DismissForm(),
        "outcome_form": forms_in.get("outcome_form") or HitOutcomeForm(initial=initial_outcome),
    }


@require_safe
def hit_page(request, hit_id: int):
    # The page's own live refreshes (live.js) re-read what the person already opened: the
    # opening is audited, not every refresh.
    if request.headers.get(BACKGROUND_HEADER) == "1":
        found = selectors_hits.hit(request.user, hit_id)
    else:
        found = selectors_hits.read_hit(request.user, hit_id, via="page")
    return render(request, "screening/hit.html", _context(request, found))


def _act(request, hit_id: int, form_class, form_key: str, action):
    """Validate the form, call the service; on success redirect back with a message, else show
    the page again with the refusal on the form (400, 403 for a refused role, 409 when the hit
    was reviewed meanwhile)."""
    found = selectors_hits.hit(request.user, hit_id)
    form = form_class(request.POST)
    status, refusal = 400, ""
    if form.is_valid():
        try:
            done = action(found, form.cleaned_data)
        except ServiceError as exc:
            status = STATUS_CODES.get(exc.code, 400)
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                refusal = exc.message
        else:
            messages.success(request, done)
            return redirect("hits:hit", hit_id=found.pk)
    # The page shown again carries the traveller: a person reads it, so it is audited.
    shown = selectors_hits.read_hit(request.user, found.pk, via="page")
    context = _context(request, shown, refusal=refusal, **{form_key: form})
    return render(request, "screening/hit.html", context, status=status)


@require_POST
def confirm(request, hit_id: int):
    def action(hit, data):
        done = services_hits.confirm(actor=request.user, hit=hit, note=data["note"])
        if done.alert_id is None:
            return _("Hit confirmed. No other unit is concerned, so no alert was sent.")
        n = done.alert.recipients.count()
        return ngettext(
            "Hit confirmed: an alert was sent to %(n)d unit.",
            "Hit confirmed: an alert was sent to %(n)d units.",
            n,
        ) % {"n": n}

    return _act(request, hit_id, ConfirmForm, "confirm_form", action)


@require_POST
def dismiss(request, hit_id: int):
    def action(hit, data):
        services_hits.dismiss(actor=request.user, hit=hit, reason=data["reason"])
        return _("Hit dismissed.")

    return _act(request, hit_id, DismissForm, "dismiss_form", action)


@require_POST
def outcome(request, hit_id: int):
    def action(hit, data):
        services_hits.record_outcome(actor=request.user, hit=hit, result=data["result"], note=data["note"])
        return _("Outcome recorded.")

    return _act(request, hit_id, HitOutcomeForm, "outcome_form", action)


def percent(rate) -> float | None:
    """A rate (0..1) as a percentage for the pages, None when unknown."""
    return None if rate is None else rate * 100


def page_counts(counts: dict) -> dict:
    """selectors_hits' counts of a list or a rule, with what screening/_hit_counts.html shows."""
    counts = dict(counts)
    counts.setdefault("screened", None)
    counts["hit_pct"] = percent(counts.get("hit_rate"))
    counts["outcome_pct"] = percent(counts["outcome_rate"])
    counts["confirmation_pct"] = percent(counts["confirmation_rate"])
    counts["outcome_rows"] = [(Result(r).label, n) for r, n in counts["outcomes"].items() if n]
    return counts
