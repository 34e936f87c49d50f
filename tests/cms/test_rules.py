import pytest
from django.core.exceptions import ValidationError

from cms.colour import contrast_ratio
from cms.models import BrandingSettings
from cms.sanitise import clean_html, clean_text
from cms.tenancy import partners_for_user
from tests.factories import PartnerFactory, UserFactory, coordinator_of

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "<svg><script>alert(1)</script></svg>",
    '<form><button formaction="javascript:alert(1)">go</button></form>',
    '<p style="background:url(javascript:alert(1))" onclick="x()">hi</p>',
    "<iframe src='https://evil.example'></iframe>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_clean_html_removes_scripts_handlers_and_javascript_urls(attack):
    cleaned = clean_html(attack).lower()
    for bad in ("<script", "onerror", "javascript:", "<svg", "formaction", "onclick", "style=", "<iframe", "<form"):
        assert bad not in cleaned


def test_clean_html_keeps_wagtail_rich_text():
    html = '<h2>Title</h2><p><strong>Bold</strong> and <a href="https://example.org">a link</a></p><ul><li>x</li></ul>'
    cleaned = clean_html(html)
    assert "<h2>Title</h2>" in cleaned
    assert "<strong>Bold</strong>" in cleaned
    assert 'href="https://example.org"' in cleaned
    assert "<li>x</li>" in cleaned


def test_clean_text_strips_markup_and_control_characters():
    assert clean_text("<b>Caf\x00é</b> &amp; Bar <script>x()</script>") == "Café & Bar"


def test_contrast_ratio_matches_wcag_reference_values():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#1d70b8", "#ffffff"), 2) == 5.17


@pytest.mark.django_db
def test_brand_colour_too_light_for_white_text_is_refused():
    partner = PartnerFactory()
    branding = BrandingSettings.for_site(partner.site)
    branding.brand_colour = "#ffdd00"
    with pytest.raises(ValidationError) as error:
        branding.full_clean()
    assert "too light" in str(error.value)
    branding.brand_colour = "#0b0c0c"
    branding.full_clean()


@pytest.mark.django_db
def test_staff_see_only_the_partners_they_work_for():
    a, b = PartnerFactory(), PartnerFactory()
    assert list(partners_for_user(coordinator_of(a))) == [a]
    assert list(partners_for_user(UserFactory())) == []
    assert set(partners_for_user(UserFactory(is_superuser=True))) == {a, b}
