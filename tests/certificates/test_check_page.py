"""`/safe-havens/check/<code>/`, the page a window sticker's QR code opens: 200 in every state,
never a person's name, and it follows the date (and the expiry command) without waiting on a cache."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.utils.html import strip_tags

from certificates.models import Venue
from certificates.services import expire_accreditations, merge_venues, revoke_certificate, suspend_venue
from tests.conftest import MONDAY_MORNING
from tests.factories import PartnerFactory, certify, coordinator_of

pytestmark = pytest.mark.django_db

HOLDER = "Asha Patel"
# Barking town centre, and places at known distances from it.
HERE = (Decimal("51.53900"), Decimal("0.08100"))


@pytest.fixture
def partner(clock):
    return PartnerFactory(name="Checkborough", host="check.localhost")


@pytest.fixture
def other_partner(clock):
    return PartnerFactory(name="Elsewhere", host="elsewhere.localhost")


def shop(partner, name="Heathway Books", *, latitude=HERE[0], longitude=HERE[1], **kwargs):
    kwargs.setdefault("holder_name", HOLDER)
    return certify(partner, organisation=name, latitude=latitude, longitude=longitude, **kwargs).venue


def check(client, partner, code):
    return client.get(f"/safe-havens/check/{code}/", HTTP_HOST=partner.site.hostname)


def text_of(response) -> str:
    """The page as a person reads it: tags dropped, white space collapsed."""
    main = response.text.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", html.unescape(strip_tags(main)))


def assert_no_person(response):
    for secret in ("Asha", "Patel", "asha.patel@example.org"):
        assert secret not in response.text


def test_accredited_venue_is_a_safe_haven_until_its_date_with_help_and_open_now(client, partner):
    venue = shop(partner)
    response = check(client, partner, venue.sticker_code)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    text = text_of(response)
    until = venue.safe_haven_until()
    assert f"Heathway Books is a Safe Haven until {until:%A} {until.day} {until:%B %Y}" in text
    assert "Open now" in text  # Monday 10am, open 9 to 5
    assert "Let people in" in text and "A safe, calm space" in text
    assert f'href="/safe-havens/{venue.slug}/"' in response.text
    assert "tel:999" not in response.text
    assert_no_person(response)


def test_closed_now_and_hours_not_known(client, partner, clock):
    venue = shop(partner)
    unknown = shop(partner, "No Hours Cafe", hours=None)
    clock.move_to(MONDAY_MORNING.replace(hour=22))
    assert "Closed now" in text_of(check(client, partner, venue.sticker_code))
    assert "Opening hours not known" in text_of(check(client, partner, unknown.sticker_code))


def test_code_is_accepted_in_lower_case_and_with_dashes(client, partner):
    venue = shop(partner)
    code = venue.sticker_code
    assert check(client, partner, code.lower()).status_code == 200
    assert check(client, partner, f"{code[:4]}-{code[4:8]}-{code[8:]}").status_code == 200


def test_lapses_after_expiry_and_the_expiry_command(client, partner, clock):
    venue = shop(partner)
    expires = venue.accredited_until
    clock.move_to(datetime.datetime.combine(expires, datetime.time(10), tzinfo=MONDAY_MORNING.tzinfo))
    assert "Heathway Books is a Safe Haven until" in text_of(check(client, partner, venue.sticker_code))

    day_after = expires + datetime.timedelta(days=1)
    clock.move_to(datetime.datetime.combine(day_after, datetime.time(10), tzinfo=MONDAY_MORNING.tzinfo))
    expire_accreditations(today=day_after)
    response = check(client, partner, venue.sticker_code)
    assert response.status_code == 200
    text = text_of(response)
    assert "Heathway Books is no longer a Safe Haven" in text
    assert f"since {day_after:%A} {day_after.day} {day_after:%B %Y}" in text
    assert "is a Safe Haven until" not in text
    assert "In an emergency call 999. If it is not an emergency call 101." in text
    assert 'href="tel:999"' in response.text and 'href="tel:101"' in response.text
    assert_no_person(response)


def test_lapses_when_its_certificates_expire_though_renewal_is_later(client, partner, clock):
    """Renewed this year, but nobody has re-trained: the certificates' expiry still ends it."""
    venue = shop(partner)
    expires = venue.accredited_until
    Venue.objects.filter(pk=venue.pk).update(renewal_due_on=expires + datetime.timedelta(days=200))
    day_after = expires + datetime.timedelta(days=1)
    clock.move_to(datetime.datetime.combine(day_after, datetime.time(10), tzinfo=MONDAY_MORNING.tzinfo))
    before_cron = text_of(check(client, partner, venue.sticker_code))
    expire_accreditations(today=day_after)
    assert Venue.objects.get(pk=venue.pk).accredited_until is None
    after_cron = text_of(check(client, partner, venue.sticker_code))
    for text in (before_cron, after_cron):
        assert "Heathway Books is no longer a Safe Haven" in text
        assert f"since {day_after:%A} {day_after.day} {day_after:%B %Y}" in text
        assert "not a Safe Haven yet" not in text


def test_venue_whose_only_certificate_was_revoked_is_no_longer_a_safe_haven(client, partner, clock):
    certificate = certify(partner, organisation="Heathway Books", latitude=HERE[0], longitude=HERE[1])
    clock.move_to(MONDAY_MORNING + datetime.timedelta(days=3))
    revoke_certificate(certificate=certificate, reason="Wrong venue", actor=coordinator_of(partner))
    text = text_of(check(client, partner, certificate.venue.sticker_code))
    assert "Heathway Books is no longer a Safe Haven" in text
    assert "since Thursday 10 June 2027" in text
    assert "Wrong venue" not in text


def test_trained_but_never_pledged_with_an_expired_certificate_is_still_not_yet(client, partner, clock):
    venue = shop(partner, pledge=False)
    day_after = venue.certificates.get().expires_on + datetime.timedelta(days=1)
    clock.move_to(datetime.datetime.combine(day_after, datetime.time(10), tzinfo=MONDAY_MORNING.tzinfo))
    expire_accreditations(today=day_after)
    assert "Heathway Books is not a Safe Haven yet" in text_of(check(client, partner, venue.sticker_code))


def test_no_longer_lists_the_nearest_open_safe_havens_in_miles(client, partner, other_partner, clock):
    venue = shop(partner)
    suspend_venue(venue=venue, reason="Complaint", actor=coordinator_of(partner))
    # About 0.5 and 1.2 miles north of it; one further but closed tonight; one unlisted; one elsewhere.
    shop(partner, "Near Cafe", postcode="RM10 8AA", latitude=Decimal("51.54624"), longitude=HERE[1])
    shop(partner, "Far Library", postcode="RM10 8AB", latitude=Decimal("51.55637"), longitude=HERE[1])
    shop(partner, "Next Door Shop", postcode="RM10 8AE", latitude=Decimal("51.53910"), longitude=HERE[1])
    shop(partner, "Closed Bakery", postcode="RM10 8AC", latitude=Decimal("51.54000"), longitude=HERE[1],
         hours=((0,), "18:00", "20:00"))  # fmt: skip
    shop(partner, "Unlisted Pub", postcode="RM10 8AD", latitude=Decimal("51.53950"), longitude=HERE[1], listed=False)
    shop(other_partner, "Other Council Shop", latitude=Decimal("51.53910"), longitude=HERE[1])

    response = check(client, partner, venue.sticker_code)
    text = text_of(response)
    assert response.status_code == 200
    assert "Heathway Books is no longer a Safe Haven" in text
    assert "Complaint" not in text  # never the reason
    # The same wording as the register and "near me": miles, then minutes on foot.
    assert "Near Cafe 0.5 miles away, about 11 minutes' walk" in text
    assert "Far Library 1.2 miles away, about 25 minutes' walk" in text
    assert "Next Door Shop Less than 0.1 miles away, about 1 minute's walk" in text
    assert text.index("Next Door Shop") < text.index("Near Cafe") < text.index("Far Library")
    for absent in ("Closed Bakery", "Unlisted Pub", "Other Council Shop"):
        assert absent not in text


def test_no_longer_with_none_open_says_so(client, partner, clock):
    venue = shop(partner)
    shop(partner, "Day Cafe", postcode="RM10 8AA", latitude=Decimal("51.54624"), longitude=HERE[1])
    Venue.objects.filter(pk=venue.pk).update(renewal_due_on=datetime.date(2027, 6, 1))
    clock.move_to(MONDAY_MORNING.replace(hour=23))
    text = text_of(check(client, partner, venue.sticker_code))
    assert "Heathway Books is no longer a Safe Haven" in text
    assert "since Wednesday 2 June 2027" in text  # the day after the renewal date passed
    assert "No Safe Haven near here is open now." in text
    assert "Day Cafe" not in text
    assert "Safe Havens near RM10 8RB, and when the next one opens" in text
    assert 'href="/safe-havens/near/?postcode=RM10%208RB"' in response_html(client, partner, venue)


def response_html(client, partner, venue):
    return check(client, partner, venue.sticker_code).text


def test_no_longer_without_a_known_location_lists_none_and_links_to_near(client, partner):
    venue = shop(partner, latitude=None, longitude=None)
    shop(partner, "Near Cafe", postcode="RM10 8AA", latitude=Decimal("51.54624"), longitude=HERE[1])
    Venue.objects.filter(pk=venue.pk).update(latitude=None, longitude=None, suspended=True)
    text = text_of(check(client, partner, venue.sticker_code))
    assert "Heathway Books is no longer a Safe Haven" in text
    assert "Near Cafe" not in text
    assert "No Safe Haven near here is open now." not in text  # it would not know
    assert "since" not in text  # suspended before the date was recorded
    assert "Safe Havens near RM10 8RB, and when the next one opens" in text


def test_suspended_venue_is_no_longer_a_safe_haven_since_the_suspension(client, partner):
    venue = shop(partner)
    suspend_venue(venue=venue, reason="Staff left", actor=coordinator_of(partner))
    response = check(client, partner, venue.sticker_code)
    assert response.status_code == 200
    text = text_of(response)
    assert "Heathway Books is no longer a Safe Haven" in text
    assert "since Monday 7 June 2027" in text
    assert "Staff left" not in text
    assert_no_person(response)


def test_withdrawn_venue_is_no_longer_a_safe_haven(client, partner):
    venue = shop(partner)
    Venue.objects.filter(pk=venue.pk).update(agreed_to_pledge=False, withdrawn_on=datetime.date(2027, 6, 1))
    response = check(client, partner, venue.sticker_code)
    assert response.status_code == 200
    text = text_of(response)
    assert "Heathway Books is no longer a Safe Haven" in text
    assert "since Tuesday 1 June 2027" in text
    assert 'href="tel:999"' in response.text


def test_renewal_overdue_is_no_longer_a_safe_haven(client, partner):
    venue = shop(partner)
    Venue.objects.filter(pk=venue.pk).update(renewal_due_on=datetime.date(2027, 6, 6))
    response = check(client, partner, venue.sticker_code)
    assert response.status_code == 200
    text = text_of(response)
    assert "Heathway Books is no longer a Safe Haven" in text
    assert "since Monday 7 June 2027" in text
    assert "is a Safe Haven until" not in text


def test_trained_venue_without_the_pledge_is_not_a_safe_haven_yet(client, partner):
    venue = shop(partner, pledge=False)
    response = check(client, partner, venue.sticker_code)
    assert response.status_code == 200
    text = text_of(response)
    assert "Heathway Books is not a Safe Haven yet" in text
    assert "no longer" not in text
    assert "In an emergency call 999. If it is not an emergency call 101." in text
    assert 'href="tel:999"' in response.text and 'href="tel:101"' in response.text
    assert_no_person(response)


def test_merged_duplicate_shows_the_survivors_status(client, partner):
    keep = shop(partner)
    duplicate = shop(partner, "Heathway Books Ltd Old Record", postcode="RM10 8AA", pledge=False)
    merge_venues(keep=keep, duplicate=duplicate, actor=coordinator_of(partner))
    text = text_of(check(client, partner, duplicate.sticker_code))
    assert "Heathway Books is a Safe Haven until" in text
    assert "Old Record" not in text


def test_unknown_code_is_the_branded_not_found_page_with_exit_this_page(client, partner):
    shop(partner)
    response = check(client, partner, "0000000000000")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Exit this page" in response.text


def test_another_partners_code_is_not_found(client, partner, other_partner):
    venue = shop(other_partner)
    assert check(client, other_partner, venue.sticker_code).status_code == 200
    response = check(client, partner, venue.sticker_code)
    assert response.status_code == 404
    assert "Heathway Books" not in response.text


def test_page_is_not_kept_in_the_public_cache_so_it_changes_at_midnight(client, partner, clock, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    venue = shop(partner)
    Venue.objects.filter(pk=venue.pk).update(renewal_due_on=datetime.date(2027, 6, 7))
    first = check(client, partner, venue.sticker_code)
    assert "Heathway Books is a Safe Haven until" in text_of(first)
    assert first["Cache-Control"] == "no-cache"
    clock.move_to(datetime.datetime(2027, 6, 8, 0, 1, tzinfo=MONDAY_MORNING.tzinfo))
    second = check(client, partner, venue.sticker_code)
    assert second.get("X-Page-Cache") != "hit"
    assert "Heathway Books is no longer a Safe Haven" in text_of(second)


def test_rate_limited_like_verification(client, partner, settings, frozen_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "2/m"}
    venue = shop(partner)
    assert check(client, partner, venue.sticker_code).status_code == 200
    assert check(client, partner, venue.sticker_code).status_code == 200
    assert check(client, partner, venue.sticker_code).status_code == 429


def test_today_is_the_partners_day_not_the_servers(client, partner, clock, settings):
    """At 00:30 London time in summer it is still the previous day in UTC."""
    settings.TIME_ZONE = "UTC"
    venue = shop(partner)
    Venue.objects.filter(pk=venue.pk).update(renewal_due_on=datetime.date(2027, 6, 7))
    clock.move_to(datetime.datetime(2027, 6, 8, 0, 30, tzinfo=MONDAY_MORNING.tzinfo))
    assert "Heathway Books is no longer a Safe Haven" in text_of(check(client, partner, venue.sticker_code))
