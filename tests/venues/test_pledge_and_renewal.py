"""Pledge and listing without staff, withdrawal, and the yearly renewal with its two reminders."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from certificates.models import Venue
from certificates.services import renewal_date_from
from tests.factories import certify
from venues.services import send_renewal_reminders

from .conftest import HOST, LEAD, link_token

pytestmark = pytest.mark.django_db


def register_text(client):
    return client.get("/safe-havens/", HTTP_HOST=HOST).text


@pytest.fixture
def unagreed(partner, django_capture_on_commit_callbacks):
    """A first certificate for a venue that has not agreed to the pledge or to be listed."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certify(partner, holder_email=LEAD, pledge=False, listed=False)
    return certificate


def test_first_certificate_brings_one_pledge_invitation(unagreed, partner, django_capture_on_commit_callbacks):
    (message,) = mail.outbox
    assert message.to == [LEAD]
    assert "one step to become a Safe Haven" in message.subject
    assert "We will let in anyone who feels unsafe" in message.body  # the partner's pledge text
    assert f"http://{HOST}/venue/sign-in/" in message.body
    assert f"/venue/?next=/venue/{unagreed.venue_id}/pledge/" in message.body
    # A second certificate for the same venue does not invite again.
    with django_capture_on_commit_callbacks(execute=True):
        certify(partner, holder_email="colleague@example.org", pledge=False, listed=False)
    assert len(mail.outbox) == 1


def test_no_invitation_when_the_venue_already_agreed(partner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certify(partner, holder_email=LEAD)
    assert mail.outbox == []


def test_pledge_link_accredits_and_lists_the_venue(client, unagreed):
    assert "Heathway Books" not in register_text(client)
    token = link_token(mail.outbox[0])
    landed = client.post(f"/venue/sign-in/{token}/", HTTP_HOST=HOST)
    pledge_path = f"/venue/{unagreed.venue_id}/pledge/"
    assert landed["Location"] == pledge_path
    page = client.get(pledge_path, HTTP_HOST=HOST)
    assert "<li>We will offer a safe, calm place to wait.</li>" in page.text

    refused = client.post(pledge_path, {"listed": "on"}, HTTP_HOST=HOST)
    assert refused.status_code == 400 and "Tick the box to agree to the pledge" in refused.text
    assert "Heathway Books" not in register_text(client)

    done = client.post(pledge_path, {"agree": "on", "listed": "on"}, HTTP_HOST=HOST)
    assert done.status_code == 302
    venue = Venue.objects.get(pk=unagreed.venue_id)
    assert venue.agreed_to_pledge and venue.agreed_to_be_listed
    assert venue.pledge_agreed_on == datetime.date(2027, 6, 7)
    assert venue.renewal_due_on == datetime.date(2028, 6, 7)
    assert "Heathway Books" in register_text(client)
    assert "Safe Haven until" in client.get("/venue/account/", HTTP_HOST=HOST).text
    entry = ModelLogEntry.objects.filter(action="venues.pledge_agreed").get()
    assert entry.data == {"by": LEAD, "listed": True}


def test_agreeing_without_listing_accredits_but_does_not_list(client, unagreed):
    client.post(f"/venue/sign-in/{link_token(mail.outbox[0])}/", HTTP_HOST=HOST)
    client.post(f"/venue/{unagreed.venue_id}/pledge/", {"agree": "on"}, HTTP_HOST=HOST)
    venue = Venue.objects.get(pk=unagreed.venue_id)
    assert venue.is_accredited(datetime.date(2027, 6, 7)) and not venue.agreed_to_be_listed
    assert "Heathway Books" not in register_text(client)


def test_withdrawing_asks_to_confirm_then_unlists(lead_client, venue):
    url = f"/venue/{venue.pk}/withdraw/"
    assert "Leave the Safe Haven scheme" in lead_client.get(url, HTTP_HOST=HOST).text
    assert lead_client.post(url, {}, HTTP_HOST=HOST).status_code == 400
    assert "Heathway Books" in register_text(lead_client)
    lead_client.post(url, {"confirm": "on"}, HTTP_HOST=HOST)
    venue.refresh_from_db()
    assert not venue.agreed_to_pledge and not venue.agreed_to_be_listed
    assert venue.withdrawn_on == datetime.date(2027, 6, 7)
    assert "Heathway Books" not in register_text(lead_client)
    assert "Not yet a Safe Haven" in lead_client.get("/venue/account/", HTTP_HOST=HOST).text


# --- renewal -------------------------------------------------------------------------------


def reminder_run(clock, day, django_capture_on_commit_callbacks):
    clock.move_to(datetime.datetime.combine(day, datetime.time(6, 0), tzinfo=datetime.UTC))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = send_renewal_reminders(today=day)
    return count, list(mail.outbox)


def test_renewal_reminders_at_30_and_7_days_once_each(venue, partner, clock, django_capture_on_commit_callbacks):
    from venues.services import add_contact

    add_contact(venue=venue, email="manager@heathway.example", actor=None)
    due = venue.renewal_due_on
    assert due == datetime.date(2028, 6, 7)
    assert reminder_run(clock, due - datetime.timedelta(days=31), django_capture_on_commit_callbacks) == (0, [])

    count, sent = reminder_run(clock, due - datetime.timedelta(days=30), django_capture_on_commit_callbacks)
    assert count == 1
    assert sorted(m.to[0] for m in sent) == [LEAD, "manager@heathway.example"]
    body = sent[0].body
    assert "by Wednesday 7 June 2028" in body
    assert "taken off the public register" in body
    assert f"/venue/?next=/venue/{venue.pk}/renew/" in body and "/venue/sign-in/" in body
    assert reminder_run(clock, due - datetime.timedelta(days=30), django_capture_on_commit_callbacks) == (0, [])
    assert reminder_run(clock, due - datetime.timedelta(days=8), django_capture_on_commit_callbacks) == (0, [])

    count, sent = reminder_run(clock, due - datetime.timedelta(days=7), django_capture_on_commit_callbacks)
    assert count == 1 and len(sent) == 2
    assert reminder_run(clock, due - datetime.timedelta(days=6), django_capture_on_commit_callbacks) == (0, [])
    assert ModelLogEntry.objects.filter(action="venues.renewal_reminder").count() == 2


def test_the_daily_command_sends_renewal_reminders(venue, clock, django_capture_on_commit_callbacks, capsys):
    day = venue.renewal_due_on - datetime.timedelta(days=30)
    clock.move_to(datetime.datetime.combine(day, datetime.time(6, 0), tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_accreditations")
    assert "1 renewal reminder(s) sent" in capsys.readouterr().out
    renewal = [m for m in mail.outbox if "confirm your Safe Haven details" in m.subject]
    assert [m.to for m in renewal] == [[LEAD]]


def test_overdue_venue_leaves_the_register_and_returns_on_confirming(client, venue, clock,
                                                                     django_capture_on_commit_callbacks):  # fmt: skip
    from .conftest import sign_in

    Venue.objects.filter(pk=venue.pk).update(renewal_due_on=datetime.date(2027, 6, 6))  # yesterday
    assert "Heathway Books" not in register_text(client)
    sign_in(client, django_capture_on_commit_callbacks)
    account = client.get("/venue/account/", HTTP_HOST=HOST).text
    assert "Renewal overdue" in account
    renew = client.get(f"/venue/{venue.pk}/renew/", HTTP_HOST=HOST)
    assert "This check was due by Sunday 6 June 2027" in renew.text
    assert "We will keep our opening hours and details up to date." in renew.text
    assert client.post(f"/venue/{venue.pk}/renew/", {}, HTTP_HOST=HOST).status_code == 400
    client.post(f"/venue/{venue.pk}/renew/", {"confirm": "on"}, HTTP_HOST=HOST)
    venue.refresh_from_db()
    assert venue.renewed_on == datetime.date(2027, 6, 7)
    assert venue.renewal_due_on == datetime.date(2028, 6, 7)
    assert "Heathway Books" in register_text(client)
    assert "the next check is due by 7 June 2028" in client.get("/venue/account/", HTTP_HOST=HOST).text


def test_venues_accredited_before_renewals_get_a_date_at_least_30_days_away(partner, clock):
    old = certify(partner, holder_email=LEAD).venue
    Venue.objects.filter(pk=old.pk).update(renewal_due_on=None, pledge_agreed_on=datetime.date(2026, 1, 10))
    send_renewal_reminders(today=datetime.date(2027, 6, 7))
    old.refresh_from_db()
    assert old.renewal_due_on == datetime.date(2027, 7, 7)  # a year after the pledge is past: 30 days on
    assert mail.outbox == []  # 30 days away exactly: the first reminder goes on the next run
    recent = certify(partner, organisation="New Cafe", holder_email="x@example.org").venue
    Venue.objects.filter(pk=recent.pk).update(renewal_due_on=None, pledge_agreed_on=datetime.date(2027, 3, 1))
    send_renewal_reminders(today=datetime.date(2027, 6, 7))
    recent.refresh_from_db()
    assert recent.renewal_due_on == renewal_date_from(datetime.date(2027, 3, 1), partner=partner)


def test_renewal_due_soon_is_shown_on_the_account(lead_client, venue):
    Venue.objects.filter(pk=venue.pk).update(renewal_due_on=datetime.date(2027, 6, 20))
    text = lead_client.get("/venue/account/", HTTP_HOST=HOST).text
    assert "Renewal due" in text and "by Sunday 20 June 2027" in text


def test_suspended_venue_says_contact_the_council(lead_client, venue):
    Venue.objects.filter(pk=venue.pk).update(suspended=True)
    text = lead_client.get("/venue/account/", HTTP_HOST=HOST).text
    assert "Suspended" in text and "team@venuetown.example" in text
