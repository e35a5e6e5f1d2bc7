from django.db.models import Q

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
