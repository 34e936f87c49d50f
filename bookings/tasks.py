from django_tasks import task


@task()
def send_booking_email(*, booking_id: int, kind: str) -> None:
    """Send one of the booking emails (see notifications.KINDS) after the change committed."""
    from . import notifications
    from .models import Booking

    booking = Booking.objects.select_related("session__page", "session__partner__site", "partner").get(pk=booking_id)
    notifications.send(booking=booking, kind=kind)


@task()
def expire_checkout(*, checkout_session_id: str) -> None:
    """Close the Stripe Checkout of a booking cancelled before it was paid."""
    from .payments import expire_checkout

    expire_checkout(checkout_session_id=checkout_session_id)
