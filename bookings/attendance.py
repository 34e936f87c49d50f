"""Attendance, self check-in, the knowledge check and completion.

A booking is complete when it was attended and (its course has no knowledge check, or the
attendee passed it). Completion is claimed with a conditional UPDATE (completed_at still empty)
while the booking row is locked, so attendance saved twice, or by two trainers at once, completes
a booking once; `course_completed` is sent after the commit, for certificates to issue one
certificate. Networking events record attendance but do not complete anything.

An attendee marked attended on a course with a knowledge check is emailed once to take it, and
reminded once, after the partner's `knowledge_check_nudge_days`, if they have not passed it by
then (`send_knowledge_check_nudges`, from the `send_reminders` cron). Both emails are claimed
with a conditional UPDATE, so a register saved twice or overlapping cron runs send each once.
"""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from cms.models import Partner
from cms.sanitise import clean_text
from courses.models import CoursePage
from courses.services import KnowledgeCheckResult, score_knowledge_check

from .exceptions import (
    AttendanceLocked,
    CheckInClosed,
    CheckInNotOpen,
    KnowledgeCheckUnavailable,
    NotAttendable,
    SelfCheckInOff,
    SessionNotStarted,
    WrongCheckInCode,
)
from .formats import day_label, time_label
from .models import Booking, Session
from .services import notify_after_commit
from .signals import course_completed

# Attendance, and with it completion and the certificate, can only be recorded for what has
# happened: self check-in opens when the session starts, as do the register and "mark all".
CHECK_IN_OPENS_BEFORE = timedelta(0)
NOTE_LENGTH = Booking._meta.get_field("attendance_note").max_length


def normalise_check_in_code(value: str) -> str:
    """Accept what people type: lower case, spaces or a dash in the middle."""
    return "".join((value or "").split()).upper().replace("-", "")


def _lock_booking(booking_id: int) -> Booking:
    """The booking row, locked until the transaction ends (not the session: registers run in parallel)."""
    return Booking.objects.select_for_update(of=("self",)).select_related("session", "partner").get(pk=booking_id)


def _check_attendable(booking: Booking) -> None:
    if booking.status != Booking.Status.CONFIRMED or booking.session.status != Session.Status.SCHEDULED:
        raise NotAttendable()


def starts_label(session: Session) -> str:
    """ "2pm on Monday 7 June 2027" in the partner's time zone, for messages that name the start."""
    local = timezone.localtime(session.starts_at, session.partner.zone)
    return f"{time_label(local, local.tzinfo)} on {day_label(local, local.tzinfo)}"


def check_started(session: Session, *, now: datetime) -> None:
    """Refuse to record attendance for a session that has not started yet."""
    if now < session.starts_at:
        raise SessionNotStarted(
            f"Attendance can only be recorded once the session has started, at {starts_label(session)}."
        )


def course_for_session(session: Session) -> CoursePage | None:
    """The course a session's attendees complete; None for a networking event."""
    page = session.page.specific
    return page if isinstance(page, CoursePage) else None


def course_for(booking: Booking) -> CoursePage | None:
    """The course a booking leads to completing; None for a networking event."""
    return course_for_session(booking.session)


def needs_knowledge_check(booking: Booking) -> bool:
    course = course_for(booking)
    return bool(course and course.has_knowledge_check and not booking.knowledge_check_passed_at)


def _claim_completion(booking_id: int, now: datetime) -> bool:
    """True for the one caller that sets completed_at; every other caller finds it already set."""
    return Booking.objects.filter(pk=booking_id, completed_at__isnull=True).update(completed_at=now) == 1


def _complete_if_due(booking: Booking, *, now: datetime, actor=None) -> bool:
    if booking.completed_at or not booking.attended:
        return False
    course = course_for(booking)
    if course is None or (course.has_knowledge_check and not booking.knowledge_check_passed_at):
        return False
    if not _claim_completion(booking.pk, now):
        return False
    booking.completed_at = now
    log(instance=booking, action="bookings.completion", user=actor, data={"course": course.title})
    transaction.on_commit(lambda: course_completed.send(sender=Booking, booking=booking))
    return True


def _invite_to_knowledge_check(booking: Booking, *, now: datetime) -> None:
    """Email an attendee who now needs the knowledge check, once, whoever marked them attended."""
    if booking.knowledge_check_invited_at or not needs_knowledge_check(booking):
        return
    claimed = Booking.objects.filter(pk=booking.pk, knowledge_check_invited_at__isnull=True).update(
        knowledge_check_invited_at=now
    )
    if claimed:
        booking.knowledge_check_invited_at = now
        notify_after_commit(booking.pk, "knowledge_check")


def _record(booking: Booking, *, attended: bool, note: str, actor, now: datetime, method: str) -> None:
    """Write attendance on a locked, attendable booking and complete it when that is due."""
    if booking.completed_at and not attended:
        raise AttendanceLocked()
    if booking.attended is not attended or booking.attendance_note != note:
        booking.attended = attended
        booking.attendance_note = note
        booking.attendance_recorded_at = now
        booking.save(update_fields=["attended", "attendance_note", "attendance_recorded_at"])
        log(
            instance=booking,
            action="bookings.attendance",
            user=actor,
            data={"attended": attended, "note": note, "method": method},
        )
    if not _complete_if_due(booking, now=now, actor=actor) and attended:
        _invite_to_knowledge_check(booking, now=now)


def record_attendance(
    *, booking: Booking, attended: bool, note: str = "", actor=None, now: datetime | None = None
) -> Booking:
    """Mark a confirmed attendee as attended or absent, with an optional note (e.g. joined late).

    Saving the same answer again changes nothing. Un-marking is allowed until the booking is
    complete; after that the certificate stands until staff revoke it.
    """
    now = now or timezone.now()
    note = clean_text(note or "").strip()[:NOTE_LENGTH]
    with transaction.atomic():
        locked = _lock_booking(booking.pk)
        _check_attendable(locked)
        check_started(locked.session, now=now)
        _record(locked, attended=bool(attended), note=note, actor=actor, now=now, method="register")
    return locked


def mark_all_attended(*, session: Session, actor=None, now: datetime | None = None) -> int:
    """Mark every confirmed attendee whose attendance is not yet recorded as attended.

    People already marked (absent, or attended with a note) keep what the trainer recorded.
    Returns how many were marked.
    """
    now = now or timezone.now()
    marked = 0
    with transaction.atomic():
        current = Session.objects.select_related("partner").filter(pk=session.pk).first()
        if current is None or current.status != Session.Status.SCHEDULED:
            raise NotAttendable("Attendance cannot be recorded for a cancelled session.")
        check_started(current, now=now)
        pending = Booking.objects.filter(
            session_id=session.pk, status=Booking.Status.CONFIRMED, attended__isnull=True
        ).values_list("pk", flat=True)
        for booking_id in list(pending):
            locked = _lock_booking(booking_id)
            if locked.attended is not None or locked.status != Booking.Status.CONFIRMED:
                continue  # recorded by someone else since the list was read
            _record(locked, attended=True, note=locked.attendance_note, actor=actor, now=now, method="mark_all")
            marked += 1
    return marked


def check_in_window(session: Session) -> tuple[datetime, datetime]:
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at


def check_in(*, booking: Booking, code: str, now: datetime | None = None) -> Booking:
    """An attendee checks themselves in with the code the trainer shows, which records attendance.

    Open from the start until the end of the session; checking in again is harmless.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_booking(booking.pk)
        _check_attendable(locked)
        if locked.checked_in_at:
            return locked
        session = locked.session
        if not session.offers_self_check_in:
            raise SelfCheckInOff()
        opens, closes = check_in_window(session)
        if now < opens:
            raise CheckInNotOpen(f"Check-in opens when the session starts, at {starts_label(session)}.")
        if now > closes:
            raise CheckInClosed()
        if not secrets.compare_digest(normalise_check_in_code(code), session.check_in_code):
            raise WrongCheckInCode()
        locked.checked_in_at = now
        locked.save(update_fields=["checked_in_at"])
        _record(locked, attended=True, note=locked.attendance_note, actor=None, now=now, method="check_in")
    return locked


def submit_knowledge_check(*, booking: Booking, answers: dict, now: datetime | None = None) -> KnowledgeCheckResult:
    """Mark the attendee's knowledge check; a pass completes the booking. Retakes are allowed."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_booking(booking.pk)
        _check_attendable(locked)
        course = course_for(locked)
        if course is None or not course.has_knowledge_check:
            raise KnowledgeCheckUnavailable("This session has no knowledge check.")
        if not locked.attended:
            raise KnowledgeCheckUnavailable()
        result = score_knowledge_check(course=course, answers=answers)
        locked.knowledge_check_taken_at = now
        locked.save(update_fields=["knowledge_check_taken_at"])
        log(
            instance=locked,
            action="bookings.knowledge_check",
            data={"score": result.score, "passed": result.passed, "pass_mark": course.pass_mark},
        )
        if result.passed and not locked.knowledge_check_passed_at:
            locked.knowledge_check_passed_at = now
            locked.save(update_fields=["knowledge_check_passed_at"])
        _complete_if_due(locked, now=now)
    return result


def awaiting_knowledge_check():
    """Attended bookings asked to take the knowledge check that have not passed it yet."""
    return Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        attended=True,
        completed_at__isnull=True,
        knowledge_check_passed_at__isnull=True,
        knowledge_check_invited_at__isnull=False,
    )


def send_knowledge_check_nudges(*, now: datetime | None = None) -> int:
    """Send the one reminder to take the knowledge check that is due; safe to run from cron.

    Due when the partner's `knowledge_check_nudge_days` have passed since the first email
    (0 turns reminders off). Returns how many were sent.
    """
    now = now or timezone.now()
    due = Q(pk__in=[])
    for partner_id, days in Partner.objects.filter(knowledge_check_nudge_days__gt=0).values_list(
        "pk", "knowledge_check_nudge_days"
    ):
        due |= Q(partner_id=partner_id, knowledge_check_invited_at__lte=now - timedelta(days=days))
    sent = 0
    pending = awaiting_knowledge_check().filter(due, knowledge_check_nudged_at__isnull=True)
    due_ids = pending.values_list("pk", flat=True)
    for booking_id in list(due_ids):
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=booking_id, knowledge_check_nudged_at__isnull=True, knowledge_check_passed_at__isnull=True
            ).update(knowledge_check_nudged_at=now)
            if claimed:
                notify_after_commit(booking_id, "knowledge_check_nudge")
                sent += 1
    return sent
