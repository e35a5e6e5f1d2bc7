"""End-to-end in Debian's Chromium (Playwright), against a real `aircop serve`."""

from __future__ import annotations

import base64
import re

from tests.conftest import BROWSER_MARKS, DEMO_PASSWORD, sign_in

pytestmark = BROWSER_MARKS


def test_officer_signs_in_sees_colleagues_and_switches_to_arabic(server, page):
    sign_in(page, server.url, "officer-lfw", DEMO_PASSWORD)
    page.wait_for_url(f"{server.url}/")
    assert page.locator("h3").first.inner_text() == "JAITF Lome (LFW)"
    assert "head-lfw" in page.content()
    page.select_option("#language", "ar")  # the select submits itself (aircop.js)
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert "head-lfw" in page.content()
    network_link = page.locator(".main-nav a[href='/network/']")
    assert network_link.inner_text() not in ("", "Network")  # translated
    network_link.click()
    page.wait_for_url(re.compile(r".*/network/$"))
    assert page.locator("table tbody tr").count() >= 40
    # The strict CSP blocks nothing the pages need.
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


def test_new_account_enrols_an_authenticator_app_then_signs_in(server, page):
    from django_otp.oath import totp

    server.aircop(
        "createuser",
        "a.diallo",
        "--role",
        "officer",
        "--unit",
        "jaitf-dss",
        "--agency",
        "customs",
        "--password-stdin",
        input="a long enough passphrase 2026\n",
    )
    sign_in(page, server.url, "a.diallo", "a long enough passphrase 2026")
    page.wait_for_url(re.compile(r".*/login/enrol/$"))
    assert page.locator(".qr svg").count() == 1
    secret = page.locator("code.secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_token", f"{totp(key):06d}")
    page.click("button.primary")
    page.wait_for_url(f"{server.url}/")
    assert "JAITF Diass (DSS)" in page.content()


def test_wrong_password_five_times_locks_the_account(server, page):
    for _ in range(5):
        sign_in(page, server.url, "officer-acc", "not the password")
    assert "locked" in page.locator(".messages").inner_text()
    sign_in(page, server.url, "officer-acc", DEMO_PASSWORD)
    assert "locked" in page.locator(".messages").inner_text()
    server.aircop("unlock", "officer-acc")
    sign_in(page, server.url, "officer-acc", DEMO_PASSWORD)
    page.wait_for_url(f"{server.url}/")
