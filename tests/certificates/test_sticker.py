"""The window sticker: a coordinator downloads a PDF whose QR code opens the venue's live status page."""

import io
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from cms.tenancy import site_root_url
from tests.factories import PartnerFactory, certify, coordinator_of

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture
def partner(clock):
    return PartnerFactory(name="Stickerborough", host="sticker.localhost")


@pytest.fixture
def venue(partner):
    return certify(partner, organisation="Heathway Books").venue


def sticker_url(venue, size=None):
    url = reverse("safe_haven_venues:sticker", args=[venue.pk])
    return f"{url}?size={size}" if size else url


def download(client, user, venue, size=None):
    client.force_login(user)
    return client.get(sticker_url(venue, size))


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def decode_qr(content: bytes, tmp_path) -> str:
    """Render the page as a printer would (150 dpi, greyscale) and read the QR code back."""
    (tmp_path / "sticker.pdf").write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", "150", "-singlefile", tmp_path / "sticker.pdf",
                    tmp_path / "sticker"], check=True, capture_output=True)  # fmt: skip
    found = subprocess.run(["zbarimg", "--raw", "-q", tmp_path / "sticker.png"], capture_output=True, text=True)
    return found.stdout.strip()


@pytest.mark.parametrize(("size", "width_mm", "height_mm"), [("a5", 148, 210), ("a6", 105, 148)])
def test_sticker_has_the_scheme_venue_short_url_and_a_qr_code_to_the_status_page(
    client, partner, venue, tmp_path, size, width_mm, height_mm
):
    response = download(client, coordinator_of(partner), venue, size)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="safe-haven-sticker-{venue.slug}-{size}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]

    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert round(float(page.mediabox.width) / MM) == width_mm
    assert round(float(page.mediabox.height) / MM) == height_mm

    text = pdf_text(response.content)
    assert "Safe Haven" in text
    assert "Come in if you feel unsafe, lost or unwell" in text
    assert "Heathway Books" in text
    assert "Stickerborough" in text
    assert f"sticker.localhost/safe-havens/check/{venue.sticker_code}" in text
    assert "In an emergency call 999" in text
    assert "Asha" not in text  # the holder is never on the sticker

    expected = f"{site_root_url(partner.site)}/safe-havens/check/{venue.sticker_code}/"
    assert expected == f"http://sticker.localhost/safe-havens/check/{venue.sticker_code}/"
    assert decode_qr(response.content, tmp_path) == expected


def test_without_a_size_a_page_offers_both(client, partner, venue, tmp_path):
    client.force_login(coordinator_of(partner))
    for url in (sticker_url(venue), sticker_url(venue, "poster")):
        page = client.get(url)
        assert page.status_code == 200
        assert "Window sticker for Heathway Books" in page.text
        assert "A5 (148 × 210 mm)" in page.text and "A6 (105 × 148 mm)" in page.text
    response = client.post(sticker_url(venue), {"size": "a6"})
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert round(float(page.mediabox.width) / MM) == 105


def test_download_is_logged_with_who_and_the_size(client, partner, venue):
    user = coordinator_of(partner)
    download(client, user, venue, "a6")
    entry = ModelLogEntry.objects.get(action="certificates.sticker_downloaded")
    assert entry.user_id == user.pk
    assert entry.object_id == str(venue.pk)
    assert entry.data == {"size": "a6"}
    history = client.get(reverse("safe_haven_venues:history", args=[venue.pk]))
    assert history.status_code == 200
    assert "Window sticker downloaded" in history.text


def test_another_partners_coordinator_gets_not_found(client, partner, venue):
    elsewhere = PartnerFactory(name="Elsewhere", host="elsewhere.localhost")
    response = download(client, coordinator_of(elsewhere), venue)
    assert response.status_code == 404
    assert not ModelLogEntry.objects.filter(action="certificates.sticker_downloaded").exists()


def test_listing_and_edit_page_offer_the_sticker_in_both_sizes(client, partner, venue):
    client.force_login(coordinator_of(partner))
    listing = client.get(reverse("safe_haven_venues:index"))
    edit = client.get(reverse("safe_haven_venues:edit", args=[venue.pk]))
    for page in (listing, edit):
        assert page.status_code == 200
        assert "Download sticker (A5)" in page.text
        assert "Download sticker (A6)" in page.text
        assert sticker_url(venue, "a6") in page.text
