"""Attendance, self check-in, knowledge check and completion (bookings.attendance)."""

import io
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from bookings import attendance
from bookings.attendance import check_in, mark_all_attended, record_attendance, submit_knowledge_check
from bookings.exceptions import (
    AttendanceLocked,
    CheckInClosed,
    CheckInNotOpen,
    KnowledgeCheckUnavailable,
    NotAttendable,
    SessionNotStarted,
    WrongCheckInCode,
)
from bookings.models import CHECK_IN_ALPHABET, Booking
from bookings.services import cancel_booking, cancel_session
from bookings.signals import course_completed
from certificates.models import Certificate
from courses.models import NetworkingEventPage
from tests.factories import (
    PartnerFactory,
    UserFactory,
    add_knowledge_check,
    attended_session,
    booked_with_link,
    booking_on,
    session_for,
    training_page_for,
)

from .test_concurrency import run_together


@pytest.fixture
def completions():
    """Every course_completed announcement, in order."""
    sent = []

    def receiver(sender, booking, **kwargs):
        sent.append(booking.pk)

    course_completed.connect(receiver, weak=False, dispatch_uid="test_completions")
    yield sent
    course_completed.disconnect(dispatch_uid="test_completions")


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Attendance Borough", host="attendance.localhost")


@pytest.fixture
def session(partner):
    return attended_session(partner)


@pytest.fixture
def booking(session):
    return booking_on(session, 1)


def certificates_for(booking):
    return Certificate.objects.filter(completion_key=f"booking:{booking.pk}")


def test_marking_attended_twice_completes_once_with_one_certificate_and_one_email(
    booking, completions, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    trainer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = record_attendance(booking=booking, attended=True, actor=trainer)
    completed_at = first.completed_at
    assert first.attended is True and completed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        second = record_attendance(booking=booking, attended=True, actor=trainer)
    assert second.completed_at == completed_at
    assert completions == [booking.pk]

    certificate = certificates_for(booking).get()
    assert certificate.holder_name == "Attendee 1"
    assert certificate.venue.name == "Venue 1"
    certificate_emails = [m for m in mail.outbox if m.subject.startswith("Your Safe Haven certificate")]
    assert [m.to for m in certificate_emails] == [["attendee1@example.org"]]
    filename, content, mimetype = certificate_emails[0].attachments[0]
    assert mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Attendee 1" in text and certificate.display_code in text

    entries = ModelLogEntry.objects.for_instance(booking)
    assert entries.filter(action="bookings.attendance", user=trainer).count() == 1
    assert entries.filter(action="bookings.completion").count() == 1


def test_absent_and_unmarked_before_completion_do_not_complete(
    booking, completions, django_capture_on_commit_callbacks
):
    add_knowledge_check(booking.session.page)
    with django_capture_on_commit_callbacks(execute=True):
        marked = record_attendance(booking=booking, attended=True, note="Joined 20 minutes late")
        assert marked.attended is True and marked.completed_at is None  # the knowledge check is still to do
        unmarked = record_attendance(booking=booking, attended=False, note="Left after ten minutes")
    booking.refresh_from_db()
    assert booking.attended is False
    assert booking.attendance_note == "Left after ten minutes"
    assert unmarked.completed_at is None and booking.completed_at is None
    assert completions == []
    assert not certificates_for(booking).exists()


def test_unmarking_after_completion_is_refused_and_the_certificate_stands(booking, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(booking=booking, attended=True)
    with pytest.raises(AttendanceLocked, match="revoke the certificate"):
        record_attendance(booking=booking, attended=False)
    booking.refresh_from_db()
    assert booking.attended is True and booking.completed_at is not None
    assert certificates_for(booking).get().status == Certificate.Status.VALID


def test_only_confirmed_places_on_sessions_going_ahead_can_be_marked(session, partner):
    waiting = booking_on(session, 2)
    Booking.objects.filter(pk=waiting.pk).update(status=Booking.Status.WAITING)
    with pytest.raises(NotAttendable):
        record_attendance(booking=waiting, attended=True)
    cancelled = booking_on(session, 3)
    cancel_booking(booking=cancelled)
    with pytest.raises(NotAttendable):
        record_attendance(booking=cancelled, attended=True)
    cancel_session(session=session)
    with pytest.raises(NotAttendable):
        mark_all_attended(session=session)


def test_mark_all_attended_marks_only_confirmed_people_not_yet_recorded(
    session, completions, django_capture_on_commit_callbacks
):
    people = [booking_on(session, n) for n in range(1, 6)]
    record_attendance(booking=people[0], attended=False, note="Did not join")
    Booking.objects.filter(pk=people[1].pk).update(status=Booking.Status.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_all_attended(session=session) == 3
        assert mark_all_attended(session=session) == 0
    states = dict(Booking.objects.filter(session=session).values_list("pk", "attended"))
    assert states == {people[0].pk: False, people[1].pk: None, people[2].pk: True, people[3].pk: True,
                      people[4].pk: True}  # fmt: skip
    assert sorted(completions) == sorted(b.pk for b in people[2:])
    assert Certificate.objects.filter(partner=session.partner).count() == 3


def test_check_in_codes_are_random_per_session_and_not_the_id(partner):
    sessions = [attended_session(partner, offset_minutes=n) for n in range(5)]
    codes = {s.check_in_code for s in sessions}
    assert len(codes) == 5
    for s in sessions:
        assert len(s.check_in_code) == 6
        assert set(s.check_in_code) <= set(CHECK_IN_ALPHABET)
        assert str(s.pk) != s.check_in_code
    assert not set("01OILUV") & set(CHECK_IN_ALPHABET)


def test_check_in_with_the_right_code_records_attendance(booking, completions, django_capture_on_commit_callbacks):
    code = booking.session.check_in_code
    typed = f"{code[:3].lower()} {code[3:].lower()}"
    with django_capture_on_commit_callbacks(execute=True):
        checked = check_in(booking=booking, code=typed)
        again = check_in(booking=booking, code=typed)
    assert checked.checked_in_at is not None and checked.attended is True
    assert again.checked_in_at == checked.checked_in_at
    assert completions == [booking.pk]
    assert ModelLogEntry.objects.for_instance(booking).get(action="bookings.attendance").data["method"] == "check_in"


def test_check_in_with_a_wrong_code_is_refused(booking):
    wrong = "".join("A" if c != "A" else "B" for c in booking.session.check_in_code)
    with pytest.raises(WrongCheckInCode, match="not right"):
        check_in(booking=booking, code=wrong)
    with pytest.raises(WrongCheckInCode):
        check_in(booking=booking, code="")
    booking.refresh_from_db()
    assert booking.attended is None and booking.checked_in_at is None


def test_check_in_opens_at_the_start_and_closes_at_the_end(booking):
    session = booking.session
    code = session.check_in_code
    with pytest.raises(CheckInNotOpen, match="Check-in opens when the session starts, at "):
        check_in(booking=booking, code=code, now=session.starts_at - timedelta(minutes=1))
    with pytest.raises(CheckInClosed):
        check_in(booking=booking, code=code, now=session.ends_at + timedelta(minutes=1))
    booking.refresh_from_db()
    assert booking.checked_in_at is None and booking.attended is None
    checked = check_in(booking=booking, code=code, now=session.starts_at)
    assert checked.attended is True


def test_attendance_cannot_be_recorded_before_the_session_starts(
    partner, completions, django_capture_on_commit_callbacks
):
    june = session_for(partner, starts_at=datetime(2027, 6, 24, 13, 0, tzinfo=UTC))  # 2pm BST
    first, second = booking_on(june, 1), booking_on(june, 2)
    the_day_before = june.starts_at - timedelta(days=1)
    named = "once the session has started, at 2pm on Thursday 24 June 2027"
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(SessionNotStarted, match=named):
            record_attendance(booking=first, attended=True, now=the_day_before)
        with pytest.raises(SessionNotStarted, match=named):
            record_attendance(booking=first, attended=False, now=the_day_before)
        with pytest.raises(SessionNotStarted, match=named):
            mark_all_attended(session=june, now=june.starts_at - timedelta(seconds=1))
        with pytest.raises(CheckInNotOpen, match="2pm on Thursday 24 June 2027"):
            check_in(booking=second, code=june.check_in_code, now=june.starts_at - timedelta(minutes=5))
    assert not Booking.objects.filter(session=june, attended__isnull=False).exists()
    assert completions == [] and not Certificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert mark_all_attended(session=june, now=june.starts_at + timedelta(minutes=5)) == 2
    assert len(completions) == 2


def test_check_in_refuses_a_waiting_list_place(session):
    waiting = booking_on(session, 9)
    Booking.objects.filter(pk=waiting.pk).update(status=Booking.Status.WAITING)
    with pytest.raises(NotAttendable):
        check_in(booking=waiting, code=session.check_in_code)


def test_knowledge_check_only_after_attendance_and_a_pass_completes(
    booking, completions, django_capture_on_commit_callbacks
):
    questions = add_knowledge_check(booking.session.page)  # five questions, pass mark 80
    right = {q.pk: q.correct_option for q in questions}
    three_right = {pk: (opt if i < 3 else opt % 2 + 1) for i, (pk, opt) in enumerate(right.items())}

    with pytest.raises(KnowledgeCheckUnavailable, match="once your attendance"):
        submit_knowledge_check(booking=booking, answers=right)
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(booking=booking, attended=True)
        failed = submit_knowledge_check(booking=booking, answers=three_right)
    assert (failed.passed, failed.score) == (False, 60)
    booking.refresh_from_db()
    assert booking.knowledge_check_passed_at is None and booking.completed_at is None
    assert completions == [] and not certificates_for(booking).exists()

    with django_capture_on_commit_callbacks(execute=True):
        passed = submit_knowledge_check(booking=booking, answers=right)
    assert (passed.passed, passed.score) == (True, 100)
    booking.refresh_from_db()
    assert booking.knowledge_check_passed_at is not None and booking.completed_at is not None
    assert completions == [booking.pk]
    assert certificates_for(booking).count() == 1


def test_course_without_a_check_has_no_knowledge_check_to_take(booking):
    record_attendance(booking=booking, attended=True)
    with pytest.raises(KnowledgeCheckUnavailable, match="no knowledge check"):
        submit_knowledge_check(booking=booking, answers={})


def test_attending_a_networking_event_completes_nothing(partner, completions, django_capture_on_commit_callbacks):
    event = training_page_for(partner, slug="networking", title="Networking evening", kind=NetworkingEventPage)
    session = attended_session(partner, page=event)
    guest = booking_on(session, 1)
    with django_capture_on_commit_callbacks(execute=True):
        marked = record_attendance(booking=guest, attended=True)
    assert marked.attended is True and marked.completed_at is None
    assert completions == []
    assert not Certificate.objects.exists()


# --- concurrency, on PostgreSQL ---------------------------------------------------------------


def _unlocked_claims(monkeypatch):
    """The control: no row lock and an unconditional UPDATE, with a window between read and write."""

    def unlocked(booking_id):
        booking = Booking.objects.select_related("session", "partner").get(pk=booking_id)
        time.sleep(0.05)
        return booking

    monkeypatch.setattr(attendance, "_lock_booking", unlocked)
    monkeypatch.setattr(
        attendance,
        "_claim_completion",
        lambda booking_id, now: Booking.objects.filter(pk=booking_id).update(completed_at=now) == 1,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("control", [False, True], ids=["locked", "control-unlocked"])
def test_concurrent_double_marking_gives_one_completion_and_one_certificate(completions, monkeypatch, control):
    """Eight trainers tick the same attendee at once. Control: without the lock and the conditional
    UPDATE the completion is announced more than once (the certificate's unique key still holds)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    partner = PartnerFactory(name="Concurrent Register", host="register.localhost")
    booking = booking_on(attended_session(partner), 1)
    if control:
        _unlocked_claims(monkeypatch)

    errors = run_together(8, lambda i: record_attendance(booking=booking, attended=True))

    assert errors == []
    if control:
        assert len(completions) > 1
    else:
        assert completions == [booking.pk]
    assert Certificate.objects.filter(completion_key=f"booking:{booking.pk}").count() == 1
    assert len([m for m in mail.outbox if "certificate" in m.subject.lower()]) == 1
    booking.refresh_from_db()
    assert booking.completed_at is not None and booking.completed_at <= timezone.now()


# --- the attendee's pages -----------------------------------------------------------------------

HOST = "attendance.localhost"


def get(client, path):
    return client.get(path, HTTP_HOST=HOST)


def post(client, path, data):
    return client.post(path, data, HTTP_HOST=HOST)


@pytest.fixture
def link(session):
    """(booking, manage path) for a confirmed attendee of a session that started ten minutes ago."""
    booking, token = booked_with_link(session, 1)
    return booking, f"/bookings/{token}/"


def test_manage_page_offers_check_in_only_while_the_session_runs(partner, link, client):
    booking, manage = link
    page = get(client, manage)
    assert page.status_code == 200
    assert "Check in to the session" in page.text
    assert f'action="{manage}check-in/"' in page.text

    later, later_token = booked_with_link(attended_session(partner, offset_minutes=24 * 60), 2)
    page = get(client, f"/bookings/{later_token}/").text
    assert "Check in to the session" not in page
    assert "come back to this page when the session starts" in page


def test_wrong_check_in_code_shows_a_gov_uk_error(link, client):
    booking, manage = link
    response = post(
        client, f"{manage}check-in/", {"code": "ZZZZZZ" if booking.session.check_in_code != "ZZZZZZ" else "YYYYYY"}
    )
    assert response.status_code == 400
    assert "<title>Error: Check in" in response.text
    assert "There is a problem" in response.text
    assert 'href="#id_code"' in response.text
    assert "That check-in code is not right" in response.text
    assert response["Cache-Control"] == "no-store"
    response = post(client, f"{manage}check-in/", {"code": ""})
    assert "Enter the check-in code your trainer shows" in response.text
    booking.refresh_from_db()
    assert booking.attended is None


def test_right_check_in_code_completes_and_offers_the_certificate(
    link, client, mailoutbox, django_capture_on_commit_callbacks
):
    booking, manage = link
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{manage}check-in/", {"code": booking.session.check_in_code.lower()})
    assert response.status_code == 302 and response["Location"] == manage
    page = get(client, manage).text
    assert "You are checked in" in page
    assert "You have completed the course" in page
    assert f'href="{manage}certificate.pdf"' in page
    certificate = Certificate.objects.get(completion_key=f"booking:{booking.pk}")
    assert certificate.display_code in page
    assert f"http://{HOST}/certificates/verify/{certificate.display_code}/" in page
    assert len([m for m in mailoutbox if m.attachments]) == 1
    # Checked in already: the check-in page sends them back to their booking.
    assert post(client, f"{manage}check-in/", {"code": "whatever"})["Location"] == manage


def test_check_in_posts_are_rate_limited(link, client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "check-in": "3/m"}
    _, manage = link
    codes = [post(client, f"{manage}check-in/", {"code": "WRONG1"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    cache.clear()


def test_knowledge_check_journey_from_the_manage_page(link, client, mailoutbox, django_capture_on_commit_callbacks):
    booking, manage = link
    questions = add_knowledge_check(booking.session.page)
    check_path = f"{manage}knowledge-check/"
    assert get(client, check_path)["Location"] == manage  # not before attendance
    record_attendance(booking=booking, attended=True)

    page = get(client, manage).text
    assert "Take the knowledge check" in page and f'href="{check_path}"' in page
    form = get(client, check_path)
    assert form.status_code == 200
    assert "1. Question 1?" in form.text
    assert form.text.count('class="govuk-radios__input"') == 10  # five questions, two options each
    assert f'id="id_question_{questions[0].pk}" name="question_{questions[0].pk}" type="radio" value="1"' in form.text

    missing = post(client, check_path, {f"question_{questions[0].pk}": "1"})
    assert missing.status_code == 400
    assert "<title>Error: Knowledge check" in missing.text
    assert "Select an answer to question 2" in missing.text
    assert f'href="#id_question_{questions[1].pk}"' in missing.text

    wrong = {f"question_{q.pk}": "1" if i < 3 else "2" for i, q in enumerate(questions)}
    failed = post(client, check_path, wrong)
    assert failed.status_code == 200
    assert "You answered 3 of 5 questions correctly (60%). You need 80% to pass." in failed.text
    assert not Certificate.objects.exists()

    right = {f"question_{q.pk}": "1" for q in questions}
    with django_capture_on_commit_callbacks(execute=True):
        passed = post(client, check_path, right)
    assert passed["Location"] == manage
    page = get(client, manage).text
    assert "You passed the knowledge check with 100%" in page
    assert "You have completed the course" in page
    assert "Download your certificate (PDF)" in page
    assert [m.to for m in mailoutbox if m.attachments] == [["attendee1@example.org"]]
    assert get(client, check_path)["Location"] == manage  # nothing left to take


def test_a_completed_booking_cannot_be_cancelled_or_moved_and_shows_its_certificate(
    link, partner, client, django_capture_on_commit_callbacks
):
    from bookings.exceptions import BookingCompleted
    from bookings.services import rebook

    booking, manage = link
    before = get(client, manage).text
    assert "Cancel this booking" in before  # still possible before attendance is recorded
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(booking=booking, attended=True)
    page = get(client, manage).text
    certificate = Certificate.objects.get(completion_key=f"booking:{booking.pk}")
    assert "You have completed the course" in page and certificate.display_code in page
    assert "Cancel this booking" not in page and "Change to another date" not in page

    assert get(client, f"{manage}cancel/")["Location"] == manage
    refused = client.post(f"{manage}cancel/", HTTP_HOST=HOST, follow=True)
    assert "can no longer be cancelled or moved" in refused.text
    assert get(client, f"{manage}change/")["Location"] == manage
    later = session_for(partner, page=booking.session.page)
    with pytest.raises(BookingCompleted):
        rebook(booking=booking, new_session=later)
    with pytest.raises(BookingCompleted):
        cancel_booking(booking=booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.session_id != later.pk
    assert Certificate.objects.filter(completion_key=f"booking:{booking.pk}", revoked_at__isnull=True).exists()
