"""The REST API at /api/v1/: one NinjaAPI, one router per domain app.

Every error answer carries a string ``detail``. Besides what each operation declares, the
OpenAPI document declares the answers any operation can give (``common_errors``): 401 and 429,
404 for a path naming a record, and 422 when the framework refuses a parameter or body that
does not match the document; that 422 has the shape of ``ErrorOut``
(``{"detail": "field: message", "field", "problems": [{"field", "message"}]}``), like the
400 of a refused write, instead of django-ninja's list of pydantic errors."""

from http.client import responses as http_responses

from django.http import JsonResponse
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from aircop.accounts import ratelimit
from aircop.accounts.api import api_auth, count_anonymous
from aircop.accounts.api import router as accounts_router
from aircop.analytics.api import router as analytics_router
from aircop.capacity.api import router as capacity_router
from aircop.core.api_schemas import DetailErrorOut, ErrorOut
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


def common_errors(operation) -> dict[int, type]:
    """The error answers an operation can give whatever it declares: the authentication and
    rate-limit refusals, 404 for a path that names a record and 422 for input the framework
    refuses. An operation's own declaration of a code wins."""
    errors: dict[int, type] = {429: DetailErrorOut}
    if operation.auth_callbacks:
        errors[401] = DetailErrorOut
    if "{" in operation.path:
        errors[404] = DetailErrorOut
    if operation.models:
        errors[422] = ErrorOut
    return {status: cls for status, cls in sorted(errors.items()) if status not in operation.response_models}


class AircopOpenAPISchema(OpenAPISchema):
    def responses(self, operation):
        result = super().responses(operation)
        for status, cls in common_errors(operation).items():
            model = operation._create_response_model(cls)
            created = self._create_schema_from_model(model, by_alias=operation.by_alias, mode="serialization")
            schema = created[0]
            result[status] = {
                "description": http_responses.get(status, ""),
                "content": {self.api.renderer.media_type: {"schema": schema}},
            }
        return result


@csrf_exempt
def unknown_path(request):
    """Any other path under /api/v1/ (a path parameter holding a slash or a line break too):
    the API's JSON 404, not the HTML page of the web site."""
    return JsonResponse({"detail": "Not Found"}, status=404)


class StrictJsonParser(Parser):
    """JSON bodies as django-ninja reads them, except that a string holding a lone surrogate
    (an escape such as \\ud800 that is no character) is refused like malformed JSON (400
    "Cannot parse request body") instead of reaching the database, where PostgreSQL raised
    an encoding error (a 500)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        _refuse_lone_surrogates(data)
        return data


def _refuse_lone_surrogates(value) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("a string holds a lone surrogate") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class AircopAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return AircopOpenAPISchema(self, path_prefix)

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        return [*patterns, re_path(r"^[\s\S]*\Z", unknown_path)], app_name, namespace


api = AircopAPI(
    title="AIRCOP API",
    version="1",
    description="Authenticate with `Authorization: Bearer <token>` (create one with `aircop token USERNAME`).",
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=StrictJsonParser(),
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


def _field_path(loc) -> str:
    """("body", "payload", "items", 0, "subtype") -> "items[0].subtype"; ("query", "from") ->
    "from". The location (body, query, path, form, file) and the body argument's name go."""
    location, *rest = list(loc) or ["body"]
    if location == "body":
        rest = rest[1:]
    path = ""
    for part in rest:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path or location


@api.exception_handler(ValidationError)
def invalid_request(request, exc: ValidationError):
    """422 in the shape of ErrorOut: ``detail`` and ``field`` repeat the first problem."""
    problems = [
        {
            "field": _field_path(error.get("loc") or ()),
            "message": str(error.get("msg", "invalid value")).removeprefix("Value error, "),
        }
        for error in exc.errors
    ] or [{"field": "body", "message": "invalid request"}]
    first = problems[0]
    return api.create_response(
        request,
        {"detail": f"{first['field']}: {first['message']}", "field": first["field"], "problems": problems},
        status=422,
    )
