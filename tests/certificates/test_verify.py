import datetime

import pytest
from django.utils import timezone

from certificates.exceptions import AlreadyRevoked
from certificates.models import Certificate, normalise_code
from certificates.services import revoke_certificate
from tests.conftest import TW_HOST
from tests.factories import certify, coordinator_of

pytestmark = pytest.mark.django_db


def verify(client, code, host="localhost"):
    return client.get(f"/certificates/verify/{code}/", HTTP_HOST=host)


def test_verification_shows_status_course_dates_venue_and_initials_only(barking, client):
    certificate = certify(barking, holder_name="Asha Kaur Patel", holder_email="asha.patel@example.org")
    response = verify(client, certificate.display_code)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.text
    assert "This certificate is valid" in html
    assert "A.K.P." in html
    assert "Safe Haven training (90 minutes)" in html
    assert "Heathway Books" in html
    assert certificate.issued_on.strftime("%-d %B %Y") in html
    assert certificate.expires_on.strftime("%-d %B %Y") in html
    for secret in ("Asha", "Patel", "asha.patel@example.org", "example.org"):
        assert secret not in html


def test_code_is_accepted_without_dashes_and_in_lower_case(barking, client):
    certificate = certify(barking)
    assert verify(client, certificate.code.lower()).status_code == 200
    assert verify(client, certificate.display_code.lower()).status_code == 200
    assert normalise_code("abcd-efgh-jk") == "ABCDEFGHJK"
    assert normalise_code("o0il") == "0011"


def test_unknown_code_and_another_partners_code_are_not_found(barking, tunbridge_wells, client):
    certificate = certify(barking)
    assert verify(client, "ABCD-EFGH-JK").status_code == 404
    assert verify(client, certificate.display_code, host=TW_HOST).status_code == 404


def test_revoked_certificate_shows_as_revoked_with_its_reason(barking, client):
    certificate = certify(barking)
    staff = coordinator_of(barking)
    revoke_certificate(certificate=certificate, reason="Issued to the wrong venue", actor=staff)
    html = verify(client, certificate.display_code).text
    assert "This certificate has been revoked" in html
    assert "Issued to the wrong venue" in html
    assert "This certificate is valid" not in html
    with pytest.raises(AlreadyRevoked):
        revoke_certificate(certificate=certificate, reason="again", actor=staff)


def test_certificate_past_its_date_reads_expired_before_cron_runs(barking, client):
    certificate = certify(barking)
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    html = verify(client, certificate.display_code).text
    assert "This certificate has expired" in html
    assert "This certificate is valid" not in html
