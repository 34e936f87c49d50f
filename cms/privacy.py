"""Personal data duties under UK GDPR: subject access, erasure and the retention schedule.

Each app that holds personal data registers a provider with the `register_personal_data` hook
(cms: interest registrations; bookings: bookings; certificates: certificates), so this module
never imports a higher app. A provider has:

- `key`: the section name in a subject-access export;
- `collect(*, partner, email) -> list[dict]`: everything held about that email for the partner;
- `erase(*, partner, email, actor) -> int`: anonymise (never delete: counts must stay right);
- `purge(*, now, retention) -> dict[str, int]`: apply the retention schedule; idempotent, so a
  second run changes nothing and returns zeros.

Anonymised rows carry an address at `ERASED_DOMAIN` (a reserved .invalid domain that can never
receive mail), which is also how a later run knows they are already done.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail import hooks
from wagtail.log_actions import log

from .sanitise import normalise_email

ERASED_DOMAIN = "erased.invalid"
ERASED_NAME = "Erased"

DEFAULT_RETENTION = {
    # Days after the session: bookings that never became attendance (cancelled, payment expired,
    # still waiting when the session ran) and confirmed places not attended.
    "cancelled_bookings_days": 90,
    "no_show_bookings_days": 90,
    # Days after the session for attended bookings (the certificate is the lasting record).
    "attended_bookings_days": 730,
    # Days after an interest registration was sent.
    "interest_submissions_days": 365,
    # Days after a certificate expired or was revoked.
    "expired_certificates_days": 365,
    # Days after a venue sign-in link expired (it holds the address it was sent to).
    "venue_sign_in_links_days": 30,
}


def forget_log_labels(model, pks) -> int:
    """Audit entries keep what happened and when, but their labels (the object's name when it was
    logged) may name the person: erasure and purging relabel them."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
    ).update(label=ERASED_NAME)


def erased_email(pk) -> str:
    return f"erased-{pk}@{ERASED_DOMAIN}"


def is_erased_email(value: str) -> bool:
    return (value or "").endswith("@" + ERASED_DOMAIN)


def retention_schedule() -> dict[str, int]:
    return {**DEFAULT_RETENTION, **getattr(settings, "PERSONAL_DATA_RETENTION", {})}


def providers():
    return [fn() for fn in hooks.get_hooks("register_personal_data")]


def email_fingerprint(email: str) -> str:
    """What the audit log keeps about whose data was exported or erased: not the address itself."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()[:16]


def subject_access(*, partner, email: str, actor=None) -> dict:
    """Everything this partner holds about one email address, for a subject access request."""
    email = normalise_email(email)
    report = {
        "email": email,
        "partner": partner.name,
        "generated_at": timezone.now().isoformat(),
    }
    for provider in providers():
        report[provider.key] = provider.collect(partner=partner, email=email)
    log(partner, "cms.subject_access", user=actor, data={"email_sha256": email_fingerprint(email)})
    return report


def subject_access_json(report: dict) -> str:
    return json.dumps(report, indent=2, default=_json_default, ensure_ascii=False)


def _json_default(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def erase_person(*, partner, email: str, actor=None) -> dict[str, int]:
    """Anonymise one person's data held by one partner; certificates follow their exception."""
    email = normalise_email(email)
    with transaction.atomic():
        counts = {provider.key: provider.erase(partner=partner, email=email, actor=actor) for provider in providers()}
        log(partner, "cms.erase_person", user=actor, data={"email_sha256": email_fingerprint(email), **counts})
    return counts


def purge_personal_data(*, now=None) -> dict[str, int]:
    """Apply the retention schedule to every partner; safe to run daily from cron."""
    now = now or timezone.now()
    retention = retention_schedule()
    counts = {}
    with transaction.atomic():
        for provider in providers():
            counts.update(provider.purge(now=now, retention=retention))
    return counts


class InterestRegistrations:
    """Interest registrations (the register-interest form) as personal data."""

    key = "interest_registrations"

    def _matching(self, partner, email):
        from .models import InterestSubmission

        rows = InterestSubmission.objects.filter(partner=partner).order_by("submit_time", "pk")
        return [row for row in rows if normalise_email(str(row.form_data.get("email", ""))) == email]

    def collect(self, *, partner, email):
        return [
            {
                "submitted": row.submit_time,
                "status": row.get_status_display(),
                "answers": row.form_data,
                "wants_new_dates": row.wants_new_dates,
                "new_dates_stopped": row.new_dates_unsubscribed_at,
                "follow_up_notes": [step.note for step in row.follow_ups.all() if step.note],
            }
            for row in self._matching(partner, email)
        ]

    def erase(self, *, partner, email, actor=None):
        from .models import InterestFollowUp, InterestSubmission

        ids = [row.pk for row in self._matching(partner, email)]
        InterestFollowUp.objects.filter(submission_id__in=ids).update(note="")  # notes may quote the person
        forget_log_labels(InterestSubmission, ids)
        return InterestSubmission.objects.filter(pk__in=ids).update(form_data={"erased": True}, wants_new_dates=False)

    def purge(self, *, now, retention):
        from .models import InterestFollowUp, InterestSubmission

        cutoff = now - datetime.timedelta(days=retention["interest_submissions_days"])
        stale = InterestSubmission.objects.filter(submit_time__lt=cutoff).exclude(form_data={"erased": True})
        InterestFollowUp.objects.filter(submission__in=stale).update(note="")
        forget_log_labels(InterestSubmission, list(stale.values_list("pk", flat=True)))
        return {"interest_submissions": stale.update(form_data={"erased": True}, wants_new_dates=False)}
