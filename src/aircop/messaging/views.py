"""The HTML side of alerts: inbox, composer, alert page. Thin: forms in, services for
writes, selectors for reads; a ServiceError goes back to the form naming its field."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aircop.core.errors import ServiceError
from aircop.core.middleware import BACKGROUND_HEADER
from aircop.messaging import attachments, search, selectors, services
from aircop.messaging.forms import (
    LABELS,
    AttachmentForm,
    ComposeForm,
    DecisionForm,
    ForwardForm,
    OutcomeForm,
    ReplyForm,
    UpdateForm,
)
from aircop.messaging.models import Kind, Priority, Tlp
from aircop.messaging.rendering import alert_summary
from aircop.seizures import selectors as seizure_selectors

FILTERS = ("kind", "priority", "tlp", "status", "airport")


def inbox(request):
    filters = {k: request.GET.get(k) or None for k in FILTERS}
    query = (request.GET.get("q") or "").strip()
    if query:
        alerts = search.search(request.user, query, limit=100)
    else:
        alerts = selectors.alerts(request.user, **filters)
    page = Paginator(alerts, 30).get_page(request.GET.get("page"))
    my_units = set(request.user.unit_ids())
    acked = selectors.acknowledged_by_my_units(request.user, [a.pk for a in page])
    rows = [(a, a.sender_unit_id in my_units, a.pk in acked) for a in page]
    return render(
        request,
        "messaging/inbox.html",
        {
            "rows": rows,
            "page": page,
            "filters": {k: v or "" for k, v in filters.items()},
            "q": query,
            "keep": urlencode({k: v for k, v in {**filters, "q": query}.items() if v}),
            "kinds": Kind.choices,
            "priorities": Priority.choices,
            "tlps": Tlp.choices,
            "unread": selectors.unread_count(request.user),
        },
    )


def _apply_service_error(form, exc: ServiceError):
    """Attach a service error to the form field it names, or to the form as a whole."""
    field = (exc.field or "").split("[")[0].split(".")[0]
    to = "to_operation" if form.cleaned_data.get("to_operation") else "to_units"
    mapping = {"audience": to, "details": None, "nominal": None}
    target = mapping.get(field, field)
    if exc.field and (exc.field.startswith("details.") or exc.field.startswith("nominal.")):
        kind = form.cleaned_data.get("kind")
        name = exc.field.split(".", 1)[1].split("[")[0]
        target = f"{kind}__{name}"
    if target in form.fields:
        form.add_error(target, exc.message)
    else:
        form.add_error(None, f"{exc.field}: {exc.message}" if exc.field else exc.message)


def compose(request):
    initial = {"kind": request.GET.get("kind", "passenger"), "client_key": uuid.uuid4().hex}
    if request.GET.get("operation"):  # "Send an alert to the operation" on the operation's pages
        initial["to_operation"] = request.GET["operation"]
    form = ComposeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.send_alert(sender=request.user, **form.service_arguments())
        except services.KeyReused as exc:  # this form sent an alert, came back and was changed
            data = request.POST.copy()
            data["client_key"] = uuid.uuid4().hex  # sending it again is a new alert
            form = ComposeForm(data, user=request.user, initial=initial)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "This form has already sent alert #%(id)d. Nothing more was sent. Send it "
                    "again to send what it holds now as a new alert."
                )
                % {"id": exc.alert_id},
            )
        except ServiceError as exc:
            _apply_service_error(form, exc)
        else:
            if getattr(alert, "replayed", False):
                messages.info(request, _("This alert had already been sent; it was not sent twice."))
            else:
                n = alert.recipients.count()
                messages.success(
                    request,
                    ngettext("Alert sent to %(n)d unit.", "Alert sent to %(n)d units.", n) % {"n": n},
                )
            return redirect("messaging:alert", alert_id=alert.pk)
    return render(request, "messaging/compose.html", {"form": form})


def _rows(data: dict) -> list[tuple[str, str]]:
    return [(LABELS.get(k, k), " → ".join(v) if isinstance(v, list) else v) for k, v in data.items()]


def _context(request, alert, **forms):
    user = request.user
    units = set(user.unit_ids())
    recipients = list(selectors.recipients(user, alert))
    mine = [r for r in recipients if r.unit_id in units]
    outcomes = list(selectors.outcomes(user, alert))
    summary = alert_summary(alert, nominal=selectors.sees_nominal(user, alert))
    return {
        "alert": alert,
        "summary": summary,
        "details_rows": _rows(summary["details"]),
        "nominal_rows": _rows(summary["nominal"]),
        "is_sender": alert.sender_unit_id in units,
        "my_recipient": mine[0] if mine else None,
        "recipients": recipients,
        "acked_count": sum(1 for r in recipients if r.acknowledged_at),
        "outcomes": outcomes,
        "my_outcome": next((o for o in outcomes if o.unit_id in units), None),
        "thread": selectors.thread(user, alert),
        "forward_requests": selectors.forward_requests(user, alert),
        "forwardable": alert.tlp not in services.NOT_FORWARDABLE and alert.operation_id is None,
        "channel_closed": alert.operation_id is not None and alert.operation.has_ended(),
        "attachments": selectors.attachments(user, alert),
        "linked_seizures": seizure_selectors.seizures_of_alert(user, alert),
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "forward_form": forms.get("forward_form") or ForwardForm(user=user),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "update_form": forms.get("update_form")
        or UpdateForm(initial={"priority": alert.priority, "body": alert.body}),
    }


def alert_page(request, alert_id):
    alert = selectors.alert(request.user, alert_id)
    context = _context(request, alert)
    # The page's own live refreshes (live.js) re-read what the person already opened: the
    # opening is audited, not every refresh.
    if context["summary"]["nominal"] and request.headers.get(BACKGROUND_HEADER) != "1":
        services.audit_nominal_read(user=request.user, alert=alert, via="page")
    return render(request, "messaging/alert.html", context)


def _act(request, alert_id, action, form_class=None, form_key=None):
    alert = selectors.alert(request.user, alert_id)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return render(
            request, "messaging/alert.html", _context(request, alert, **{form_key: form}), status=400
        )
    try:
        action(alert, form.cleaned_data if form else None)
    except ServiceError as exc:
        if form is not None and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
            return render(
                request, "messaging/alert.html", _context(request, alert, **{form_key: form}), status=400
            )
        messages.error(request, exc.message)
    return redirect("messaging:alert", alert_id=alert.pk)


@require_POST
def acknowledge(request, alert_id):
    return _act(request, alert_id, lambda alert, _d: services.acknowledge(user=request.user, alert=alert))


@require_POST
def reply(request, alert_id):
    return _act(
        request,
        alert_id,
        lambda alert, d: services.post_message(user=request.user, alert=alert, body=d["body"]),
        ReplyForm,
        "reply_form",
    )


@require_POST
def outcome(request, alert_id):
    return _act(
        request,
        alert_id,
        lambda alert, d: services.record_outcome(user=request.user, alert=alert, **d),
        OutcomeForm,
        "outcome_form",
    )


@require_POST
def forward(request, alert_id):
    def action(alert, d):
        services.request_forward(user=request.user, alert=alert, unit_codes=d["units"], reason=d["reason"])
        messages.success(request, _("Your request was sent to the originating unit."))

    return _act(request, alert_id, action, lambda data: ForwardForm(data, user=request.user), "forward_form")


@require_POST
def decide(request, alert_id, request_id):
    alert = selectors.alert(request.user, alert_id)
    forward_request = selectors.forward_requests(request.user, alert).filter(pk=request_id).first()
    if forward_request is None:
        raise Http404("not found")
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_forward(user=request.user, request=forward_request, approve=approve, note=note)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("messaging:alert", alert_id=alert.pk)


@require_POST
def attach(request, alert_id):
    alert = selectors.alert(request.user, alert_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachments.add_attachment(
                user=request.user,
                alert=alert,
                uploaded_file=form.cleaned_data["file"],
                nominal=form.cleaned_data["nominal"],
            )
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("messaging:alert", alert_id=alert.pk)
    return render(request, "messaging/alert.html", _context(request, alert, attachment_form=form), status=400)


@require_POST
def update(request, alert_id):
    def action(alert, d):
        services.update_alert(
            user=request.user,
            alert=alert,
            priority=d["priority"],
            body=d["body"],
            valid_until=d["valid_until"].replace(tzinfo=None) if d["valid_until"] else None,
        )

    return _act(request, alert_id, action, UpdateForm, "update_form")
