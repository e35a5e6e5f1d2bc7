"""Structured logs: with AIRCOP_LOG_FORMAT=json every log line is one JSON object (time, level,
logger, message, process, and the fields a caller passed in ``extra``), for a log shipper.
The default stays plain text for a person at a terminal."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD = set(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "color_message":
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(log_format: str) -> dict:
    """Django's LOGGING, also handed to uvicorn so that its own lines share the format."""
    formatter = (
        {"()": "aircop.core.logs.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "aircop": {"level": "INFO"},
            "uvicorn": {"level": "INFO"},
            "uvicorn.error": {"level": "INFO"},
            # Plain: uvicorn's access line per request. JSON: aircop.request's, with the route,
            # the duration and the user (core/metrics.py).
            "uvicorn.access": {"level": "INFO" if log_format == "plain" else "WARNING"},
        },
    }
