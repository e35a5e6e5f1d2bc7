"""Sign-in: password, second factor (TOTP), enrolment, lock-out, unlock."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aircop.accounts import services
from aircop.accounts.models import Role
from aircop.audit.models import AuditEntry
from aircop.network.models import Unit
from aircop.network.services import add_member

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def no_otp_throttle(settings):
    # django-otp delays the next attempt after a wrong code (1 s, 2 s, 4 s ...); the tests
    # below make wrong attempts on purpose and must not sleep.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def real_user(db):
    """A non-demo officer of the Lomé task force, without a device yet."""
    user = services.create_user(actor=None, username="k.mensah", password=PASSWORD, role=Role.OFFICER)
    add_member(actor=None, user=user, unit=Unit.objects.get(code="jaitf-lfw"), agency="customs")
    return user


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_demo_user_signs_in_with_password_only(client_for):
    client = client_for("officer-lfw")
    assert client.get("/").status_code == 200


def test_real_user_must_enrol_a_device_on_first_sign_in(real_user):
    client = Client()
    response = client.post("/login/", {"username": "k.mensah", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/login/enrol/"
    # Not signed in yet: the home page still redirects to the sign-in page.
    assert client.get("/").status_code == 302
    page = client.get("/login/enrol/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=real_user, confirmed=False)
    assert re.search(rb'class="secret">[A-Z2-7]{32}<', page.content)
    wrong = client.post("/login/enrol/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and b"did not match" in wrong.content
    response = client.post("/login/enrol/", {"token": _code(device)})
    assert response.status_code == 302 and response.url == "/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="otp.enrolled", actor=real_user).exists()
    login = AuditEntry.objects.filter(action="login.succeeded", actor=real_user).get()
    assert login.data == {"second_factor": True}


def test_enrolled_user_needs_a_valid_code(real_user):
    device = _enrolled(real_user)
    client = Client()
    response = client.post("/login/", {"username": "k.mensah", "password": PASSWORD})
    assert response.url == "/login/verify/"
    assert client.get("/").status_code == 302
    bad = client.post("/login/verify/", {"token": "12345x"})
    assert bad.status_code == 200 and b"Wrong username, password or code" in bad.content
    assert client.get("/").status_code == 302
    good = client.post("/login/verify/", {"token": _code(device)})
    assert good.status_code == 302 and good.url == "/"
    assert client.get("/").status_code == 200


def test_second_factor_page_without_password_step_sends_back(db):
    response = Client().get("/login/verify/")
    assert response.status_code == 302 and response.url == "/login/"


def test_lock_out_after_five_failures_with_a_clear_message(real_user):
    client = Client()
    for _ in range(4):
        response = client.post("/login/", {"username": "k.mensah", "password": "wrong password"})
        assert b"Wrong username, password or code" in response.content
    response = client.post("/login/", {"username": "k.mensah", "password": "wrong password"})
    assert b"locked after too many failed sign-in attempts" in response.content
    real_user.refresh_from_db()
    assert real_user.is_locked and real_user.failed_logins == 5
    # Even the right password is refused now.
    response = client.post("/login/", {"username": "k.mensah", "password": PASSWORD})
    assert b"locked" in response.content and client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="account.locked", object_id=str(real_user.pk)).count() == 1
    assert AuditEntry.objects.filter(action="login.failed", object_id=str(real_user.pk)).count() == 5

    call_command("unlock", "k.mensah")
    real_user.refresh_from_db()
    assert not real_user.is_locked and real_user.failed_logins == 0
    response = client.post("/login/", {"username": "k.mensah", "password": PASSWORD})
    assert response.url == "/login/enrol/"


def test_wrong_codes_count_towards_the_lock_out(real_user):
    _enrolled(real_user)
    client = Client()
    client.post("/login/", {"username": "k.mensah", "password": PASSWORD})
    for _ in range(5):
        response = client.post("/login/verify/", {"token": "99999999"}, follow=True)
    assert b"locked" in response.content
    real_user.refresh_from_db()
    assert real_user.is_locked


def test_admin_can_unlock_from_the_admin_site(real_user, client_for):
    real_user.locked_at = real_user.date_joined
    real_user.save(update_fields=["locked_at"])
    admin = client_for("admin")
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "unlock_accounts", "_selected_action": [real_user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    real_user.refresh_from_db()
    assert not real_user.is_locked
    assert AuditEntry.objects.filter(action="account.unlocked", object_id=str(real_user.pk)).exists()


def test_failed_login_for_unknown_user_is_audited_without_detail_leak(db):
    response = Client().post("/login/", {"username": "nobody", "password": "whatever at all"})
    assert b"Wrong username, password or code" in response.content
    entry = AuditEntry.objects.filter(action="login.failed").order_by("-seq").first()
    assert entry.data["username"] == "nobody" and entry.data["known"] is False


def test_next_parameter_cannot_redirect_off_site(db):
    client = Client()
    response = client.post(
        "/login/?next=https://evil.example/",
        {
            "username": "officer-lfw",
            "password": __import__("django.conf").conf.settings.AIRCOP_DEMO_PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response.url == "/"


def test_logout_ends_the_session(client_for):
    client = client_for("officer-lfw")
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_session_expires_when_idle(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_passwords_are_hashed_with_argon2(real_user):
    assert real_user.password.startswith("argon2")


def test_weak_password_is_refused(db):
    from aircop.core.errors import ServiceError

    with pytest.raises(ServiceError) as caught:
        services.create_user(actor=None, username="weak", password="12345678", role=Role.OFFICER)
    assert caught.value.field == "password"


def test_idle_session_is_refused_after_expiry(client_for):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_for("officer-lfw")
    assert client.get("/").status_code == 200
    # Each request pushes the expiry forward by the idle period ...
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date > timezone.now() + timedelta(minutes=29)
    # ... and once that period passes without a request, the session is gone.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_background_requests_do_not_extend_an_idle_session(client_for):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_for("officer-lfw")
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    # The page's live refresh and long-poll say so in a header: the expiry stays.
    assert client.get("/alerts/", HTTP_X_AIRCOP_BACKGROUND="1").status_code == 200
    assert client.get("/api/v1/events", HTTP_X_AIRCOP_BACKGROUND="1").status_code == 200
    assert Session.objects.get(pk=key).expire_date == soon
    # A request by the person does.
    client.get("/alerts/")
    assert Session.objects.get(pk=key).expire_date > soon + timedelta(minutes=20)
