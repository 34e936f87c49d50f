import pytest

from .conftest import NEUTRAL_SITE, assert_accessible, site_url


@pytest.mark.parametrize(
    ("host", "heading"),
    [("localhost", "Barking and Dagenham Safe Havens"), ("tunbridgewells.localhost", "Tunbridge Wells Safe Havens")],
)
def test_partner_home_page_is_accessible(page, demo_site, host, heading):
    page.goto(site_url(demo_site, host))
    assert page.locator("h1").inner_text() == heading
    assert_accessible(page)


@pytest.mark.parametrize(
    "path", ["/what-is-a-safe-haven/", "/staying-safe-online/", "/register-interest/", "/training/"]
)
def test_information_pages_are_accessible(page, demo_site, path):
    page.goto(site_url(demo_site, "localhost", path))
    assert_accessible(page)


def test_pressing_shift_three_times_leaves_the_site(page, demo_site):
    page.goto(site_url(demo_site, "localhost"))
    page.locator("body").click()
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(NEUTRAL_SITE, timeout=10_000)
    assert page.title() == "BBC Weather"


def test_exit_button_leaves_the_site(page, demo_site):
    page.goto(site_url(demo_site, "tunbridgewells.localhost", "/what-is-a-safe-haven/"))
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(NEUTRAL_SITE, timeout=10_000)


def test_exit_skip_link_is_first_in_the_tab_order(page, demo_site):
    page.goto(site_url(demo_site, "localhost"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Exit this page"


def test_interest_form_errors_are_announced_and_accessible(page, demo_site):
    page.goto(site_url(demo_site, "localhost", "/register-interest/"))
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for(state="visible")  # is_visible() does not wait for the response to arrive
    assert "There is a problem" in summary.inner_text()
    assert_accessible(page)
    page.get_by_label("Your name").fill("Asha Patel")
    page.get_by_label("Organisation or venue name").fill("Heathway Books")
    page.get_by_label("Venue type").select_option("Shop")
    page.get_by_label("Postcode").fill("RM10 8AB")
    page.get_by_label("Email address").fill("asha@heathwaybooks.example")
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Thank you"
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/training/safe-haven-training/", "/safe-havens/"])
def test_exit_button_stays_on_screen_at_the_bottom_of_a_long_page_on_a_phone(browser, page, demo_site, path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url(demo_site, "localhost", path))
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 0")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 500, "the page should be long enough to scroll on a phone"
    button = page.get_by_role("button", name="Emergency Exit this page")
    box = button.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
    button.click()
    page.wait_for_url(NEUTRAL_SITE, timeout=10_000)


@pytest.mark.parametrize("path", ["/no-such-page/", "/certificates/verify/%00/"])
def test_error_pages_keep_the_exit_and_are_accessible(page, demo_site, path):
    response = page.goto(site_url(demo_site, "tunbridgewells.localhost", path))
    assert response.status in (400, 404)
    assert page.get_by_role("button", name="Emergency Exit this page").is_visible()
    assert "In an emergency call 999. If it is not an emergency call 101." in page.inner_text("body")
    assert "Tunbridge Wells" in page.title()
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="find a Safe Haven").click()
    page.wait_for_url("**/safe-havens/")


def test_tunbridge_wells_interest_form_refuses_a_bad_postcode_with_its_own_example_on_a_phone(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url(demo_site, "tunbridgewells.localhost", "/register-interest/"))
    assert page.locator("#id_postcode-hint").inner_text() == "For example, TN1 1YS"
    page.get_by_label("Your name").fill("Sam Reed")
    page.get_by_label("Organisation or venue name").fill("Pantiles Books")
    page.get_by_label("Venue type").select_option("Shop")
    page.get_by_label("Postcode").fill("TN1")
    page.get_by_label("Email address").fill("sam@pantiles.example")
    page.get_by_label("I agree to be contacted").check()
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a real postcode, like TN1 1YS" in summary.inner_text()
    summary.get_by_role("link", name="Enter a real postcode, like TN1 1YS").click()
    assert page.evaluate("document.activeElement.id") == "id_postcode"
    # Tabbing back up the form, the field with focus is never hidden behind the sticky Exit this page.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "id_venue_type"
    exit_bottom = page.evaluate("document.querySelector('.govuk-exit-this-page').getBoundingClientRect().bottom")
    field_top = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert field_top >= exit_bottom, (field_top, exit_bottom)
    assert "RM10" not in page.content()
    page.evaluate("window.scrollTo(0, 0)")  # axe judges targets where they are, so from the top
    assert_accessible(page)
    page.get_by_label("Postcode").fill("tn1 1ys")
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Thank you"
