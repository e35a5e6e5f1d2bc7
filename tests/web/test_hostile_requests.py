"""Hostile requests: CSRF on every page URL and on the API's session access, open redirects
through every ``next`` and redirect parameter, and the security headers on pages, the API,
static files and downloads (production settings included)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from aircop.audit.models import AuditEntry
from aircop.messaging.models import Alert, Message
from tests.conftest import DEMO_PASSWORD

CSRF_COOKIE = settings.CSRF_COOKIE_NAME


def csrf_client(username: str) -> Client:
    """Signed in through the real sign-in form, with Django's CSRF checks on as in a browser."""
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies[CSRF_COOKIE].value
    response = client.post(
        "/login/", {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response.url == "/", response.status_code
    return client


def token_of(client: Client) -> str:
    return client.cookies[CSRF_COOKIE].value


# ------------------------------------------------------------------ every page URL pattern
SAMPLES = {"int": "1", "slug": "jaitf-lfw", "str": "x", "path": "1", "uuid": "0" * 32}
REGEX_SAMPLES = {"fmt": "html", "name": "cocaine-bridge"}


def _fill_route(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)


def _fill_regex(regex: str) -> str:
    def group(m):
        name, body = m.group(1), m.group(2)
        if name in REGEX_SAMPLES:
            return REGEX_SAMPLES[name]
        if "0-9" in body or "\\d" in body:
            return "1"
        return body.split("|")[0].strip("()") if "|" in body else "x"

    text = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", group, regex)
    return text.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\.", ".").replace("\\", "")


def page_urls(patterns=None, prefix="") -> list[str]:
    """One concrete URL per URL pattern of the site, outside /api/ (checked separately)."""
    urls = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        raw = str(p.pattern)
        part = _fill_route(raw) if "(?P<" not in raw and "^" not in raw else _fill_regex(raw)
        if isinstance(p, URLResolver):
            if prefix + part == "api/v1/":
                continue
            urls.extend(page_urls(p.url_patterns, prefix + part))
        elif isinstance(p, URLPattern):
            urls.append("/" + prefix + part)
    return sorted(set(urls))


def test_the_url_enumeration_finds_every_app_and_the_urls_resolve():
    urls = page_urls()
    resolved = []
    for url in urls:
        try:
            resolve(url)
            resolved.append(url)
        except Resolver404:
            pass
    for expected in ("/alerts/1/reply/", "/seizures/1/submit/", "/watchlists/jaitf-lfw/entries/new/",
                     "/hits/1/dismiss/", "/rules/jaitf-lfw/activate/", "/operations/jaitf-lfw/sitreps/file/",
                     "/capacity/activities/1/participants/add/", "/capacity/library/new/", "/passengers/upload/",
                     "/login/", "/logout/", "/account/tokens/1/revoke/", "/i18n/setlang/"):  # fmt: skip
        assert expected in resolved, expected
    assert len(resolved) > 100  # the admin's patterns included


def counts() -> tuple:
    return (AuditEntry.objects.count(), Alert.objects.count(), Message.objects.count())


def test_every_page_url_refuses_a_post_without_the_csrf_token_and_changes_nothing(user_named):
    from aircop.messaging import services

    alert = services.send_alert(
        sender=user_named("officer-gru"),
        kind="general",
        title="CSRF target",
        audience_entries=[{"scope": "unit", "target": "jaitf-lfw"}],
    )
    client = csrf_client("officer-lfw")
    admin = csrf_client("admin")
    before = counts()
    checked = 0
    for url in page_urls():
        url = url.replace("/alerts/1/", f"/alerts/{alert.pk}/")
        try:
            resolve(url)
        except Resolver404:
            continue
        who = admin if url.startswith("/admin/") else client
        response = who.post(url, {"body": "forged", "title": "forged", "priority": "flash"})
        assert response.status_code == 403, (url, response.status_code)
        assert b"CSRF" in response.content or response.status_code == 403
        checked += 1
    assert checked > 100
    assert counts() == before
    # The same POST with the token goes through: the refusal above was the missing token.
    ok = client.post(
        f"/alerts/{alert.pk}/reply/", {"body": "with token", "csrfmiddlewaretoken": token_of(client)}
    )
    assert ok.status_code == 302 and Message.objects.filter(alert=alert, body="with token").exists()
    # A token from another session is refused too.
    other = csrf_client("head-lfw")
    forged = client.post(f"/alerts/{alert.pk}/reply/", {"body": "x", "csrfmiddlewaretoken": token_of(other)})
    assert forged.status_code == 403


# ------------------------------------------------------------------ the API: session vs bearer
def api_unsafe_operations() -> list[tuple[str, str]]:
    from aircop.api import api

    schema = api.get_openapi_schema()
    found = []
    for path, item in schema["paths"].items():
        for method in item:
            if method.upper() in ("POST", "PUT", "PATCH", "DELETE"):
                url = re.sub(
                    r"\{(\w+)\}", lambda m: "1" if "id" in m.group(1) or m.group(1) == "number" else "x", path
                )
                found.append((method.upper(), url))
    return found


def test_the_api_with_a_session_cookie_refuses_every_unsafe_method_without_the_csrf_token(db):
    operations = api_unsafe_operations()
    assert len(operations) > 20, operations
    client = csrf_client("officer-lfw")
    before = counts()
    for method, url in operations:
        response = client.generic(method, url, '{"title": "forged"}', content_type="application/json")
        assert response.status_code == 403, (method, url, response.status_code, response.content[:200])
    assert counts() == before
    # A safe method with the session works, and so does an unsafe one with the token in the header.
    assert client.get("/api/v1/me").status_code == 200
    sent = client.post(
        "/api/v1/alerts",
        {
            "kind": "general",
            "title": "with the token",
            "audience": [{"scope": "unit", "target": "jaitf-gru"}],
        },
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token_of(client),
    )
    assert sent.status_code in (200, 201), sent.content


def test_bearer_token_calls_are_not_bound_to_csrf(user_named):
    from aircop.accounts.services import create_token

    _row, raw = create_token(actor=None, user=user_named("officer-lfw"), days=1)
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    sent = client.post(
        "/api/v1/alerts",
        {"kind": "general", "title": "by a program", "audience": [{"scope": "unit", "target": "jaitf-gru"}]},
        content_type="application/json",
    )
    assert sent.status_code in (200, 201), sent.content
    assert Alert.objects.filter(title="by a program").exists()
    # A bearer token does not open the pages (they need the session, and their CSRF check stays).
    assert client.post("/alerts/new/", {"title": "x"}).status_code in (302, 403)


# ------------------------------------------------------------------ open redirects
EVIL = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "https:evil.example",
    "https://testserver.evil.example/",
    "https://evil.example\\@testserver/",
    "https://testserver@evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example",
    "/%5Cevil.example",
]


def on_site(location: str, base: str = "http://testserver/login/") -> bool:
    """Where a browser would go stays on this site: resolved against the page like a browser
    does (tabs and newlines dropped, a backslash read as a slash), the scheme is http(s) and
    the host is ours. Percent-encoded slashes stay in the path: browsers do not decode them."""
    from urllib.parse import urljoin, urlsplit

    cleaned = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    if cleaned.startswith("//"):  # any run of slashes names a host to a browser
        return False
    parts = urlsplit(urljoin(base, cleaned))
    return parts.scheme in ("http", "https") and parts.netloc == "testserver"


def test_self_check_on_site_refuses_every_evil_target_and_accepts_paths():
    encoded = [t for t in EVIL if "%" in t]
    assert all(not on_site(target) for target in EVIL if target not in encoded), [
        t for t in EVIL if t not in encoded and on_site(t)
    ]
    assert all(on_site(target) for target in encoded)  # a path of ours, percent signs and all
    assert on_site("/") and on_site("/alerts/?page=2") and on_site("http://testserver/alerts/")


def _login(client, username=None, password=DEMO_PASSWORD, **extra):
    return client.post("/login/", {"username": username or "officer-lfw", "password": password, **extra})


@pytest.mark.parametrize("target", EVIL)
def test_the_next_check_of_the_sign_in_refuses_every_external_target(rf, target):
    from aircop.web.views.auth import _safe_next

    for request in (rf.post("/login/", {"next": target}), rf.get("/login/", {"next": target})):
        assert on_site(_safe_next(request)), _safe_next(request)


# The whole sign-in for a sample (each one checks a password hash, which takes its time).
@pytest.mark.parametrize(
    "target", [*EVIL[:5], "javascript:alert(1)", "/%2F%2Fevil.example", "/\t/evil.example"]
)
def test_sign_in_refuses_an_external_next(db, target):
    # As a form field (the hidden input of the sign-in form) and as the query parameter.
    response = _login(Client(), next=target)
    assert response.status_code == 302 and on_site(response.url), response.url
    if "%" not in target:
        assert response.url == "/"
    client = Client()
    page = client.get("/login/", {"next": target})
    assert page.status_code == 200
    response = client.post(f"/login/?next={target}", {"username": "officer-gru", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and on_site(response.url), response.url
    if "%" not in target:
        assert response.url == "/"


def test_sign_in_honours_a_next_on_the_site(db):
    response = _login(Client(), next="/alerts/?page=1")
    assert response.status_code == 302 and response.url == "/alerts/?page=1"


@pytest.mark.parametrize("target", EVIL)
def test_language_switch_refuses_an_external_next_and_referer(db, target):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": target})
    assert response.status_code in (302, 204), response.status_code
    if response.status_code == 302:
        assert on_site(response["Location"]), response["Location"]
    response = client.post("/i18n/setlang/", {"language": "fr"}, HTTP_REFERER=target)
    if response.status_code == 302:
        assert on_site(response["Location"]), response["Location"]
    ok = client.post("/i18n/setlang/", {"language": "fr", "next": "/network/"})
    assert ok.status_code == 302 and ok["Location"] == "/network/"


@pytest.mark.parametrize("target", EVIL[:6])
def test_logout_and_the_admin_sign_in_redirect_stay_on_the_site(client_for, target):
    client = client_for("officer-lfw")
    response = client.post(f"/logout/?next={target}", {"next": target})
    assert response.status_code == 302 and response.url == "/login/"
    admin_login = Client().get("/admin/login/", {"next": target})
    assert admin_login.status_code == 302 and admin_login.url.startswith("/login/?")
    # Following the admin's redirect through the sign-in lands on the site.
    client = Client()
    client.get(admin_login.url)
    query = admin_login.url.split("?", 1)[1]
    response = client.post(f"/login/?{query}", {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and on_site(response.url), response.url


@pytest.fixture
def otp_users(db, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from aircop.accounts import services
    from aircop.network.models import Unit
    from aircop.network.services import add_member

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    password = "correct horse battery staple 42"
    users = {}
    for name in ("k.enrolled", "k.new"):
        user = services.create_user(actor=None, username=name, password=password, role="officer")
        add_member(actor=None, user=user, unit=Unit.objects.get(code="jaitf-lfw"), agency="customs")
        users[name] = user
    device = TOTPDevice.objects.create(user=users["k.enrolled"], name="phone", confirmed=True)
    return password, device


def _code(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"]
)
def test_second_factor_steps_keep_the_redirect_on_the_site(otp_users, target):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password, device = otp_users
    client = Client()
    step = client.post(
        f"/login/?next={target}", {"username": "k.enrolled", "password": password, "next": target}
    )
    assert step.status_code == 302 and step.url == "/login/verify/"
    done = client.post(f"/login/verify/?next={target}", {"token": _code(device), "next": target})
    assert done.status_code == 302 and done.url == "/", done.url
    client = Client()
    step = client.post("/login/", {"username": "k.new", "password": password, "next": target})
    assert step.status_code == 302 and step.url == "/login/enrol/"
    client.get("/login/enrol/")
    pending = TOTPDevice.objects.get(user__username="k.new", confirmed=False)
    done = client.post(f"/login/enrol/?next={target}", {"token": _code(pending), "next": target})
    assert done.status_code == 302 and done.url == "/", done.url


@pytest.mark.parametrize(
    "path", ["//evil.example", "//evil.example/", "/\\evil.example", "///evil.example/x"]
)
def test_paths_that_look_like_other_hosts_never_redirect_off_the_site(client_for, path):
    for client in (Client(), client_for("officer-lfw")):
        response = client.get(path)
        if response.status_code in (301, 302):
            assert on_site(response["Location"]), (path, response["Location"])


# ------------------------------------------------------------------ security headers
def csp_directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def assert_page_headers(response, *, protected: bool):
    csp = csp_directives(response)
    assert csp, "no Content-Security-Policy"
    scripts = csp.get("script-src") or csp.get("default-src")
    assert scripts == ["'self'"], scripts
    assert not any("unsafe" in v or v in ("*", "data:", "http:", "https:") for v in csp.get("script-src", []))
    assert csp.get("object-src") == ["'none'"] and csp.get("frame-ancestors") == ["'none'"]
    assert csp.get("base-uri") == ["'self'"] and csp.get("form-action") == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if protected:
        assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


PROTECTED_PAGES = ["/", "/alerts/", "/seizures/", "/watchlists/", "/hits/", "/rules/", "/operations/",
                   "/capacity/", "/capacity/library/", "/passengers/", "/network/", "/account/", "/audit/",
                   "/analytics/"]  # fmt: skip


def test_pages_carry_the_security_headers_and_protected_ones_are_not_stored(client_for):
    client = client_for("auditor")
    for url in PROTECTED_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_page_headers(response, protected=True)
    anonymous = Client()
    sign_in = anonymous.get("/login/")
    assert_page_headers(sign_in, protected=False)
    assert "no-store" in sign_in["Cache-Control"] or "no-cache" in sign_in["Cache-Control"]  # never_cache
    assert_page_headers(client.get("/alerts/999999/"), protected=True)  # error pages too


def test_the_api_answers_json_with_nosniff_and_is_never_stored(user_named):
    from aircop.accounts.services import create_token

    _row, raw = create_token(actor=None, user=user_named("officer-lfw"), days=1)
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for url in ("/api/v1/me", "/api/v1/alerts", "/api/v1/seizures", "/api/v1/watchlists", "/api/v1/hits"):
        response = bearer.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.get("Cache-Control", ""), (url, response.get("Cache-Control"))
        assert csp_directives(response).get("frame-ancestors") == ["'none'"]
    refused = Client().get("/api/v1/alerts")
    assert refused.status_code == 401 and refused["Content-Type"].startswith("application/json")


def test_static_files_are_nosniff_and_served_with_their_own_type(db):
    client = Client()
    for path, kind in (("/static/web/aircop.js", "javascript"), ("/static/web/aircop.css", "text/css")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert kind in response["Content-Type"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        b"".join(response.streaming_content) if response.streaming else response.content


def test_production_settings_turn_on_hsts_and_secure_cookies():
    """What settings.py makes of the environment of a production machine (and of one with TLS
    switched off), read in a fresh interpreter."""
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='aircop.settings'; django.setup();"
        "from django.conf import settings as s; print(json.dumps([s.DEBUG, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE]))"
    )

    def read(**env):
        full = {k: v for k, v in os.environ.items() if not k.startswith("AIRCOP_")} | env
        full.setdefault("AIRCOP_VAR_DIR", os.environ.get("AIRCOP_VAR_DIR", str(settings.VAR_DIR)))
        out = subprocess.run(
            [sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True
        )
        return __import__("json").loads(out.stdout)

    production = read()  # the defaults are the production ones
    assert production == [False, 31536000, True, True, True, True, True, "Lax", "Lax"]
    plain = read(AIRCOP_SECURE_COOKIES="false")
    assert plain[1] == 0 and plain[2:5] == [False, False, False]
    assert read(AIRCOP_DEBUG="true")[1] == 0


def test_under_tls_the_answers_carry_hsts_and_the_cookies_are_secure_httponly_samesite(db):
    with override_settings(
        SECURE_HSTS_SECONDS=31536000,
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
        LANGUAGE_COOKIE_SECURE=True,
    ):
        client = Client()
        page = client.get("/login/", secure=True)
        assert page["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "Strict-Transport-Security" not in client.get("/login/")  # not on plain HTTP
        proxied = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
        assert "Strict-Transport-Security" in proxied
        response = client.post("/login/", {"username": "officer-lfw", "password": DEMO_PASSWORD}, secure=True)
        assert response.status_code == 302
        language = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, secure=True)
        assert language.status_code == 302
        names = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
        assert names <= set(client.cookies), set(client.cookies)
        for name in names:
            morsel = client.cookies[name]
            assert morsel["secure"] and morsel["httponly"], name
            assert morsel["samesite"] == "Lax", name
