"""Stripe for paid sessions, offline: a local fake Stripe API, and webhooks signed the way Stripe signs them."""

import io
import json
import logging
import re
import sys
import threading
import time
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import stripe
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bookings import services
from bookings.models import Booking, StripeEvent
from tests.factories import attendee, session_for, training_page_for

from .conftest import FORM, HOST
from .helpers import calendar_parts

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "whsec_test_secret"
WEBHOOK_URL = "/bookings/stripe/webhook/"


class FakeStripe:
    """A tiny stand-in for api.stripe.com that records what it was asked and answers like Stripe."""

    def __init__(self):
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "form": parse_qs(body)})
                checkout_id = f"cs_test_{len(fake.requests)}"
                answer = json.dumps(
                    {
                        "id": checkout_id,
                        "object": "checkout.session",
                        "url": f"https://checkout.stripe.com/c/pay/{checkout_id}",
                        "payment_status": "unpaid",
                        "status": "open",
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe()
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield fake
    fake.close()


@pytest.fixture
def paid_course(partner):
    return training_page_for(partner, slug="advanced-workshop", title="Advanced workshop", price="25.00")


@pytest.fixture
def paid_session(partner, paid_course):
    return session_for(partner, page=paid_course, capacity=1)


@pytest.fixture
def held(paid_session, settings):
    """A place held for payment, with its Checkout Session id as start_checkout stores it."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    booking = services.book_place(session=paid_session, attendee=attendee(1)).booking
    Booking.objects.filter(pk=booking.pk).update(stripe_checkout_session_id="cs_test_1")
    assert booking.status == "pending_payment"
    return booking


def checkout_event(event_type, booking, *, event_id=None, payment_status="paid", checkout_id="cs_test_1"):
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex}",
        "object": "event",
        "type": event_type,
        "created": int(time.time()),
        "data": {
            "object": {
                "id": checkout_id,
                "object": "checkout.session",
                "client_reference_id": str(booking.pk),
                "metadata": {"booking_id": str(booking.pk)},
                "payment_status": payment_status,
            }
        },
    }


def deliver(client, capture, event, *, secret=WEBHOOK_SECRET, signature=None):
    payload = json.dumps(event)
    if signature is None:
        signature = stripe.WebhookSignature.generate_signature_header(payload, secret)
    with capture(execute=True):
        return client.post(WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature)


def status_of(booking):
    return Booking.objects.get(pk=booking.pk).status


def test_paid_booking_opens_a_checkout_session_and_redirects_to_it(
    client, paid_session, fake_stripe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bookings/sessions/{paid_session.pk}/book/", FORM, HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    booking = Booking.objects.get()
    assert booking.status == "pending_payment"
    assert booking.stripe_checkout_session_id == "cs_test_1"
    [request] = fake_stripe.requests
    assert request["path"] == "/v1/checkout/sessions"
    assert request["headers"]["Authorization"] == "Bearer sk_test_fake"
    assert request["headers"]["Idempotency-Key"] == f"booking-{booking.pk}-checkout"
    form = request["form"]
    assert form["line_items[0][price_data][unit_amount]"] == ["2500"]
    assert form["line_items[0][price_data][currency]"] == ["gbp"]
    assert form["metadata[booking_id]"] == [str(booking.pk)]
    assert form["customer_email"] == ["asha@heathway.example"]
    minutes_ahead = (int(form["expires_at"][0]) - time.time()) / 60
    assert 30 <= minutes_ahead <= 31.5
    # The place is held until after Stripe's own expiry, and no confirmation has gone out.
    assert booking.hold_expires_at > timezone.now() + timedelta(minutes=30)
    assert mail.outbox == []


def test_success_redirect_confirms_nothing(client, paid_session, fake_stripe, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bookings/sessions/{paid_session.pk}/book/", FORM, HTTP_HOST=HOST)
    success_url = fake_stripe.requests[0]["form"]["success_url"][0]
    assert success_url.endswith("?payment=returned")
    path = success_url.split(HOST, 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(path, HTTP_HOST=HOST)
    assert page.status_code == 200
    assert "Your place is held while you pay" in page.text
    assert "waiting for the payment provider to confirm your payment" in page.text
    assert Booking.objects.get().status == "pending_payment"
    assert mail.outbox == []


def test_completed_webhook_confirms_and_sends_the_invite(held, django_capture_on_commit_callbacks):
    stripe_server = Client(enforce_csrf_checks=True)  # Stripe has no CSRF token or session cookie
    event = checkout_event("checkout.session.completed", held)
    response = deliver(stripe_server, django_capture_on_commit_callbacks, event)
    assert "Set-Cookie" not in response.headers
    assert response.status_code == 200
    assert status_of(held) == "confirmed"
    [email] = mail.outbox
    assert email.to == ["attendee1@example.org"]
    assert email.subject.startswith("Payment received")
    assert [method for _, method, _ in calendar_parts(email)] == ["REQUEST", "REQUEST"]


def test_duplicate_delivery_sends_one_email(client, held, django_capture_on_commit_callbacks):
    event = checkout_event("checkout.session.completed", held)
    first = deliver(client, django_capture_on_commit_callbacks, event)
    again = deliver(client, django_capture_on_commit_callbacks, event)
    assert first.status_code == again.status_code == 200
    assert again.text == "duplicate"
    assert StripeEvent.objects.filter(event_id=event["id"]).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("signature", ["wrong secret", "t=1,v1=deadbeef", ""])
def test_unsigned_or_missigned_webhook_is_rejected_and_changes_nothing(
    client, held, django_capture_on_commit_callbacks, signature
):
    event = checkout_event("checkout.session.completed", held)
    if signature == "wrong secret":
        response = deliver(client, django_capture_on_commit_callbacks, event, secret="whsec_someone_else")
    else:
        response = deliver(client, django_capture_on_commit_callbacks, event, signature=signature)
    assert response.status_code == 400
    assert status_of(held) == "pending_payment"
    assert not StripeEvent.objects.exists()
    assert mail.outbox == []


def test_tampered_payload_is_rejected(client, held, django_capture_on_commit_callbacks):
    event = checkout_event("checkout.session.expired", held)
    signature = stripe.WebhookSignature.generate_signature_header(json.dumps(event), WEBHOOK_SECRET)
    event["type"] = "checkout.session.completed"
    response = deliver(client, django_capture_on_commit_callbacks, event, signature=signature)
    assert response.status_code == 400
    assert status_of(held) == "pending_payment"


def test_completed_but_unpaid_waits_for_async_success(client, held, django_capture_on_commit_callbacks):
    deliver(
        client,
        django_capture_on_commit_callbacks,
        checkout_event("checkout.session.completed", held, payment_status="unpaid"),
    )
    booking = Booking.objects.get(pk=held.pk)
    assert booking.status == "pending_payment"
    assert booking.hold_expires_at is None  # cron must not release a payment that is clearing
    call_command("release_expired_holds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert status_of(held) == "pending_payment"
    assert mail.outbox == []
    deliver(
        client, django_capture_on_commit_callbacks, checkout_event("checkout.session.async_payment_succeeded", held)
    )
    assert status_of(held) == "confirmed"
    assert len(mail.outbox) == 1


def test_async_payment_failure_releases_the_place(client, held, django_capture_on_commit_callbacks):
    deliver(client, django_capture_on_commit_callbacks, checkout_event("checkout.session.async_payment_failed", held))
    assert status_of(held) == "expired"


def test_expired_checkout_releases_the_place_to_the_waiting_list(
    client, held, paid_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.book_place(session=paid_session, attendee=attendee(2)).booking
    assert waiting.status == "waiting"
    response = deliver(client, django_capture_on_commit_callbacks, checkout_event("checkout.session.expired", held))
    assert response.status_code == 200
    assert status_of(held) == "expired"
    assert status_of(waiting) == "pending_payment"  # promoted: their place is held for them to pay
    assert mail.outbox[-1].to == ["attendee2@example.org"]
    assert mail.outbox[-1].subject.startswith("A place has come up")


def test_late_expired_after_completed_changes_nothing(client, held, django_capture_on_commit_callbacks):
    deliver(client, django_capture_on_commit_callbacks, checkout_event("checkout.session.completed", held))
    response = deliver(client, django_capture_on_commit_callbacks, checkout_event("checkout.session.expired", held))
    assert response.status_code == 200
    assert status_of(held) == "confirmed"
    assert len(mail.outbox) == 1


def test_payment_for_a_cancelled_booking_is_logged_not_confirmed(
    client, held, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(booking=held)
    sent = len(mail.outbox)
    with caplog.at_level(logging.ERROR, logger="bookings.services"):
        response = deliver(
            client, django_capture_on_commit_callbacks, checkout_event("checkout.session.completed", held)
        )
    assert response.status_code == 200
    assert status_of(held) == "cancelled"
    assert len(mail.outbox) == sent
    assert f"Payment for cancelled booking {held.pk} not applied; refund it" in caplog.text


def test_payment_after_the_hold_ran_out_takes_a_free_place(client, held, django_capture_on_commit_callbacks):
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_expired_holds() == 1
    assert status_of(held) == "expired"
    deliver(client, django_capture_on_commit_callbacks, checkout_event("checkout.session.completed", held))
    assert status_of(held) == "confirmed"
    assert mail.outbox[-1].subject.startswith("Payment received")


def test_payment_after_the_place_went_to_someone_else_stays_expired(
    client, held, paid_session, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.book_place(session=paid_session, attendee=attendee(2)).booking
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.release_expired_holds()
    assert status_of(waiting) == "pending_payment"
    with caplog.at_level(logging.ERROR, logger="bookings.services"):
        deliver(client, django_capture_on_commit_callbacks, checkout_event("checkout.session.completed", held))
    assert status_of(held) == "expired"
    assert "arrived after its place was released; refund it" in caplog.text
    assert Booking.objects.filter(session=paid_session, status__in=Booking.HOLDS_PLACE).count() == 1


def test_event_for_another_checkout_session_is_ignored(client, held, django_capture_on_commit_callbacks):
    deliver(
        client,
        django_capture_on_commit_callbacks,
        checkout_event("checkout.session.completed", held, checkout_id="cs_test_other"),
    )
    assert status_of(held) == "pending_payment"


def test_release_expired_holds_is_idempotent_and_promotes(paid_session, held, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.book_place(session=paid_session, attendee=attendee(2)).booking
    call_command("release_expired_holds", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert status_of(held) == "pending_payment"  # its hold has not run out yet
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("release_expired_holds", stdout=out)
    assert out.getvalue().splitlines() == ["Released 1 expired payment hold.", "Released 0 expired payment holds."]
    assert status_of(held) == "expired"
    assert status_of(waiting) == "pending_payment"


def test_free_booking_never_touches_stripe(client, session, settings, monkeypatch, django_capture_on_commit_callbacks):
    fake = FakeStripe()
    try:
        settings.STRIPE_API_BASE = fake.url
        settings.STRIPE_SECRET_KEY = ""
        settings.STRIPE_WEBHOOK_SECRET = ""
        # Any `import stripe` now fails: a free booking must not even need the package.
        monkeypatch.setitem(sys.modules, "stripe", None)
        for name in [m for m in sys.modules if m.startswith("bookings.payments")]:
            monkeypatch.delitem(sys.modules, name)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST=HOST)
        assert response.status_code == 302
        assert response["Location"].startswith("/bookings/")
        assert Booking.objects.get().status == "confirmed"
        assert "bookings.payments" not in sys.modules
        assert fake.requests == []
        assert len(mail.outbox) == 1
    finally:
        fake.close()


def test_place_offered_from_the_waiting_list_is_paid_from_the_booking_page(
    client, held, paid_session, fake_stripe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.book_place(session=paid_session, attendee=attendee(2)).booking
    deliver(client, django_capture_on_commit_callbacks, checkout_event("checkout.session.expired", held))
    promoted = Booking.objects.get(pk=waiting.pk)
    assert promoted.status == "pending_payment"
    assert timedelta(hours=23) < promoted.hold_expires_at - timezone.now() <= timedelta(hours=24)
    offer = mail.outbox[-1]
    assert "pay for it from your booking page" in offer.body
    manage = re.search(r"http://[^/]+(/bookings/[\w-]+/)", offer.body).group(1)
    page = client.get(manage, HTTP_HOST=HOST)
    assert "Your place is held while you pay" in page.text
    assert f'action="{manage}pay/"' in page.text
    assert client.get(manage + "pay/", HTTP_HOST=HOST).status_code == 405  # a GET never starts a payment
    response = client.post(manage + "pay/", HTTP_HOST=HOST)
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_1"
    [request] = fake_stripe.requests
    assert request["headers"]["Idempotency-Key"] == f"booking-{waiting.pk}-checkout"
    # A second press goes back to the same Checkout rather than opening another.
    again = client.post(manage + "pay/", HTTP_HOST=HOST)
    assert again["Location"] == response["Location"] and len(fake_stripe.requests) == 1
    deliver(
        client,
        django_capture_on_commit_callbacks,
        checkout_event("checkout.session.completed", waiting, checkout_id="cs_test_1"),
    )
    assert status_of(waiting) == "confirmed"


def test_cancelling_before_paying_closes_the_checkout(
    client, paid_session, fake_stripe, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bookings/sessions/{paid_session.pk}/book/", FORM, HTTP_HOST=HOST)
    manage = fake_stripe.requests[0]["form"]["cancel_url"][0].split(HOST, 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage + "cancel/", HTTP_HOST=HOST)
    assert response.status_code == 302
    assert Booking.objects.get().status == "cancelled"
    assert [r["path"] for r in fake_stripe.requests] == [
        "/v1/checkout/sessions",
        "/v1/checkout/sessions/cs_test_1/expire",
    ]
