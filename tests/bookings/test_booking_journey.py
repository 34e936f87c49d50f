import re

import pytest
from django.core import mail

from bookings.models import Booking
from tests.factories import session_for

from .conftest import FORM, HOST
from .helpers import calendar_parts, parse_both

pytestmark = pytest.mark.django_db


def book(client, session, capture, **overrides):
    with capture(execute=True):
        return client.post(f"/bookings/sessions/{session.pk}/book/", {**FORM, **overrides}, HTTP_HOST=HOST)


def test_course_page_lists_sessions_with_places_left(client, session, course):
    response = client.get(course.url, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "Dates and booking" in response.text
    assert f'href="/bookings/sessions/{session.pk}/book/"' in response.text
    assert "Book a place" in response.text
    assert re.search(r'<td class="govuk-table__cell">2</td>', response.text)


def test_booking_redirects_to_manage_page_and_emails(client, session, django_capture_on_commit_callbacks):
    response = book(client, session, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    manage_url = response["Location"]
    assert re.fullmatch(r"/bookings/[A-Za-z0-9_-]{43}/", manage_url)
    booking = Booking.objects.get()
    assert booking.status == "confirmed"
    assert booking.email == "asha@heathway.example"
    assert booking.postcode == "RM10 8AB"
    token = manage_url.split("/")[2]
    assert token not in booking.token_hash and len(booking.token_hash) == 64
    page = client.get(manage_url, HTTP_HOST=HOST)
    assert page.status_code == 200
    assert "Your place is booked" in page.text
    assert page["Cache-Control"] == "no-store"
    assert page["Referrer-Policy"] == "same-origin"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["asha@heathway.example"]


def test_form_errors_are_shown_accessibly(client, session):
    response = client.post(f"/bookings/sessions/{session.pk}/book/", {"email": "nope"}, HTTP_HOST=HOST)
    assert response.status_code == 400
    assert "<title>Error: " in response.text
    assert "There is a problem" in response.text
    for message in (
        "Enter your full name",
        "Enter an email address in the correct format, like name@example.com",
        "Select the type of venue",
        "Enter the venue postcode",
        "Agree to how we use your details to book a place",
    ):
        assert message in response.text
    assert not Booking.objects.exists()


def test_form_links_privacy_notice(client, session, partner):
    from cms.models import BrandingSettings

    BrandingSettings.objects.filter(site=partner.site).update(privacy_notice_url="https://council.example/privacy")
    response = client.get(f"/bookings/sessions/{session.pk}/book/", HTTP_HOST=HOST)
    assert 'href="https://council.example/privacy"' in response.text


def test_repeat_submission_returns_existing_booking_without_second_email(
    client, session, django_capture_on_commit_callbacks
):
    book(client, session, django_capture_on_commit_callbacks)
    again = book(client, session, django_capture_on_commit_callbacks, email="ASHA@heathway.example ")
    assert again.status_code == 200
    assert "You have already booked this session" in again.text
    assert Booking.objects.count() == 1
    assert len(mail.outbox) == 1


def test_full_session_offers_waiting_list(client, session, django_capture_on_commit_callbacks, course):
    book(client, session, django_capture_on_commit_callbacks, email="a@example.org")
    book(client, session, django_capture_on_commit_callbacks, email="b@example.org")
    listing = client.get(course.url, HTTP_HOST=HOST).text
    assert "Join the waiting list" in listing and "Full" in listing
    form = client.get(f"/bookings/sessions/{session.pk}/book/", HTTP_HOST=HOST).text
    assert "This session is full" in form
    response = book(client, session, django_capture_on_commit_callbacks, email="c@example.org")
    waiting = client.get(response["Location"], HTTP_HOST=HOST)
    assert "You are on the waiting list" in waiting.text
    assert "You are number 1 on the waiting list" in waiting.text
    assert mail.outbox[-1].subject.startswith("You are on the waiting list")
    assert Booking.objects.filter(status="confirmed").count() == 2


def test_cancel_needs_post_and_promotes_waiting_list(client, session, django_capture_on_commit_callbacks):
    first = book(client, session, django_capture_on_commit_callbacks, email="a@example.org")["Location"]
    book(client, session, django_capture_on_commit_callbacks, email="b@example.org")
    book(client, session, django_capture_on_commit_callbacks, email="c@example.org")
    cancel_url = first + "cancel/"
    confirm = client.get(cancel_url, HTTP_HOST=HOST)
    assert confirm.status_code == 200
    assert "Are you sure you want to cancel your booking?" in confirm.text
    assert Booking.objects.get(email="a@example.org").status == "confirmed"  # a GET never cancels
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(cancel_url, HTTP_HOST=HOST)
    assert done.status_code == 302 and done["Location"] == first
    page = client.get(first, HTTP_HOST=HOST).text
    assert "Your booking is cancelled" in page
    assert Booking.objects.get(email="a@example.org").status == "cancelled"
    assert Booking.objects.get(email="c@example.org").status == "confirmed"
    subjects = [m.subject for m in mail.outbox]
    assert any(s.startswith("Your booking is cancelled") for s in subjects)
    promoted = [m for m in mail.outbox if m.to == ["c@example.org"] and m.subject.startswith("A place has come up")]
    assert len(promoted) == 1
    assert [method for _, method, _ in calendar_parts(promoted[0])] == ["REQUEST", "REQUEST"]


def test_another_partners_session_and_booking_are_404(
    client, session, other_partner, django_capture_on_commit_callbacks
):
    assert client.get(f"/bookings/sessions/{session.pk}/book/", HTTP_HOST="elsewhere.localhost").status_code == 404
    manage = book(client, session, django_capture_on_commit_callbacks)["Location"]
    assert client.get(manage, HTTP_HOST="elsewhere.localhost").status_code == 404
    assert client.get(manage + "invite.ics", HTTP_HOST="elsewhere.localhost").status_code == 404
    assert client.post(manage + "cancel/", HTTP_HOST="elsewhere.localhost").status_code == 404
    assert Booking.objects.get().status == "confirmed"


def test_unknown_token_is_404(client, session):
    assert client.get("/bookings/" + "x" * 43 + "/", HTTP_HOST=HOST).status_code == 404


def test_cancelled_or_closed_session_is_refused_politely(client, partner, course):
    from datetime import timedelta

    from django.utils import timezone

    from bookings.services import cancel_session

    cancelled = session_for(partner, page=course)
    cancel_session(session=cancelled)
    response = client.post(f"/bookings/sessions/{cancelled.pk}/book/", FORM, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "This session has been cancelled" in response.text
    closed = session_for(partner, page=course, booking_closes_at=timezone.now() - timedelta(hours=1))
    response = client.post(f"/bookings/sessions/{closed.pk}/book/", FORM, HTTP_HOST=HOST)
    assert "Booking for this session is closed" in response.text
    assert not Booking.objects.exists()


def test_database_locked_becomes_try_again_page(client, session, monkeypatch):
    from django.db import OperationalError

    from bookings import services

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "book_place_for_partner", locked)
    response = client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST=HOST)
    assert response.status_code == 503
    assert "Sorry, please try again" in response.text


def test_rebook_moves_booking_and_updates_invite(client, session, partner, course, django_capture_on_commit_callbacks):
    later = session_for(
        partner, page=course, starts_at=session.starts_at.replace(day=1) + __import__("datetime").timedelta(days=40)
    )
    manage = book(client, session, django_capture_on_commit_callbacks)["Location"]
    form = client.get(manage + "change/", HTTP_HOST=HOST)
    assert "Change to another date" in form.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage + "change/", {"session": later.pk}, HTTP_HOST=HOST)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.session_id == later.pk and booking.ical_sequence == 1
    assert mail.outbox[-1].subject.startswith("Your booking has changed")
    _, event = parse_both(calendar_parts(mail.outbox[-1])[0][2])
    assert event["SEQUENCE"] == 1


def test_session_list_query_count_is_flat(client, partner, course, django_assert_max_num_queries):
    session_for(partner, page=course)
    with django_assert_max_num_queries(100) as few:
        client.get(course.url, HTTP_HOST=HOST)
    for _ in range(15):
        session_for(partner, page=course)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(course.url, HTTP_HOST=HOST)
    assert response.text.count("Book a place") == 16
