"""Emails about certificates: one function each, called by tasks."""

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from cms.directory import support_services
from cms.emails import partner_sender
from cms.formats import govuk_date
from cms.tenancy import site_root_url

from .directory_pdf import FILENAME as DIRECTORY_FILENAME
from .directory_pdf import render_directory_pdf
from .models import Certificate, Venue
from .pdf import render_certificate_pdf, verification_url


def what_happens_next(venue: Venue) -> str:
    """The certificate email's next step, from the venue's state when it is sent: what is still
    needed before it is listed, and where its sticker pack is."""
    root = site_root_url(venue.partner.site)
    account = f"{root}{reverse('venues:sign_in')}"
    today = timezone.now().astimezone(venue.partner.zone).date()
    if venue.suspended:
        return (
            f"What happens next\n{venue.name} is suspended from the Safe Haven scheme, so it is not listed. "
            "Reply to this email to talk to us about it."
        )
    if venue.is_accredited(today) and venue.agreed_to_be_listed:
        register = f"{root}{reverse('certificates:venue', args=[venue.slug])}"
        sticker = (
            f"Your sticker pack was posted on {govuk_date(venue.sticker_pack_sent_on, weekday=False)}."
            if venue.sticker_pack == Venue.StickerPack.SENT
            else "We will post your window sticker pack soon."
        )
        return (
            f"What happens next\n{venue.name} is a Safe Haven and listed in the public register: {register}\n"
            f"{sticker}\nKeep its opening hours and details up to date at {account}"
        )
    if venue.is_accredited(today):
        return (
            f"What happens next\n{venue.name} is a Safe Haven but is not shown in the public register. "
            f"To be listed, sign in at {account}\nWe will post your window sticker pack soon."
        )
    return (
        f"What happens next\n{venue.name} is not a Safe Haven yet: someone from the venue needs to agree to "
        "the Safe Haven pledge and to the venue being listed in the public register. To do that, sign in "
        f"with this email address at {account}\n"
        "Once it is listed we will post your window sticker pack."
    )


def send_certificate_email(certificate: Certificate) -> None:
    """The holder's certificate as a PDF attachment, with the link anyone can check it at, and the
    partner's support directory as a second PDF when the partner has listed any services."""
    partner = certificate.partner
    url = verification_url(certificate)
    directory = list(support_services(partner))
    signposting = (
        "Where to signpost people: our support directory is attached too (support-directory.pdf), with the "
        "services you can tell someone about, their numbers and when they are open.\n\n"
        if directory
        else ""
    )
    body = (
        f"Dear {certificate.holder_name},\n\n"
        f"Thank you for completing {certificate.course_page.title}. Your Safe Haven certificate for "
        f"{certificate.venue.name} is attached.\n\n"
        f"Verification code: {certificate.display_code}\n"
        f"Anyone can check it is genuine at {url}\n"
        f"It is valid until {govuk_date(certificate.expires_on, weekday=False)}.\n\n"
        f"{signposting}"
        f"{what_happens_next(certificate.venue)}\n\n"
        f"{partner.name} Safe Haven team\n{partner.contact_email}\n"
    )
    message = EmailMessage(
        subject=f"Your Safe Haven certificate – {partner.name}",
        body=body,
        from_email=partner_sender(partner),
        to=[certificate.holder_email],
        reply_to=[partner.contact_email],
    )
    message.attach(f"safe-haven-certificate-{certificate.display_code}.pdf", render_certificate_pdf(certificate),
                   "application/pdf")  # fmt: skip
    if directory:
        message.attach(DIRECTORY_FILENAME, render_directory_pdf(partner, directory), "application/pdf")
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
    ends = govuk_date(venue.accredited_until, weekday=False)
    body = (
        f"Hello,\n\n{venue.name}'s Safe Haven accreditation ends on {ends}, "
        "when the last certificate held by its staff expires.\n\n"
        "To stay in the Safe Haven register, book someone from the venue on a refresher workshop "
        "before then.\n\n"
        f"{partner.name} Safe Haven team\n{partner.contact_email}\n"
    )
    EmailMessage(
        subject=f"{venue.name}: Safe Haven accreditation ends {ends}",
        body=body,
        from_email=partner_sender(partner),
        to=sorted(set(holders)),
        reply_to=[partner.contact_email],
    ).send()
