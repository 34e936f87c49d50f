"""The signposting module with each council's own support directory, on a desktop and a phone."""

import pytest

from .conftest import assert_accessible, site_url

BARKING = "localhost"
TUNBRIDGE_WELLS = "tunbridgewells.localhost"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("host", "own", "other"),
    [
        (BARKING, "Barking and Dagenham Council", "Tunbridge Wells Borough Council"),
        (TUNBRIDGE_WELLS, "Tunbridge Wells Borough Council", "Barking and Dagenham Council"),
    ],
)
def test_the_signposting_module_lists_the_councils_own_services(page, demo_site, host, own, other, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url(demo_site, host, "/training/safe-haven-training/"))

    directory = page.locator(".sh-support-directory")
    assert directory.count() == 1
    text = directory.inner_text()
    assert own in text and other not in text
    assert "National Domestic Abuse Helpline (Refuge)" in text and "Samaritans" in text
    # Tap to call: the number as written, dialled without spaces.
    call = directory.get_by_role("link", name="0808 2000 247")
    assert call.get_attribute("href") == "tel:08082000247"
    directory.scroll_into_view_if_needed()
    assert call.is_visible()
    # Nothing pushes the page sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
