"""Certificates listens to bookings: a completed booking becomes one certificate."""

from django.dispatch import receiver

from bookings.models import Booking
from bookings.signals import course_completed

from .models import booking_completion_key


@receiver(course_completed, sender=Booking, dispatch_uid="certificates_issue_on_completion")
def issue_certificate_for_completion(sender, booking: Booking, **kwargs):
    """The unique completion key makes a repeated or concurrent announcement harmless."""
    from .services import issue_certificate

    booking = Booking.objects.select_related("session__page", "partner").get(pk=booking.pk)
    return issue_certificate(
        partner=booking.partner,
        course_page=booking.session.page,
        holder_name=booking.name,
        holder_email=booking.email,
        organisation=booking.organisation,
        postcode=booking.postcode,
        venue_type=booking.venue_type,
        completion_key=booking_completion_key(booking),
    )
