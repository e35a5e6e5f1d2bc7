from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from ninja.security import HttpBearer, django_auth

from aircop.accounts import services
from aircop.network import selectors as network_selectors


class BearerToken(HttpBearer):
    """`Authorization: Bearer aircop_…` — a token made with `aircop token USERNAME`."""

    def authenticate(self, request, token):
        user = services.authenticate_token(token, path=request.path)
        if user is not None:
            request.user = user
        return user


# Every endpoint: a bearer token, or the signed-in browser session (with its CSRF token).
api_auth = [BearerToken(), django_auth]

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
