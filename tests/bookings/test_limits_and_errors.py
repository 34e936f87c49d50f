"""Rate limits, polite refusals and a busy database: what people see when booking cannot go ahead."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from bookings import services
from bookings.exceptions import BookingClosed, BookingNotOpenYet, CapacityBelowBooked, SessionCancelled
from bookings.models import Booking
from tests.factories import attendee, session_for

from .conftest import FORM, HOST
from .helpers import calendar_parts

pytestmark = pytest.mark.django_db


def test_eleventh_booking_in_a_minute_is_refused(client, session, settings, frozen_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "booking": "10/m"}
    url = f"/bookings/sessions/{session.pk}/book/"
    statuses = [
        client.post(url, {**FORM, "email": f"person{i}@example.org"}, HTTP_HOST=HOST).status_code for i in range(10)
    ]
    assert statuses == [302] * 10
    response = client.post(url, {**FORM, "email": "person10@example.org"}, HTTP_HOST=HOST)
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert int(response["Retry-After"]) > 0
    assert Booking.objects.count() == 10
    assert client.get(url, HTTP_HOST=HOST).status_code == 200  # reading the form is never limited


def test_cancel_and_change_are_rate_limited(client, session, settings, frozen_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "cancel": "2/m"}
    manage = client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST=HOST)["Location"]
    assert client.post(manage + "change/", {"session": "0"}, HTTP_HOST=HOST).status_code == 400
    assert client.post(manage + "change/", {"session": "0"}, HTTP_HOST=HOST).status_code == 400
    assert client.post(manage + "cancel/", HTTP_HOST=HOST).status_code == 429
    assert Booking.objects.get().status == "confirmed"


def test_database_busy_during_booking_shows_try_again_page(client, session):
    def busy(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('INSERT INTO "BOOKINGS_BOOKING"'):
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(busy):
        response = client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST=HOST)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "<title>Sorry, please try again" in response.text
    assert "Nothing has been booked" in response.text
    assert not Booking.objects.exists()
    assert mail.outbox == []


@pytest.mark.postgres
def test_lock_timeout_during_cancel_shows_try_again_page(client, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        manage = client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST=HOST)["Location"]

    def lock_timeout(execute, sql, params, many, context):
        if "FOR UPDATE" in sql:
            raise OperationalError("canceling statement due to lock timeout")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(lock_timeout):
        response = client.post(manage + "cancel/", HTTP_HOST=HOST)
    assert response.status_code == 503
    assert "Sorry, please try again" in response.text
    assert Booking.objects.get().status == "confirmed"


def test_not_yet_open_session_is_refused_politely(client, partner, course):
    later = session_for(partner, page=course, booking_opens_at=timezone.now() + timedelta(days=3))
    response = client.post(f"/bookings/sessions/{later.pk}/book/", FORM, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "Booking for this session has not opened yet" in response.text
    with pytest.raises(BookingNotOpenYet):
        services.book_place(session=later, attendee=attendee(1))
    assert not Booking.objects.exists()


def test_services_refuse_closed_and_cancelled_sessions(partner, course):
    closed = session_for(partner, page=course, booking_closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(BookingClosed, match="Booking for this session is closed"):
        services.book_place(session=closed, attendee=attendee(1))
    cancelled = services.cancel_session(session=session_for(partner, page=course))
    with pytest.raises(SessionCancelled, match="This session has been cancelled"):
        services.book_place(session=cancelled, attendee=attendee(1))
    assert not Booking.objects.exists()


def test_rebooking_onto_a_session_cancelled_meanwhile_is_refused_politely(client, session, partner, course):
    other = session_for(partner, page=course, starts_at=session.starts_at + timedelta(days=7))
    manage = client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST=HOST)["Location"]
    services.cancel_session(session=other)
    response = client.post(manage + "change/", {"session": other.pk}, HTTP_HOST=HOST)
    assert response.status_code == 400
    assert "Select one of the dates shown" in response.text
    assert Booking.objects.get().session_id == session.pk


def test_capacity_cannot_go_below_places_booked(session):
    services.book_place(session=session, attendee=attendee(1))
    services.book_place(session=session, attendee=attendee(2))
    with pytest.raises(CapacityBelowBooked) as error:
        services.update_capacity(session=session, capacity=1)
    assert error.value.message == "Capacity cannot be lower than the 2 places already booked."
    session.refresh_from_db()
    assert session.capacity == 2
    assert services.update_capacity(session=session, capacity=2).capacity == 2


def test_more_capacity_promotes_the_waiting_list_with_an_invite(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.book_place(session=session, attendee=attendee(n))
        services.update_capacity(session=session, capacity=3)
    assert Booking.objects.get(email="attendee2@example.org").status == "confirmed"
    promoted = mail.outbox[-1]
    assert promoted.to == ["attendee2@example.org"] and promoted.subject.startswith("A place has come up")
    assert [method for _, method, _ in calendar_parts(promoted)] == ["REQUEST", "REQUEST"]


@pytest.mark.parametrize(("cutoff_hours", "promoted"), [(2, False), (0, True)])
def test_waiting_list_stops_promoting_at_the_cutoff(
    partner, course, settings, django_capture_on_commit_callbacks, cutoff_hours, promoted
):
    settings.WAITING_LIST_CUTOFF_HOURS = cutoff_hours
    soon = session_for(partner, page=course, capacity=1, starts_at=timezone.now() + timedelta(minutes=90))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.book_place(session=soon, attendee=attendee(1)).booking
        waiting = services.book_place(session=soon, attendee=attendee(2)).booking
        services.cancel_booking(booking=first)
    waiting.refresh_from_db()
    assert waiting.status == ("confirmed" if promoted else "waiting")
    invites = [m for m in mail.outbox if m.to == ["attendee2@example.org"] and m.subject.startswith("A place")]
    assert len(invites) == (1 if promoted else 0)


def test_a_filled_honeypot_books_nothing_and_sends_nothing(client, barking, mailoutbox):
    session = session_for(barking, capacity=5)
    response = client.post(
        f"/bookings/sessions/{session.pk}/book/",
        {
            "name": "Bot",
            "email": "bot@example.org",
            "organisation": "Spam Ltd",
            "venue_type": "cafe",
            "postcode": "RM10 8AB",
            "consent": "on",
            "website_address": "https://spam.example",
        },
        HTTP_HOST="localhost",
    )

    assert response.status_code == 200 and "Booking received" in response.text
    assert not Booking.objects.filter(session=session).exists()
    assert mailoutbox == []


@pytest.mark.parametrize("markup", ["<b></b>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])
def test_a_name_that_is_only_markup_is_refused_not_stored_empty(client, session, markup):
    response = client.post(
        f"/bookings/sessions/{session.pk}/book/", {**FORM, "name": markup, "organisation": markup}, HTTP_HOST=HOST
    )
    assert response.status_code in (200, 400)
    assert "Enter your full name" in response.text
    assert "Enter the name of your organisation or venue" in response.text
    assert not Booking.objects.exists()


def test_staff_booking_form_cleans_and_checks_the_same_way():
    from bookings.admin_forms import StaffBookingForm

    bad = {**FORM, "name": "<i></i>", "email": "Asha@X.org", "postcode": "NOPE 12", "consent": "on"}
    form = StaffBookingForm(bad, example_postcode="TN1 1YS")
    assert not form.is_valid()
    assert form.errors["name"] == ["Enter their full name"]
    assert form.errors["postcode"] == ["Enter a real postcode, like TN1 1YS"]
    assert StaffBookingForm(bad).errors["postcode"] == ["Enter a real UK postcode"]
    good = StaffBookingForm({**FORM, "name": "<b>Asha</b> Patel", "email": "Asha@X.org", "consent": "on"})
    assert good.is_valid(), good.errors
    assert good.cleaned_data["name"] == "Asha Patel" and good.cleaned_data["email"] == "asha@x.org"
