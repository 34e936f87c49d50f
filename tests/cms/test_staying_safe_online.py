"""The "Staying safe online" page: leaving quickly, specialist help, Silent Solution, clearing history in the
common browsers; every new partner gets it, and an older demo's short page is brought up to date."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from cms.models import StandardPage
from tests.conftest import TW_HOST
from tests.factories import PartnerFactory

VENDOR_HELP = {
    "Google Chrome": "https://support.google.com/chrome/",
    "Safari on iPhone or iPad": "https://support.apple.com/",
    "Safari on a Mac": "https://support.apple.com/",
    "Firefox": "https://support.mozilla.org/",
    "Microsoft Edge": "https://support.microsoft.com/",
}


def assert_staying_safe_page(html: str):
    assert "Exit this page</strong> button, or press Shift three times" in html
    assert "National Domestic Abuse Helpline, run by Refuge" in html
    assert '<a href="tel:08082000247">0808 2000 247</a>' in html
    assert 'href="https://www.nationaldahelpline.org.uk">nationaldahelpline.org.uk</a>' in html
    assert "press 55" in html and "Silent Solution" in html
    assert 'href="https://www.police.uk/' in html
    for browser, vendor in VENDOR_HELP.items():
        assert f'href="{vendor}' in html and f">{browser}: " in html, browser


@pytest.mark.parametrize("host", ["localhost", TW_HOST])
def test_both_demo_partners_pages_give_specialist_help_and_browser_steps(demo, client, host):
    response = client.get("/staying-safe-online/", HTTP_HOST=host)
    assert response.status_code == 200
    assert_staying_safe_page(response.content.decode())


def test_a_new_partner_gets_the_page(db):
    partner = PartnerFactory(starter_pages=True)
    response = Client().get("/staying-safe-online/", HTTP_HOST=partner.site.hostname)
    assert_staying_safe_page(response.content.decode())


def test_seed_demo_updates_an_older_demos_short_page_but_keeps_an_edited_one(demo, barking, tunbridge_wells):
    def page_of(partner):
        return StandardPage.objects.child_of(partner.site.root_page).get(slug="staying-safe-online")

    # As a demo seeded before this change left it: a short page with no revision.
    for partner in (barking, tunbridge_wells):
        page = page_of(partner)
        StandardPage.objects.filter(pk=page.pk).update(
            body=[("paragraph", "<p>Use a private browser window.</p>")], latest_revision=None, live_revision=None
        )
        page.revisions.all().delete()
    edited = page_of(tunbridge_wells)
    edited.body = [("paragraph", "<p>Our own advice.</p>")]
    edited.save_revision().publish()  # a council's edit in the admin
    assert "0808 2000 247" not in str(page_of(barking).body)
    call_command("seed_demo", stdout=io.StringIO())
    assert "0808 2000 247" in str(page_of(barking).body)
    assert str(page_of(tunbridge_wells).body) == str(edited.body)
