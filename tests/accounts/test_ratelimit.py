"""Rate limits: sign-in per client IP and per username, API per token / signed-in user,
API without valid credentials per client IP; 429 with Retry-After; one audit entry a window."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from aircop.accounts import ratelimit, services
from aircop.accounts.models import Role, User
from aircop.audit.models import AuditEntry
from aircop.core import config
from tests.conftest import DEMO_PASSWORD, run_aircop

WRONG = "wrong password, surely"  # noqa: S105 - a wrong password on purpose
WINDOW_START = 1_800_000_000.0  # a multiple of 60 and 3600: the start of a minute


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, moved by hand: ``clock.at(15)`` is 15 s into a minute."""

    class Clock:
        now = WINDOW_START

        def at(self, offset: float) -> None:
            self.now = WINDOW_START + offset

    fake = Clock()
    monkeypatch.setattr(ratelimit, "clock", lambda: fake.now)
    return fake


def _login(client: Client, username: str, password: str = WRONG, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _refusals():
    return AuditEntry.objects.filter(action="ratelimit.refused")


# ------------------------------------------------------------------ sign-in


def test_sign_in_is_limited_per_client_ip(db, settings, clock):
    settings.AIRCOP_RATE_LOGIN_IP = "3/minute"
    client = Client()
    for name in ("nobody-1", "nobody-2", "nobody-3"):
        assert _login(client, name).status_code == 200
    clock.at(20)
    response = _login(client, "analyst", DEMO_PASSWORD)  # the right password changes nothing
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert "Too many sign-in attempts. Wait 40 s before trying again." in response.content.decode()
    assert '<form method="post"' in response.content.decode()  # the sign-in page again
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert _login(Client(REMOTE_ADDR="192.0.2.7"), "analyst", DEMO_PASSWORD).status_code == 302


def test_sign_in_is_limited_per_username_whatever_the_address(db, settings, clock):
    settings.AIRCOP_RATE_LOGIN = "2/minute"
    assert _login(Client(REMOTE_ADDR="192.0.2.1"), "analyst", DEMO_PASSWORD).status_code == 302
    assert _login(Client(REMOTE_ADDR="192.0.2.2"), "analyst").status_code == 200
    response = _login(Client(REMOTE_ADDR="192.0.2.3"), "ANALYST ", DEMO_PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 60
    assert "Too many sign-in attempts" in response.content.decode()
    # Refused before the password was checked: no failed attempt counted towards the lock-out.
    assert User.objects.get(username="analyst").failed_logins == 1
    assert _login(Client(REMOTE_ADDR="192.0.2.3"), "officer-dss", DEMO_PASSWORD).status_code == 302


def test_the_second_factor_step_counts_too(db, settings, clock):
    settings.AIRCOP_RATE_LOGIN = "3/minute"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    password = "correct horse battery staple 42"
    user = services.create_user(actor=None, username="k.mensah", password=password, role=Role.OFFICER)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    assert _login(client, "k.mensah", password).url == "/login/verify/"  # attempt 1
    assert client.post("/login/verify/", {"token": "000000"}).status_code == 200  # 2
    assert client.post("/login/verify/", {"token": "000001"}).status_code == 200  # 3
    response = client.post("/login/verify/", {"token": "000002"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many sign-in attempts" in response.content.decode()
    user.refresh_from_db()
    assert user.failed_logins == 2  # the refused code was not checked


def test_the_limit_resets_with_the_next_window(db, settings, clock):
    settings.AIRCOP_RATE_LOGIN_IP = "2/minute"
    client = Client()
    _login(client, "nobody-1")
    _login(client, "nobody-2")
    clock.at(59)
    assert _login(client, "nobody-3").status_code == 429
    clock.at(60)
    assert _login(client, "analyst", DEMO_PASSWORD).status_code == 302


def test_sign_in_refusals_are_audited_once_a_window(db, settings, clock):
    settings.AIRCOP_RATE_LOGIN_IP = "1/minute"
    client = Client()
    for _ in range(4):
        _login(client, "nobody")
    entry = _refusals().get()
    assert entry.data["scope"] == "login-ip"
    assert entry.data["rate"] == "1/minute"
    assert entry.ip == "127.0.0.1"
    assert "127.0.0.1" not in entry.data["key_hash"]
    clock.at(61)
    for _ in range(3):
        _login(client, "nobody")
    assert _refusals().count() == 2


# ------------------------------------------------------------------ API


@pytest.fixture
def token_for(db):
    def make(username: str = "analyst") -> str:
        _row, raw = services.create_token(actor=None, user=User.objects.get(username=username))
        return raw

    return make


def _me(token: str | None = None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return Client(**extra).get("/api/v1/me", **headers)


def test_api_is_limited_per_token_with_a_json_429(settings, clock, token_for):
    settings.AIRCOP_RATE_API = "3/minute"
    token = token_for()
    for _ in range(3):
        assert _me(token).status_code == 200
    clock.at(45)
    response = _me(token)
    assert response.status_code == 429
    assert response["Retry-After"] == "15"
    assert response.json() == {"detail": "too many requests: 3 per minute for this token; retry in 15 s"}


def test_tokens_are_counted_apart(settings, clock, token_for):
    settings.AIRCOP_RATE_API = "2/minute"
    first, second = token_for("analyst"), token_for("analyst")
    for _ in range(2):
        assert _me(first).status_code == 200
    assert _me(first).status_code == 429
    assert _me(second).status_code == 200
    assert _me(token_for("officer-dss")).status_code == 200


def test_api_limit_resets_with_the_next_window(settings, clock, token_for):
    settings.AIRCOP_RATE_API = "1/minute"
    token = token_for()
    assert _me(token).status_code == 200
    assert _me(token).status_code == 429
    clock.at(60)
    assert _me(token).status_code == 200


def test_session_api_calls_are_limited_per_user(settings, clock, client_for):
    settings.AIRCOP_RATE_API = "2/minute"
    client = client_for("analyst")
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me")
    assert response.status_code == 429
    assert response.json()["detail"] == "too many requests: 2 per minute for this user; retry in 60 s"


def test_requests_without_valid_credentials_are_limited_per_ip(settings, clock, token_for):
    settings.AIRCOP_RATE_ANON = "3/minute"
    good = token_for()
    assert _me("aircop_guess1").status_code == 401
    assert _me("aircop_guess2").status_code == 401
    assert _me().status_code == 401  # no credentials at all count too
    tried = AuditEntry.objects.filter(action="token.refused").count()
    flood = [_me(f"aircop_guess{i}") for i in range(3, 10)]
    assert {r.status_code for r in flood} == {429}
    assert flood[0]["Retry-After"] == "60"
    assert flood[0].json() == {
        "detail": "too many requests: 3 per minute for this address without valid credentials; retry in 60 s"
    }
    # Past the limit no token is looked up any more (only the first one over was): no audit flood,
    # and for the rest of the window even a good token from that address waits.
    assert AuditEntry.objects.filter(action="token.refused").count() == tried + 1
    assert _me(good).status_code == 429
    assert _me().status_code == 429
    assert _me(good, REMOTE_ADDR="192.0.2.9").status_code == 200
    clock.at(60)
    assert _me(good).status_code == 200


def test_api_refusals_are_audited_once_a_window_without_the_token(settings, clock, token_for):
    settings.AIRCOP_RATE_API = "1/minute"
    token = token_for()
    for _ in range(5):
        _me(token)
    entry = _refusals().get()
    assert entry.data["scope"] == "api-token"
    assert entry.data["rate"] == "1/minute"
    assert token not in str(entry.data) and token[7:20] not in str(entry.data)
    clock.at(70)
    for _ in range(3):
        _me(token)
    assert _refusals().count() == 2


def test_rate_limits_off(settings, token_for):
    settings.AIRCOP_RATE_LIMITS = False
    settings.AIRCOP_RATE_API = "1/minute"
    settings.AIRCOP_RATE_ANON = "1/minute"
    settings.AIRCOP_RATE_LOGIN_IP = "1/minute"
    token = token_for()
    assert {_me(token).status_code for _ in range(5)} == {200}
    assert {_me("aircop_nope").status_code for _ in range(5)} == {401}
    assert {_login(Client(), "nobody").status_code for _ in range(3)} == {200}
    assert not _refusals().exists()


# ------------------------------------------------------------------ configuration


@pytest.mark.parametrize("text", ["120/minute", "5/s", "1000/hour", " 10 / min "])
def test_rates_parse(text):
    limit, period = config.parse_rate(text)
    assert limit >= 1 and period in (1, 60, 3600)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("AIRCOP_RATE_LOGIN", "lots", "expected N/second, N/minute or N/hour"),
        ("AIRCOP_RATE_LOGIN_IP", "10/fortnight", "expected N/second, N/minute or N/hour"),
        ("AIRCOP_RATE_API", "many/minute", "expected a whole number"),
        ("AIRCOP_RATE_ANON", "0/minute", "at least 1 request"),
        ("AIRCOP_RATE_LIMITS", "sometimes", "expected true or false"),
    ],
)
def test_bad_rates_name_the_variable(monkeypatch, tmp_path, variable, value, expected):
    monkeypatch.setenv("AIRCOP_VAR_DIR", str(tmp_path))
    monkeypatch.setenv(variable, value)
    with pytest.raises(config.ConfigError) as caught:
        config.load()
    assert str(caught.value).startswith(f"{variable}: ")
    assert expected in str(caught.value)


def test_cli_stops_with_one_line_for_a_bad_rate(tmp_path):
    result = run_aircop("migrate", env={"AIRCOP_VAR_DIR": str(tmp_path), "AIRCOP_RATE_API": "fast"})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "aircop: AIRCOP_RATE_API: expected N/second, N/minute or N/hour, got 'fast'"
    )


def test_the_sign_in_message_is_translated(db, settings, clock):
    settings.AIRCOP_RATE_LOGIN_IP = "1/minute"
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    _login(client, "nobody")
    response = _login(client, "nobody")
    assert response.status_code == 429
    assert "Trop de tentatives de connexion. Attendez 60 s avant de réessayer." in response.content.decode()


def test_an_unreachable_cache_lets_requests_through_and_says_so(settings, token_for, caplog):
    """Redis restarting must not stop alerts: the limiter lets the request through uncounted
    and logs it (once a minute); the database lock-out still guards sign-in."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    ratelimit._last_warning[0] = -1e9
    settings.AIRCOP_RATE_API = "1/minute"
    token = token_for()
    with caplog.at_level("WARNING", logger="aircop.ratelimit"):
        assert [_me(token).status_code for _ in range(3)] == [200, 200, 200]
        assert _login(Client(), "officer-lfw", DEMO_PASSWORD).status_code == 302
    warnings = [r for r in caplog.records if r.name == "aircop.ratelimit"]
    assert len(warnings) == 1 and "cache is unreachable" in warnings[0].getMessage()
