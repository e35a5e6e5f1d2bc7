from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.sessions.middleware import SessionMiddleware

from aircop.core import context

# Paths that answer without a session: the API authenticates itself (401, never a redirect),
# the health probe is public, static assets are public.
PUBLIC_PREFIXES = ("/api/", "/healthz", "/static/")


def client_ip(request) -> str | None:
    # Never X-Forwarded-For here: any client can write it. uvicorn replaces the peer address
    # with the forwarded one only when the request comes from a trusted proxy
    # (--forwarded-allow-ips, 127.0.0.1 by default), so REMOTE_ADDR is already right.
    return request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        ctx = context.ActorContext(
            ip=client_ip(request),
            channel=channel,
        )
        with context.acting_from(ctx):
            return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a signed-in user unless its view is marked @login_not_required."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Protected pages must not linger in shared caches or the browser's back-forward cache.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


BACKGROUND_HEADER = "X-AIRCOP-Background"


class IdleAwareSessionMiddleware(SessionMiddleware):
    """Sessions expire after AIRCOP_SESSION_IDLE_MINUTES without a request from the person.
    The page's own background requests (live refresh, long-poll; header X-AIRCOP-Background)
    must not count as activity, so they never extend the session."""

    def process_response(self, request, response):
        if request.headers.get(BACKGROUND_HEADER) == "1":
            return response
        return super().process_response(request, response)
