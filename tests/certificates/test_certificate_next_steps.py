"""The certificate email says what happens next, from the venue's state: what is still needed
before it is listed, and where its sticker pack is."""

import datetime

import pytest
import time_machine

from certificates.models import Venue
from certificates.services import issue_certificate, record_sticker_pack_sent, suspend_venue
from tests.factories import safe_haven_course

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2027, 5, 11, 15, 0, tzinfo=datetime.UTC)


def certify(partner, mailoutbox, callbacks, *, key, **consents):
    with callbacks(execute=True):
        certificate = issue_certificate(
            partner=partner,
            course_page=safe_haven_course(partner),
            holder_name="Asha Patel",
            holder_email="asha.patel@example.org",
            organisation="Parsloes Park Café",
            postcode="RM10 8RB",
            venue_type="shop",
            completion_key=key,
            **consents,
        )
    [email] = [m for m in mailoutbox if m.subject.startswith("Your Safe Haven certificate")]
    return certificate, email.body


@time_machine.travel(DAY, tick=False)
def test_a_new_venue_is_told_the_pledge_and_listing_are_still_needed(
    barking, mailoutbox, django_capture_on_commit_callbacks
):
    _, body = certify(barking, mailoutbox, django_capture_on_commit_callbacks, key="booking:1")

    assert "Parsloes Park Café is not a Safe Haven yet" in body
    assert "agree to the Safe Haven pledge and to the venue being listed" in body
    assert "http://localhost/venue/" in body
    assert "Once it is listed we will post your window sticker pack." in body
    assert "listed in the public register:" not in body


@time_machine.travel(DAY, tick=False)
def test_an_accredited_listed_venue_is_told_where_it_is_listed_and_about_its_sticker_pack(
    barking, mailoutbox, django_capture_on_commit_callbacks
):
    first, _ = certify(barking, mailoutbox, django_capture_on_commit_callbacks, key="booking:1",
                       agreed_to_pledge=True, agreed_to_be_listed=True)  # fmt: skip
    venue = Venue.objects.get(pk=first.venue_id)
    record_sticker_pack_sent(venue=venue, sent_on=datetime.date(2027, 5, 10), actor=None)
    mailoutbox.clear()

    _, body = certify(barking, mailoutbox, django_capture_on_commit_callbacks, key="booking:2")

    assert (
        f"Parsloes Park Café is a Safe Haven and listed in the public register: http://localhost/safe-havens/{venue.slug}/"
        in body
    )
    assert "Your sticker pack was posted on 10 May 2027." in body
    assert "not a Safe Haven yet" not in body


@time_machine.travel(DAY, tick=False)
def test_a_suspended_venue_is_told_to_talk_to_the_council(barking, mailoutbox, django_capture_on_commit_callbacks):
    first, _ = certify(barking, mailoutbox, django_capture_on_commit_callbacks, key="booking:1",
                       agreed_to_pledge=True, agreed_to_be_listed=True)  # fmt: skip
    suspend_venue(venue=Venue.objects.get(pk=first.venue_id), reason="Complaint", actor=None)
    mailoutbox.clear()

    _, body = certify(barking, mailoutbox, django_capture_on_commit_callbacks, key="booking:2")

    assert "Parsloes Park Café is suspended from the Safe Haven scheme" in body
    assert "Complaint" not in body
