"""The matrix's world: built once per module through the real services, inside a transaction
that is rolled back at the end of the module (every test then runs in a savepoint of it)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests.access import matrix


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from tests.access.world import build

    files = tmp_path_factory.mktemp("matrix-files")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=files):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build()
            built.media_root = files
            built.web = {}
            built.api = {}
            for key, user in built.users.items():
                client = Client()
                client.force_login(user)
                built.web[key] = client
                built.api[key] = Client(HTTP_AUTHORIZATION=f"Bearer {built.tokens[key]}")
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media(world, settings, tmp_path_factory):
    settings.MEDIA_ROOT = world.media_root


def pytest_terminal_summary(terminalreporter):
    if matrix.COUNTS:
        total = sum(matrix.COUNTS.values())
        terminalreporter.write_sep("-", "access-control matrix")
        for kind, n in sorted(matrix.COUNTS.items()):
            terminalreporter.write_line(f"{kind}: {n} cells")
        terminalreporter.write_line(f"total: {total} cells exercised")
