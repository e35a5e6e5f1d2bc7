"""API tokens: hashed at rest, shown once, revocable, expiring; every use audited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from aircop.accounts import services
from aircop.accounts.models import ApiToken
from aircop.audit.models import AuditEntry
from tests.conftest import run_aircop


def _get(path, raw):
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def token(user_named):
    return services.create_token(actor=None, user=user_named("officer-lfw"), days=30, name="tests")


def test_token_authenticates_and_is_stored_hashed(token):
    row, raw = token
    assert raw.startswith("aircop_")
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert raw not in str(list(ApiToken.objects.values()))
    response = _get("/api/v1/me", raw)
    assert response.status_code == 200
    assert response.json()["username"] == "officer-lfw"
    assert response.json()["units"][0]["unit"] == "jaitf-lfw"
    row.refresh_from_db()
    assert row.last_used_at is not None
    assert AuditEntry.objects.filter(action="token.used", object_id=str(row.pk)).exists()


def test_unauthenticated_api_is_401(db):
    assert Client().get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/units").status_code == 401
    assert _get("/api/v1/me", "aircop_not-a-real-token").status_code == 401
    assert _get("/api/v1/me", "garbage").status_code == 401


def test_revoked_token_is_refused(token):
    row, raw = token
    services.revoke_token(actor=None, token=row)
    assert _get("/api/v1/me", raw).status_code == 401
    refused = AuditEntry.objects.filter(action="token.refused", object_id=str(row.pk)).get()
    assert refused.data["reason"] == "revoked"


def test_expired_token_is_refused(token):
    row, raw = token
    ApiToken.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(days=40), expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert _get("/api/v1/me", raw).status_code == 401
    assert (
        AuditEntry.objects.filter(action="token.refused", object_id=str(row.pk)).get().data["reason"]
        == "expired"
    )


def test_token_of_locked_user_is_refused(token, user_named):
    row, raw = token
    user = user_named("officer-lfw")
    user.locked_at = timezone.now()
    user.save(update_fields=["locked_at"])
    assert _get("/api/v1/me", raw).status_code == 401


def test_web_page_creates_and_revokes_tokens(client_for):
    client = client_for("officer-lfw")
    response = client.post("/account/", {"name": "laptop", "days": 7})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw and raw.encode() in response.content
    assert _get("/api/v1/me", raw).status_code == 200
    # Shown once: the next visit does not show it.
    assert raw.encode() not in client.get("/account/").content
    row = ApiToken.objects.get(name="laptop")
    assert client.post(f"/account/tokens/{row.pk}/revoke/").status_code == 302
    assert _get("/api/v1/me", raw).status_code == 401


def test_cannot_revoke_someone_elses_token(client_for, token):
    row, _raw = token
    other = client_for("officer-acc")
    assert other.post(f"/account/tokens/{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_token_lifetime_is_bounded(user_named):
    from aircop.core.errors import ServiceError

    with pytest.raises(ServiceError):
        services.create_token(actor=None, user=user_named("officer-lfw"), days=1000)


def test_cli_token_prints_the_token_once(tmp_path):
    env = {"AIRCOP_VAR_DIR": str(tmp_path), "AIRCOP_DATABASE_URL": ""}
    assert run_aircop("migrate", "-v", "0", env=env).returncode == 0
    assert run_aircop("demo", "--no-seizures", env=env).returncode == 0
    result = run_aircop("token", "officer-lfw", "--days", "5", env=env)
    assert result.returncode == 0, result.stderr
    raw = result.stdout.strip()
    assert raw.startswith("aircop_") and len(raw.splitlines()) == 1
    listing = run_aircop("token", "officer-lfw", "--list", env=env)
    assert raw not in listing.stdout and "active" in listing.stdout
    missing = run_aircop("token", "nobody", env=env)
    assert missing.returncode != 0 and "no user named 'nobody'" in missing.stderr


def test_token_use_is_recorded_once_a_minute(token):
    row, raw = token
    for _ in range(3):
        assert _get("/api/v1/me", raw).status_code == 200
    used = AuditEntry.objects.filter(action="token.used", object_id=str(row.pk))
    assert used.count() == 1
    row.refresh_from_db()
    first = row.last_used_at
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first - timedelta(seconds=61))
    assert _get("/api/v1/me", raw).status_code == 200
    assert used.count() == 2
    row.refresh_from_db()
    assert row.last_used_at > first - timedelta(seconds=61)
