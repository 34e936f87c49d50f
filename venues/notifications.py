"""Emails to venue leads: one function each, called by tasks. Sign-in tokens are minted here, at
sending time, so the raw token exists only in the email."""

import datetime

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, Venue
from cms.emails import partner_sender
from cms.models import Partner
from cms.tenancy import site_root_url

from .models import SIGN_IN_LINK_MINUTES, SignInLink
from .selectors import lead_emails, lead_venues, pledge_promises


def _send(*, partner: Partner, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {"partner": partner, "minutes": SIGN_IN_LINK_MINUTES, **context})
    EmailMessage(
        subject=subject,
        body=body,
        from_email=partner_sender(partner),
        to=[to],
        reply_to=[partner.contact_email] if partner.contact_email else None,
    ).send()


def _links(*, partner: Partner, email: str, next_path: str = "") -> dict:
    """A single-use link for this address, and the sign-in page to ask for a new one when it has expired."""
    root = site_root_url(partner.site)
    token = SignInLink.objects.mint(partner=partner, email=email, next_path=next_path)
    sign_in = root + reverse("venues:sign_in")
    return {
        "link": root + reverse("venues:use_link", args=[token]),
        "sign_in_url": sign_in + (f"?next={next_path}" if next_path else ""),
    }


def send_sign_in_link(*, partner_id: int, email: str, next_path: str = "") -> bool:
    partner = Partner.objects.select_related("site").get(pk=partner_id)
    if not lead_venues(partner=partner, email=email, today=timezone.localdate()).exists():
        return False
    _send(
        partner=partner,
        to=email,
        subject=f"Sign in to your Safe Haven venue account – {partner.name}",
        template="venues/email/sign_in.txt",
        context=_links(partner=partner, email=email, next_path=next_path),
    )
    return True


def send_pledge_invitation(*, certificate_id: int) -> None:
    certificate = Certificate.objects.select_related("venue", "partner__site").get(pk=certificate_id)
    partner, venue = certificate.partner, certificate.venue
    next_path = reverse("venues:pledge", args=[venue.pk])
    _send(
        partner=partner,
        to=certificate.holder_email,
        subject=f"{venue.name}: one step to become a Safe Haven",
        template="venues/email/pledge_invitation.txt",
        context={
            "venue": venue,
            "promises": pledge_promises(partner),
            **_links(partner=partner, email=certificate.holder_email, next_path=next_path),
        },
    )


def send_renewal_reminder(*, venue_id: int, renewal_due_on: str, stage: int) -> None:
    venue = Venue.objects.select_related("partner__site").get(pk=venue_id)
    partner = venue.partner
    due = datetime.date.fromisoformat(renewal_due_on)
    today = timezone.localdate()
    next_path = reverse("venues:renew", args=[venue.pk])
    for email in lead_emails(venue, today=today):
        _send(
            partner=partner,
            to=email,
            subject=(
                f"{venue.name}: Safe Haven renewal overdue"
                if due < today
                else f"{venue.name}: confirm your Safe Haven details by {due:%-d %B %Y}"
            ),  # fmt: skip
            template="venues/email/renewal_reminder.txt",
            context={
                "venue": venue,
                "due": due,
                "overdue": due < today,
                "stage": stage,
                **_links(partner=partner, email=email, next_path=next_path),
            },
        )


def send_colleague_invite(*, venue_id: int, email: str) -> None:
    from bookings.interest import bookable_sessions, session_lines

    venue = Venue.objects.select_related("partner__site").get(pk=venue_id)
    partner = venue.partner
    sessions = bookable_sessions(partner=partner)[:5]
    _send(
        partner=partner,
        to=email,
        subject=f"Safe Haven training for {venue.name} – {partner.name}",
        template="venues/email/colleague_invite.txt",
        context={
            "venue": venue,
            "training_url": site_root_url(partner.site) + "/training/",
            "sessions": session_lines(sessions, partner=partner),
        },
    )
