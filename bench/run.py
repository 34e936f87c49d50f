"""`make bench`: the production-like stack under load, with targets; exits 1 when one is missed.

PostgreSQL (scripts/with-postgres.sh), a throwaway redis-server as the shared cache, gunicorn with
config.settings.bench (production's cache and sessions, plain HTTP) and one `db_worker`, seeded with
benchmark volumes, driven from a second process (bench/load.py). Every figure is shown beside
/healthz/ measured in the same run (before and after), so the ratio means something on any machine.

1. With the page cache, as people get it. The booking POST (8 clients, each booking its own
   session) with its confirmation emails queued, then how long the db_worker takes to send them,
   then the POST again while the worker sends (for reference: both share the two cores).
2. The 10 seconds after a content change, 8 clients: the open data when every stored copy has just
   been retired (the stampede case), and when the change first shows.
3. The booking burst: 200 people press "Book" at once on a 20-place session; counted in the database.
4. With the page cache off (gunicorn restarted): what a miss costs; and the cold cost of one render
   of the register, its GeoJSON and the calendar feed, one client at a time, with nothing rendered
   once per change kept either (RENDERED_ONCE_SECONDS=0): what the first request after a change pays.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
LOGS = ROOT / "bench" / "results"  # git-ignored: gunicorn.log, db_worker.log

# Minimum ratio to /healthz/ (same run), per table and row.
CACHED_TARGETS = {
    "home": 1,
    "course page": 1,
    "/safe-havens/": 1,
    "/safe-havens.geojson": 1,
    "/bookings/calendar.ics": 1,
    "booking POST": 0.25,
    "booking POST + emails": None,  # for reference: the worker shares the two cores
}
UNCACHED_TARGETS = {
    "home": None,  # no target: shown for what a miss costs
    "course page": 0.25,
    "/safe-havens/": 0.25,
    # With PUBLIC_LIST_CACHE_SECONDS=0 the open data is built on every request (cms/prebuilt.py), so
    # these rows are the cost of a build under load; their targets are the cold costs below.
    "/safe-havens.geojson": None,
    "/bookings/calendar.ics": None,
}
# Cold cost of one render, one client at a time, page cache off: p50 at most this many ms.
COLD_TARGETS_MS = {"/safe-havens/": 60, "/safe-havens.geojson": 150, "/bookings/calendar.ics": 60}
AFTER_CHANGE_TARGET = 0.5
BURST_SECONDS = 2.0


def step(title, command, env, log=None):
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=log or subprocess.DEVNULL, stderr=log)
    print(f"  {title}: {time.perf_counter() - started:.1f}s", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def start_redis(workdir: str) -> tuple[subprocess.Popen, str]:
    """A throwaway redis-server, as production's shared cache: memory only, nothing saved."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise SystemExit("redis-server not found: the benchmark runs on Redis, as production does.")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("redis-server did not answer within 10 seconds")


def prepare_sessions(burst_capacity: int, clients: int):
    """Open sessions with room for the whole run, one per client (people book different sessions;
    one session's contention is the burst's to measure), and one small session for the burst."""
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import timezone

    from bookings.services import create_session
    from cms.models import Partner
    from courses.models import CoursePage

    partner = Partner.objects.get(site__is_default_site=True)
    course = CoursePage.objects.live().descendant_of(partner.site.root_page).first()
    start = (timezone.now() + timedelta(days=60)).replace(microsecond=0, second=0)
    roomy = [
        create_session(partner=partner, page=course, starts_at=start + timedelta(hours=i), capacity=1_000_000)
        for i in range(clients)
    ]
    small = create_session(partner=partner, page=course, starts_at=start + timedelta(days=1), capacity=burst_capacity)
    return {
        "partner": partner,
        "course": course.relative_url(partner.site),
        "book": [reverse("bookings:book", kwargs={"session_id": session.pk}) for session in roomy],
        "burst": reverse("bookings:book", kwargs={"session_id": small.pk}),
        "burst_session": small.pk,
    }


def emails_waiting() -> int:
    """Booking emails queued and not yet sent (counted in the task table)."""
    from django.db import connection
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path="bookings.tasks.send_booking_email",
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).count()
    connection.close()
    return waiting


def wait_for_emails(timeout: float) -> float:
    """Seconds until every queued booking email has been sent."""
    started = time.perf_counter()
    while emails_waiting():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"booking emails still queued after {timeout:g}s; see bench/results/db_worker.log")
        time.sleep(0.2)
    return time.perf_counter() - started


def burst_counts(session_id: int) -> dict:
    from bookings.models import Booking

    rows = Booking.objects.filter(session_id=session_id).values_list("status", flat=True)
    counts = {}
    for status in rows:
        counts[status] = counts.get(status, 0) + 1
    return counts


def change_venue(partner) -> str:
    """Rename one listed venue through the ORM, as an editor's save would: its signals bump the
    content version in the shared Redis, which retires every stored page on every server."""
    from certificates.models import Venue

    mark = f"Changed{secrets.token_hex(4)}"
    venue = Venue.objects.filter(partner=partner, slug="benchmark-venue-0").first()
    venue.name = f"Benchmark venue 0 {mark}"
    venue.save()
    return mark


def change_session(partner) -> str:
    """Move the first upcoming session to another room (a session change, which the feed shows), and
    save a venue too, so the content version moves as well."""
    from bookings.selectors import public_sessions_for_partner

    mark = f"Room{secrets.token_hex(4)}"
    session = public_sessions_for_partner(partner=partner).first()
    session.location = f"Room {mark}"
    session.sequence += 1
    session.save()
    change_venue(partner)
    return mark


def wait_until_up(port: int, server: subprocess.Popen):
    for _ in range(240):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited; see bench/results/gunicorn.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz/ within two minutes")


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    model = model or "model unknown"
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()}"


class Worker:
    """The db_worker, stopped and started again between measurements."""

    def __init__(self, command: list, env: dict, log):
        self.command, self.env, self.log = command, env, log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # db_worker finishes the task in hand first
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Stack:
    """gunicorn (restartable with other settings) beside Redis and a db_worker."""

    def __init__(self, env: dict, workers: int):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.server = None
        self.log = open(LOGS / "gunicorn.log", "w")  # noqa: SIM115 - open for the run

    def start(self, **extra_env):
        self.server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env={
                **self.env,
                **extra_env,
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(self.workers),
                "GUNICORN_ACCESS_LOG": "",
                # Steady state: a worker recycled mid-run stalls its clients for a Django start-up.
                "GUNICORN_MAX_REQUESTS": "0",
            },
            stdout=self.log,
            stderr=self.log,
        )
        wait_until_up(self.port, self.server)

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=30)


def run_load(
    port: int, plan: list, args, *, seconds=None, warmup=0.0, watch=None, burst_path=None, concurrency=None
) -> dict:
    command = [
        PYTHON,
        str(ROOT / "bench" / "load.py"),
        f"--port={port}",
        f"--plan={json.dumps(plan)}",
        f"--seconds={seconds or args.seconds}",
        f"--concurrency={concurrency or args.concurrency}",
        f"--warmup={warmup}",
    ]
    if watch:
        command.append(f"--watch={watch}")
    if burst_path:
        command += [f"--burst-path={burst_path}", f"--burst-clients={args.burst_clients}"]
    load = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if load.returncode:
        sys.stderr.write(load.stderr)
        raise SystemExit("the load generator failed")
    return {r["name"]: r for r in (json.loads(line) for line in load.stdout.splitlines() if line.startswith("{"))}


def table(title: str, rows: list[tuple[str, dict, float | None]], floor: float, failed: list[str]):
    print()
    print(f"{title}")
    print()
    print(
        f"| {'URL':<24} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'errors':>6} | {'hits':>5} "
        f"| {'KB sent':>7} | {'÷ healthz':>9} | target |"
    )
    print(f"|{'-' * 26}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 7}|{'-' * 9}|{'-' * 11}|--------|")
    for name, r, wanted in rows:
        ratio = r["rps"] / floor
        hits = f"{100 * r['cache_hits'] / r['requests']:.0f}%" if r["requests"] else "-"
        if name.startswith("/healthz/"):
            target = "floor"
            if r["errors"]:
                target = "floor (errors: see below)"
                failed.append(
                    f"{title}: {name} answered {r['errors']} of {r['requests']} with an error (a 503 under "
                    "concurrent probes: cms.views.healthz checks the cache with one shared key)"
                )
        elif wanted is None:
            target = "no target (0 errors)"
            if r["errors"]:
                failed.append(f"{title}: {name} errors")
        else:
            met = ratio >= wanted and r["errors"] == 0
            target = f"{'met' if met else 'MISSED'} (≥ {wanted:g}×{'' if r['errors'] == 0 else ', errors'})"
            if not met:
                failed.append(f"{title}: {name} {ratio:.3f}× (≥ {wanted:g}×, {r['errors']} errors)")
        print(
            f"| {name:<24} | {r['rps']:>7.0f} | {r['p50_ms']:>7.1f} | {r['p95_ms']:>7.1f} | {r['errors']:>6} "
            f"| {hits:>5} | {r['mean_bytes'] / 1024:>7.0f} | {ratio:>9.2f} | {target} |"
        )


def floor_of(results: dict) -> float:
    return (results["/healthz/ (before)"]["rps"] + results["/healthz/ (after)"]["rps"]) / 2


def main():  # noqa: PLR0915 - one script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venues", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--bookings", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=8, help="per URL")
    parser.add_argument("--warmup", type=float, default=1.5, help="seconds per URL before measuring")
    parser.add_argument("--after-change-seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--burst-clients", type=int, default=200)
    parser.add_argument("--burst-capacity", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 2 x cores + 1)")
    parser.add_argument(
        "--no-db-worker",
        dest="db_worker",
        action="store_false",
        help="no background worker during the run (booking emails stay queued; no email figures)",
    )
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL: run it with `make bench` (starts a throwaway cluster).")
    load_before = load_average()
    print(f"Machine: {machine()}")
    print(f"Load average before (1/5/15 min): {load_before}")
    LOGS.mkdir(exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="safehaven-bench-")
    redis, redis_url = start_redis(workdir)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "PYTHONUNBUFFERED": "1",
        "REDIS_URL": redis_url,
    }
    os.environ.update(env)
    worker = stack = None
    failed: list[str] = []
    try:
        print(f"Setting up (PostgreSQL, Redis on {redis_url}, config.settings.bench):")
        manage = [PYTHON, "manage.py"]
        step("migrate", [*manage, "migrate", "--noinput"], env)
        step("collectstatic", [*manage, "collectstatic", "--noinput"], env)
        step(
            f"seed_demo --venues {args.venues} --sessions {args.sessions} --bookings {args.bookings}",
            [
                *manage,
                "seed_demo",
                f"--venues={args.venues}",
                f"--sessions={args.sessions}",
                f"--bookings={args.bookings}",
            ],
            env,
        )
        paths = prepare_sessions(args.burst_capacity, args.concurrency)
        from django.db import connection

        connection.close()  # the bench process holds no connection open while the app is measured

        # Production runs background tasks in db_worker processes (emails after each booking, and
        # whatever is rebuilt after a change); so does the benchmark. What seeding queued (search and
        # reference indexes) is done first, so it does not run during the measurements.
        worker_log = open(LOGS / "db_worker.log", "w")  # noqa: SIM115
        drain = [*manage, "db_worker", "--batch", "--queue-name", "*"]
        step("db_worker --batch (tasks queued by seeding)", drain, env, log=worker_log)
        worker = Worker([*manage, "db_worker", "--queue-name", "*"], env, worker_log) if args.db_worker else None
        if worker:
            worker.start()
        workers = args.workers or (os.cpu_count() or 1) * 2 + 1
        stack = Stack(env, workers)
        stack.start()
        background = "one db_worker" if worker else "no db_worker"
        print(
            f"gunicorn: {workers} sync workers, {background}, Redis cache; load: {args.concurrency} keep-alive "
            f"clients, {args.warmup:g}s warm-up then {args.seconds:g}s per URL"
        )
        pages = [
            ["home", "/", "GET"],
            ["course page", paths["course"], "GET"],
            ["/safe-havens/", "/safe-havens/", "GET"],
            ["/safe-havens.geojson", "/safe-havens.geojson", "GET"],
            ["/bookings/calendar.ics", "/bookings/calendar.ics", "GET"],
        ]
        before = ["/healthz/ (before)", "/healthz/", "GET"]
        after = ["/healthz/ (after)", "/healthz/", "GET"]
        booking = ["booking POST", paths["book"], "POST"]

        # 1. With the page cache. The booking POST is measured with its confirmation emails queued,
        # as a burst of bookings queues them in production: on this machine's two cores, sending one
        # costs about what taking the booking does, so a worker sending alongside takes about a fifth
        # off the figure whatever the booking costs. The worker is stopped for that row (before the warm-up's
        # bookings, so none of their emails are sent in it either); then how long it takes to send
        # what the row queued is measured, and the POST is measured once more with it sending, for
        # reference (no target).
        cached = run_load(stack.port, [before, *pages], args, warmup=args.warmup)
        if worker:
            worker.stop()
        cached.update(run_load(stack.port, [booking, after], args, warmup=args.warmup))
        queued = emails_waiting()
        if worker:
            worker.start()
            sent_in = wait_for_emails(timeout=300)
            cached.update(run_load(stack.port, [["booking POST + emails", paths["book"], "POST"]], args))
        floor = floor_of(cached)
        rows = [before, *pages, booking, after]
        if worker:
            rows.append(["booking POST + emails"])
        table(
            "With the page cache (as people get it)",
            [(name, cached[name], CACHED_TARGETS.get(name)) for name, *_ in rows],
            floor,
            failed,
        )
        if worker:
            print(
                f"  The booking POST row queued {queued} confirmation emails (its warm-up included); the db_worker "
                f"sent them in {sent_in:.1f}s from its start ({queued / max(sent_in, 0.001):.0f} a second, rendered in "
                "full, invite included; the bench's email backend delivers nothing)."
            )
            waiting = wait_for_emails(timeout=300)
            print(f"  The emails of the row with the worker sending were all sent {waiting:.1f}s after it ended.")

        # 2. The 10 seconds after a content change.
        changed = {}
        for name, path, change in [
            ["/safe-havens.geojson", "/safe-havens.geojson", change_venue],
            ["/bookings/calendar.ics", "/bookings/calendar.ics", change_session],
        ]:
            mark = change(paths["partner"])
            changed_at = time.time()
            connection.close()
            plan = [[name, path, "GET"]]
            result = run_load(stack.port, plan, args, seconds=args.after_change_seconds, watch=mark)[name]
            result["shown_after"] = result["seen_at"] - changed_at if result["seen_at"] else None
            changed[name] = result
        table(
            f"The {args.after_change_seconds:g} seconds after a content change, {args.concurrency} clients",
            [(name, r, AFTER_CHANGE_TARGET) for name, r in changed.items()],
            floor,
            failed,
        )
        for name, r in changed.items():
            seen = r["shown_after"]
            shown = f"{seen:.2f}s after the change" if seen is not None else "NOT within the run"
            print(f"  {name}: the change was first served {shown}.")
            if r["shown_after"] is None:
                failed.append(f"{name}: the change was not served within {args.after_change_seconds:g}s")

        # 3. The booking burst (counted in the database, not from the redirects).
        burst = run_load(stack.port, [], args, burst_path=paths["burst"])["burst"]
        counts = burst_counts(paths["burst_session"])
        connection.close()
        confirmed, waiting = counts.get("confirmed", 0), counts.get("waiting", 0)
        expected_waiting = args.burst_clients - args.burst_capacity
        met = (
            burst["settle_s"] < BURST_SECONDS
            and confirmed == args.burst_capacity
            and waiting == expected_waiting
            and not burst["errors"]
        )
        print()
        print(
            f"Burst: {burst['clients']} clients book one {args.burst_capacity}-place session at once: settled in "
            f"{burst['settle_s']:.2f}s, {burst['answered_302']} answered with the manage page, {burst['errors']} "
            f"errors; in the database {confirmed} confirmed and {waiting} on the waiting list "
            f"(target: < {BURST_SECONDS:g}s, exactly {args.burst_capacity} and {expected_waiting}): "
            f"{'met' if met else 'MISSED'}."
        )
        if not met:
            failed.append(f"burst ({burst['settle_s']:.2f}s, {confirmed} confirmed, {waiting} waiting)")

        # 4. Page cache off: what a miss costs.
        stack.stop()
        stack.start(PUBLIC_PAGE_CACHE_SECONDS="0", PUBLIC_LIST_CACHE_SECONDS="0")
        plan = [before, *pages, after]
        uncached = run_load(stack.port, plan, args, warmup=args.warmup)
        table(
            "Page cache off (what a miss costs)",
            [(name, uncached[name], UNCACHED_TARGETS.get(name)) for name, _, _ in plan],
            floor_of(uncached),
            failed,
        )
        # Cold: nothing rendered once per change is kept either (RENDERED_ONCE_SECONDS=0), so every
        # request costs what the first one after a change does.
        stack.stop()
        stack.start(PUBLIC_PAGE_CACHE_SECONDS="0", PUBLIC_LIST_CACHE_SECONDS="0", RENDERED_ONCE_SECONDS="0")
        cold = run_load(stack.port, [p for p in pages if p[0] in COLD_TARGETS_MS], args, seconds=4, concurrency=1)
        print()
        print("Cold costs, page cache off and nothing rendered once kept, one client at a time:")
        print()
        print(f"| {'URL':<24} | {'p50 ms':>7} | {'p95 ms':>7} | {'errors':>6} | target |")
        print(f"|{'-' * 26}|{'-' * 9}|{'-' * 9}|{'-' * 8}|--------|")
        for name, wanted in COLD_TARGETS_MS.items():
            r = cold[name]
            met = r["p50_ms"] <= wanted and not r["errors"]
            print(
                f"| {name:<24} | {r['p50_ms']:>7.1f} | {r['p95_ms']:>7.1f} | {r['errors']:>6} "
                f"| {'met' if met else 'MISSED'} (≤ {wanted} ms) |"
            )
            if not met:
                failed.append(f"cold cost: {name} {r['p50_ms']:.0f} ms (≤ {wanted} ms)")
    finally:
        if stack:
            stack.stop()
            stack.log.close()
        if worker:
            worker.stop()
        redis.terminate()
        redis.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"Load average before: {load_before}; after: {load_average()} (1/5/15 min, {os.cpu_count()} CPUs).")
    if failed:
        print("Targets missed:")
        for item in failed:
            print(f"  - {item}")
        return 1
    print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
