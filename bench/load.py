"""The load generator: a separate process that drives the running app over HTTP.

Run by bench/run.py; prints one JSON object per measurement on stdout. Each client is a thread
with its own keep-alive connection; the GIL is no bottleneck because the threads mostly wait.
With `--watch TEXT` it also notes when a response first carries TEXT (a change made just before
the run), so a figure earned by serving stale content would show.
"""

import argparse
import gzip
import http.client
import json
import re
import statistics
import threading
import time
import uuid
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    def __init__(self, port: int, host: str):
        self.port = port
        self.host = host
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        # As every browser does; only public open data is ever compressed (see cms/page_cache.py).
        headers = {"Host": self.host, "Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        self.last_headers = response
        return response.status, data

    def prepare_booking(self, book_path: str) -> str:
        """GET the booking form once: the CSRF cookie and token a real browser would hold."""
        status, body = self.request("GET", book_path)
        if status != 200:
            raise RuntimeError(f"GET {book_path} answered {status}")
        return CSRF_INPUT.search(body.decode()).group(1)

    def post_booking(self, book_path: str, token: str) -> int:
        form = {
            "csrfmiddlewaretoken": token,
            "name": "Bench Attendee",
            "email": f"bench-{uuid.uuid4().hex}@example.org",
            "organisation": "Bench Café",
            "venue_type": "cafe",
            "postcode": "IG11 7LX",
            "consent": "on",
            "website_address": "",
        }
        status, _ = self.request(
            "POST",
            book_path,
            body=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        # A browser follows the redirect to the booking page, which shows the "booked" message and
        # clears its cookie. This client does not fetch that page, so it clears the cookie itself:
        # otherwise every POST would carry (and re-sign) all the messages of the ones before it.
        self.cookies.pop("messages", None)
        return status


def carries(response, data: bytes, text: str) -> bool:
    if response.getheader("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return text.encode() in data.replace(b"\r\n ", b"")  # iCalendar folds long lines


def measure(port, host, name, path, seconds, concurrency, method="GET", watch=None):
    """Hammer one URL for `seconds` with `concurrency` clients; requests/s and latency percentiles.
    `path` may be a list: client i then uses path[i % len(path)] (people booking different sessions)."""
    latencies: list[float] = []
    errors = hits = received = 0
    seen_at = None
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds

    def worker(path):
        nonlocal errors, hits, seen_at, received
        client = Client(port, host)
        token = client.prepare_booking(path) if method == "POST" else None
        mine, bad, hit, size = [], 0, 0, 0
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                if method == "POST":
                    status = client.post_booking(path, token)
                    ok = status == 302
                else:
                    status, data = client.request("GET", path)
                    ok = status == 200
                    size += len(data)
                    hit += client.last_headers.getheader("X-Page-Cache") == "hit"
                    if ok and watch and seen_at is None and carries(client.last_headers, data, watch):
                        seen_at = time.time()  # wall clock: run.py made the change
            except (http.client.HTTPException, OSError):
                ok = False
            mine.append(time.perf_counter() - began)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors += bad
            hits += hit
            received += size

    paths = path if isinstance(path, list) else [path]
    threads = [threading.Thread(target=worker, args=(paths[i % len(paths)],)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {
        "name": name,
        "path": path,
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
        "cache_hits": hits,
        "mean_bytes": received / len(latencies) if latencies else 0,
        "watched": watch,
        "seen_at": seen_at,
    }


def burst(port, host, path, clients):
    """`clients` people press "Book" at the same moment; how long until every one has an answer."""
    prepared = []
    for _ in range(clients):
        client = Client(port, host)
        prepared.append((client, client.prepare_booking(path)))
    barrier = threading.Barrier(clients + 1)
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(client, token):
        barrier.wait()
        try:
            status = client.post_booking(path, token)
        except (http.client.HTTPException, OSError):
            status = 0
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=worker, args=pair) for pair in prepared]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return {
        "name": "burst",
        "clients": clients,
        "settle_s": time.perf_counter() - started,
        "answered_302": statuses.count(302),
        "errors": len([s for s in statuses if s != 302]),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--plan", required=True, help="JSON list of [name, path, method]")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--burst-path")
    parser.add_argument("--burst-clients", type=int, default=200)
    parser.add_argument("--warmup", type=float, default=0, help="seconds per URL, not reported, before measuring")
    parser.add_argument("--watch", help="note when a response first carries this text")
    args = parser.parse_args()
    plan = json.loads(args.plan)
    if args.warmup:
        for name, path, method in plan:
            measure(args.port, args.host, name, path, args.warmup, args.concurrency, method)
    for name, path, method in plan:
        result = measure(args.port, args.host, name, path, args.seconds, args.concurrency, method, args.watch)
        print(json.dumps(result), flush=True)
    if args.burst_path:
        print(json.dumps(burst(args.port, args.host, args.burst_path, args.burst_clients)), flush=True)


if __name__ == "__main__":
    main()
