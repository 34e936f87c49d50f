"""Capacity under real concurrency, on PostgreSQL (row locks are meaningless on SQLite's single writer).

Each test runs N threads, each with its own database connection, released together by a Barrier.
The control test removes the lock and must overbook: proof that the main test can fail.
"""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections

from bookings import services
from bookings.models import Booking, Session
from tests.factories import PartnerFactory, attendee, session_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def run_together(count: int, work) -> list[BaseException]:
    barrier = threading.Barrier(count)
    errors = []

    def target(i):
        try:
            barrier.wait(timeout=60)
            work(i)
        except BaseException as exc:  # noqa: BLE001 - every failure is a test failure, reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def ten_places(db):
    partner = PartnerFactory(name="Concurrency Borough", host="concurrency.localhost")
    return session_for(partner, capacity=10)


def test_two_hundred_concurrent_bookings_fill_exactly_ten_places(ten_places):
    errors = run_together(200, lambda i: services.book_place(session=ten_places, attendee=attendee(i)))
    assert errors == []
    assert Booking.objects.filter(session=ten_places, status="confirmed").count() == 10
    assert Booking.objects.filter(session=ten_places, status="waiting").count() == 190
    assert len({m.to[0] for m in mail.outbox}) == 200


def test_control_without_the_lock_overbooks(ten_places, monkeypatch):
    def unlocked(session_id, *, partner=None, with_title=False):
        session = Session.objects.get(pk=session_id)
        time.sleep(0.01)  # widen the window between counting and inserting
        return session

    monkeypatch.setattr(services, "lock_session", unlocked)
    errors = run_together(200, lambda i: services.book_place(session=ten_places, attendee=attendee(i)))
    assert errors == []
    assert Booking.objects.filter(session=ten_places, status="confirmed").count() > 10


def test_fifty_identical_submissions_make_one_booking_and_one_email(ten_places):
    errors = run_together(50, lambda i: services.book_place(session=ten_places, attendee=attendee(1)))
    assert errors == []
    assert Booking.objects.filter(session=ten_places).count() == 1
    assert len(mail.outbox) == 1


def test_identical_submissions_without_the_lock_still_make_one_booking(ten_places, monkeypatch):
    """The partial unique index alone keeps duplicates out; the service returns the existing booking."""

    def unlocked(session_id, *, partner=None, with_title=False):
        session = Session.objects.get(pk=session_id)
        time.sleep(0.01)
        return session

    monkeypatch.setattr(services, "lock_session", unlocked)
    errors = run_together(50, lambda i: services.book_place(session=ten_places, attendee=attendee(1)))
    assert errors == []
    assert Booking.objects.filter(session=ten_places).count() == 1
    assert len(mail.outbox) == 1


def test_concurrent_cancellations_promote_each_waiting_person_once(ten_places):
    for i in range(20):
        services.book_place(session=ten_places, attendee=attendee(i))
    confirmed = list(Booking.objects.filter(status="confirmed"))
    errors = run_together(10, lambda i: services.cancel_booking(booking=confirmed[i]))
    assert errors == []
    assert Booking.objects.filter(status="confirmed").count() == 10
    assert Booking.objects.filter(status="waiting").count() == 0
    assert connection.vendor == "postgresql"


def test_twenty_simultaneous_deliveries_of_one_webhook_confirm_once(ten_places):
    from bookings.models import StripeEvent
    from bookings.payments import process_event
    from tests.factories import training_page_for

    paid = training_page_for(ten_places.partner, slug="paid", title="Paid course", price="10.00")
    session = session_for(ten_places.partner, page=paid, capacity=1)
    booking = services.book_place(session=session, attendee=attendee(1)).booking
    checkout = {"id": "cs_1", "metadata": {"booking_id": str(booking.pk)}, "payment_status": "paid"}
    outcomes = []
    errors = run_together(
        20,
        lambda i: outcomes.append(
            process_event(event_id="evt_1", event_type="checkout.session.completed", checkout=checkout)
        ),
    )
    assert errors == []
    assert sorted(outcomes) == ["confirmed"] + ["duplicate"] * 19
    assert StripeEvent.objects.count() == 1
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Payment received – your place is booked"]
