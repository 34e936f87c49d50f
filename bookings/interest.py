"""Following up interest registrations with dates to book: an invitation a coordinator sends, and
the announcement of new dates to people who asked for it on the form.

Here rather than in cms because it reads sessions (cms never imports bookings); the registration
and its follow-up history stay cms's, changed through cms.services.
"""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from cms.models import InterestFollowUp, InterestSubmission
from cms.sanitise import normalise_email
from cms.services import new_dates_unsubscribe_token, set_interest_status
from cms.tenancy import site_root_url

from .exceptions import BookingError
from .formats import day_label, time_label
from .models import Session

logger = logging.getLogger(__name__)

INVITE_LIMIT = 10  # the soonest sessions; an email listing more is not read


class InviteNotSent(BookingError):
    message = "The invitation was not sent."


def bookable_sessions(*, partner, now=None) -> list[Session]:
    """The partner's sessions someone could book now: scheduled, still to come, booking open."""
    now = now or timezone.now()
    sessions = Session.objects.upcoming(now).filter(partner=partner).select_related("page").order_by("starts_at", "pk")
    return [session for session in sessions if session.booking_is_open(now)][:INVITE_LIMIT]


def session_lines(sessions, *, partner) -> list[dict]:
    """What an email says of each session: course, day and time on the partner's clock, where, link."""
    zone = partner.zone
    root = site_root_url(partner.site)
    return [
        {
            "title": session.page.title,
            "day": day_label(session.starts_at, zone),
            "time": f"{time_label(session.starts_at, zone)} to {time_label(session.ends_at, zone)}",
            "where": session.where,
            "book_url": root + reverse("bookings:book", args=[session.pk]),
        }
        for session in sessions
    ]


def invite_to_book(*, submission: InterestSubmission, actor, now=None) -> list[Session]:
    """Email the person the partner's bookable sessions, note it on the registration, and mark a new
    registration contacted. Raises InviteNotSent when there is nothing to send or nowhere to send it."""
    from .tasks import send_interest_invite

    now = now or timezone.now()
    if not submission.email:
        raise InviteNotSent("This registration has no email address to send an invitation to.")
    sessions = bookable_sessions(partner=submission.partner, now=now)
    if not sessions:
        raise InviteNotSent("There are no upcoming sessions open for booking, so no invitation was sent.")
    count = f"{len(sessions)} upcoming session{'s' if len(sessions) != 1 else ''}"
    note = f"Invited to book by email, listing {count}."
    with transaction.atomic():
        locked = InterestSubmission.objects.select_for_update().get(pk=submission.pk)
        log(locked, "cms.interest_invited", user=actor, data={"sessions": [session.pk for session in sessions]})
        if locked.status == InterestSubmission.Status.NEW:
            set_interest_status(
                submission=locked, status=InterestSubmission.Status.CONTACTED, note=note, actor=actor, now=now
            )
        else:
            InterestFollowUp.objects.create(
                submission=locked, status_from=locked.status, status_to=locked.status, note=note, actor=actor,
                created_at=now,
            )  # fmt: skip
        session_ids = [session.pk for session in sessions]
        transaction.on_commit(lambda: send_interest_invite.enqueue(submission_id=locked.pk, session_ids=session_ids))
    submission.status = locked.status
    return sessions


def send_invite(*, submission: InterestSubmission, sessions) -> None:
    partner = submission.partner
    body = render_to_string(
        "bookings/email/interest_invite.txt",
        {"submission": submission, "partner": partner, "sessions": session_lines(sessions, partner=partner)},
    )
    EmailMessage(
        subject=f"Book your Safe Haven training with {partner.name}",
        body=body,
        to=[submission.email],
        reply_to=[partner.contact_email] if partner.contact_email else None,
    ).send()


def claim_new_dates(*, session_ids, now=None) -> list[int]:
    """The sessions this run may announce, each claimed by a conditional UPDATE: a session already
    announced (by an earlier run, or one running alongside) is claimed by nobody else."""
    now = now or timezone.now()
    claimed = []
    for pk in dict.fromkeys(session_ids):
        unannounced = Session.objects.filter(
            pk=pk, new_dates_announced_at__isnull=True, status=Session.Status.SCHEDULED, starts_at__gt=now
        )
        if unannounced.update(new_dates_announced_at=now):
            claimed.append(pk)
    return claimed


def new_dates_recipients(*, partner) -> list[InterestSubmission]:
    """One registration per email address that asked for new dates and has not stopped them."""
    rows = (
        InterestSubmission.objects.filter(partner=partner, wants_new_dates=True, new_dates_unsubscribed_at__isnull=True)
        .exclude(status=InterestSubmission.Status.NOT_INTERESTED)
        .order_by("submit_time", "pk")
    )
    seen, recipients = set(), []
    for row in rows:
        email = normalise_email(row.email)
        if email and email not in seen:
            seen.add(email)
            recipients.append(row)
    return recipients


def announce_new_dates(*, session_ids, now=None) -> int:
    """Email everyone who asked to hear of new dates, once, listing the given sessions (a series is
    one call, so one email). Returns how many emails were sent."""
    now = now or timezone.now()
    claimed = claim_new_dates(session_ids=session_ids, now=now)
    sessions = Session.objects.filter(pk__in=claimed).select_related("page", "partner__site").order_by("starts_at")
    by_partner = {}
    for session in sessions:
        by_partner.setdefault(session.partner, []).append(session)
    sent = 0
    for partner, its_sessions in by_partner.items():
        lines = session_lines(its_sessions, partner=partner)
        for submission in new_dates_recipients(partner=partner):
            try:
                new_dates_email(submission=submission, partner=partner, sessions=lines).send()
                sent += 1
            except Exception:  # one bad address must not stop the others; the dates stay claimed
                logger.exception("New-dates email to registration %s failed", submission.pk)
    return sent


def new_dates_email(*, submission, partner, sessions) -> EmailMessage:
    stop_url = site_root_url(partner.site) + reverse(
        "interest:stop_new_dates", args=[new_dates_unsubscribe_token(submission)]
    )
    body = render_to_string(
        "bookings/email/new_dates.txt",
        {"submission": submission, "partner": partner, "sessions": sessions, "stop_url": stop_url},
    )
    count = len(sessions)
    return EmailMessage(
        subject=f"New Safe Haven training date{'s' if count != 1 else ''} with {partner.name}",
        body=body,
        to=[submission.email],
        reply_to=[partner.contact_email] if partner.contact_email else None,
        # RFC 8058: mail clients offer their own "Unsubscribe", which POSTs to the link.
        headers={"List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
