import datetime

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates.models import Certificate, Venue
from tests.factories import UserFactory, certify, coordinator_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, barking):
    user = coordinator_of(barking)
    client.force_login(user)
    client.user = user
    return client


def url(name, *args):
    return reverse(f"safe_haven_{name}", args=args)


def test_coordinator_sees_only_their_partners_venues_and_certificates(staff_client, barking, tunbridge_wells):
    venues = staff_client.get(url("venues:index"))
    assert venues.status_code == 200
    assert "Heathway Books" in venues.text
    assert "The Amelia Scott" not in venues.text
    certificates = staff_client.get(url("certificates:index"))
    assert certificates.status_code == 200
    assert Certificate.objects.filter(partner=barking).first().holder_name in certificates.text
    # Demo holders' names repeat between partners, so give the other partner a name of its own.
    other = certify(
        tunbridge_wells, organisation="Pantiles Deli", postcode="TN2 5TN", holder_name="Wilhelmina Ostrowska"
    )
    assert other.holder_name not in staff_client.get(url("certificates:index")).text


def test_another_partners_objects_are_not_found(staff_client, tunbridge_wells):
    venue = Venue.objects.filter(partner=tunbridge_wells).first()
    certificate = Certificate.objects.filter(partner=tunbridge_wells).first()
    for name, pk in [
        ("venues:edit", venue.pk),
        ("venues:inspect", venue.pk),
        ("venues:history", venue.pk),
        ("venues:suspend", venue.pk),
        ("venues:merge", venue.pk),
        ("venues:sticker_pack", venue.pk),
        ("certificates:inspect", certificate.pk),
        ("certificates:revoke", certificate.pk),
        ("certificates:resend", certificate.pk),
    ]:
        assert staff_client.get(url(name, pk)).status_code == 404, name
    assert staff_client.post(url("certificates:revoke", certificate.pk), {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_people_without_a_partner_cannot_manage_venues(client, barking):
    client.force_login(UserFactory())
    venue = Venue.objects.filter(partner=barking).first()
    assert client.get(url("venues:index")).status_code in (302, 403)
    assert client.post(url("venues:suspend", venue.pk), {"reason": "x"}).status_code in (302, 403)
    venue.refresh_from_db()
    assert not venue.suspended


def test_suspend_and_unsuspend_are_logged(staff_client, barking):
    venue = Venue.objects.get(partner=barking, name="Heathway Books")
    response = staff_client.post(url("venues:suspend", venue.pk), {"reason": "Complaint under review"})
    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.suspended and venue.suspended_reason == "Complaint under review"
    entry = ModelLogEntry.objects.filter(action="certificates.venue_suspend", object_id=str(venue.pk)).get()
    assert entry.user == staff_client.user
    staff_client.post(url("venues:unsuspend", venue.pk))
    venue.refresh_from_db()
    assert not venue.suspended
    assert ModelLogEntry.objects.filter(action="certificates.venue_unsuspend", object_id=str(venue.pk)).exists()


def test_revoke_and_resend_from_the_admin(staff_client, barking, mailoutbox, django_capture_on_commit_callbacks):
    certificate = Certificate.objects.filter(partner=barking, status="valid").first()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url("certificates:resend", certificate.pk))
    assert mailoutbox[0].to == [certificate.holder_email]
    assert mailoutbox[0].attachments[0][2] == "application/pdf"
    assert staff_client.get(url("certificates:revoke", certificate.pk)).status_code == 200
    staff_client.post(url("certificates:revoke", certificate.pk), {"reason": "Issued in error"})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert ModelLogEntry.objects.filter(action="certificates.revoke", object_id=str(certificate.pk)).exists()


def test_merging_a_duplicate_moves_its_certificates_and_matches_its_spelling_later(staff_client, barking):
    keep = Venue.objects.get(partner=barking, name="Heathway Books")
    duplicate = certify(barking, organisation="Heathway Bookshop", postcode="RM10 8RB", listed=False).venue
    response = staff_client.post(url("venues:merge", keep.pk), {"duplicate": duplicate.pk})
    assert response.status_code == 302
    assert Certificate.objects.filter(venue=keep).count() == 2
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == keep.pk
    later = certify(barking, organisation="Heathway Bookshop", postcode="RM10 8RB")
    assert later.venue.pk == keep.pk


def test_sticker_pack_sent_and_venue_edit(staff_client, barking, tunbridge_wells):
    venue = Venue.objects.filter(partner=barking, sticker_pack=Venue.StickerPack.TO_SEND).first()
    staff_client.post(url("venues:sticker_pack", venue.pk), {"sent_on": "2026-05-04"})
    venue.refresh_from_db()
    assert venue.sticker_pack == Venue.StickerPack.SENT
    assert venue.sticker_pack_sent_on == datetime.date(2026, 5, 4)

    edit = staff_client.get(url("venues:edit", venue.pk))
    assert edit.status_code == 200
    assert "Tunbridge Wells Town Centre" not in edit.text  # areas are the venue partner's only
    assert "Help offered" in edit.text
