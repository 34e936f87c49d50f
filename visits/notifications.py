"""The email a failed visit sends: what was found (never the visitor's private notes) and by when
someone must take the workshop again."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from cms.emails import partner_sender
from cms.tenancy import site_root_url
from venues.selectors import lead_emails

from .models import Visit


def training_url(partner) -> str:
    """The partner's training page as the public reaches it (its /training/ page when there is none yet)."""
    from courses.models import TrainingIndexPage

    root = site_root_url(partner.site)
    page = TrainingIndexPage.objects.child_of(partner.site.root_page).live().first()
    path = page.get_url_parts()[2] if page else None
    return root + (path or "/training/")


def send_refresher_needed(*, visit_id: int) -> int:
    visit = Visit.objects.select_related("venue__partner__site").get(pk=visit_id)
    venue, partner = visit.venue, visit.venue.partner
    if venue.refresher_needed_on != visit.visited_on or venue.refresher_deadline is None:
        return 0  # cleared (or replaced by a later visit) before the email went
    context = {
        "partner": partner,
        "venue": venue,
        "visit": visit,
        "missed": [answer.question_text for answer in visit.answers.all() if not answer.answer],
        "deadline": venue.refresher_deadline,
        "training_url": training_url(partner),
    }
    body = render_to_string("visits/email/refresher_needed.txt", context)
    subject = f"{venue.name}: Safe Haven refresher training needed by {venue.refresher_deadline:%-d %B %Y}"
    recipients = lead_emails(venue, today=timezone.localdate())
    for email in recipients:
        EmailMessage(subject=subject, body=body, from_email=partner_sender(partner), to=[email],
                     reply_to=[partner.contact_email] if partner.contact_email else None).send()  # fmt: skip
    return len(recipients)
