from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aircop.accounts import selectors as account_selectors
from aircop.accounts import services as account_services
from aircop.accounts.models import Role
from aircop.audit import selectors as audit_selectors
from aircop.audit.services import verify as verify_chain
from aircop.core.errors import ServiceError
from aircop.network import selectors
from aircop.web.forms import CreateTokenForm


def home(request):
    memberships = list(selectors.my_memberships(request.user))
    colleagues = list(selectors.colleagues(request.user))
    by_unit = {m.unit_id: [] for m in memberships}
    for c in colleagues:
        by_unit.setdefault(c.unit_id, []).append(c)
    return render(
        request,
        "web/home.html",
        {
            "units": [(m, by_unit.get(m.unit_id, [])) for m in memberships],
        },
    )


def directory(request):
    region = request.GET.get("region") or None
    country = request.GET.get("country") or None
    kind = request.GET.get("kind") or None
    units = selectors.units(request.user, region=region, country=country, kind=kind)
    return render(
        request,
        "web/directory.html",
        {
            "regions": selectors.regions_with_countries(request.user),
            "units": units,
            "groups": selectors.groups(request.user),
            "filters": {"region": region or "", "country": country or "", "kind": kind or ""},
        },
    )


def unit_detail(request, code):
    unit = selectors.unit(request.user, code)
    try:
        roster = list(selectors.roster(request.user, unit))
    except Http404:
        roster = None  # the unit is in the directory; its people are need-to-know
    return render(request, "web/unit.html", {"unit": unit, "roster": roster})


def unit_members(request, code):
    """The roster alone: 404 for anyone outside the unit's need-to-know."""
    unit = selectors.unit(request.user, code)
    roster = selectors.roster(request.user, unit)
    return render(request, "web/unit_members.html", {"unit": unit, "roster": roster})


def account(request):
    form = CreateTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = account_services.create_token(
                actor=request.user,
                user=request.user,
                days=form.cleaned_data["days"],
                name=form.cleaned_data["name"],
            )
        except ServiceError as exc:
            form.add_error("days", exc.message)
        form = CreateTokenForm() if new_token else form
    return render(
        request,
        "web/account.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": account_selectors.my_tokens(request.user),
            "has_device": account_services.confirmed_device(request.user) is not None,
        },
    )


@require_POST
def revoke_token(request, token_id):
    token = account_selectors.my_tokens(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404("not found")
    account_services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("web:account")


def audit_log(request):
    if request.user.role not in {Role.AUDITOR, Role.ADMIN}:
        raise PermissionDenied
    entries = audit_selectors.audit_entries(request.user, action=request.GET.get("action") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    chain = verify_chain() if request.GET.get("verify") else None
    return render(
        request, "web/audit.html", {"page": page, "chain": chain, "action": request.GET.get("action", "")}
    )
