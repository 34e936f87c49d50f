"""Course and networking-event pages as a venue's staff see them, on both partner sites."""

import re

import pytest

from .conftest import assert_accessible, site_url

BARKING = "localhost"
TUNBRIDGE_WELLS = "tunbridgewells.localhost"
SHARED_MODULES = [
    "What a Safe Haven is",
    "Recognising someone in distress",
    "Letting someone in and keeping them safe",
    "Signposting to specialist support",
    "Looking after yourself",
]


@pytest.mark.parametrize(
    ("host", "own_module", "absent_module"),
    [
        (BARKING, "Directions and transport information", "#TogetherAsAllies: being an active bystander"),
        (TUNBRIDGE_WELLS, "#TogetherAsAllies: being an active bystander", "Directions and transport information"),
    ],
)
def test_course_page_shows_its_modules_and_is_accessible(page, demo_site, host, own_module, absent_module):
    page.goto(site_url(demo_site, host, "/training/safe-haven-training/"))

    assert page.locator("h1").inner_text() == "Safe Haven training (90 minutes)"
    headings = page.locator("main section.sh-module h2").all_inner_texts()
    titles = [re.sub(r"\s*\d+ minutes$", "", heading.strip()) for heading in headings]
    assert all(title in titles for title in SHARED_MODULES)  # Barking and Dagenham's shared modules
    assert own_module in titles
    assert absent_module not in titles
    assert page.get_by_role("heading", name="Someone comes in saying they are being followed").is_visible()
    # The contents list links to each module on the page.
    page.get_by_role("link", name="Recognising someone in distress").click()
    assert page.locator(":target").inner_text().startswith("Recognising someone in distress")
    assert_accessible(page)


@pytest.mark.parametrize(
    ("host", "path", "title", "when", "where"),
    [
        (BARKING, "/training/networking-may/", "Safe Haven networking evening", r"\w+day 13 May \d{4} at 6pm",
         "Barking Learning Centre, 2 Town Square, Barking IG11 7NB"),
        (BARKING, "/training/networking-june/", "Safe Haven online catch-up", r"\w+day 17 June \d{4} at 10am",
         "Online: the joining link is sent to people who book"),
        (TUNBRIDGE_WELLS, "/training/networking-may/", "Tunbridge Wells Safe Haven networking morning",
         r"\w+day 20 May \d{4} at 9:30am", "The Amelia Scott, Mount Pleasant Road, Royal Tunbridge Wells TN1 1JN"),
    ],
)  # fmt: skip
def test_networking_event_page_shows_when_and_where_and_is_accessible(page, demo_site, host, path, title, when, where):
    page.goto(site_url(demo_site, host, path))

    assert page.locator("h1").inner_text().startswith(title)
    summary = page.locator("main .govuk-summary-list")
    assert re.search(when, summary.locator("time").inner_text())
    assert where in summary.inner_text()
    assert "Free" in summary.inner_text()
    assert_accessible(page)


def test_training_index_lists_each_partners_own_pages(page, demo_site):
    page.goto(site_url(demo_site, TUNBRIDGE_WELLS, "/training/"))
    main = page.locator("main").inner_text()
    assert "Safe Haven training (90 minutes)" in main
    assert "Tunbridge Wells Safe Haven networking morning" in main
    assert "Barking Learning Centre" not in main and "networking evening" not in main
    assert_accessible(page)
