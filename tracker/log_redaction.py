"""Secrets in addresses stay out of logs. One-time and capability links (a witness's link, and any
other feature's token in a path) carry a random token in the URL, and request logs print the URL:
every run of 32 or more URL-safe characters in a logged line is replaced by "[token]". Ids, dates and
activity numbers are far shorter, so nothing else is touched.

Used for werkzeug's request log (`flask run`, the tests' servers), installed by create_app, and for
gunicorn's access log: `gunicorn --logger-class tracker.log_redaction.GunicornLogger` (scripts/run.sh,
docs/deployment.md)."""
from __future__ import annotations

import logging
import re

TOKEN = re.compile(r"[A-Za-z0-9_-]{32,}")
REDACTED = "[token]"


def redact(text: str) -> str:
    return TOKEN.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (with its arguments filled in) before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install() -> None:
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in werkzeug.filters):
        werkzeug.addFilter(RedactingFilter())


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is not installed everywhere (it is in requirements.lock)
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger with every access-log field redacted (request line, path, query, referrer)."""

    def atoms(self, resp, req, environ, request_time):
        values = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in values.items()}
