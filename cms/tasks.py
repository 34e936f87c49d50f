from django.core.mail import EmailMessage
from django.urls import reverse
from django_tasks import task

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
    lines = [f"{label}: {value}" for label, value in submission.answers()]
    new_dates = (
        "They asked to be emailed when new training dates are published.\n\n" if submission.wants_new_dates else ""
    )
    body = (
        f"{submission.who} has registered interest in becoming a Safe Haven with {submission.partner}.\n\n"
        f"Open the registration to follow it up, invite them to book and note what was agreed:\n{page_url}\n\n"
        "Their answers:\n\n" + "\n".join(lines) + "\n\n" + new_dates + "You can reply to this email to write to them."
    )
    reply_to = [submission.form_data["email"]] if submission.form_data.get("email") else None
    EmailMessage(
        subject=page.subject or "New Safe Haven interest registration",
        body=body,
        from_email=page.from_address or None,
        to=recipients,
        reply_to=reply_to,
    ).send()
