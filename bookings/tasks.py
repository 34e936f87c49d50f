from django_tasks import task


@task()
def send_booking_email(*, booking_id: int, kind: str) -> None:
    """Send one of the booking emails (see notifications.KINDS) after the change committed."""
    from . import notifications
    from .models import Booking

    booking = Booking.objects.select_related("session__page", "session__partner__site", "partner").get(pk=booking_id)
    notifications.send(booking=booking, kind=kind)
