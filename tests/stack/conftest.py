"""The production stack, started for real: gunicorn (2 workers) with config.settings.production,
a fresh PostgreSQL database on the suite's server, a real Redis, `manage.py db_worker` and an SMTP
sink. Locally it is skipped without PostgreSQL or redis-server; in CI (CI=true) that is a failure."""

import email
import email.policy
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests

from tests.redis_fixtures import RedisServer, free_port, real_clock_env, wait_for_port

BASE_DIR = Path(__file__).resolve().parents[2]
HOSTS = {"barking": "localhost", "tunbridge_wells": "tunbridgewells.localhost"}
# Only the proxy in front of gunicorn says a request came over TLS (SECURE_PROXY_SSL_HEADER);
# the test client plays that proxy, so production's HTTPS redirect stays on.
PROXY = {"X-Forwarded-Proto": "https"}
ACCESS = re.compile(r'^ACCESS <(\d+)> "(\w+) ([^"]*)" (\d+)')  # gunicorn writes the pid as <pid>
VERIFY_LIMIT = 4  # RATE_LIMIT_VERIFY for the stack, per hour


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def need(condition: bool, reason: str):
    if not condition:
        if in_ci():
            pytest.fail(f"{reason}: CI runs the production-stack test, so this is a failure.")
        pytest.skip(reason)


class SmtpSink:
    """A real SMTP server (aiosmtpd) that keeps every message it is given."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                sink.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def wait_for(self, predicate, seconds: float = 30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [m for m in self.messages if predicate(m)]
            if found:
                return found
            time.sleep(0.1)
        return []

    def close(self):
        self.controller.stop()


class Response:
    def __init__(self, status: int, headers: dict, text: str, pid: int | None):
        self.status, self.headers, self.text, self.pid = status, headers, text, pid


class Stack:
    def __init__(self, *, database_url: str, redis: RedisServer, smtp: SmtpSink, workdir: str):
        self.redis, self.smtp, self.workdir = redis, smtp, workdir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(workdir) / "gunicorn.log"
        self.processes: list[subprocess.Popen] = []
        self.env = real_clock_env(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=",".join([*HOSTS.values(), "127.0.0.1"]),
            DATABASE_URL=database_url,
            CONN_MAX_AGE="0",
            REDIS_URL=redis.url,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_USE_TLS="false",
            MEDIA_ROOT=str(Path(workdir) / "media"),
            PUBLIC_PAGE_CACHE_SECONDS="600",
            RATE_LIMIT_VERIFY=f"{VERIFY_LIMIT}/h",
            WEB_CONCURRENCY="2",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_MAX_REQUESTS="0",  # no worker recycling mid-test
            GUNICORN_ACCESS_LOG="-",
        )

    # --- processes -------------------------------------------------------------------------
    def manage(self, *args: str, timeout: float = 120) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def shell(self, code: str) -> str:
        """Run Python in a fresh production-settings process; its last line of output."""
        return self.manage("shell", "-c", code).strip().splitlines()[-1]

    def start(self):
        log = open(self.log_path, "w")  # noqa: SIM115 - closed with the stack
        self._log = log
        # The access log line names the worker (pid) that served each request.
        access_format = 'ACCESS %(p)s "%(m)s %(U)s" %(s)s'
        gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--access-logformat", access_format]
        self.processes.append(subprocess.Popen(gunicorn, cwd=BASE_DIR, env=self.env, stdout=log, stderr=log))  # noqa: S603
        worker = [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"]
        worker_log = open(Path(self.workdir) / "db_worker.log", "w")  # noqa: SIM115
        self._worker_log = worker_log
        self.processes.append(  # noqa: S603
            subprocess.Popen(worker, cwd=BASE_DIR, env=self.env, stdout=worker_log, stderr=worker_log)
        )
        if not wait_for_port(self.port, seconds=30, process=self.processes[0]):
            pytest.fail(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(self.worker_pids()) < 2:
            time.sleep(0.1)
        assert len(self.worker_pids()) == 2, self.log_path.read_text()[-3000:]

    def worker_pids(self) -> set[int]:
        return {int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", self.log_path.read_text())}

    def close(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown; db_worker stops too
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for log in (getattr(self, "_log", None), getattr(self, "_worker_log", None)):
            if log:
                log.close()

    # --- requests ----------------------------------------------------------------------------
    def access_lines(self) -> list[tuple[int, str, str, int]]:
        found = (ACCESS.match(line) for line in self.log_path.read_text().splitlines())
        return [(int(m[1]), m[2], m[3], int(m[4])) for m in found if m]

    def _served_by(self, before: int, count: int = 1) -> list[int]:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            lines = self.access_lines()
            if len(lines) >= before + count:
                return [pid for pid, *_ in lines[before : before + count]]
            time.sleep(0.02)
        raise AssertionError("gunicorn did not log the request")

    def get(self, path: str, *, host: str = HOSTS["barking"], headers: dict | None = None) -> Response:
        before = len(self.access_lines())
        r = requests.get(
            self.base + path, headers={"Host": host, **PROXY, **(headers or {})}, allow_redirects=False, timeout=30
        )
        (pid,) = self._served_by(before)
        return Response(r.status_code, r.headers, r.text, pid)

    def post(self, path: str, data: dict, *, host: str = HOSTS["barking"]) -> Response:
        """A form POST as a browser makes it over HTTPS: the CSRF cookie and token from the form page."""
        form = requests.get(self.base + path, headers={"Host": host, **PROXY}, allow_redirects=False, timeout=30)
        assert form.status_code == 200, form.status_code
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        cookie = form.cookies["csrftoken"]  # a Secure cookie: sent by hand, the proxy speaks HTTPS
        before = len(self.access_lines())
        r = requests.post(
            self.base + path,
            data={**data, "csrfmiddlewaretoken": token},
            headers={
                "Host": host,
                **PROXY,
                "Cookie": f"csrftoken={cookie}",
                "Origin": f"https://{host}",
                "Referer": f"https://{host}{path}",
            },
            allow_redirects=False,
            timeout=30,
        )
        (pid,) = self._served_by(before)
        return Response(r.status_code, r.headers, r.text, pid)

    def pair(self, first: str, second: str, *, host: str = HOSTS["barking"]) -> tuple[Response, Response, set[int]]:
        """Two GETs that the two workers must share: the first is held half-sent (a sync worker reads
        it and can take nothing else) while the second is made, so the second is the other worker's."""
        before = len(self.access_lines())
        held = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        try:
            held.sendall(f"GET {first} HTTP/1.0\r\nHost: {host}\r\nX-Forwarded-Proto: https\r\n".encode())
            time.sleep(0.2)  # a worker has taken it and is waiting for the rest of the headers
            r = requests.get(self.base + second, headers={"Host": host, **PROXY}, allow_redirects=False, timeout=30)
            held.sendall(b"\r\n")
            raw = b""
            while chunk := held.recv(65536):
                raw += chunk
        finally:
            held.close()
        head, _, body = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in header_lines)
        # Both requests are logged once both answered; which line is whose is a race, so only the pair's pids.
        deadline = time.monotonic() + 10
        while len(lines := self.access_lines()[before:]) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(lines) == 2, lines
        pids = {pid for pid, *_ in lines}
        return (
            Response(int(status_line.split()[1]), headers, body.decode(), None),
            Response(r.status_code, r.headers, r.text, None),
            pids,
        )


def _stack_database(url: str):
    """A database of its own for the stack: a copy of pytest-django's freshly migrated test database
    (seconds), else an empty one that `migrate` fills (half a minute on a busy machine)."""
    from django.db import connection, connections

    parts = urlsplit(url)
    name = f"safehaven_stack_{secrets.token_hex(4)}"
    template = connection.settings_dict["NAME"]
    connections.close_all()  # a template database must have no other session
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        except psycopg.Error:
            conn.execute(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def stack():
    """Everything production runs, started once for the module and stopped (every process) after."""
    if os.environ.get("FAKETIME") or "faketime" in os.environ.get("LD_PRELOAD", ""):
        pytest.skip("the production stack keeps the real clock; it runs once, in make test")
    url = os.environ.get("DATABASE_URL", "")
    need(url.startswith("postgres"), "the production stack needs PostgreSQL (scripts/with-postgres.sh)")
    started = time.monotonic()

    def phase(what):  # shown with the test's output when it fails: where the start-up time went
        print(f"stack: {what} after {time.monotonic() - started:.1f}s", file=sys.stderr)

    redis = smtp = stack = name = None
    workdir = tempfile.mkdtemp(prefix="safehaven-stack-")
    try:
        redis = RedisServer()
        smtp = SmtpSink()
        name, database_url = _stack_database(url)
        stack = Stack(database_url=database_url, redis=redis, smtp=smtp, workdir=workdir)
        phase("Redis, SMTP sink and database ready")
        # One Django start-up for the release steps: migrate, seed both partners, collect static files
        # (production serves WhiteNoise's hashed names), and a five-place session to book.
        stack.session_id = int(
            stack.shell(
                "import os; from django.core.management import call_command; "
                "call_command('migrate', interactive=False, verbosity=0); "
                "call_command('seed_demo', stdout=open(os.devnull, 'w')); "
                "call_command('collectstatic', interactive=False, verbosity=0); "
                "from cms.models import Partner; from tests.factories import session_for; "
                "print(session_for(Partner.objects.get(name='Barking and Dagenham'), capacity=5).pk)"
            )
        )
        phase("migrated, seeded, static files collected")
        stack.start()
        stack.get("/healthz/")  # the first request of each worker loads the whole app
        stack.pair("/healthz/", "/healthz/")
        phase("gunicorn and db_worker serving")
        yield stack
    finally:
        for running in (stack, smtp, redis):
            if running is not None:
                running.close()
        if name:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)
