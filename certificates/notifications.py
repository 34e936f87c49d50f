"""Emails about certificates: one function each, called by tasks."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from .models import Certificate, Venue
from .pdf import render_certificate_pdf, verification_url


def send_certificate_email(certificate: Certificate) -> None:
    """The holder's certificate as a PDF attachment, with the link anyone can check it at."""
    partner = certificate.partner
    url = verification_url(certificate)
    body = (
        f"Dear {certificate.holder_name},\n\n"
        f"Thank you for completing {certificate.course_page.title}. Your Safe Haven certificate for "
        f"{certificate.venue.name} is attached.\n\n"
        f"Verification code: {certificate.display_code}\n"
        f"Anyone can check it is genuine at {url}\n"
        f"It is valid until {certificate.expires_on:%-d %B %Y}.\n\n"
        f"{partner.name} Safe Haven team\n{partner.contact_email}\n"
    )
    message = EmailMessage(
        subject=f"Your Safe Haven certificate – {partner.name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[certificate.holder_email],
        reply_to=[partner.contact_email],
    )
    message.attach(f"safe-haven-certificate-{certificate.display_code}.pdf", render_certificate_pdf(certificate),
                   "application/pdf")  # fmt: skip
    message.send()


def send_expiry_reminder_email(venue: Venue) -> None:
    """Tell the venue's certificate holders that its Safe Haven status lapses soon."""
    today = timezone.localdate()
    holders = list(
        venue.certificates.filter(status=Certificate.Status.VALID, expires_on__gte=today)
        .values_list("holder_email", flat=True)
        .distinct()
    )
    if not holders or not venue.accredited_until:
        return
    partner = venue.partner
    body = (
        f"Hello,\n\n{venue.name}'s Safe Haven accreditation ends on {venue.accredited_until:%-d %B %Y}, "
        "when the last certificate held by its staff expires.\n\n"
        "To stay in the Safe Haven register, book someone from the venue on a refresher workshop "
        "before then.\n\n"
        f"{partner.name} Safe Haven team\n{partner.contact_email}\n"
    )
    EmailMessage(
        subject=f"{venue.name}: Safe Haven accreditation ends {venue.accredited_until:%-d %B %Y}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=sorted(set(holders)),
        reply_to=[partner.contact_email],
    ).send()
