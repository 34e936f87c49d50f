"""The booking journey in Chromium on the demo site: book with the keyboard, manage, cancel; the waiting list."""

from bookings.models import Booking

from .conftest import assert_accessible, site_url

COURSE = "/training/safe-haven-training/"


def tab_to(page, selector: str, limit: int = 25):
    """Press Tab until the element matching selector has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_book_with_the_keyboard_then_manage_and_cancel(page, demo_site):
    page.goto(site_url(demo_site, "localhost", COURSE))
    assert_accessible(page)
    page.get_by_role("link", name="Book a place").first.click()
    assert page.locator("h1").inner_text() == "Book a place"
    assert_accessible(page)

    page.get_by_role("button", name="Book place").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert "Enter your full name" in summary.inner_text()
    assert page.locator("#id_name-error").inner_text().endswith("Enter your full name")
    assert_accessible(page)

    # Keyboard only from here: Tab, typing, arrow keys, Space and Enter.
    tab_to(page, "#id_name")
    page.keyboard.type("Asha Patel")
    tab_to(page, "#id_email")
    page.keyboard.type("asha@heathwaybooks.example")
    tab_to(page, "#id_organisation")
    page.keyboard.type("Heathway Books")
    tab_to(page, "#id_venue_type")
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_venue_type").input_value() == "shop"
    tab_to(page, "#id_postcode")
    page.keyboard.type("rm10 8rb")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    assert page.locator("#id_consent").is_checked()
    tab_to(page, "button.govuk-button")
    page.keyboard.press("Enter")

    page.wait_for_url("**/bookings/*/")
    assert page.locator("h1").inner_text() == "Your place is booked"
    assert "Heathway Books (Shop), RM10 8RB" in page.locator("main").inner_text()
    assert Booking.objects.get(email="asha@heathwaybooks.example").status == "confirmed"
    manage_url = page.url
    assert_accessible(page)

    page.get_by_role("link", name="Cancel this booking").click()
    assert page.locator("h1").inner_text() == "Are you sure you want to cancel your booking?"
    assert_accessible(page)
    assert Booking.objects.get(email="asha@heathwaybooks.example").status == "confirmed"
    page.get_by_role("button", name="Yes, cancel my booking").click()

    page.wait_for_url(manage_url)
    assert page.locator("h1").inner_text() == "Your booking is cancelled"
    assert "Your booking is cancelled. We have emailed you to confirm." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Cancel this booking").count() == 0
    assert Booking.objects.get(email="asha@heathwaybooks.example").status == "cancelled"
    assert_accessible(page)


def test_full_session_offers_the_waiting_list(page, demo_site):
    page.goto(site_url(demo_site, "localhost", COURSE))
    full_row = page.locator("tr", has=page.locator(".govuk-tag", has_text="Full")).first
    assert full_row.is_visible()
    full_row.get_by_role("link", name="Join the waiting list").click()
    assert page.locator("h1").inner_text() == "Join the waiting list"
    assert "This session is full" in page.locator(".govuk-inset-text").inner_text()
    assert page.get_by_role("button", name="Join waiting list").is_visible()
    assert_accessible(page)
