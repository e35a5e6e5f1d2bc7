from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from aircop.accounts.models import ApiToken, Role, User
from aircop.core.visibility import register, visible_to

# Roles that see every roster of the network.
NETWORK_WIDE = {Role.ADMIN, Role.AUDITOR}


def roster_unit_filter(user, prefix: str = "") -> Q | None:
    """Q over units whose people ``user`` may see, or None when all of them.
    Own units always; a national coordinator also every unit of their countries."""
    if user.role in NETWORK_WIDE:
        return None
    condition = Q(**{f"{prefix}id__in": user.unit_ids()})
    if user.role == Role.COORDINATOR:
        condition |= Q(**{f"{prefix}country_id__in": user.country_codes()})
    return condition


@register(User)
def _users_policy(qs, user):
    units = roster_unit_filter(user, prefix="memberships__unit__")
    if units is None:
        return qs
    return qs.filter(units | Q(pk=user.pk)).distinct()


@register(ApiToken)
def _tokens_policy(qs, user):
    # Tokens are personal; an administrator may see (and revoke) everybody's.
    if user.role == Role.ADMIN:
        return qs
    return qs.filter(user=user)


def my_tokens(user):
    return visible_to(ApiToken, user).filter(user=user)


@dataclass
class OpenCredentials:
    """What a server re-reads for its open sockets, in one batch (messaging/reconcile.py)."""

    users: dict[int, User]  # still active and unlocked, with their unit ids loaded
    tokens: set[int]  # still neither revoked nor expired
    sessions: set[str]  # still in the session store and not expired


def open_credentials(user_ids, token_ids, session_keys) -> OpenCredentials:
    """Four queries whatever the number of sockets. A system read, not a user's: it answers
    whether credentials still hold, and returns nothing to any client."""
    from django.contrib.sessions.models import Session

    from aircop.network.models import Membership

    now = timezone.now()
    users = {
        u.pk: u for u in User.objects.filter(pk__in=set(user_ids), is_active=True, locked_at__isnull=True)
    }
    units: dict[int, list[int]] = defaultdict(list)
    for user_id, unit_id in Membership.objects.filter(user_id__in=users).values_list("user_id", "unit_id"):
        units[user_id].append(unit_id)
    for user_id, user in users.items():
        user._unit_ids = units[user_id]
    tokens = set(
        ApiToken.objects.filter(
            pk__in=set(token_ids), revoked_at__isnull=True, expires_at__gt=now
        ).values_list("pk", flat=True)
    )
    sessions = set(
        Session.objects.filter(session_key__in=set(session_keys), expire_date__gt=now).values_list(
            "session_key", flat=True
        )
    )
    return OpenCredentials(users=users, tokens=tokens, sessions=sessions)
