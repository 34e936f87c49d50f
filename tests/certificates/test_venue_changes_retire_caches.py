"""Staff changes to a venue written with .update() (no save signal) still move the content
version, so cached public pages and the pre-built GeoJSON show them."""

import datetime

import pytest

from certificates.services import record_sticker_pack_sent, suspend_venue, unsuspend_venue
from cms.content_version import content_version
from tests.factories import certify

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        lambda venue: suspend_venue(venue=venue, reason="Complaint", actor=None),
        lambda venue: unsuspend_venue(venue=venue, actor=None),
        lambda venue: record_sticker_pack_sent(venue=venue, sent_on=datetime.date(2027, 5, 1), actor=None),
    ],
    ids=["suspend", "unsuspend", "sticker pack sent"],
)
def test_each_change_moves_the_content_version(barking, django_capture_on_commit_callbacks, change):
    venue = certify(barking, organisation="Parsloes Park Café", postcode="RM10 8RB").venue
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        change(venue)
    assert content_version() != before
