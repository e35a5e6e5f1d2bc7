"""The HTML side: sign-in required, pages render, language and direction, headers."""

import os
import re

import pytest
from django.test import Client


@pytest.mark.parametrize("path", ["/", "/network/", "/network/units/jaitf-lfw/", "/account/", "/audit/"])
def test_pages_redirect_anonymous_users_to_sign_in(db, path):
    response = Client().get(path)
    assert response.status_code == 302 and response.url.startswith("/login/?next=")


def test_healthz_is_public(db):
    response = Client().get("/healthz")
    expected = {"status": "ok", "database": "ok"}
    if os.environ.get("AIRCOP_REDIS_URL"):
        expected["redis"] = "ok"
    assert response.status_code == 200 and response.json() == expected


def test_home_shows_my_units_and_colleagues(client_for):
    page = client_for("officer-lfw").get("/")
    assert page.status_code == 200
    assert b"JAITF Lome (LFW)" in page.content
    assert b"head-lfw" in page.content
    assert b"officer-acc" not in page.content


def test_directory_lists_regions_and_units(client_for):
    page = client_for("officer-lfw").get("/network/")
    text = page.content.decode()
    assert "West and Central Africa" in text and "Latin America and the Caribbean" in text
    assert "JAITF Bogota (BOG)" in text
    filtered = client_for("officer-lfw").get("/network/?region=mena").content.decode()
    assert "(AMM)" in filtered and "(BOG)" not in filtered


def test_audit_page_is_for_auditors(client_for):
    assert client_for("officer-lfw").get("/audit/").status_code == 403
    page = client_for("auditor").get("/audit/?verify=1")
    assert page.status_code == 200 and b"Chain verified" in page.content


def test_admin_is_for_programme_administrators(client_for):
    assert client_for("admin").get("/admin/").status_code == 200
    assert client_for("officer-lfw").get("/admin/").status_code == 302


def test_admin_login_goes_through_our_sign_in(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize(
    ("lang", "direction", "word"),
    [
        ("fr", "ltr", "Se connecter"),
        ("es", "ltr", "Iniciar sesión"),
        ("pt", "ltr", "Iniciar sessão"),
        ("ar", "rtl", "تسجيل الدخول"),
    ],
)
def test_sign_in_page_in_five_languages(db, lang, direction, word):
    client = Client()
    client.post("/i18n/setlang/", {"language": lang, "next": "/login/"})
    page = client.get("/login/").content.decode()
    assert f'lang="{lang}" dir="{direction}"' in page
    assert word in page


def test_security_headers(db):
    response = Client().get("/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_inline_script_and_no_external_asset(client_for):
    for path in ("/", "/network/", "/account/"):
        html = client_for("officer-lfw").get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r'(src|href)="(https?:)?//', html), path


def test_cookies_are_protected(client_for, settings):
    client = client_for("officer-lfw")
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] and session_cookie["samesite"] == "Lax"
    assert settings.SESSION_COOKIE_SECURE is True


def test_logout_requires_post(client_for):
    client = client_for("officer-lfw")
    assert client.get("/logout/").status_code == 405
