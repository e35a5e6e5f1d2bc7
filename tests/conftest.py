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


def run_aircop(*args: str, env: dict | None = None, input: str | None = None, timeout: int = 120):
    """Run the real `aircop` command in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(AIRCOP_BIN), *args], capture_output=True, text=True, env=full_env, input=input, timeout=timeout
    )
