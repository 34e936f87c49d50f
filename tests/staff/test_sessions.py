import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from bookings.models import Booking, Session

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"staff_sessions:{name}", args=args)


def local_input(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_session_list_shows_counts_and_only_own_partner(staff_client, alpha, beta):
    response = staff_client.get(url("index"))
    assert response.status_code == 200
    assert "2 of 2" in response.text  # two confirmed, third waiting
    assert "Betaford" not in response.text


def test_add_one_off_session_limited_to_own_pages(staff_client, alpha, beta):
    form = staff_client.get(url("add"))
    assert form.status_code == 200
    assert f'value="{alpha["course"].pk}"' in form.text
    assert f'value="{beta["course"].pk}"' not in form.text
    starts = (timezone.now() + datetime.timedelta(days=40)).replace(second=0, microsecond=0)
    bad = staff_client.post(url("add"), {"page": beta["course"].pk, "starts_at": local_input(starts), "capacity": 5})
    assert bad.status_code == 200 and "Error:" in bad.text
    response = staff_client.post(
        url("add"), {"page": alpha["course"].pk, "starts_at": local_input(starts), "capacity": 5}
    )
    assert response.status_code == 302
    session = Session.objects.get(partner=alpha["partner"], starts_at=starts)
    assert session.capacity == 5 and session.event_id
    assert (
        ModelLogEntry.objects.filter(action="bookings.session_create", object_id=str(session.pk)).get().user
        == staff_client.user
    )


def test_add_series_tuesdays_and_thursdays(staff_client, alpha):
    year = timezone.localdate().year + 1
    response = staff_client.post(
        url("add_series"),
        {"page": alpha["course"].pk, "weekdays": ["TU", "TH"], "start_time": "10:00",
         "first_day": f"{year}-05-01", "last_day": f"{year}-06-30", "capacity": 12},
    )  # fmt: skip
    assert response.status_code == 302
    sessions = Session.objects.filter(partner=alpha["partner"], series__isnull=False)
    days = [datetime.date(year, 5, 1) + datetime.timedelta(days=n) for n in range(61)]
    assert sessions.count() == sum(1 for day in days if day.weekday() in (1, 3))
    assert {timezone.localtime(s.starts_at).strftime("%a %H:%M") for s in sessions} == {"Tue 10:00", "Thu 10:00"}


def test_capacity_below_confirmed_is_a_form_error(staff_client, alpha):
    session = alpha["session"]
    data = {"starts_at": local_input(session.starts_at), "ends_at": local_input(session.ends_at), "capacity": 1}
    response = staff_client.post(url("edit", session.pk), data)
    assert response.status_code == 200
    assert "Capacity cannot be lower than the 2 places already booked." in response.text
    session.refresh_from_db()
    assert session.capacity == 2


def test_time_change_resends_invites(staff_client, alpha, mailoutbox, django_capture_on_commit_callbacks):
    session = alpha["session"]
    later = session.starts_at + datetime.timedelta(hours=2)
    data = {"starts_at": local_input(later), "ends_at": local_input(later + datetime.timedelta(minutes=90)),
            "capacity": 3}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url("edit", session.pk), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == later.replace(second=0, microsecond=0) and session.capacity == 3
    assert {m.to[0] for m in mailoutbox} >= {"alpha0@example.org", "alpha1@example.org"}
    # The extra place went to the person waiting.
    assert Booking.objects.get(email="alpha2@example.org", session=session).status == Booking.Status.CONFIRMED


def test_bookings_page_shows_waiting_positions_and_staff_can_book_and_cancel(
    staff_client, alpha, mailoutbox, django_capture_on_commit_callbacks
):
    session = alpha["session"]
    page = staff_client.get(url("bookings", session.pk))
    assert page.status_code == 200
    assert "Waiting list (1)" in page.text and "Alpha Person 2" in page.text
    response = staff_client.post(url("book", session.pk), {
        "name": "Phoned In", "email": "phoned@example.org", "organisation": "Corner Cafe", "venue_type": "cafe",
        "postcode": "RM10 8AB", "consent": "on"})  # fmt: skip
    assert response.status_code == 302
    booking = Booking.objects.get(email="phoned@example.org")
    assert booking.status == Booking.Status.WAITING
    assert "Waiting list (2)" in staff_client.get(url("bookings", session.pk)).text
    first = alpha["bookings"][0]
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("staff_bookings:cancel", args=[first.pk]) + "?next=session")
    first.refresh_from_db()
    assert first.status == Booking.Status.CANCELLED
    assert Booking.objects.get(email="alpha2@example.org", session=session).status == Booking.Status.CONFIRMED
    assert (
        ModelLogEntry.objects.filter(action="bookings.staff_cancel", object_id=str(first.pk)).get().user
        == staff_client.user
    )


def test_cancel_session(staff_client, alpha):
    session = alpha["session"]
    assert staff_client.get(url("cancel", session.pk)).status_code == 200
    staff_client.post(url("cancel", session.pk))
    session.refresh_from_db()
    assert session.is_cancelled
    assert not Booking.objects.filter(session=session, status__in=Booking.ACTIVE).exists()
