"""gunicorn's settings: `gunicorn -c config/gunicorn.py config.wsgi` (README, Deploying).

Every wait inside a request ends before gunicorn's: connecting to PostgreSQL 5 s, a
statement 15 s (config/settings.py), SQLite's busy wait 20 s, an email 10 s. So a slow
or lost database gets Ripple's own 503 page, not a worker killed mid-request. PDFs and
exports are made by the background worker, never in a request."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 45
graceful_timeout = 30

# gunicorn's own loggers pass the same filter as Django's (config/redact.py): its
# access lines would otherwise hold share-link tokens and query strings.
# Access lines only when GUNICORN_ACCESS_LOG is set (to anything, "-" say): they go,
# redacted, where the other lines go (stderr, below), whatever the value names.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") else None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "config.redact.RedactFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s [%(process)d] %(levelname)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
