"""Every public page a visitor can reach by following links, on both partner sites, passes axe;
and the main pages fit a phone screen without sideways scrolling."""

from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import assert_accessible, site_url

HOSTS = ["localhost", "tunbridgewells.localhost"]
NOT_PAGES = (".ics", ".geojson", ".pdf", ".json", ".xml")
MAX_PAGES = 60


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")


@pytest.mark.parametrize("host", HOSTS)
def test_every_linked_public_page_is_accessible(page, demo_site, host):
    start = site_url(demo_site, host)
    origin = urlsplit(start).netloc
    queue, seen, visited = [start], {start}, []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        assert_accessible(page)
        visited.append(urlsplit(url).path)
        for link in _links(page):
            target = urljoin(url, link).split("#", 1)[0]
            parts = urlsplit(target)
            if (
                parts.netloc != origin
                or parts.query
                or parts.path.startswith(("/admin/", "/documents/", "/bookings/sessions/"))
                or parts.path.endswith(NOT_PAGES)
                or target in seen
            ):
                continue
            seen.add(target)
            queue.append(target)
    # The crawl really reached the journeys, not just the home page.
    assert {"/", "/what-is-a-safe-haven/", "/register-interest/", "/training/"} <= set(visited), visited


@pytest.mark.parametrize("path", ["/", "/what-is-a-safe-haven/", "/register-interest/", "/training/"])
def test_pages_fit_a_phone_screen(browser, demo_site, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        phone.goto(site_url(demo_site, "localhost", path))
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        assert_accessible(phone)
    finally:
        context.close()
