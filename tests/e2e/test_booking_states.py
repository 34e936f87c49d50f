"""A booking's page in each state on a 390 px phone, with axe: waiting (with a way out and dates
that have room), left the waiting list, and the email-sent line after booking."""

import re

from bookings.models import Booking

from .conftest import assert_accessible, site_url

COURSE = "/training/safe-haven-training/"


def fill_booking_form(page, email):
    page.fill("#id_name", "Asha Patel")
    page.fill("#id_email", email)
    page.fill("#id_organisation", "Heathway Books")
    page.select_option("#id_venue_type", "shop")
    page.fill("#id_postcode", "RM10 8RB")
    page.check("#id_consent")


def test_waiting_list_on_a_phone_offers_a_way_out_and_dates_with_room(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url(demo_site, "localhost", COURSE))
    page.locator("tr", has=page.locator(".govuk-tag", has_text="Full")).first.get_by_role(
        "link", name="Join the waiting list"
    ).click()
    fill_booking_form(page, "waiting@heathwaybooks.example")
    page.get_by_role("button", name="Join waiting list").click()

    page.wait_for_url("**/bookings/*/")
    main = page.locator("main")
    assert page.locator("h1").inner_text() == "You are on the waiting list"
    assert "We have sent an email to waiting@heathwaybooks.example to confirm you are on the waiting list." in (
        main.inner_text()
    )
    assert main.locator(".govuk-tag--yellow").inner_text() == "On the waiting list"
    other_dates = main.get_by_role("link", name=re.compile(r"^Book \w+day \d+ \w+ 2027, \d+(:\d\d)?[ap]m to "))
    assert other_dates.count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert_accessible(page)

    page.get_by_role("link", name="Leave the waiting list").click()
    assert page.locator("h1").inner_text() == "Are you sure you want to leave the waiting list?"
    assert_accessible(page)
    page.get_by_role("button", name="Yes, leave the waiting list").click()
    page.wait_for_url("**/bookings/*/")
    assert page.locator("h1").inner_text() == "You have left the waiting list"
    assert page.locator("main .govuk-tag--grey").inner_text() == "Cancelled"
    assert Booking.objects.get(email="waiting@heathwaybooks.example").status == "cancelled"
    assert_accessible(page)


def test_booking_page_says_where_the_confirmation_went(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url(demo_site, "localhost", COURSE))
    page.get_by_role("link", name="Book a place").first.click()
    fill_booking_form(page, "asha@heathwaybooks.example")
    page.get_by_role("button", name="Book place").click()

    page.wait_for_url("**/bookings/*/")
    assert page.locator("h1").inner_text() == "Your place is booked"
    main = page.locator("main").inner_text()
    assert "We have sent a confirmation email to asha@heathwaybooks.example, with a calendar invite." in main
    assert re.search(r"\d+(:\d\d)?[ap]m to \d+(:\d\d)?[ap]m \(UK time\)", main)
    assert page.locator("main .govuk-tag--green").inner_text() == "Confirmed"
    assert_accessible(page)
