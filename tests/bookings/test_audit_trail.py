"""Every change is logged once, by the service that makes it: by the public and cron too, with no user."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from bookings.models import Booking
from bookings.services import cancel_booking
from certificates.models import Certificate, Venue
from certificates.services import issue_certificate
from tests.factories import booked_with_link, coordinator_of

from .conftest import HOST

pytestmark = pytest.mark.django_db


def entries_for(instance, *, after=0):
    """(action, user) of the log entries written for `instance` since entry `after`."""
    return list(
        ModelLogEntry.objects.for_instance(instance).filter(pk__gt=after).order_by("pk").values_list("action", "user")
    )


def last_entry_id():
    return ModelLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_cancelling_from_the_manage_link_is_logged_once_with_no_user(
    clock, client, session, django_capture_on_commit_callbacks
):
    booking, token = booked_with_link(session, 0)
    booked_with_link(session, 1)
    waiting, _ = booked_with_link(session, 2)
    assert waiting.status == Booking.Status.WAITING
    before = last_entry_id()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bookings:cancel", args=[token]), HTTP_HOST=HOST)
    assert response.status_code == 302
    assert entries_for(booking, after=before) == [("bookings.cancel", None)]
    # The place went to the person waiting, which is a change of its own.
    assert entries_for(waiting, after=before) == [("bookings.promote", None)]
    assert ModelLogEntry.objects.filter(pk__gt=before).count() == 2


def test_public_booking_and_cancellation_through_the_service_are_logged(clock, session):
    booking, _ = booked_with_link(session, 0)
    assert entries_for(booking) == [("bookings.book", None)]
    before = last_entry_id()
    cancel_booking(booking=booking, actor=None, now=session.starts_at - datetime.timedelta(hours=3))
    cancel_booking(booking=booking, actor=None)  # already cancelled: nothing changes, nothing logged
    assert entries_for(booking, after=before) == [("bookings.cancel", None)]


def test_staff_session_edit_is_logged_once_with_the_staff_user(clock, client, partner, session):
    coordinator = coordinator_of(partner)
    client.force_login(coordinator)
    local = lambda value: timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    data = {
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "capacity": 5,
        "joining_link": "https://meet.example.org/new",
    }
    before = last_entry_id()
    response = client.post(reverse("staff_sessions:edit", args=[session.pk]), data)
    assert response.status_code == 302
    new = ModelLogEntry.objects.filter(pk__gt=before)
    assert list(new.values_list("action", "user")) == [("bookings.session_edit", coordinator.pk)]
    assert new.get().data == {"changed": ["capacity", "joining_link"]}


def _certificate(partner, course, *, organisation, postcode, n):
    return issue_certificate(
        partner=partner,
        course_page=course,
        holder_name=f"Holder {n}",
        holder_email=f"holder{n}@example.org",
        organisation=organisation,
        postcode=postcode,
        venue_type="shop",
        completion_key=f"audit:{n}",
        agreed_to_pledge=True,
        agreed_to_be_listed=True,
        notify=False,
    )


def test_cron_lapse_logs_one_entry_per_lapsed_venue_with_no_user(clock, partner, course):
    books = [_certificate(partner, course, organisation="Heathway Books", postcode="RM10 8RB", n=n) for n in (1, 2)]
    grill = _certificate(partner, course, organisation="Heathway Grill", postcode="RM10 8RA", n=3)
    deli = _certificate(partner, course, organisation="Longbridge Deli", postcode="IG11 7AA", n=4)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Certificate.objects.filter(pk__in=[books[0].pk, books[1].pk, grill.pk]).update(expires_on=yesterday)
    before = last_entry_id()

    for _run in range(2):  # cron runs again: nothing more expires, nothing more is logged
        call_command("expire_accreditations", stdout=open("/dev/null", "w"))  # noqa: SIM115

    books_venue, grill_venue = Venue.objects.get(pk=books[0].venue_id), Venue.objects.get(pk=grill.venue_id)
    assert entries_for(books_venue, after=before) == [("certificates.expire", None)]
    assert entries_for(grill_venue, after=before) == [("certificates.expire", None)]
    assert entries_for(deli.venue, after=before) == []
    entry = ModelLogEntry.objects.for_instance(books_venue).get(action="certificates.expire")
    assert entry.data == {"certificates": sorted([books[0].pk, books[1].pk]), "accredited_until": None}
    assert ModelLogEntry.objects.filter(pk__gt=before).count() == 2
