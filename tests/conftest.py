"""Shared fixtures. The demo network is loaded once per test session into the real test
database (SQLite by default, PostgreSQL when AIRCOP_DATABASE_URL says so); every test
then runs inside a transaction that is rolled back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from aircop.accounts.models import User

ROOT = Path(__file__).resolve().parents[1]
AIRCOP_BIN = Path(sys.executable).with_name("aircop")
DEMO_PASSWORD = settings.AIRCOP_DEMO_PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from aircop.network import demo

    with django_db_blocker.unblock():
        demo.load(password=DEMO_PASSWORD)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with empty rate-limit counters. The production limits stay on for the
    whole suite: no single test signs in or calls the API often enough to reach them, but the
    test client's one address and the demo users are shared by every test of a session."""
    from aircop.accounts import ratelimit

    ratelimit.reset()


@pytest.fixture
def user_named(db):
    def get(username: str) -> User:
        return User.objects.get(username=username)

    return get


@pytest.fixture
def client_for(db):
    """A test client signed in as a demo user (demo users have no second factor)."""

    def make(username: str) -> Client:
        client = Client()
        response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response.url == "/", (username, response.status_code)
        return client

    return make


@pytest.fixture
def api_as(user_named):
    """A test client that calls the API with a fresh one-day token of a demo user."""
    from aircop.accounts.services import create_token

    def make(username: str) -> Client:
        _row, raw = create_token(actor=None, user=user_named(username), days=1)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def run_aircop(*args: str, env: dict | None = None, input: str | None = None, timeout: int = 120):
    """Run the real `aircop` command in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(AIRCOP_BIN), *args], capture_output=True, text=True, env=full_env, input=input, timeout=timeout
    )


# ------------------------------------------------------------------ browser tests
CHROMIUM = "/usr/bin/chromium"
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="browser tests skipped: /usr/bin/chromium is absent"
    ),
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real `aircop serve` with the demo network, one per test module (its own var/ and,
    on PostgreSQL, its own database)."""
    from tests.live import LiveAircop

    live = LiveAircop(tmp_path_factory.mktemp("server"))
    try:
        live.prepare()
        live.url = live.serve()
        yield live
    finally:
        live.stop()


def sign_in(page, base, username, password=DEMO_PASSWORD):
    page.goto(f"{base}/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")


@pytest.fixture(scope="module")
def worker(server):
    """With Redis the server runs no background jobs: `aircop worker` does, as in production."""
    if not os.environ.get("AIRCOP_REDIS_URL"):
        yield None
        return
    proc = subprocess.Popen(  # noqa: S603 - our own command
        [str(AIRCOP_BIN), "worker"], env=server.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    yield proc
    proc.terminate()
    proc.wait(10)
