"""A coordinator who knows only the dashboard runs a session day by clicking what is on the screen.

Nothing here types a URL after signing in, except the link from the council's notification email,
which is how a coordinator reaches an interest registration. axe runs on every page visited.
"""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from bookings.attendance import submit_knowledge_check
from bookings.models import Booking, Session
from bookings.services import book_place
from certificates.models import Certificate
from cms.models import Partner
from tests.factories import attendee, coordinator_of, session_for

from .conftest import assert_accessible, site_url

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Tuesday in April: the session of the day started at 10am, May and June are ahead.
TODAY = datetime.datetime(2027, 4, 20, 10, 20, tzinfo=LONDON)


@pytest.fixture
def clock():
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


def settle(page):
    """Wait for Wagtail's fade-ins (messages) to finish before axe measures contrast. The help
    badge's 25-second "ping" is not one of them."""
    page.wait_for_load_state()
    page.wait_for_function(
        "document.getAnimations().every(a => a.playState !== 'running' || a.animationName === 'ping-warning')"
    )


def checked(page):
    settle(page)
    assert_accessible(page)


def test_coordinator_runs_a_session_day_by_clicking_only(page, demo_site, clock, settings):
    settings.PUBLIC_URL_PORT = int(demo_site.url.rsplit(":", 1)[1])
    partner = Partner.objects.get(name="Barking and Dagenham")
    user = coordinator_of(partner, username="newcoordinator", password="correct-horse-battery-staple")
    today = session_for(
        partner,
        starts_at=TODAY - datetime.timedelta(minutes=20),
        capacity=2,
        joining_link="",
        location="Barking Learning Centre, 2 Town Square, IG11 7NB",
    )
    Session.objects.filter(pk=today.pk).update(booking_closes_at=TODAY - datetime.timedelta(days=1))
    earlier = TODAY - datetime.timedelta(days=3)
    for n, name in enumerate(["Asha Patel", "Ben Okoro", "Cleo Hart"]):
        book_place(session=today, attendee=attendee(n, name=name, email=f"p{n}@example.org"), now=earlier)

    # Sign in: the dashboard is all this coordinator knows.
    page.goto(site_url(demo_site, "localhost", "/admin/login/"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")
    checked(page)

    # A May/June series, from the Sessions list.
    page.get_by_role("button", name="Training").click()
    page.get_by_role("link", name="Sessions").click()
    page.wait_for_url("**/admin/sessions/")
    checked(page)
    page.get_by_role("link", name="Add a series").click()
    checked(page)
    page.get_by_label("Course or event").select_option(label="Safe Haven training (90 minutes)")
    page.get_by_label("Tuesday").check()
    page.get_by_label("Thursday").check()
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("First day").fill("2027-05-04")
    page.get_by_label("Last day").fill("2027-06-24")
    page.get_by_label("Places in each session").fill("12")
    page.get_by_role("button", name="Add sessions").click()
    page.wait_for_url("**/admin/sessions/")
    expect(page.get_by_text("16 sessions added.")).to_be_visible()
    checked(page)

    # On a phone the list fits the screen: each session is a card.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("table.staff-sessions tbody tr").first).to_contain_text("2 of 2")
    checked(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Today's session is at the top of the list; its title opens it.
    first_row = page.locator("table.staff-sessions tbody tr").first
    assert "Tue 20 Apr 2027, 10am" in first_row.inner_text()
    first_row.get_by_role("link", name="Safe Haven training (90 minutes)").click()
    main = page.locator("main")
    expect(main).to_contain_text("Barking Learning Centre, 2 Town Square, IG11 7NB")
    expect(main).to_contain_text("2 booked of 2")
    expect(main).to_contain_text("1 on the waiting list")
    assert "Online" not in page.locator(".staff-session__summary").inner_text()
    checked(page)

    # Its bookings and waiting list.
    page.get_by_role("link", name="Bookings and waiting list").click()
    expect(page.locator("h2", has_text="Waiting list (1)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Cleo Hart")
    checked(page)
    page.get_by_role("link", name="Back to the session").click()

    # A walk-in: the session is full and booking has closed, but she is here.
    page.get_by_role("link", name="Add a walk-in").click()
    checked(page)
    page.get_by_label("Full name").fill("Dee Walker")
    page.get_by_label("Email address").fill("dee@cornercafe.example")
    page.get_by_label("Organisation or venue name").fill("Corner Café")
    page.get_by_label("Type of venue").select_option(label="Café")
    page.get_by_label("Venue postcode").fill("rm10 8ab")
    page.get_by_label("They agreed to their details being used to run the training").check()
    page.get_by_label("Why are you adding them?").fill("Turned up without booking")
    page.get_by_role("button", name="Add to the register").click()
    page.wait_for_url(re.compile(r".*/admin/sessions/register/\d+/#booking-\d+$"))
    expect(page.get_by_text("Dee Walker is on the register.")).to_be_visible()
    checked(page)

    # The register, as a trainer works through it.
    for name in ("Asha Patel", "Ben Okoro", "Dee Walker"):
        page.get_by_role("group", name=f"Attendance of {name}").get_by_label("Attended").check()
    page.get_by_role("button", name="Save register").click()
    expect(page.get_by_text("Register saved: 3 changes.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("3 attended, 0 absent, 0 not recorded.")
    expect(page.locator("tr", has_text="Dee Walker")).to_contain_text("Attended – knowledge check not taken")
    checked(page)
    # She passes the knowledge check from the email she was sent; the certificate follows.
    walk_in = Booking.objects.get(email="dee@cornercafe.example")
    course = walk_in.session.page.specific
    questions = course.knowledge_check_questions.all()
    submit_knowledge_check(booking=walk_in, answers={q.pk: q.correct_option for q in questions})
    certificate = Certificate.objects.get(completion_key=f"booking:{walk_in.pk}")
    page.reload()
    expect(page.locator("tr", has_text="Dee Walker")).to_contain_text("Completed")

    # Her booking shows the certificate.
    page.get_by_role("link", name="Back to the session").click()
    page.get_by_role("link", name="Bookings and waiting list").click()
    page.get_by_role("link", name="Dee Walker", exact=True).click()
    expect(page.locator("main")).to_contain_text(certificate.display_code)
    expect(page.locator("main")).to_contain_text("Turned up without booking")
    assert "None" not in page.locator("main").inner_text()
    checked(page)

    # The export of the session's bookings, opened as Excel would.
    page.get_by_role("link", name="Back to the session").click()
    page.get_by_role("link", name="Export bookings").click()
    checked(page)
    page.get_by_label("CSV").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and "Corner Café".encode() in content

    # The dashboard: Corner Café is trained and waiting for its pledge.
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("main")).to_contain_text("Corner Café")
    checked(page)

    # An interest registration, followed up from the notification email's link.
    mail.outbox.clear()
    public = page.context.new_page()
    public.goto(site_url(demo_site, "localhost", "/register-interest/"))
    public.get_by_label("Your name").fill("Sam Shopkeeper")
    public.get_by_label("Organisation or venue name").fill("Sam's Shop")
    public.get_by_label("Venue type").select_option(label="Shop")
    public.get_by_label("Postcode").fill("RM10 8AB")
    public.get_by_label("Email address").fill("sam@shop.example")
    public.get_by_label("I agree to be contacted about the Safe Haven scheme").check()
    public.get_by_label("Email me when new training dates are published").check()
    public.get_by_role("button", name="Send").click()
    public.wait_for_load_state()
    public.close()
    notification = next(m for m in mail.outbox if "new Safe Haven interest" in m.subject)
    link = re.search(r"https?://\S+/admin/interest-registrations/\S+", notification.body).group(0)
    page.goto(link)
    checked(page)
    expect(page.locator("main")).to_contain_text("Sam's Shop")
    page.get_by_label("Contacted").check()
    page.get_by_label("Note").fill("Phoned; booking for May.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Phoned; booking for May.")
    checked(page)
