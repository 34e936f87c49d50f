"""What a coordinator sees under "Needs your attention" on the Wagtail admin home page."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from bookings.models import Booking, Session
from certificates.dashboard import working_days_before
from certificates.models import Certificate
from cms.models import InterestSubmission
from tests.factories import (
    PartnerFactory,
    add_knowledge_check,
    booking_on,
    certify,
    coordinator_of,
    safe_haven_course,
    session_for,
    training_page_for,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Wednesday morning: five working days back is last Wednesday at the same time.
NOW = datetime.datetime(2027, 6, 9, 10, 0, tzinfo=LONDON)


def at(days, hour=10, minute=0):
    return (NOW + datetime.timedelta(days=days)).replace(hour=hour, minute=minute)


def interest(partner, name, *, sent, status=InterestSubmission.Status.NEW):
    submission = InterestSubmission.objects.create(
        page=partner.site.root_page,
        partner=partner,
        status=status,
        form_data={"name": name, "email": "someone@example.org", "organisation": f"{name}'s Shop"},
    )
    InterestSubmission.objects.filter(pk=submission.pk).update(submit_time=sent)  # submit_time is auto_now_add
    submission.refresh_from_db()
    return submission


def programme(partner, tag):
    """One of each thing the dashboard lists, next to the near misses it must leave out."""
    made = {"partner": partner}
    # 1. Trained venues not yet on the register.
    made["no_pledge"] = certify(partner, organisation=f"{tag} No Pledge Cafe", pledge=False).venue
    made["not_listed"] = certify(partner, organisation=f"{tag} Unlisted Library", listed=False).venue
    certify(partner, organisation=f"{tag} Listed Pub")
    revoked = certify(partner, organisation=f"{tag} Revoked Shop", pledge=False)
    Certificate.objects.filter(pk=revoked.pk).update(status=Certificate.Status.REVOKED)
    expired = certify(partner, organisation=f"{tag} Expired Bakery", pledge=False)
    Certificate.objects.filter(pk=expired.pk).update(expires_on=NOW.date() - datetime.timedelta(days=1))

    # 2. Attended, but the course's knowledge check is still to pass.
    course = safe_haven_course(partner)
    add_knowledge_check(course)
    past = session_for(partner, page=course, starts_at=at(-2))
    untaken, failed, passed, absent = (booking_on(past, n, name=f"{tag} Learner {n}") for n in range(4))
    Booking.objects.filter(pk__in=[untaken.pk, failed.pk, passed.pk]).update(attended=True)
    Booking.objects.filter(pk=absent.pk).update(attended=False)
    Booking.objects.filter(pk=failed.pk).update(knowledge_check_taken_at=at(-1))
    Booking.objects.filter(pk=passed.pk).update(knowledge_check_taken_at=at(-1), knowledge_check_passed_at=at(-1))
    no_check = training_page_for(partner, slug="networking", title=f"{tag} Networking morning")
    no_check_session = session_for(partner, page=no_check, starts_at=at(-2))
    Booking.objects.filter(pk=booking_on(no_check_session, 9, name=f"{tag} Networker").pk).update(attended=True)
    made.update(untaken=untaken, failed=failed, check_session=past)

    # 3. Sessions in the next seven days with places left.
    def session(title, days, capacity=3, booked=1):
        page = training_page_for(partner, slug=title.lower().replace(" ", "-"), title=f"{tag} {title}")
        created = session_for(partner, page=page, starts_at=at(days, hour=14), capacity=capacity)
        for n in range(booked):
            booking_on(created, n)
        return created

    made["open"] = session("Open course", 2)
    session("Full course", 3, capacity=1)
    session("Next week course", 8)
    Session.objects.filter(pk=session("Cancelled course", 1).pk).update(status=Session.Status.CANCELLED)
    started = session("Started course", 0, booked=0)
    Session.objects.filter(pk=started.pk).update(starts_at=NOW - datetime.timedelta(hours=1))

    # 4. Interest registrations still "new" more than five working days on.
    made["overdue"] = interest(partner, f"{tag} Overdue", sent=at(-8))
    interest(partner, f"{tag} Recent", sent=at(-6, hour=9))  # Thursday: four working days and a bit
    interest(partner, f"{tag} Contacted", sent=at(-20), status=InterestSubmission.Status.CONTACTED)
    return made


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def alpha(frozen):
    return programme(PartnerFactory(name="Alphaborough", host="alpha.localhost"), "Alpha")


@pytest.fixture
def beta(frozen):
    return programme(PartnerFactory(name="Betaford", host="beta.localhost"), "Beta")


@pytest.fixture
def home(client, alpha, beta):
    client.force_login(coordinator_of(alpha["partner"]))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.text


def link(url, text):
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def count(number, heading):
    return f'<strong class="staff-dashboard__count">{number}</strong> {heading}'


def test_trained_venues_waiting_for_the_pledge_or_listing(home, alpha):
    assert count(2, "Trained venues waiting for the pledge or listing") in home
    edit = lambda venue: reverse("safe_haven_venues:edit", args=[venue.pk])  # noqa: E731
    assert link(edit(alpha["no_pledge"]), "Alpha No Pledge Cafe, RM10 8RB") in home
    assert "Pledge not agreed" in home
    assert link(edit(alpha["not_listed"]), "Alpha Unlisted Library, RM10 8RB") in home
    assert "Not listed" in home
    see_all = link(reverse("safe_haven_venues:index") + "?waiting=agreements", "See all waiting venues")
    assert see_all in home
    # The waiting list itself (other panels, such as visits due, may name these venues).
    waiting = home[home.index(count(2, "Trained venues waiting for the pledge or listing")) : home.index(see_all)]
    for left_out in ("Alpha Listed Pub", "Alpha Revoked Shop", "Alpha Expired Bakery"):
        assert left_out not in waiting


def test_see_all_waiting_venues_lists_the_same_venues(client, alpha):
    client.force_login(coordinator_of(alpha["partner"]))
    page = client.get(reverse("safe_haven_venues:index"), {"waiting": "agreements"}).text
    assert "Alpha No Pledge Cafe" in page and "Alpha Unlisted Library" in page
    for left_out in ("Alpha Listed Pub", "Alpha Revoked Shop", "Alpha Expired Bakery"):
        assert left_out not in page


def test_attended_but_knowledge_check_not_passed(home, alpha):
    assert count(2, "Certificates waiting on a knowledge check") in home
    register = reverse("staff_sessions:register", args=[alpha["check_session"].pk])
    assert link(register, "Alpha Learner 0, Venue 0") in home
    assert "Alpha Learner 1, Venue 1" in home
    assert "Safe Haven training (90 minutes), 7 Jun 2027: knowledge check not taken" in home
    assert "knowledge check not passed" in home
    for left_out in ("Alpha Learner 2", "Alpha Learner 3", "Alpha Networker"):
        assert left_out not in home


def test_sessions_this_week_with_places_left(home, alpha):
    assert count(1, "Sessions in the next 7 days with places left") in home
    bookings = reverse("staff_sessions:detail", args=[alpha["open"].pk])
    assert link(bookings, "Alpha Open course, Fri 11 Jun 2027, 2pm") in home
    assert "2 places left" in home
    for left_out in ("Alpha Full course", "Alpha Next week course", "Alpha Cancelled course", "Alpha Started course"):
        assert left_out not in home.split("Upcoming sessions")[0]


def test_interest_not_contacted_after_five_working_days(home, alpha):
    assert count(1, "Interest registrations not contacted after 5 working days") in home
    edit = reverse("staff_interest:edit", args=[alpha["overdue"].pk])
    assert link(edit, "Alpha Overdue, Alpha Overdue's Shop") in home
    assert "Sent 1 Jun 2027" in home
    assert "Alpha Recent" not in home and "Alpha Contacted" not in home
    assert link(reverse("staff_interest:index") + "?status=new", "See all new registrations") in home


def test_dates_are_dates_never_just_now(home):
    attention = home.split("Needs your attention")[1].split("Upcoming sessions")[0]
    assert "ago" not in attention and "Just now" not in attention and "just now" not in attention


def test_another_partners_items_never_show(home, beta):
    assert "Betaford" not in home
    assert "Beta " not in home.split("Needs your attention")[1]
    for key in ("no_pledge", "not_listed"):
        assert reverse("safe_haven_venues:edit", args=[beta[key].pk]) not in home
    assert reverse("staff_sessions:register", args=[beta["check_session"].pk]) not in home
    assert reverse("staff_sessions:detail", args=[beta["open"].pk]) not in home
    assert reverse("staff_interest:edit", args=[beta["overdue"].pk]) not in home


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Wednesday to last Wednesday; Monday to last Monday, over one weekend.
        (datetime.datetime(2027, 6, 9, 10, 0), datetime.datetime(2027, 6, 2, 10, 0)),
        (datetime.datetime(2027, 6, 7, 10, 0), datetime.datetime(2027, 5, 31, 10, 0)),
        # From the weekend the count starts at the end of Friday.
        (datetime.datetime(2027, 6, 12, 15, 0), datetime.datetime(2027, 6, 7, 0, 0)),
        (datetime.datetime(2027, 6, 13, 15, 0), datetime.datetime(2027, 6, 7, 0, 0)),
    ],
)
def test_working_days_skip_weekends(now, expected):
    assert working_days_before(now.replace(tzinfo=LONDON), 5) == expected.replace(tzinfo=LONDON)


def test_a_saturday_registration_is_not_overdue_the_next_friday(client, frozen):
    partner = PartnerFactory(name="Alphaborough", host="alpha.localhost")
    client.force_login(coordinator_of(partner))
    interest(partner, "Weekend Enquirer", sent=datetime.datetime(2027, 6, 12, 12, 0, tzinfo=LONDON))
    frozen.move_to(datetime.datetime(2027, 6, 18, 10, 0, tzinfo=LONDON))  # six calendar days, four working
    assert "Weekend Enquirer" not in client.get(reverse("wagtailadmin_home")).text
    frozen.move_to(datetime.datetime(2027, 6, 21, 10, 0, tzinfo=LONDON))  # five working days and ten hours
    assert "Weekend Enquirer" in client.get(reverse("wagtailadmin_home")).text


def test_dashboard_queries_do_not_grow_with_the_lists(client, alpha):
    client.force_login(coordinator_of(alpha["partner"]))

    def queries():
        client.get(reverse("wagtailadmin_home"))  # warm the cached partner and menu
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("wagtailadmin_home")).status_code == 200
        return len(captured)

    few = queries()
    programme(alpha["partner"], "More")
    programme(alpha["partner"], "Still more")
    assert queries() == few
