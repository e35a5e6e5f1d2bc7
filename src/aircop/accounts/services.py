"""Every write to accounts: users, sign-in outcomes, lock-out, second factor, API tokens.
Each function is atomic and appends to the audit log in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from aircop.accounts.models import ApiToken, Role, User, VettingStatus
from aircop.audit.services import record
from aircop.core.errors import ServiceError

TOKEN_PREFIX = "aircop_"  # noqa: S105 - a label, not a secret


# ---------------------------------------------------------------- users


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    password: str | None,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    vetting_status: str = VettingStatus.PENDING,
    vetting_date=None,
    is_demo: bool = False,
    password_hash: str | None = None,
) -> User:
    if role not in Role.values:
        raise ServiceError(_("unknown role %(role)r") % {"role": role}, field="role")
    if User.objects.filter(username__iexact=username).exists():
        raise ServiceError(_("a user named %(name)r already exists") % {"name": username}, field="username")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        vetting_status=vetting_status,
        vetting_date=vetting_date,
        is_demo=is_demo,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    if password_hash:
        user.password = password_hash
    elif password is not None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field="password") from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(actor, "user.created", user, data={"username": username, "role": role, "demo": is_demo})
    return user


@transaction.atomic
def unlock_user(*, actor, user: User) -> None:
    User.objects.filter(pk=user.pk).update(locked_at=None, failed_logins=0)
    user.locked_at, user.failed_logins = None, 0
    record(actor, "account.unlocked", user)


@transaction.atomic
def set_vetting(*, actor, user: User, status: str, date=None) -> None:
    if status not in VettingStatus.values:
        raise ServiceError(
            _("unknown vetting status %(status)r") % {"status": status}, field="vetting_status"
        )
    User.objects.filter(pk=user.pk).update(vetting_status=status, vetting_date=date)
    record(actor, "account.vetting", user, data={"status": status, "date": date})


# ---------------------------------------------------------------- sign-in


@dataclass
class PasswordCheck:
    user: User | None
    error: str | None  # "invalid", "locked", "inactive"


def _register_failure(user: User | None, username: str, stage: str) -> str:
    """Count a failed attempt; lock the account at the limit. Returns the error code."""
    if user is None:
        record(None, "login.failed", data={"username": username[:150], "stage": stage, "known": False})
        return "invalid"
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins", "locked_at"])
    record(
        None,
        "login.failed",
        user,
        data={"username": user.username, "stage": stage, "attempt": user.failed_logins},
    )
    if user.failed_logins >= settings.AIRCOP_MAX_FAILED_LOGINS and user.locked_at is None:
        user.locked_at = timezone.now()
        User.objects.filter(pk=user.pk).update(locked_at=user.locked_at)
        record(None, "account.locked", user, data={"after_failures": user.failed_logins})
        return "locked"
    return "invalid"


@transaction.atomic
def check_password(*, username: str, password: str) -> PasswordCheck:
    known = User.objects.select_for_update().filter(username=username).first()
    if known is not None and known.is_locked:
        record(None, "login.refused_locked", known)
        return PasswordCheck(None, "locked")
    user = authenticate(username=username, password=password)
    if user is None:
        if known is not None and not known.is_active and known.check_password(password):
            return PasswordCheck(None, "inactive")
        return PasswordCheck(None, _register_failure(known, username, "password"))
    return PasswordCheck(user, None)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def check_second_factor(*, user: User, token: str) -> tuple[TOTPDevice | None, str | None]:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked:
        return None, "locked"
    token = (token or "").strip().replace(" ", "")
    device = confirmed_device(user)
    if device is not None and token.isdigit() and device.verify_token(token):
        return device, None
    return None, _register_failure(user, user.username, "second_factor")


@transaction.atomic
def record_login(*, user: User, second_factor: bool) -> None:
    if user.failed_logins:
        User.objects.filter(pk=user.pk).update(failed_logins=0)
        user.failed_logins = 0
    record(user, "login.succeeded", user, data={"second_factor": second_factor})


@transaction.atomic
def record_logout(*, user: User) -> None:
    record(user, "logout", user)


@transaction.atomic
def start_totp_enrolment(*, user: User) -> TOTPDevice:
    if confirmed_device(user) is not None:
        raise ServiceError(_("a second-factor device is already enrolled"), field="device")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    record(user, "otp.enrolment_started", user)
    return device


def pending_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


@transaction.atomic
def confirm_totp_enrolment(*, user: User, token: str) -> TOTPDevice | None:
    device = pending_device(user)
    token = (token or "").strip().replace(" ", "")
    if device is None or not token.isdigit() or not device.verify_token(token):
        _register_failure(user, user.username, "enrolment")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(user, "otp.enrolled", user)
    return device


@transaction.atomic
def reset_second_factor(*, actor, user: User) -> None:
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    record(actor, "otp.reset", user, data={"devices_removed": count})


# ---------------------------------------------------------------- API tokens


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(*, actor, user: User, days: int = 90, name: str = "") -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and never shown again."""
    if days < 1 or days > 366:
        raise ServiceError(_("a token lives between 1 and 366 days"), field="days")
    if not user.is_active:
        raise ServiceError(_("user %(name)r is inactive") % {"name": user.username}, field="user")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 5],
        key_hash=_hash_token(raw),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    record(
        actor,
        "token.created",
        token,
        data={"user": user.username, "expires_at": token.expires_at, "name": name},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=token.revoked_at)
    record(actor, "token.revoked", token, data={"user": token.user.username})


# A token's use is written down (last_used_at, audit entry token.used) at most this often.
TOKEN_USE_RECORD_SECONDS = 60


def authenticate_token(raw: str, *, path: str = "") -> User | None:
    """The user behind a bearer token, or None when unknown, revoked, expired or inactive.
    Every refusal is audited; an accepted token's use once a minute (TOKEN_USE_RECORD_SECONDS)."""
    token = authenticate_token_row(raw, path=path)
    return token.user if token is not None else None


def authenticate_token_row(raw: str, *, path: str = "") -> ApiToken | None:
    """The valid token row (with its user), or None; audited like authenticate_token."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        record(None, "token.refused", data={"reason": "malformed", "path": path[:200]})
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash_token(raw)).first()
    if token is None:
        record(None, "token.refused", data={"reason": "unknown", "path": path[:200]})
        return None
    if not token.is_valid or not token.user.is_active or token.user.is_locked:
        reason = (
            "revoked" if token.revoked_at else "expired" if token.expires_at <= timezone.now() else "user"
        )
        record(None, "token.refused", token, data={"reason": reason, "path": path[:200]})
        return None
    # Use is recorded once a minute per token, not on every call: a program polling or posting
    # many times a second would otherwise put a row lock and an audit entry (the chain's lock)
    # on every request. What a token changes is audited by the service that changes it.
    now = timezone.now()
    since = now - timedelta(seconds=TOKEN_USE_RECORD_SECONDS)
    # No transaction around the reads: on SQLite it would take the write lock on every call.
    if token.last_used_at is None or token.last_used_at <= since:
        with transaction.atomic():
            claimed = (
                ApiToken.objects.filter(pk=token.pk)
                .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=since))
                .update(last_used_at=now)
            )
            if claimed:  # one of several simultaneous requests records it
                record(token.user, "token.used", token, data={"path": path[:200]})
    return token
