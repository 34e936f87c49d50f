"""The production stack as deployed (README, "Deploying on PostgreSQL with gunicorn"): two gunicorn
workers on config.settings.production sharing PostgreSQL and Redis, a db_worker, a real SMTP server.
What one worker stores, counts or retires in Redis, the other sees; mail leaves through the worker."""

import time

import pytest
import redis

from ..bookings.conftest import FORM
from .conftest import HOSTS, VERIFY_LIMIT

# django_db: pytest-django sets its test database up only when a collected test asks for one, and
# the suite's session fixtures (tests/conftest.py) expect it even when only this file runs.
pytestmark = [pytest.mark.stack, pytest.mark.django_db]


def test_both_partners_are_served_over_https_only(stack):
    barking = stack.get("/", host=HOSTS["barking"])
    tunbridge_wells = stack.get("/", host=HOSTS["tunbridge_wells"])

    assert barking.status == 200 and "Barking and Dagenham" in barking.text
    assert tunbridge_wells.status == 200 and "Tunbridge Wells" in tunbridge_wells.text
    assert "Exit this page" in barking.text
    assert "max-age=31536000" in barking.headers["Strict-Transport-Security"]
    # Without the proxy's header the request came over plain HTTP: redirected, as production must.
    plain = stack.get("/", headers={"X-Forwarded-Proto": "http"})
    assert plain.status == 301 and plain.headers["Location"] == "https://localhost/"
    assert stack.get("/healthz/", headers={"X-Forwarded-Proto": "http"}).status == 200


def test_a_booking_confirmation_is_sent_by_the_background_worker(stack):
    booked = stack.post(f"/bookings/sessions/{stack.session_id}/book/", {**FORM, "email": "stack@heathway.example"})
    assert booked.status == 302, booked.text[:500]

    (message,) = stack.smtp.wait_for(lambda m: m["To"] == "stack@heathway.example")
    assert message["Subject"].startswith("Your place is booked: ")
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert "invite.ics" in attachments
    assert "BEGIN:VEVENT" in attachments["invite.ics"].get_content()


def test_a_page_cached_by_one_worker_is_served_by_the_other_and_an_edit_retires_it(stack):
    stack.get("/")  # stored by whichever worker takes it
    first, second, pids = stack.pair("/", "/")
    assert pids == stack.worker_pids()  # one request each
    assert first.headers["X-Page-Cache"] == second.headers["X-Page-Cache"] == "hit"

    stack.shell(  # an editor's publish, from a third process
        "from cms.models import Partner; "
        "home = Partner.objects.get(name='Barking and Dagenham').site.root_page.specific; "
        "home.intro = 'Published while both workers held the page.'; home.save_revision().publish(); print('ok')"
    )

    first, second, pids = stack.pair("/", "/")
    assert pids == stack.worker_pids()
    for response in (first, second):
        assert response.status == 200
        assert "Published while both workers held the page." in response.text
    assert {first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]} == {"miss", "hit"}


def test_the_rate_limit_counts_across_both_workers(stack):
    clock = redis.Redis.from_url(stack.redis.url)
    while clock.time()[0] % 3600 > 3590:  # all hits in one hourly window
        time.sleep(1)
    statuses, served = [], set()
    for i in range(0, VERIFY_LIMIT, 2):
        first, second, pids = stack.pair(f"/certificates/verify/STACK{i}/", f"/certificates/verify/STACK{i + 1}/")
        statuses += [first.status, second.status]
        served |= pids

    over = stack.get(f"/certificates/verify/STACK{VERIFY_LIMIT}/")

    assert served == stack.worker_pids()
    assert 429 not in statuses
    assert over.status == 429 and "Too many attempts" in over.text


def test_with_redis_stopped_pages_still_answer_and_health_names_the_cache(stack):
    stack.redis.stop()

    for host in HOSTS.values():
        for _ in range(2):
            response = stack.get("/", host=host)
            assert response.status == 200
            assert "Exit this page" in response.text
    health = stack.get("/healthz/")
    assert health.status == 503
    assert '"cache": "unavailable"' in health.text and '"database": "ok"' in health.text
