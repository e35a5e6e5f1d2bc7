"""/healthz, /metrics and the JSON log format."""

import dataclasses
import json
import logging

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from aircop.core import config
from aircop.core.logs import JsonFormatter, logging_config

TOKEN = "m" * 40


@pytest.fixture
def metrics_token(settings):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, metrics_token=TOKEN)


def test_healthz_answers_ok_with_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_naming_redis_when_redis_is_down(db, settings):
    settings.CONFIG = dataclasses.replace(settings.CONFIG, redis_url="redis://127.0.0.1:1/0")
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "ConnectionError"}


def test_metrics_do_not_exist_without_a_token(db):
    assert Client().get("/metrics").status_code == 404


def test_metrics_need_the_token(db, metrics_token):
    assert Client().get("/metrics").status_code == 401
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer " + "x" * 40)
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")


def test_metrics_count_requests_by_route_and_read_the_database(db, metrics_token, client_for):
    officer = client_for("officer-lfw")
    officer.get("/alerts/")
    officer.get("/alerts/999999999/")
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    # The route pattern, never the id: labels stay few.
    assert 'aircop_http_requests_total{method="GET",route="/alerts/",status="200"}' in text
    assert 'route="/alerts/<int:alert_id>/",status="404"' in text
    # Not in any label (a float such as a duration sum may hold the digits by chance).
    labels = [
        value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        for value in sample.labels.values()
    ]
    assert labels and not [v for v in labels if "999999999" in v]
    assert "aircop_database_up 1.0" in text
    assert 'aircop_tasks{status="queued"}' in text
    assert "aircop_websockets_open" in text


def test_a_short_metrics_token_is_refused_at_start(monkeypatch):
    monkeypatch.setenv("AIRCOP_METRICS_TOKEN", "short")
    with pytest.raises(config.ConfigError, match="AIRCOP_METRICS_TOKEN"):
        config.metrics_token()


def test_log_format_is_validated(monkeypatch):
    monkeypatch.setenv("AIRCOP_LOG_FORMAT", "xml")
    with pytest.raises(config.ConfigError, match="expected plain or json, got 'xml'"):
        config.log_format()


def test_json_log_lines_carry_the_extra_fields():
    record = logging.LogRecord("aircop.request", logging.INFO, __file__, 1, "GET %s %s", ("/x/", 200), None)
    record.route = "/x/"
    record.duration_ms = 12.5
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /x/ 200"
    assert line["level"] == "INFO" and line["logger"] == "aircop.request"
    assert line["route"] == "/x/" and line["duration_ms"] == 12.5
    assert line["time"].endswith("+00:00")


def test_plain_and_json_configurations():
    assert logging_config("json")["formatters"]["main"] == {"()": "aircop.core.logs.JsonFormatter"}
    assert logging_config("json")["loggers"]["uvicorn.access"]["level"] == "WARNING"
    assert logging_config("plain")["loggers"]["uvicorn.access"]["level"] == "INFO"
