"""The accessibility statement is one tap from every public page of both partners, at phone and
desktop widths, and it and the other pages this change touched pass axe."""

import pytest

from .conftest import assert_accessible, site_url

PARTNERS = [("localhost", "Barking and Dagenham"), ("tunbridgewells.localhost", "Tunbridge Wells")]
PUBLIC_PAGES = [
    ("/", 200),
    ("/what-is-a-safe-haven/", 200),
    ("/training/", 200),
    ("/training/safe-haven-training/", 200),
    ("/training/networking-may/", 200),
    ("/register-interest/", 200),
    ("/staying-safe-online/", 200),
    ("/accessibility-statement/", 200),
    ("/safe-havens/", 200),
    ("/safe-havens/near/", 200),
    ("/certificates/verify/", 200),
    ("/venue/", 200),
    ("/no-such-page/", 404),
]
CHECKED_WITH_AXE = {"/accessibility-statement/", "/training/", "/staying-safe-online/", "/no-such-page/"}
WIDTHS = [(390, 844), (1280, 800)]


@pytest.mark.parametrize(("host", "name"), PARTNERS)
def test_every_public_page_links_the_partners_statement(page, demo_site, host, name):
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for path, status in PUBLIC_PAGES:
            response = page.goto(site_url(demo_site, host, path))
            assert response.status == status, path
            link = page.locator("footer").get_by_role("link", name="Accessibility statement")
            assert link.get_attribute("href") == "/accessibility-statement/", (path, width)
            assert page.title().endswith(f"{name} Safe Havens"), path
            if path in CHECKED_WITH_AXE:
                assert_accessible(page)
        # From the page not found, the link leads to this partner's own statement.
        link.click()
        page.wait_for_url("**/accessibility-statement/")
        assert page.locator("h1").inner_text() == "Accessibility statement"
        main = page.locator("main").inner_text()
        assert f"run by {name}" in main
        assert "Web Content Accessibility Guidelines version 2.2 AA standard" in main
        assert "Equality Advisory and Support Service" in main


def test_the_browser_finds_the_favicon(page, demo_site):
    page.goto(site_url(demo_site, "localhost"))
    icon = page.locator('link[rel="icon"][type="image/svg+xml"]').get_attribute("href")
    assert page.request.get(site_url(demo_site, "localhost", icon)).status == 200
    response = page.request.get(site_url(demo_site, "localhost", "/favicon.ico"))
    assert response.status == 200 and response.headers["content-type"].startswith("image/")
