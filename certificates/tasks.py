from django_tasks import task

from .models import Certificate, Venue
from .notifications import send_certificate_email, send_expiry_reminder_email


@task()
def send_certificate(*, certificate_id: int) -> None:
    """Render the PDF and email it to the holder."""
    certificate = Certificate.objects.select_related("partner__site", "course_page", "venue").get(pk=certificate_id)
    send_certificate_email(certificate)


@task()
def send_expiry_reminder(*, venue_id: int) -> None:
    send_expiry_reminder_email(Venue.objects.select_related("partner").get(pk=venue_id))
