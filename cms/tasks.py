from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .emails import partner_sender
from .models import InterestSubmission
from .tenancy import site_root_url


@task()
def send_interest_notification(*, submission_id: int) -> None:
    """Tell the partner's team a business wants to become a Safe Haven."""
    submission = InterestSubmission.objects.select_related("page", "partner").get(pk=submission_id)
    page = submission.page.specific
    recipients = page.notification_recipients()
    if not recipients:
        return
    page_url = site_root_url(submission.partner.site) + reverse("staff_interest:edit", args=[submission.pk])
    body = render_to_string(
        "cms/email/interest_notification.txt",
        {"submission": submission, "answers": submission.answers(), "page_url": page_url},
    )
    reply_to = [submission.form_data["email"]] if submission.form_data.get("email") else None
    EmailMessage(
        subject=page.subject or "New Safe Haven interest registration",
        body=body,
        from_email=partner_sender(submission.partner, address=page.from_address),
        to=recipients,
        reply_to=reply_to,
    ).send()


@task()
def rebuild_open_data() -> None:
    """Rebuild the open data (register GeoJSON, calendar feeds) a committed change has made stale,
    so no request waits for the build (cms/prebuilt.py). The flag that kept this task queued once
    is cleared first: a change during the build queues another."""
    from django.core.cache import cache

    from . import prebuilt

    cache.delete(prebuilt.QUEUED_KEY)
    prebuilt.rebuild_stale()
