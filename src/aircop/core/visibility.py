"""The one place that decides who may see what (need-to-know).

Each domain app registers, for each protected model, a policy: a function that takes a
queryset and a user and returns the part of the queryset that user may see. Every selector
reads protected data through :func:`visible_to`; a model without a registered policy
raises instead of leaking, so a new table cannot be read by accident.
A record outside a user's view is answered as if it did not exist (404), never 403, so
its existence is not disclosed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.http import Http404

Policy = Callable[[QuerySet, object], QuerySet]

_policies: dict[type[Model], Policy] = {}


class NoVisibilityPolicy(LookupError):
    pass


def register(model: type[Model]):
    """Decorator: ``@register(Unit)`` on ``def units_policy(qs, user) -> qs``."""

    def decorator(func: Policy) -> Policy:
        _policies[model] = func
        return func

    return decorator


def visible_to(queryset_or_model, user) -> QuerySet:
    qs = queryset_or_model.objects.all() if isinstance(queryset_or_model, type) else queryset_or_model
    policy = _policies.get(qs.model)
    if policy is None:
        raise NoVisibilityPolicy(f"no visibility policy registered for {qs.model.__name__}")
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return qs.none()
    return policy(qs, user)


def get_visible_or_404(queryset_or_model, user, **lookup):
    try:
        return visible_to(queryset_or_model, user).get(**lookup)
    except (
        queryset_or_model if isinstance(queryset_or_model, type) else queryset_or_model.model
    ).DoesNotExist:
        raise Http404("not found") from None


def registered_models() -> list[type[Model]]:
    return list(_policies)
