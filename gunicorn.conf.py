"""gunicorn settings for production: `gunicorn config.wsgi` picks this file up from the working directory."""

import multiprocessing
import os

from gunicorn.glogging import Logger

from cms.logging import redact

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# (2 × cores) + 1 synchronous workers: the request work is short and mostly database-bound.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (slow leaks); 0 turns it off (the benchmark measures a steady state).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class RedactingLogger(Logger):
    """Access logs without the private token in manage-booking URLs (and never a query string)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(atoms.get("U", ""))
        return atoms


logger_class = RedactingLogger
