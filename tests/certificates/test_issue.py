import datetime
import io
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from pypdf import PdfReader

from certificates.models import Certificate, Venue
from certificates.services import add_months, issue_certificate
from certificates.views import certificate_pdf_response
from tests.factories import PartnerFactory, safe_haven_course

pytestmark = pytest.mark.django_db


def issue(partner, *, key="booking:1", organisation="Heathway Books", postcode="RM10 8RB", **kwargs):
    return issue_certificate(
        partner=partner,
        course_page=safe_haven_course(partner),
        holder_name=kwargs.pop("holder_name", "Asha Patel"),
        holder_email=kwargs.pop("holder_email", "asha.patel@example.org"),
        organisation=organisation,
        postcode=postcode,
        venue_type=kwargs.pop("venue_type", "shop"),
        completion_key=key,
        **kwargs,
    )


def test_completion_issues_one_certificate_emailed_as_a_pdf(
    barking, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = issue(barking, key="booking:101")

    assert Certificate.objects.filter(completion_key="booking:101").count() == 1
    assert len(certificate.code) == 10 and certificate.code != str(certificate.pk)
    assert certificate.expires_on == add_months(timezone.localdate(), 12)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["asha.patel@example.org"]
    assert certificate.display_code in email.body
    assert f"http://localhost/certificates/verify/{certificate.display_code}/" in email.body
    (filename, content, mimetype) = email.attachments[0]
    assert mimetype == "application/pdf"
    assert filename == f"safe-haven-certificate-{certificate.display_code}.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Asha Patel" in text
    assert "Safe Haven training (90 minutes)" in text
    assert certificate.display_code in text
    assert "Heathway Books" in text
    assert "Barking and Dagenham" in text

    page = client.get(f"/certificates/verify/{certificate.display_code}/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert "This certificate is valid" in page.text


def test_saving_attendance_twice_gives_one_certificate_and_one_email(
    barking, mailoutbox, django_capture_on_commit_callbacks
):
    seeded = Certificate.objects.count()  # the demo's Safe Havens hold certificates too
    with django_capture_on_commit_callbacks(execute=True):
        first = issue(barking, key="booking:7")
    with django_capture_on_commit_callbacks(execute=True):
        second = issue(barking, key="booking:7", holder_name="Someone Else")
    assert first.pk == second.pk
    assert Certificate.objects.count() == seeded + 1
    assert len(mailoutbox) == 1


def test_pdf_prints_names_outside_latin_1(barking):
    certificate = issue(barking, holder_name="Zoë Łukasiewicz")
    response = certificate_pdf_response(certificate)
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Zoë Łukasiewicz" in text


def test_completions_from_the_same_venue_share_it_by_name_and_postcode(barking):
    first = issue(barking, key="booking:1", organisation="Heathway Books Ltd", postcode="rm108rb")
    second = issue(barking, key="booking:2", organisation="heathway books", postcode="RM10 8RB")
    third = issue(barking, key="booking:3", organisation="Heathway Books", postcode="RM10 8QS")
    assert first.venue_id == second.venue_id
    assert third.venue_id != first.venue_id
    assert first.venue.postcode == "RM10 8RB"


def test_new_venue_is_unlisted_without_pledge_until_agreed(barking, client):
    # A venue the demo has not already accredited (the demo lists Heathway Books).
    new_venue = {"organisation": "Gascoigne Bakery", "postcode": "IG11 7AA"}
    certificate = issue(barking, **new_venue)
    venue = Venue.objects.get(pk=certificate.venue_id)
    assert not venue.agreed_to_pledge and not venue.agreed_to_be_listed
    assert venue.accredited_until == certificate.expires_on
    assert not venue.is_accredited()
    assert venue.sticker_pack == Venue.StickerPack.NOT_DUE
    assert "Gascoigne Bakery" not in client.get("/safe-havens/", HTTP_HOST="localhost").text

    issue(barking, key="booking:2", agreed_to_pledge=True, agreed_to_be_listed=True, **new_venue)
    venue.refresh_from_db()
    assert venue.is_accredited()
    assert venue.sticker_pack == Venue.StickerPack.TO_SEND
    assert "Gascoigne Bakery" in client.get("/safe-havens/", HTTP_HOST="localhost").text


def test_expiry_follows_the_partner_setting(db):
    partner = PartnerFactory()
    partner.certificate_validity_months = 24
    partner.save()
    certificate = issue(partner)
    assert certificate.expires_on == add_months(certificate.issued_on, 24)
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_completion", [True, False])
def test_concurrent_completion_gives_one_certificate(same_completion):
    """Eight trainers save attendance for one booking at once: one certificate. Control: eight bookings, eight."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    partner = PartnerFactory()
    course = safe_haven_course(partner)
    barrier = threading.Barrier(8)
    errors = []

    def complete(n):
        try:
            barrier.wait(timeout=10)
            issue_certificate(
                partner=partner,
                course_page=course,
                holder_name="Asha Patel",
                holder_email="asha.patel@example.org",
                organisation="Heathway Books",
                postcode="RM10 8RB",
                venue_type="shop",
                completion_key="booking:55" if same_completion else f"booking:{n}",
                notify=False,
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Certificate.objects.count() == (1 if same_completion else 8)
    assert Venue.objects.count() == 1
