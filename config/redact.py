"""Logs hold no health data and no secrets: one filter on every handler.

What reaches a log line in Ripple is a path, a message a developer wrote, or an
exception. Paths can carry secrets (a share link's token, a reminder's stop token, a
password-reset token, an invitation code in a query string); exception messages can
quote a row (PostgreSQL's "Failing row contains (…)", a note in a ValueError). So
paths are redacted, and exceptions keep their type and where they happened, never
their message. The SQL log (django.db.backends, with its parameters) is never kept.
"""

import logging
import re
import traceback

SECRET_PATHS = [
    # A share link, and its PDF: /r/<token>/…
    (re.compile(r"/r/[^/\s?#\"']+"), "/r/[link]"),
    (re.compile(r"/reminders/stop/[^/\s?#\"']+"), "/reminders/stop/[token]"),
    (re.compile(r"/clinician/join/confirm/[^/\s?#\"']+"), "/clinician/join/confirm/[token]"),
    (re.compile(r"/accounts/reset/[^/\s?#\"']+/[^/\s?#\"']+"), "/accounts/reset/[token]"),
    # Query strings may carry an invitation code or anything a form sent by GET.
    (re.compile(r"\?(?=[^\s\"']*=)[^\s\"']*"), "?[query]"),
]


def redact(text: str) -> str:
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


def withheld_traceback(exc_info) -> str:
    """The traceback of an exception and of those it came from, each with its type and
    frames (file, line, code) but not its message, which may quote health data."""
    chain, exc, seen = [], exc_info[1], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    lines = ["Traceback (most recent call last):\n"]
    for exc in reversed(chain):
        lines += traceback.format_tb(exc.__traceback__)
        kind = type(exc)
        lines.append(f"{kind.__module__}.{kind.__qualname__} (message withheld from the log)\n")
    return "".join(lines).rstrip("\n")


class RedactFilter(logging.Filter):
    """Rewrites each record in place: its message with secrets redacted, its exception
    without a message. Attached to handlers, so every logger's records pass it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.db.backends"):
            return False  # SQL with its parameters: the answers themselves
        record.msg = redact(record.getMessage())
        record.args = ()
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = withheld_traceback(record.exc_info)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
