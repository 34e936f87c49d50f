"""Stripe Checkout for paid sessions. Imported only when a session has a price (or by the webhook):
a free booking never gets here, so it needs neither the stripe package's network code nor keys.

A paid booking holds its place from the form until Stripe's webhook says the payment succeeded
(confirm) or the Checkout Session expired or the payment failed (release). The success redirect
back to the manage page confirms nothing: anyone can visit it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from . import services
from .exceptions import PaymentUnavailable
from .models import Booking, StripeEvent

logger = logging.getLogger(__name__)

# Time for Stripe's webhook to land after the Checkout Session expires, before cron releases the hold.
WEBHOOK_GRACE = timedelta(minutes=5)


class InvalidWebhook(Exception):
    """The request did not come from Stripe (bad or missing signature) or is not an event."""


def stripe_client():
    import stripe

    if not settings.STRIPE_SECRET_KEY:
        raise PaymentUnavailable("Online payment is not set up. Please contact the team to book.")
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2)


def start_checkout(*, booking: Booking, token: str, request) -> str:
    """Open a Checkout Session holding the place for CHECKOUT_HOLD_MINUTES; return its URL.

    The amount is the session's price, kept from when it was created. The idempotency key comes
    from the booking, so a retry returns the same Checkout Session.
    """
    import stripe

    manage = request.build_absolute_uri(reverse("bookings:manage", kwargs={"token": token}))
    # Stripe needs expires_at at least 30 minutes ahead at creation: a minute's margin for the call.
    expires_at = services.checkout_hold_ends(timezone.now())
    try:
        checkout = stripe_client().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "customer_email": booking.email,
                "client_reference_id": str(booking.pk),
                "metadata": {"booking_id": str(booking.pk)},
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": "gbp",
                            "unit_amount": int(booking.session.price * 100),
                            "product_data": {"name": str(booking.session)},
                        },
                    }
                ],
                "expires_at": int(expires_at.timestamp()),
                "success_url": manage + "?payment=returned",
                "cancel_url": manage,
            },
            options={"idempotency_key": f"booking-{booking.pk}-checkout"},
        )
    except stripe.StripeError as exc:
        raise PaymentUnavailable() from exc
    Booking.objects.filter(pk=booking.pk, status=Booking.Status.PENDING_PAYMENT).update(
        stripe_checkout_session_id=checkout.id,
        stripe_checkout_url=checkout.url,
        hold_expires_at=expires_at + WEBHOOK_GRACE,
    )
    return checkout.url


def expire_checkout(*, checkout_session_id: str) -> None:
    """Expire an open Checkout Session. If it was already completed or expired, its webhook settles it."""
    import stripe

    try:
        stripe_client().v1.checkout.sessions.expire(checkout_session_id)
    except (stripe.StripeError, PaymentUnavailable) as exc:
        logger.warning("Could not expire Stripe Checkout %s: %s", checkout_session_id, exc)


def handle_webhook(*, payload: bytes, signature: str) -> str:
    """Verify a webhook delivery's signature, then apply it. Returns what happened, for the log."""
    import stripe

    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    data = event.to_dict()
    return process_event(event_id=data["id"], event_type=data["type"], checkout=data["data"]["object"])


CONFIRMS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
RELEASES = {"checkout.session.expired", "checkout.session.async_payment_failed"}


def process_event(*, event_id: str, event_type: str, checkout: dict) -> str:
    """Apply one verified Checkout event exactly once.

    The event id is stored in the same transaction as the change it causes, so a duplicate
    delivery (Stripe retries, or two at once) hits the unique constraint and does nothing, while
    a failure rolls both back and Stripe's retry gets another go.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event_id, type=event_type)
        except IntegrityError:
            return "duplicate"
        if event_type not in CONFIRMS | RELEASES:
            return "ignored"
        booking = _booking_for(checkout)
        if booking is None:
            logger.warning("Stripe event %s names no booking of ours", event_id)
            return "unknown booking"
        if event_type in RELEASES:
            services.release_hold(booking=booking)
            return "released"
        if checkout.get("payment_status") == "paid":
            services.confirm_payment(booking=booking)
            return "confirmed"
        # Completed with a delayed payment method: async_payment_succeeded/failed will follow.
        services.keep_hold_while_payment_clears(booking=booking)
        return "awaiting payment"


def _booking_for(checkout: dict) -> Booking | None:
    booking_id = (checkout.get("metadata") or {}).get("booking_id") or checkout.get("client_reference_id")
    if not str(booking_id or "").isdigit():
        return None
    booking = Booking.objects.filter(pk=int(booking_id)).first()
    if booking and booking.stripe_checkout_session_id and booking.stripe_checkout_session_id != checkout.get("id"):
        logger.warning("Stripe Checkout %s is not booking %s's current one", checkout.get("id"), booking.pk)
        return None
    return booking
