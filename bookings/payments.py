"""Stripe Checkout for paid sessions. Imported only when a page has a price: free never gets here."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .exceptions import PaymentUnavailable
from .models import Booking


def stripe_client():
    import stripe

    if not settings.STRIPE_SECRET_KEY:
        raise PaymentUnavailable("Online payment is not set up. Please contact the team to book.")
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses=base, max_network_retries=2)


def start_checkout(*, booking: Booking, token: str, request) -> str:
    """Open a Checkout Session holding the place for CHECKOUT_HOLD_MINUTES; return its URL.

    The idempotency key comes from the booking, so a retry returns the same Checkout Session.
    """
    import stripe

    page = booking.session.page.specific
    manage = request.build_absolute_uri(reverse("bookings:manage", kwargs={"token": token}))
    # Stripe needs expires_at at least 30 minutes ahead at creation: a minute's margin for the call.
    expires_at = timezone.now() + timedelta(minutes=settings.CHECKOUT_HOLD_MINUTES, seconds=60)
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
                            "unit_amount": int(page.price * 100),
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
    Booking.objects.filter(pk=booking.pk).update(
        stripe_checkout_session_id=checkout.id, stripe_checkout_url=checkout.url, hold_expires_at=expires_at
    )
    return checkout.url
