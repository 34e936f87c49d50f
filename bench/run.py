"""`make bench`: the app under gunicorn on PostgreSQL with benchmark volumes, driven from a second
process (bench/load.py). Prints figures; it is not a timed test and asserts nothing but correctness
(no errors, a burst never overbooks).

Every public page is shown beside /healthz/ measured in the same run: the framework floor on this
machine, so the ratio means something on any machine.
"""

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
TARGETS = {"page": 1 / 3, "post": 1 / 5}


def step(title, command, env):
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"  {title}: {time.perf_counter() - started:.1f}s", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_sessions(burst_capacity: int):
    """One open session with room for the whole run, and one small one for the burst."""
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import timezone

    from bookings.models import Booking
    from bookings.services import create_session
    from cms.models import Partner
    from courses.models import CoursePage

    partner = Partner.objects.get(site__is_default_site=True)
    course = CoursePage.objects.live().descendant_of(partner.site.root_page).first()
    start = (timezone.now() + timedelta(days=60)).replace(microsecond=0, second=0)
    roomy = create_session(partner=partner, page=course, starts_at=start, capacity=1_000_000)
    small = create_session(partner=partner, page=course, starts_at=start + timedelta(days=1), capacity=burst_capacity)
    return {
        "course": course.relative_url(partner.site),
        "book": reverse("bookings:book", kwargs={"session_id": roomy.pk}),
        "burst": reverse("bookings:book", kwargs={"session_id": small.pk}),
        "burst_session": small.pk,
        "confirmed": lambda: Booking.objects.filter(session_id=small.pk, status=Booking.Status.CONFIRMED).count(),
    }


def wait_until_up(port: int, server: subprocess.Popen):
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("gunicorn exited; see bench/.gunicorn.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz/ within a minute")


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores {model}, Python {platform.python_version()}, {platform.system()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--venues", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--bookings", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=8, help="per URL")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--burst-clients", type=int, default=200)
    parser.add_argument("--burst-capacity", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 2 x cores + 1)")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL: run it with `make bench` (starts a throwaway cluster).")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "PYTHONUNBUFFERED": "1"}
    os.environ.update(env)

    print(f"Machine: {machine()}")
    print("Setting up (PostgreSQL, production settings without Redis/TLS):")
    manage = [PYTHON, "manage.py"]
    step("migrate", [*manage, "migrate", "--noinput"], env)
    step("collectstatic", [*manage, "collectstatic", "--noinput"], env)
    step(
        f"seed_demo --venues {args.venues} --sessions {args.sessions} --bookings {args.bookings}",
        [*manage, "seed_demo", f"--venues={args.venues}", f"--sessions={args.sessions}", f"--bookings={args.bookings}"],
        env,
    )
    paths = prepare_sessions(args.burst_capacity)

    port = free_port()
    workers = args.workers or (os.cpu_count() or 1) * 2 + 1
    log = open(ROOT / "bench" / ".gunicorn.log", "w")  # noqa: SIM115 - open for the server's lifetime
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_ACCESS_LOG": "",
            # Steady state: a worker recycled mid-run stalls its clients for a Django start-up.
            "GUNICORN_MAX_REQUESTS": "0",
        },
        stdout=log,
        stderr=log,
    )
    try:
        wait_until_up(port, server)
        print(f"gunicorn: {workers} sync workers; load: {args.concurrency} keep-alive clients, {args.seconds:g}s/URL")
        plan = [
            ["/healthz/ (before)", "/healthz/", "GET"],
            ["home", "/", "GET"],
            ["course page", paths["course"], "GET"],
            ["/safe-havens/", "/safe-havens/", "GET"],
            ["/safe-havens.geojson", "/safe-havens.geojson", "GET"],
            ["/bookings/calendar.ics", "/bookings/calendar.ics", "GET"],
            ["booking POST", paths["book"], "POST"],
            ["/healthz/ (after)", "/healthz/", "GET"],
        ]
        load = subprocess.run(
            [
                PYTHON,
                str(ROOT / "bench" / "load.py"),
                f"--port={port}",
                f"--plan={json.dumps(plan)}",
                f"--seconds={args.seconds}",
                f"--concurrency={args.concurrency}",
                f"--burst-path={paths['burst']}",
                f"--burst-clients={args.burst_clients}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    results = [json.loads(line) for line in load.stdout.splitlines() if line.startswith("{")]
    by_name = {r["name"]: r for r in results}
    floor = (by_name["/healthz/ (before)"]["rps"] + by_name["/healthz/ (after)"]["rps"]) / 2
    failed = []
    print()
    print(f"| {'URL':<24} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'errors':>6} | {'÷ healthz':>9} | target |")
    print(f"|{'-' * 26}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 11}|--------|")
    for name, _path, method in plan:
        r = by_name[name]
        ratio = r["rps"] / floor
        if name.startswith("/healthz/"):
            target = "floor"
        else:
            wanted = TARGETS["post" if method == "POST" else "page"]
            met = ratio >= wanted and r["errors"] == 0
            target = f"{'met' if met else 'MISSED'} (≥{wanted:.2f})"
            if not met:
                failed.append(name)
        print(
            f"| {name:<24} | {r['rps']:>7.0f} | {r['p50_ms']:>7.1f} | {r['p95_ms']:>7.1f} | {r['errors']:>6} "
            f"| {ratio:>9.2f} | {target} |"
        )
    b = by_name["burst"]
    confirmed = paths["confirmed"]()
    print()
    print(
        f"Burst: {b['clients']} clients book one {args.burst_capacity}-place session at once: settled in "
        f"{b['settle_s']:.2f}s, {b['answered_302']} answered with the manage page, {b['errors']} errors, "
        f"{confirmed} confirmed (capacity {args.burst_capacity})."
    )
    if confirmed != args.burst_capacity or b["errors"]:
        failed.append("burst")
    print("All targets met." if not failed else f"Targets missed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
