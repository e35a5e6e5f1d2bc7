"""Failures of the infrastructure, answered plainly instead of with a 500: the database
unreachable (a PostgreSQL restart, a failover) is a 503, the file store full a 507, both
with Retry-After. The client is told that nothing was saved and that it may try again;
services are atomic, so a request that failed this way wrote nothing."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from aircop.core.uploads import StoreFull

log = logging.getLogger("aircop.failures")

RETRY_AFTER_SECONDS = 30


def _answer(request, status: int, message: str):
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=status)
    else:
        from django.template.loader import render_to_string

        # Rendered without the request: no context processor may need the database.
        body = render_to_string("web/failure.html", {"status": status, "message": message})
        response = HttpResponse(body, status=status)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: Django calls it inside the ``except`` that caught the failure, wherever it
    happened (a view, a middleware, the API's authentication), so ``sys.exc_info()`` tells
    which failure it was."""
    exception = sys.exc_info()[1]
    if isinstance(exception, StoreFull):
        return _answer(request, 507, _("The file store is full: nothing was saved. Try again later."))
    if isinstance(exception, OperationalError | InterfaceError):
        log.warning("database unavailable for %s %s: %s", request.method, request.path, exception)
        return _answer(
            request, 503, _("The database is not reachable at the moment: nothing was saved. Try again.")
        )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "internal error"}, status=500)
    return defaults.server_error(request)
