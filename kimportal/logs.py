"""Logging helpers named in settings.LOGGING (so nothing here imports models: logging is set up
before the apps are loaded)."""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, and the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


class ShortWarning(logging.Filter):
    """Turns a record into one short WARNING line without a traceback: for Django's DisallowedHost,
    which scanners trigger all day, logged by Django as an ERROR with a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage().split(". You may need to add", 1)[0]
        record.msg, record.args = message[:200], ()
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
