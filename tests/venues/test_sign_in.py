"""Signing in by emailed link: single use, 30 minutes, hashed, and no hint whether an email is known."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from venues.models import SignInLink

from .conftest import HOST, LEAD, ask_for_link, link_token

pytestmark = pytest.mark.django_db


def main_text(response) -> str:
    """The page's main content, with the CSRF token (different on every page) taken out."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_sign_in_page_asks_for_an_email(client, partner):
    response = client.get("/venue/", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "Sign in to your Safe Haven venue account" in response.text
    assert 'name="email"' in response.text


def test_known_and_unknown_addresses_get_the_same_page(client, venue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask_for_link(client, email=LEAD)
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        unknown = ask_for_link(client, email="nobody@example.org")
    assert len(mail.outbox) == 1  # nothing sent to an address that leads no venue
    assert known.status_code == unknown.status_code == 200
    assert main_text(known) == main_text(unknown)
    assert "Check your email" in known.text
    assert known["Cache-Control"] == unknown["Cache-Control"] == "no-store"


def test_the_email_carries_a_link_on_the_partners_site(client, venue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client, email="  Asha.Patel@Example.org ")
    (message,) = mail.outbox
    assert message.to == [LEAD]
    assert f"http://{HOST}/venue/sign-in/" in message.body
    assert "30 minutes" in message.body


def test_a_contact_the_coordinator_added_can_sign_in(client, venue, django_capture_on_commit_callbacks):
    from venues.services import add_contact

    add_contact(venue=venue, email="Manager@Heathway.example", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client, email="manager@heathway.example")
    assert [m.to for m in mail.outbox] == [["manager@heathway.example"]]


def test_another_partners_lead_gets_no_link_here(client, venue, other_partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/venue/", {"email": LEAD}, HTTP_HOST="otherborough.localhost")
    assert response.status_code == 200 and "Check your email" in response.text
    assert mail.outbox == []


def test_a_revoked_or_expired_certificate_holder_gets_no_link(client, venue, django_capture_on_commit_callbacks):
    from certificates.models import Certificate

    Certificate.objects.filter(venue=venue).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client, email=LEAD)
    assert mail.outbox == []


def test_only_the_hash_of_the_token_is_stored(client, venue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client)
    token = link_token(mail.outbox[0])
    link = SignInLink.objects.get()
    assert token not in {link.token_hash, link.next_path, link.email}
    from bookings.models import hash_token

    assert link.token_hash == hash_token(token)


def test_get_does_not_spend_the_link_and_post_signs_in_once(client, venue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client)
    url = f"/venue/sign-in/{link_token(mail.outbox[0])}/"
    for _ in range(2):  # a mail scanner fetching the link first changes nothing
        page = client.get(url, HTTP_HOST=HOST)
        assert page.status_code == 200 and "Continue" in page.text
        assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "same-origin"
    first = client.post(url, HTTP_HOST=HOST)
    assert first.status_code == 302 and first["Location"] == "/venue/account/"
    assert client.get("/venue/account/", HTTP_HOST=HOST).status_code == 200

    other = client.__class__()
    second = other.post(url, HTTP_HOST=HOST)
    assert second.status_code == 410
    assert "This link has expired or was already used" in second.text
    assert 'href="/venue/"' in second.text
    assert other.get("/venue/account/", HTTP_HOST=HOST).status_code == 302


def test_the_link_expires_after_30_minutes(client, venue, django_capture_on_commit_callbacks):
    start = datetime.datetime(2027, 6, 7, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            ask_for_link(client)
        url = f"/venue/sign-in/{link_token(mail.outbox[0])}/"
        traveller.move_to(start + datetime.timedelta(minutes=30, seconds=1))
        assert client.get(url, HTTP_HOST=HOST).status_code == 410
        response = client.post(url, HTTP_HOST=HOST)
        assert response.status_code == 410
        assert client.get("/venue/account/", HTTP_HOST=HOST).status_code == 302
        traveller.move_to(start + datetime.timedelta(minutes=29))
        assert client.post(url, HTTP_HOST=HOST).status_code == 302  # within the 30 minutes it works


def test_signing_in_changes_the_session_key(client, venue, django_capture_on_commit_callbacks):
    client.get("/venue/", HTTP_HOST=HOST)
    client.session.save()
    before = client.session.session_key
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client)
    client.post(f"/venue/sign-in/{link_token(mail.outbox[0])}/", HTTP_HOST=HOST)
    assert client.session.session_key != before


def test_a_link_lands_on_its_next_path_and_never_off_the_account(client, venue, django_capture_on_commit_callbacks):
    for asked, lands in [(f"/venue/{venue.pk}/pledge/", f"/venue/{venue.pk}/pledge/"),
                         ("https://evil.example/venue/", "/venue/account/"),
                         ("//evil.example/venue/", "/venue/account/"),
                         ("/admin/", "/venue/account/")]:  # fmt: skip
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            ask_for_link(client, next_path=asked)
        response = client.__class__().post(f"/venue/sign-in/{link_token(mail.outbox[0])}/", HTTP_HOST=HOST)
        assert response["Location"] == lands


def test_sign_out(lead_client):
    response = lead_client.post("/venue/sign-out/", HTTP_HOST=HOST)
    assert "You have signed out" in response.text
    assert lead_client.get("/venue/account/", HTTP_HOST=HOST)["Location"] == "/venue/"


def test_a_session_from_another_partners_site_does_not_count_here(lead_client, other_partner):
    response = lead_client.get("/venue/account/", HTTP_HOST="otherborough.localhost")
    assert response.status_code == 302 and response["Location"] == "/venue/"


def test_the_sign_in_form_is_rate_limited(client, venue, settings, frozen_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "venue-sign-in": "3/m"}
    for _ in range(3):
        assert client.post("/venue/", {"email": "someone@example.org"}, HTTP_HOST=HOST).status_code == 200
    limited = client.post("/venue/", {"email": LEAD}, HTTP_HOST=HOST)
    assert limited.status_code == 429
    assert "Too many attempts" in limited.text


def test_a_bad_email_is_explained(client, partner):
    response = client.post("/venue/", {"email": "not an email"}, HTTP_HOST=HOST)
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in response.text
    assert "There is a problem" in response.text


def test_one_address_cannot_be_flooded_from_many_machines(client, venue, settings, frozen_window,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "venue-sign-in": "2/m"}
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            ok = client.post("/venue/", {"email": LEAD}, HTTP_HOST=HOST, REMOTE_ADDR=f"10.0.0.{n}")
            assert ok.status_code == 200
        limited = client.post("/venue/", {"email": LEAD.upper()}, HTTP_HOST=HOST, REMOTE_ADDR="10.0.0.9")
    assert limited.status_code == 429
    assert len(mail.outbox) == 2
    unknown = client.post("/venue/", {"email": "x@example.org"}, HTTP_HOST=HOST, REMOTE_ADDR="10.0.0.10")
    assert unknown.status_code == 200  # another address has its own count
