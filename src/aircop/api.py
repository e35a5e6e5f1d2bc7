"""The REST API at /api/v1/: one NinjaAPI, one router per domain app."""

from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from aircop.accounts import ratelimit
from aircop.accounts.api import api_auth, count_anonymous
from aircop.accounts.api import router as accounts_router
from aircop.analytics.api import router as analytics_router
from aircop.capacity.api import router as capacity_router
from aircop.messaging.api import router as messaging_router
from aircop.messaging.api_attachments import router as attachments_router
from aircop.network.api import router as network_router
from aircop.operations.api import router as operations_router
from aircop.passengers.api import router as passengers_router
from aircop.screening.api import router as screening_router
from aircop.screening.api_check import router as check_router
from aircop.screening.api_hits import router as hits_router
from aircop.screening.api_rules import router as rules_router
from aircop.seizures.api import router as seizures_router

api = NinjaAPI(
    title="AIRCOP API",
    version="1",
    description="Authenticate with `Authorization: Bearer <token>` (create one with `aircop token USERNAME`).",
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/", accounts_router)
api.add_router("/", network_router)
api.add_router("/", messaging_router)
api.add_router("/", attachments_router)
api.add_router("/", seizures_router)
api.add_router("/", analytics_router)
api.add_router("/", passengers_router)
api.add_router("/", screening_router)
api.add_router("/", rules_router)
api.add_router("/", hits_router)
api.add_router("/", check_router)
api.add_router("/", operations_router)
api.add_router("/", capacity_router)


@api.exception_handler(ratelimit.RateLimited)
def too_many_requests(request, exc: ratelimit.RateLimited):
    verdict = exc.verdict
    whose = {
        ratelimit.API_TOKEN: "this token",
        ratelimit.API_USER: "this user",
    }.get(verdict.scope, "this address without valid credentials")
    response = api.create_response(
        request,
        {
            "detail": f"too many requests: {verdict.per_minute} per minute for {whose}; "
            f"retry in {verdict.retry_after} s"
        },
        status=429,
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc: AuthenticationError):
    """401, counted against the client IP: past AIRCOP_RATE_ANON it becomes a 429."""
    try:
        count_anonymous(request)
    except ratelimit.RateLimited as limited:
        return too_many_requests(request, limited)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
