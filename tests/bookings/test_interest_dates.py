"""Registrations of interest and training dates: a coordinator's invitation to book, and the
once-only email about new dates to people who asked for it, with its one-click unsubscribe."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from bookings import tasks
from bookings.interest import announce_new_dates
from bookings.services import cancel_session, create_series
from cms.models import InterestSubmission
from cms.services import new_dates_unsubscribe_token
from tests.cms.test_interest_follow_up import registration
from tests.conftest import LONDON, MONDAY_MORNING
from tests.factories import coordinator_of, session_for

from .conftest import HOST

pytestmark = pytest.mark.django_db

ROOT = f"http://{HOST}"


def at(day, hour=10):
    return datetime.datetime(2027, 7, day, hour, 0, tzinfo=LONDON)


@pytest.fixture
def staff(partner, clock):
    client = Client()
    client.force_login(coordinator_of(partner, first_name="Sam", last_name="Okafor"))
    return client


def book_url(session):
    return f"{ROOT}/bookings/sessions/{session.pk}/book/"


def stop_url(submission):
    return reverse("interest:stop_new_dates", args=[new_dates_unsubscribe_token(submission)])


# --- invite to book -----------------------------------------------------------------------------


def test_invite_to_book_emails_the_bookable_sessions_and_marks_them_contacted(
    clock, partner, course, staff, django_capture_on_commit_callbacks
):
    open_online = session_for(partner, page=course, starts_at=at(7))
    in_a_library = session_for(partner, page=course, starts_at=at(14, 14), location="Barking Library, RM11 1AB")
    cancelled = session_for(partner, page=course, starts_at=at(21))
    cancel_session(session=cancelled)
    not_open_yet = session_for(partner, page=course, starts_at=at(28), booking_opens_at=at(20))
    submission = registration(partner)
    mail.outbox.clear()
    page = reverse("staff_interest:edit", args=[submission.pk])
    invite = reverse("staff_interest:invite", args=[submission.pk])

    assert "Invite to book" in staff.get(page).text
    confirm = staff.get(invite)
    assert confirm.status_code == 200 and "Send the invitation" in confirm.text
    assert mail.outbox == []  # the GET only asks
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(invite)

    assert response.status_code == 302 and response["Location"] == page
    (message,) = mail.outbox
    assert message.to == ["asha@heathwaybooks.example"]
    assert message.subject == "Book your Safe Haven training with Barkingside"
    body = message.body
    assert "Dear Asha Patel," in body
    assert "When: Wednesday 7 July 2027, 10am to 11:30am\nWhere: Online\nBook a place: " + book_url(open_online) in body
    assert "When: Wednesday 14 July 2027, 2pm to 3:30pm\nWhere: Barking Library, RM11 1AB" in body
    assert book_url(in_a_library) in body
    assert book_url(cancelled) not in body and book_url(not_open_yet) not in body
    assert "True" not in body and "None" not in body

    after = staff.get(page).text
    assert "Invitation to book emailed to asha@heathwaybooks.example, listing 2 upcoming sessions." in after
    assert "status changed from New to Contacted." in after
    assert "Invited to book by email, listing 2 upcoming sessions." in after
    submission.refresh_from_db()
    assert submission.status == "contacted"
    entry = ModelLogEntry.objects.get(action="cms.interest_invited")
    assert entry.user.get_full_name() == "Sam Okafor"


def test_invite_with_no_upcoming_sessions_says_so_and_sends_nothing(
    clock, partner, staff, django_capture_on_commit_callbacks
):
    submission = registration(partner)
    invite = reverse("staff_interest:invite", args=[submission.pk])

    assert "There are no upcoming sessions open for booking" in staff.get(invite).text
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(invite, follow=True)

    assert "There are no upcoming sessions open for booking, so no invitation was sent." in response.text
    assert mail.outbox == []
    submission.refresh_from_db()
    assert submission.status == "new"


def test_another_partners_staff_cannot_send_an_invitation(
    clock, partner, other_partner, course, django_capture_on_commit_callbacks
):
    session_for(partner, page=course, starts_at=at(7))
    submission = registration(partner)
    mail.outbox.clear()
    client = Client()
    client.force_login(coordinator_of(other_partner))

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("staff_interest:invite", args=[submission.pk])).status_code == 404
    assert mail.outbox == []


# --- new dates --------------------------------------------------------------------------------


@pytest.fixture
def people(partner, clock):
    """Who asked for new dates, and who did not or stopped them."""
    return {
        "asha": registration(partner, wants_new_dates=True),
        "asha again": registration(partner, wants_new_dates=True, email="ASHA@heathwaybooks.example"),
        "ben": registration(partner, wants_new_dates=True, name="Ben Carter", email="ben@example.org"),
        "not asked": registration(partner, name="Cai", email="cai@example.org"),
        "stopped": InterestSubmission.objects.filter(
            pk=registration(partner, wants_new_dates=True, name="Dee", email="dee@example.org").pk
        ).update(new_dates_unsubscribed_at=at(1)),
    }


def test_a_new_series_is_one_email_to_each_person_who_asked_listing_every_date(
    clock, partner, course, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sessions = create_series(
            partner=partner, page=course, first_day=at(5).date(), last_day=at(16).date(), weekdays=["TU", "TH"],
            start_time=datetime.time(10), capacity=12,
        )  # fmt: skip

    assert len(sessions) == 4
    assert sorted(message.to[0] for message in mail.outbox) == ["asha@heathwaybooks.example", "ben@example.org"]
    for message in mail.outbox:
        assert message.subject == "New Safe Haven training dates with Barkingside"
        assert "These 4 dates are now open:" in message.body
        assert all(book_url(session) in message.body for session in sessions)
        assert "Tuesday 6 July 2027, 10am" in message.body and "Thursday 15 July 2027" in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["List-Unsubscribe"].startswith(f"<{ROOT}/interest/new-dates/stop/")


def test_the_same_dates_are_never_announced_twice(clock, partner, course, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_for(partner, page=course, starts_at=at(7))
    assert len(mail.outbox) == 2
    assert "This date is now open:" in mail.outbox[0].body

    tasks.announce_new_dates.enqueue(session_ids=[session.pk])  # a retried or duplicated task
    assert announce_new_dates(session_ids=[session.pk]) == 0

    assert len(mail.outbox) == 2


def test_past_and_cancelled_sessions_are_not_announced(clock, partner, course, people):
    past = session_for(partner, page=course, starts_at=at(1) - datetime.timedelta(days=60))
    cancelled = session_for(partner, page=course, starts_at=at(7))
    cancel_session(session=cancelled)
    mail.outbox.clear()

    assert announce_new_dates(session_ids=[past.pk, cancelled.pk]) == 0
    assert mail.outbox == []


def test_no_one_hears_of_another_partners_dates(
    clock, partner, other_partner, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session_for(other_partner, starts_at=at(7))
    assert mail.outbox == []


# --- stopping them ------------------------------------------------------------------------------


def test_the_link_asks_first_and_the_button_stops_the_emails(
    clock, partner, course, people, django_capture_on_commit_callbacks
):
    client = Client(HTTP_HOST=HOST)
    url = stop_url(people["asha"])

    page = client.get(url)
    assert page.status_code == 200
    assert "Stop these emails" in page.text
    assert "Exit this page" in page.text and "999" in page.text  # the site's own layout
    assert InterestSubmission.objects.filter(new_dates_unsubscribed_at__isnull=False).count() == 1  # only Dee

    done = client.post(url)
    assert done.status_code == 200 and "Emails stopped" in done.text
    with django_capture_on_commit_callbacks(execute=True):
        session_for(partner, page=course, starts_at=at(7))
    assert [message.to for message in mail.outbox] == [["ben@example.org"]]  # Asha's second registration too


def test_a_mail_clients_one_click_post_stops_them_without_a_csrf_token(clock, partner, people):
    client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)

    response = client.post(stop_url(people["ben"]), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert InterestSubmission.objects.get(pk=people["ben"].pk).new_dates_unsubscribed_at == MONDAY_MORNING


def test_a_changed_or_foreign_link_is_refused_kindly(clock, partner, other_partner, people):
    token = new_dates_unsubscribe_token(people["ben"])
    tampered = reverse("interest:stop_new_dates", args=[token[:-2] + ("AA" if not token.endswith("AA") else "BB")])
    made_up = reverse("interest:stop_new_dates", args=[f"{people['ben'].pk}"])
    for client, url in (
        (Client(HTTP_HOST=HOST), tampered),
        (Client(HTTP_HOST=HOST), made_up),
        (Client(HTTP_HOST=other_partner.site.hostname), stop_url(people["ben"])),  # a genuine link, wrong site
    ):
        assert client.get(url).status_code == 404
        response = client.post(url)
        assert response.status_code == 404
        assert "This link does not work" in response.text and "Exit this page" in response.text
    assert InterestSubmission.objects.get(pk=people["ben"].pk).new_dates_unsubscribed_at is None
