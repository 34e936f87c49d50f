"""The certificate is worth framing: A4 landscape, the partner's logo, the signatory, GOV.UK dates,
and a QR code that still opens the verification page when printed in greyscale."""

import io
import os
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from wagtail.images.tests.utils import get_test_image_file

from certificates.pdf import render_certificate_pdf, verification_url
from cms.models import BrandingSettings, CustomImage, Partner
from tests.factories import PartnerFactory, certify

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # PDF points per millimetre
PDFTOTEXT, PDFTOPPM, ZBARIMG = shutil.which("pdftotext"), shutil.which("pdftoppm"), shutil.which("zbarimg")


def require(*tools):
    if all(tools):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("pdftotext, pdftoppm and zbarimg are needed; CI installs poppler-utils and zbar-tools.")
    pytest.skip("poppler-utils or zbar-tools not installed")


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The words as a PDF reader copies them (poppler's pdftotext), whitespace collapsed."""
    require(PDFTOTEXT)
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    out = subprocess.run([PDFTOTEXT, tmp_path / "certificate.pdf", "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def qr_codes_in_greyscale(pdf: bytes, tmp_path) -> list[str]:
    """Print it as a black-and-white office printer would (150 dpi, greyscale), then scan it."""
    require(PDFTOPPM, ZBARIMG)
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-png", "-gray", "-r", "150", "-singlefile", tmp_path / "certificate.pdf",
                    tmp_path / "printed"], check=True, capture_output=True)  # fmt: skip
    found = subprocess.run([ZBARIMG, "--raw", "-q", tmp_path / "printed.png"], capture_output=True, text=True)
    return found.stdout.split()


@pytest.fixture
def partner(clock):
    partner = PartnerFactory(name="Framington", host="framington.localhost", organisation="Studio 3 Arts")
    Partner.objects.filter(pk=partner.pk).update(
        certificate_signatory_name="Jane Smith", certificate_signatory_role="Community Safety Manager"
    )
    partner.refresh_from_db()
    return partner


@pytest.fixture
def certificate(partner):
    return certify(partner, organisation="Heathway Books", holder_name="Zoë Łukasiewicz")


def test_the_certificate_is_a4_landscape(certificate):
    pages = PdfReader(io.BytesIO(render_certificate_pdf(certificate))).pages
    assert len(pages) == 1
    assert (round(float(pages[0].mediabox.width) / MM), round(float(pages[0].mediabox.height) / MM)) == (297, 210)


def test_it_names_the_holder_venue_course_partner_and_signatory_with_govuk_dates(certificate, tmp_path):
    text = pdf_text(render_certificate_pdf(certificate), tmp_path)

    assert "Certificate of completion" in text
    assert "Zoë Łukasiewicz" in text
    assert "for Heathway Books" in text
    assert certificate.course_page.title in text
    assert "Framington Safe Haven scheme" in text
    assert "Jane Smith" in text and "Community Safety Manager" in text
    assert "Delivered by Studio 3 Arts" in text
    # The clock fixture's Monday 7 June 2027; certificates last 12 months.
    assert "Completed on 7 June 2027" in text and "Valid until 7 June 2028" in text
    assert "2027-06-07" not in text and "07/06/2027" not in text
    assert certificate.display_code in text
    assert f"Check this certificate at {verification_url(certificate)}" in text


def test_without_a_signatory_it_says_who_awards_it_and_prints_no_signature_block(certificate, tmp_path):
    partner = certificate.partner
    Partner.objects.filter(pk=partner.pk).update(certificate_signatory_name="", certificate_signatory_role="")
    certificate.partner.refresh_from_db()

    text = pdf_text(render_certificate_pdf(certificate), tmp_path)

    assert "Awarded by Framington" in text
    assert "Jane Smith" not in text and "Community Safety Manager" not in text
    assert "Zoë Łukasiewicz" in text and "Valid until 7 June 2028" in text


def test_with_a_signatory_it_is_signed_not_just_awarded(certificate, tmp_path):
    text = pdf_text(render_certificate_pdf(certificate), tmp_path)
    assert "Awarded by" not in text
    assert text.index("Jane Smith") < text.index("Community Safety Manager")


def test_the_qr_code_opens_the_verification_page_when_printed_in_greyscale(certificate, tmp_path):
    url = verification_url(certificate)
    assert url == f"http://framington.localhost/certificates/verify/{certificate.display_code}/"
    assert qr_codes_in_greyscale(render_certificate_pdf(certificate), tmp_path) == [url]


def test_the_partners_logo_is_printed_when_its_branding_has_one(certificate, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    without = PdfReader(io.BytesIO(render_certificate_pdf(certificate))).pages[0]
    assert len(without.images) == 0  # the QR code and the emblem are drawn, not pictures

    branding = BrandingSettings.for_site(certificate.partner.site)
    branding.logo = CustomImage.objects.create(title="Framington logo", file=get_test_image_file())
    branding.save()

    page = PdfReader(io.BytesIO(render_certificate_pdf(certificate))).pages[0]
    assert len(page.images) == 1
    assert "Zoë Łukasiewicz" in page.extract_text()


def test_a_logo_whose_file_is_missing_does_not_stop_the_certificate(certificate, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    branding = BrandingSettings.for_site(certificate.partner.site)
    branding.logo = CustomImage.objects.create(title="Framington logo", file=get_test_image_file())
    branding.save()
    os.remove(branding.logo.file.path)

    page = PdfReader(io.BytesIO(render_certificate_pdf(certificate))).pages[0]
    assert len(page.images) == 0
    assert "Certificate of completion" in page.extract_text()


def test_both_demo_partners_sign_their_certificates(barking, tunbridge_wells, tmp_path):
    for partner, signatory in ((barking, "Adaeze Okonkwo"), (tunbridge_wells, "Robert Fairweather")):
        certificate = partner.certificates.order_by("pk").first()
        text = pdf_text(render_certificate_pdf(certificate), tmp_path)
        assert signatory in text and partner.certificate_signatory_role in text
        assert f"{partner.name} Safe Haven scheme" in text


def test_without_the_unicode_font_it_still_prints_in_helvetica(certificate, settings, tmp_path):
    settings.CERTIFICATE_FONT = str(tmp_path / "missing.ttf")
    text = pdf_text(render_certificate_pdf(certificate), tmp_path)
    assert "Certificate of completion" in text and "Jane Smith" in text
    assert "Zoë ?ukasiewicz" in text  # what Latin-1 cannot print is replaced, not an error
    assert "Completed on 7 June 2027 - Valid until 7 June 2028" in text
