"""Bad configuration stops start-up with one line naming the variable."""

import pytest

from aircop.core import config
from tests.conftest import run_aircop


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in (
        "AIRCOP_DATABASE_URL",
        "AIRCOP_REDIS_URL",
        "AIRCOP_SECRET_KEY",
        "AIRCOP_DEBUG",
        "AIRCOP_ALLOWED_HOSTS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AIRCOP_VAR_DIR", str(tmp_path / "var"))
    return tmp_path


def test_defaults_are_embedded(clean_env):
    cfg = config.load()
    assert cfg.database["ENGINE"] == "django.db.backends.sqlite3"
    assert cfg.database["NAME"].endswith("aircop.sqlite3")
    assert "journal_mode=WAL" in cfg.database["OPTIONS"]["init_command"]
    assert cfg.redis_url is None
    assert cfg.debug is False


def test_secret_key_is_generated_once_with_private_permissions(clean_env):
    first = config.load().secret_key
    key_file = clean_env / "var" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert config.load().secret_key == first
    assert len(first) >= 50


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("AIRCOP_DATABASE_URL", "mysql://root@localhost/x", "unsupported scheme 'mysql'"),
        ("AIRCOP_DATABASE_URL", "not a url", "unsupported scheme"),
        ("AIRCOP_DATABASE_URL", "postgresql://user@localhost:5432/", "names no database"),
        ("AIRCOP_REDIS_URL", "http://localhost:6379", "unsupported scheme 'http'"),
        ("AIRCOP_REDIS_URL", "redis://localhost:notaport/0", "bad port"),
        ("AIRCOP_DEBUG", "maybe", "expected true or false"),
        ("AIRCOP_SECRET_KEY", "short", "at least 32 characters"),
        ("AIRCOP_ALLOWED_HOSTS", "example.org, http://bad/", "is not a host name"),
    ],
)
def test_bad_values_name_the_variable(clean_env, monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    with pytest.raises(config.ConfigError) as caught:
        config.load()
    assert caught.value.variable == variable
    assert str(caught.value).startswith(f"{variable}: ")
    assert expected in str(caught.value)


def test_cli_stops_with_one_line_for_unparseable_url(tmp_path):
    result = run_aircop(
        "migrate", env={"AIRCOP_VAR_DIR": str(tmp_path), "AIRCOP_DATABASE_URL": "oracle://x/y"}
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("aircop: AIRCOP_DATABASE_URL: unsupported scheme 'oracle'")


def test_cli_stops_with_one_line_for_unreachable_database(tmp_path):
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    result = run_aircop(
        "serve",
        env={
            "AIRCOP_VAR_DIR": str(tmp_path),
            "AIRCOP_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/aircop",
        },
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        "aircop: AIRCOP_DATABASE_URL: cannot connect to database 'aircop' on 127.0.0.1"
    )


def test_cli_stops_with_one_line_for_unreachable_redis(tmp_path):
    result = run_aircop(
        "serve",
        env={
            "AIRCOP_VAR_DIR": str(tmp_path),
            "AIRCOP_REDIS_URL": "redis://127.0.0.1:1/0",
            "AIRCOP_DATABASE_URL": "",
        },
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("aircop: AIRCOP_REDIS_URL: cannot reach Redis")
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_bad_boolean(tmp_path):
    result = run_aircop("migrate", env={"AIRCOP_VAR_DIR": str(tmp_path), "AIRCOP_DEBUG": "sometimes"})
    assert result.returncode == 2
    assert result.stderr.strip() == "aircop: AIRCOP_DEBUG: expected true or false, got 'sometimes'"


def test_channel_prefix_differs_per_database(clean_env, monkeypatch):
    monkeypatch.setenv("AIRCOP_DATABASE_URL", "postgresql://u@127.0.0.1:5432/country_a")
    a = config.load().channel_prefix
    monkeypatch.setenv("AIRCOP_DATABASE_URL", "postgresql://u@127.0.0.1:5432/country_b")
    b = config.load().channel_prefix
    assert a != b and a.startswith("aircop-")
