"""In-person networking events say where they are: invites, emails, pages and check-in tell the truth."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bookings.attendance import check_in, record_attendance
from bookings.exceptions import SelfCheckInOff
from certificates.models import Certificate
from courses.models import NetworkingEventPage
from tests.factories import attended_session, booked_with_link, session_for, training_page_for

from .conftest import FORM, HOST
from .helpers import calendar_parts, parse_both

pytestmark = pytest.mark.django_db

LIBRARY = "Barking Learning Centre, 2 Town Square, Barking IG11 7NB"


@pytest.fixture
def event(partner):
    page = training_page_for(
        partner, slug="networking", title="Safe Haven networking evening", kind=NetworkingEventPage
    )
    page.location = LIBRARY
    page.description = "<p>Meet other Safe Haven venues and the community safety team.</p>"
    page.save()
    return page


def book(client, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST=HOST)
    assert response.status_code == 302
    return response["Location"]


def test_a_session_of_an_event_in_a_library_takes_its_address(partner, event):
    session = session_for(partner, page=event, joining_link="")
    assert session.location == LIBRARY and not session.is_online and session.where == LIBRARY
    online = session_for(partner, page=event, joining_link="https://meet.example.org/x", location="")
    assert online.is_online and online.where == "Online"


def test_the_invite_email_and_pages_of_an_in_person_event_say_where_it_is(
    client, partner, event, django_capture_on_commit_callbacks
):
    session = session_for(partner, page=event, joining_link="")
    manage = book(client, session, django_capture_on_commit_callbacks)

    message = mail.outbox[-1]
    assert f"Where: {LIBRARY}" in message.body
    assert "joining link" not in message.body.lower() and "online" not in message.body.lower()
    parts = calendar_parts(message)
    assert parts and {method for _, method, _ in parts} == {"REQUEST"}
    text = parts[0][2]
    calendar, vevent = parse_both(text)
    assert str(vevent["LOCATION"]) == LIBRARY
    description = str(vevent["DESCRIPTION"])
    assert "Meet other Safe Haven venues and the community safety team." in description
    assert "Online" not in description and "joining link" not in description

    page = client.get(manage, HTTP_HOST=HOST).text
    assert f"This session is in person, at {LIBRARY}." in page
    assert "We will email you the joining link" not in page
    assert '<dd class="govuk-summary-list__value">Online</dd>' not in page

    booking_page = client.get(f"/bookings/sessions/{session.pk}/book/", HTTP_HOST=HOST).text
    assert f'<dd class="govuk-summary-list__value">{LIBRARY}</dd>' in booking_page

    feed = client.get("/bookings/calendar.ics", HTTP_HOST=HOST).content.decode()
    calendar, vevent = parse_both(feed)
    assert str(vevent["LOCATION"]) == LIBRARY
    assert "Meet other Safe Haven venues" in str(vevent["DESCRIPTION"])


def test_an_online_course_invite_says_online_and_describes_the_course(
    client, partner, course, django_capture_on_commit_callbacks
):
    course.overview = "<p>How to welcome someone who feels unsafe.</p>"
    course.save()
    session = session_for(partner, page=course)
    book(client, session, django_capture_on_commit_callbacks)
    message = mail.outbox[-1]
    assert "Where: Online" in message.body
    _, vevent = parse_both(calendar_parts(message)[0][2])
    assert str(vevent["LOCATION"]) == "Online"
    assert "How to welcome someone who feels unsafe." in str(vevent["DESCRIPTION"])
    assert "The joining link is emailed to you the day before" in str(vevent["DESCRIPTION"])


def test_no_self_check_in_at_an_in_person_session_unless_the_trainer_enables_it(client, partner, event):
    session = attended_session(partner, page=event, joining_link="")
    assert session.location == LIBRARY
    booking, token = booked_with_link(session, 1)
    with pytest.raises(SelfCheckInOff, match="the trainer records attendance"):
        check_in(booking=booking, code=session.check_in_code)
    booking.refresh_from_db()
    assert booking.attended is None
    page = client.get(f"/bookings/{token}/", HTTP_HOST=session.partner.site.hostname).text
    assert "Check in to the session" not in page
    assert "the trainer records who came to the session" in page

    enabled = attended_session(partner, page=event, joining_link="", self_check_in=True)
    guest, guest_token = booked_with_link(enabled, 2)
    page = client.get(f"/bookings/{guest_token}/", HTTP_HOST=enabled.partner.site.hostname).text
    assert "Check in to the session" in page
    assert check_in(booking=guest, code=enabled.check_in_code).attended is True


def test_attending_a_networking_event_issues_no_certificate(partner, event, django_capture_on_commit_callbacks):
    session = attended_session(partner, page=event, joining_link="")
    booking, _ = booked_with_link(session, 1)
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(booking=booking, attended=True, now=timezone.now() + timedelta(minutes=1))
    booking.refresh_from_db()
    assert booking.attended is True and booking.completed_at is None
    assert not Certificate.objects.filter(holder_email=booking.email).exists()
