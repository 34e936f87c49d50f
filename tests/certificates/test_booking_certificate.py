"""The attendee's certificate behind their private booking link: completion → PDF download and email."""

import io

import pytest
from pypdf import PdfReader

from bookings.attendance import record_attendance
from certificates.models import Certificate
from certificates.services import revoke_certificate
from tests.factories import PartnerFactory, attended_session, booked_with_link, coordinator_of

pytestmark = pytest.mark.django_db

HOST = "pdf.localhost"


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Gascoigne Borough", host=HOST)


@pytest.fixture
def completed(partner, django_capture_on_commit_callbacks):
    booking, token = booked_with_link(attended_session(partner), 1, name="Zoë Adeyemi", organisation="Gascoigne Café")
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(booking=booking, attended=True)
    return booking, token


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_holder_downloads_their_certificate_pdf(completed, client):
    booking, token = completed
    certificate = Certificate.objects.get(completion_key=f"booking:{booking.pk}")
    response = client.get(f"/bookings/{token}/certificate.pdf", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="safe-haven-certificate-{certificate.display_code}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Zoë Adeyemi" in text
    assert "Gascoigne Café" in text
    assert f"http://{HOST}/certificates/verify/{certificate.display_code}/" in text

    verify = client.get(f"/certificates/verify/{certificate.display_code}/", HTTP_HOST=HOST)
    assert verify.status_code == 200 and "This certificate is valid" in verify.text


def test_completion_emails_the_pdf_once(partner, mailoutbox, django_capture_on_commit_callbacks):
    booking, _ = booked_with_link(attended_session(partner), 2, name="Sam Osei")
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(booking=booking, attended=True)
    with django_capture_on_commit_callbacks(execute=True):
        record_attendance(booking=booking, attended=True, note="Saved again")
    [email] = [m for m in mailoutbox if m.subject.startswith("Your Safe Haven certificate")]
    assert email.to == ["attendee2@example.org"]
    certificate = Certificate.objects.get(completion_key=f"booking:{booking.pk}")
    (filename, content, mimetype) = email.attachments[0]
    assert mimetype == "application/pdf"
    assert "Sam Osei" in pdf_text(content)
    assert f"http://{HOST}/certificates/verify/{certificate.display_code}/" in email.body


def test_no_pdf_without_completion_for_another_token_or_once_revoked(partner, completed, client):
    booking, token = completed
    other, other_token = booked_with_link(attended_session(partner), 3)
    assert client.get(f"/bookings/{other_token}/certificate.pdf", HTTP_HOST=HOST).status_code == 404
    assert client.get("/bookings/not-a-real-token/certificate.pdf", HTTP_HOST=HOST).status_code == 404
    elsewhere = PartnerFactory(name="Elsewhere Borough", host="elsewhere-pdf.localhost")
    assert client.get(f"/bookings/{token}/certificate.pdf", HTTP_HOST=elsewhere.site.hostname).status_code == 404

    certificate = Certificate.objects.get(completion_key=f"booking:{booking.pk}")
    revoke_certificate(certificate=certificate, reason="Issued in error", actor=coordinator_of(partner))
    assert client.get(f"/bookings/{token}/certificate.pdf", HTTP_HOST=HOST).status_code == 404
    page = client.get(f"/bookings/{token}/", HTTP_HOST=HOST).text
    assert "Your certificate has been withdrawn" in page
    assert "Download your certificate" not in page
