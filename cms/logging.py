"""Structured (JSON) log lines with secrets and personal data taken out.

Manage-booking URLs carry a private token and some paths or messages may carry an email address;
neither belongs in logs that many people and systems can read.
"""

import json
import logging
import re

REDACTIONS = [
    (re.compile(r"(/bookings/)(?!sessions/|calendar\.ics|stripe/)[A-Za-z0-9_\-]{16,}"), r"\1[token]"),
    (re.compile(r"(/certificates/)(?!verify/)[A-Za-z0-9\-]{8,}"), r"\1[code]"),
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), "[email]"),
    (re.compile(r"(token|password|secret|key)=([^&\s]+)", re.IGNORECASE), r"\1=[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        status = getattr(record, "status_code", None)
        if status:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry)
