"""Sign-in in two steps: password, then the second factor (TOTP). A non-demo account
without a device enrols one on its first sign-in. The session is only created
(django.contrib.auth.login) once both steps have succeeded."""

from __future__ import annotations

import base64
import time

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from aircop.accounts import ratelimit, services
from aircop.accounts.models import User
from aircop.core.middleware import client_ip
from aircop.web.forms import LoginForm, TokenForm

PENDING_KEY = "aircop_pending_login"
PENDING_SECONDS = 300


def _error_message(code: str) -> str:
    if code == "locked":
        return _(
            "This account is locked after too many failed sign-in attempts. "
            "Ask your programme administrator to unlock it."
        )
    if code == "inactive":
        return _("This account is disabled.")
    return _("Wrong username, password or code.")


def _refused_attempt(request, username: str) -> ratelimit.Verdict | None:
    """Count one sign-in attempt (password, code or enrolment step) against the client IP
    (AIRCOP_RATE_LOGIN_IP) and the username (AIRCOP_RATE_LOGIN). The refusing verdict, or None."""
    verdict = ratelimit.hit(ratelimit.LOGIN_IP, client_ip(request) or "")
    if verdict is None or not verdict.allowed:
        return verdict
    verdict = ratelimit.hit(ratelimit.LOGIN_USERNAME, username.strip().lower())
    return verdict if verdict is not None and not verdict.allowed else None


def _too_many(request, template: str, context: dict, verdict: ratelimit.Verdict):
    """The same page again, status 429, with Retry-After and a message saying when to retry."""
    messages.error(
        request,
        _("Too many sign-in attempts. Wait %(seconds)s s before trying again.")
        % {"seconds": verdict.retry_after},
    )
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("web:home")


def _pending_user(request) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True, locked_at__isnull=True).first()


def _finish(request, user: User, device=None) -> HttpResponseRedirect:
    target = request.session.get(PENDING_KEY, {}).get("next") or reverse("web:home")
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="aircop.accounts.backends.LockoutAwareBackend")
    if device is not None:
        otp_login(request, device)
    services.record_login(user=user, second_factor=device is not None)
    return redirect(target)


@login_not_required
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect("web:home")
    form = LoginForm(request.POST or None)
    context = {"form": form, "next": request.GET.get("next", "")}
    if request.method == "POST":
        refused = _refused_attempt(request, request.POST.get("username", ""))
        if refused is not None:
            return _too_many(request, "web/login.html", context, refused)
    if request.method == "POST" and form.is_valid():
        check = services.check_password(
            username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if check.user is None:
            messages.error(request, _error_message(check.error))
        else:
            user = check.user
            request.session[PENDING_KEY] = {
                "user_id": user.pk,
                "at": time.time(),
                "next": _safe_next(request),
            }
            if services.confirmed_device(user) is not None:
                return redirect("web:login-verify")
            if user.requires_second_factor:
                return redirect("web:login-enrol")
            return _finish(request, user)
    return render(request, "web/login.html", context)


@login_not_required
@never_cache
def verify_view(request):
    user = _pending_user(request)
    if user is None:
        messages.error(request, _("Your sign-in expired. Please start again."))
        return redirect("web:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST":
        refused = _refused_attempt(request, user.username)
        if refused is not None:
            return _too_many(request, "web/login_verify.html", {"form": form}, refused)
    if request.method == "POST" and form.is_valid():
        device, error = services.check_second_factor(user=user, token=form.cleaned_data["token"])
        if device is not None:
            return _finish(request, user, device)
        if error == "locked":
            request.session.pop(PENDING_KEY, None)
            messages.error(request, _error_message("locked"))
            return redirect("web:login")
        messages.error(request, _error_message(error))
    return render(request, "web/login_verify.html", {"form": form})


def _qr_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111", light="#fff")


@login_not_required
@never_cache
def enrol_view(request):
    """First sign-in of an account without a second factor: show a QR code, confirm a code."""
    user = _pending_user(request)
    if user is None:
        messages.error(request, _("Your sign-in expired. Please start again."))
        return redirect("web:login")
    if services.confirmed_device(user) is not None:
        return redirect("web:login-verify")
    form = TokenForm(request.POST or None)
    refused = _refused_attempt(request, user.username) if request.method == "POST" else None
    if refused is not None:
        device = services.pending_device(user)
    elif request.method == "POST" and form.is_valid():
        device = services.confirm_totp_enrolment(user=user, token=form.cleaned_data["token"])
        if device is not None:
            messages.success(request, _("Your authenticator app is enrolled."))
            return _finish(request, user, device)
        user.refresh_from_db(fields=["locked_at"])
        if user.is_locked:
            request.session.pop(PENDING_KEY, None)
            messages.error(request, _error_message("locked"))
            return redirect("web:login")
        messages.error(request, _("That code did not match. Check your phone's clock and try again."))
        device = services.pending_device(user)
    else:
        device = services.start_totp_enrolment(user=user)
    context = {
        "form": form,
        "qr_svg": _qr_svg(device) if device else "",
        "secret_b32": _base32(device.bin_key) if device else "",
    }
    if refused is not None:
        return _too_many(request, "web/login_enrol.html", context, refused)
    return render(request, "web/login_enrol.html", context)


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        services.record_logout(user=request.user)
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("web:login")
