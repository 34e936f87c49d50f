"""Absolute links leave the request: they use the scheme and port people use to reach the site."""

import os
import shutil
import subprocess
import tempfile

import pytest
from django.core import mail

from certificates.pdf import render_certificate_pdf
from tests.factories import PartnerFactory, certify

from .test_issue import issue

ZBARIMG, PDFTOPPM = shutil.which("zbarimg"), shutil.which("pdftoppm")


def decoded_qr_codes(pdf: bytes) -> list[str]:
    """Render the PDF to PNG (poppler) and read every QR code on it (zbar), as a phone would."""
    if not (ZBARIMG and PDFTOPPM):
        if os.environ.get("CI") == "true":
            pytest.fail("zbarimg and pdftoppm are needed; CI installs zbar-tools and poppler-utils.")
        pytest.skip("zbarimg or pdftoppm not found (apt-get install zbar-tools poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "certificate.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        subprocess.run([PDFTOPPM, "-png", "-r", "150", path, os.path.join(folder, "page")], check=True)
        pages = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".png"))
        found = subprocess.run([ZBARIMG, "--quiet", "--raw", *pages], capture_output=True, text=True, check=False)
    return found.stdout.split()


@pytest.mark.django_db
def test_the_certificate_qr_code_opens_the_https_verification_page_in_production(settings):
    settings.PUBLIC_URL_SCHEME = "https"  # as config.settings.production sets it
    partner = PartnerFactory(host="safehavens.tunbridgewells.example")
    certificate = certify(partner)
    codes = decoded_qr_codes(render_certificate_pdf(certificate))
    assert codes == [f"https://safehavens.tunbridgewells.example/certificates/verify/{certificate.display_code}/"]


@pytest.mark.django_db
def test_emails_link_to_the_port_make_run_serves_on(settings, barking, django_capture_on_commit_callbacks):
    settings.PUBLIC_URL_PORT = 8765  # make run PORT=8765
    with django_capture_on_commit_callbacks(execute=True):
        issue(barking)
    body = mail.outbox[-1].body
    assert "http://localhost:8765/certificates/verify/" in body
    assert "http://localhost/certificates" not in body and ":8000" not in body
