from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from ninja.security import HttpBearer
from ninja.security import session as ninja_session

from aircop.accounts import ratelimit, services
from aircop.core.middleware import client_ip
from aircop.network import selectors as network_selectors

ANON_COUNTED = "_aircop_anon_counted"


def count_anonymous(request) -> None:
    """Count a request without valid credentials against its client IP (once per request);
    raise RateLimited over AIRCOP_RATE_ANON."""
    if getattr(request, ANON_COUNTED, False):
        return
    setattr(request, ANON_COUNTED, True)
    ratelimit.check(ratelimit.API_ANON, client_ip(request) or "")


class BearerToken(HttpBearer):
    """`Authorization: Bearer aircop_…` — a token made with `aircop token USERNAME`.
    Rate limited per token (AIRCOP_RATE_API); a client IP that has spent its allowance of
    requests without valid credentials (AIRCOP_RATE_ANON) has no token looked up until the
    window ends, so tokens cannot be tried quickly."""

    def authenticate(self, request, token):
        blocked = ratelimit.peek(ratelimit.API_ANON, client_ip(request) or "")
        if blocked is not None and blocked.count > blocked.limit:
            raise ratelimit.RateLimited(blocked)
        row = services.authenticate_token_row(token, path=request.path)
        if row is None:
            count_anonymous(request)
            return None
        ratelimit.check(ratelimit.API_TOKEN, row.key_hash)
        request.user = row.user
        return row.user


class SessionAuth(ninja_session.SessionAuth):
    """The signed-in browser session (with its CSRF token), rate limited per user
    (AIRCOP_RATE_API). Same class name as ninja's: the OpenAPI security scheme keeps its name."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            ratelimit.check(ratelimit.API_USER, f"user:{user.pk}")
        return user


# Every endpoint: a bearer token, or the signed-in browser session (with its CSRF token).
api_auth = [BearerToken(), SessionAuth()]

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    unit: str
    unit_name: str
    unit_kind: str
    agency: str
    is_head: bool


class MeOut(Schema):
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    vetting_status: str
    vetting_date: date | None
    second_factor: bool
    units: list[MembershipOut]


@router.get("/me", response=MeOut, summary="The signed-in user, their role and units")
def me(request):
    user = request.user
    return MeOut(
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        role=user.role,
        vetting_status=user.vetting_status,
        vetting_date=user.vetting_date,
        second_factor=services.confirmed_device(user) is not None,
        units=[
            MembershipOut(
                unit=m.unit.code,
                unit_name=m.unit.name,
                unit_kind=m.unit.kind,
                agency=m.agency,
                is_head=m.is_head,
            )
            for m in network_selectors.my_memberships(user)
        ],
    )
