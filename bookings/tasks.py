from django_tasks import task


@task()
def send_booking_email(*, booking_id: int, kind: str) -> None:
    """Send one of the booking emails (see notifications.KINDS) after the change committed. Its
    statements are prepared once per worker connection, as a booking's are: every booking sends one."""
    from cms.database import prepared_statements

    from . import notifications
    from .models import Booking

    with prepared_statements():
        booking = Booking.objects.select_related("session__page", "partner__site").get(pk=booking_id)
        notifications.send(booking=booking, kind=kind)


@task()
def announce_new_dates(*, session_ids: list[int]) -> None:
    """Tell people who asked for new dates about these sessions, once (see bookings.interest)."""
    from . import interest

    interest.announce_new_dates(session_ids=session_ids)


@task()
def send_interest_invite(*, submission_id: int, session_ids: list[int]) -> None:
    """Email a registration the sessions a coordinator invited them to book."""
    from cms.models import InterestSubmission

    from . import interest
    from .models import Session

    submission = InterestSubmission.objects.select_related("partner__site").get(pk=submission_id)
    sessions = Session.objects.filter(pk__in=session_ids).select_related("page").order_by("starts_at", "pk")
    interest.send_invite(submission=submission, sessions=list(sessions))


@task()
def expire_checkout(*, checkout_session_id: str) -> None:
    """Close the Stripe Checkout of a booking cancelled before it was paid."""
    from .payments import expire_checkout

    expire_checkout(checkout_session_id=checkout_session_id)


@task()
def send_session_message(*, message_id: int) -> None:
    """Send a coordinator's message to each person booked, one email each (no shared To or Cc)."""
    from django.utils import timezone

    from . import notifications
    from .models import SessionMessage

    # Claimed first: a retried or duplicated task finds the message already sent.
    if not SessionMessage.objects.filter(pk=message_id, sent_at__isnull=True).update(sent_at=timezone.now()):
        return
    message = SessionMessage.objects.select_related("session__page", "session__partner__site").get(pk=message_id)
    notifications.send_session_message(message=message)
