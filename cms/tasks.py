from django.core.mail import EmailMessage
from django_tasks import task

from .models import InterestSubmission


@task()
def send_interest_notification(*, submission_id: int) -> None:
    """Tell the partner's team a business wants to become a Safe Haven."""
    submission = InterestSubmission.objects.select_related("page", "partner").get(pk=submission_id)
    page = submission.page.specific
    recipients = page.notification_recipients()
    if not recipients:
        return
    lines = [f"{field.label}: {submission.form_data.get(field.clean_name, '')}" for field in page.get_form_fields()]
    body = (
        f"Someone has registered interest in becoming a Safe Haven with {submission.partner}.\n\n"
        + "\n".join(lines)
        + "\n\nFollow it up in the admin under Interest registrations."
    )
    reply_to = [submission.form_data["email"]] if submission.form_data.get("email") else None
    EmailMessage(
        subject=page.subject or "New Safe Haven interest registration",
        body=body,
        from_email=page.from_address or None,
        to=recipients,
        reply_to=reply_to,
    ).send()
