"""A session keeps the price its page had when the session was created, as pretix keeps a price per
position: a later change of price applies to new sessions only, and booking never reads the page."""

import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import payments, services
from bookings.models import Booking, Session
from courses.models import CoursePage, NetworkingEventPage
from tests.factories import attendee, session_for, training_page_for

from .conftest import FORM, HOST

pytestmark = pytest.mark.django_db


class RecordingStripe:
    """Stands in for stripe_client(): remembers the Checkout Sessions asked for."""

    def __init__(self):
        self.created = []
        self.v1 = SimpleNamespace(checkout=SimpleNamespace(sessions=self))

    def create(self, *, params, options):
        self.created.append(params)
        n = len(self.created)
        return SimpleNamespace(id=f"cs_test_{n}", url=f"https://checkout.stripe.com/c/pay/cs_test_{n}")


@pytest.fixture
def stripe(monkeypatch):
    recording = RecordingStripe()
    monkeypatch.setattr(payments, "stripe_client", lambda: recording)
    return recording


@pytest.fixture
def paid_course(partner):
    return training_page_for(partner, slug="advanced-workshop", title="Advanced workshop", price="25.00")


def set_price(page, price):
    """As an editor does: publish the page with a new price."""
    page = CoursePage.objects.get(pk=page.pk)
    page.price = Decimal(price)
    page.save_revision().publish()
    return CoursePage.objects.get(pk=page.pk)


def checkout_amount(stripe, client, session):
    client.post(f"/bookings/sessions/{session.pk}/book/", FORM, HTTP_HOST=HOST)
    return stripe.created[-1]["line_items"][0]["price_data"]["unit_amount"]


def test_a_session_takes_its_pages_price_at_creation(partner, paid_course, course):
    assert session_for(partner, page=paid_course).price == Decimal("25.00")
    free = session_for(partner, page=course)
    assert free.price == 0
    assert free.is_free


def test_a_session_of_a_page_without_a_price_is_free(partner):
    training = training_page_for(partner).get_parent()
    assert not hasattr(training.specific, "price")
    session = session_for(partner, page=training)
    assert session.price == 0
    assert services.book_place(session=session, attendee=attendee(1)).booking.status == Booking.Status.CONFIRMED


def test_a_series_takes_its_pages_price(partner, paid_course):
    from datetime import date, time, timedelta

    first = date.today() + timedelta(days=30)
    sessions = services.create_series(
        partner=partner,
        page=paid_course,
        first_day=first,
        last_day=first + timedelta(days=13),
        weekdays=["MO", "TH"],
        start_time=time(10),
        capacity=5,
    )
    assert len(sessions) == 4
    assert {s.price for s in sessions} == {Decimal("25.00")}


def test_a_new_price_leaves_existing_sessions_and_their_checkout_alone(client, partner, paid_course, stripe):
    before = session_for(partner, page=paid_course)
    repriced = set_price(paid_course, "40.00")

    before.refresh_from_db()
    assert before.price == Decimal("25.00")
    assert checkout_amount(stripe, client, before) == 2500
    page = client.get(f"/bookings/sessions/{before.pk}/book/", HTTP_HOST=HOST).content.decode()
    assert "The price is £25.00" in page

    after = session_for(partner, page=repriced)
    assert after.price == Decimal("40.00")
    assert checkout_amount(stripe, client, after) == 4000


def test_a_page_made_free_keeps_existing_sessions_paid(partner, paid_course):
    session = session_for(partner, page=paid_course)
    now_free = set_price(paid_course, "0")
    booking = services.book_place(session=session, attendee=attendee(1)).booking
    assert booking.status == Booking.Status.PENDING_PAYMENT
    assert session_for(partner, page=now_free).is_free


@pytest.mark.parametrize("price", ["0", "25.00"])
def test_booking_reads_no_page_for_the_price(partner, price):
    page = training_page_for(partner, slug="priced", title="Priced", price=price)
    session = session_for(partner, page=page)
    with CaptureQueriesContext(connection) as queries:
        services.book_place(session=session, attendee=attendee(1))
    # The page row is read (with the locked session) only for the audit entry's label (its title);
    # a page's price lives in courses_*, and the only price read is the session's own.
    assert not [q["sql"] for q in queries if "courses_" in q["sql"]]
    assert not [q["sql"] for q in queries if "price" in q["sql"].replace('"bookings_session"."price"', "")]


def test_the_data_migration_copies_each_sessions_page_price(partner, paid_course, course):
    migration = importlib.import_module("bookings.migrations.0008_copy_session_prices")
    event = training_page_for(partner, slug="meet-up", title="Meet-up", price="7.50", kind=NetworkingEventPage)
    paid, free, meet_up = (session_for(partner, page=p) for p in (paid_course, course, event))
    training = session_for(partner, page=course.get_parent())
    Session.objects.update(price=Decimal("0"))  # as every session was before prices were kept

    migration.copy_prices(apps, None)

    prices = dict(Session.objects.values_list("pk", "price"))
    assert prices == {
        paid.pk: Decimal("25.00"),
        free.pk: Decimal("0"),
        meet_up.pk: Decimal("7.50"),
        training.pk: Decimal("0"),
    }
