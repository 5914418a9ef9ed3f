"""Structured logs: one JSON object per line, and one line per request.

Turned on by LOG_FORMAT=json (see settings.LOGGING); development keeps readable text. Logs never carry
patient details: code refers to a case by its `reference` (CASE-0003), request lines carry the path
without its query string (readers' search terms stay out), and no request object, form data or SQL
parameters are ever written.
"""

import json
import logging
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

request_id: ContextVar[str] = ContextVar("request_id", default="")
log = logging.getLogger("newsdesk.request")

# Attributes every LogRecord has; anything else was passed with `extra=` and may be written out.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# `extra=` values that Django attaches and that must never reach a log line: the request (its repr has
# the query string) and SQL parameters (they hold what editors typed).
_NEVER = {"request", "params", "sql", "server_time"}
_PLAIN = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and request id, path, status and
    duration when there are any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := getattr(record, "request_id", "") or request_id.get():
            entry["request_id"] = rid
        for key, value in vars(record).items():
            # Only plain values: an object's str() might be a story's label.
            if key not in _STANDARD and key not in _NEVER and key not in entry and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestLogMiddleware:
    """Give each request an id (nginx's X-Request-ID, or a new one), log one line when it is answered,
    and send the id back so an editor's report can be matched with the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.headers.get("X-Request-ID", "")
        rid = rid if rid.isalnum() and len(rid) <= 64 else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)
