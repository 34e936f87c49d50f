"""A failed visit: the lead is emailed once, someone must complete the workshop within the partner's
refresher days, or the daily command suspends the venue; a completion or a later pass clears it."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from certificates.models import Venue
from certificates.services import suspend_venue
from tests.factories import certify
from visits.exceptions import VisitError
from visits.models import Visit

from .conftest import LEAD, NOW, TODAY, record

pytestmark = pytest.mark.django_db
DEADLINE = TODAY + datetime.timedelta(days=30)


def fail(venue, django_capture_on_commit_callbacks, **kwargs):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        kwargs.setdefault("answers", {"Safe Haven sticker visible from outside": False,
                                      "Knew to call 999 in an emergency and 101 otherwise": False})  # fmt: skip
        return record(venue, outcome="fail", notes="Manager was rude; private note", **kwargs)


def daily(clock, day):
    clock.move_to(datetime.datetime.combine(day, NOW.timetz()))
    out = io.StringIO()
    call_command("expire_accreditations", stdout=out)
    return out.getvalue()


def sticker_page(client, venue):
    return client.get(f"/safe-havens/check/{venue.sticker_code}/", HTTP_HOST=venue.partner.site.hostname)


def test_a_failed_visit_emails_the_lead_once_with_what_was_missing_and_the_deadline(
    venue, django_capture_on_commit_callbacks
):
    visit = fail(venue, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == [LEAD]
    assert message.from_email.startswith("Visitshire Safe Havens <")
    assert message.subject == "Heathway Books: Safe Haven refresher training needed by 7 July 2027"
    body = message.body
    assert "Safe Haven sticker visible from outside" in body
    assert "Knew to call 999 in an emergency and 101 otherwise" in body
    assert "Staff knew what a Safe Haven is" not in body  # answered yes
    assert "by Wednesday 7 July 2027" in body
    assert "http://visitshire.localhost/training/" in body
    assert "private note" not in body and "Kent Police" not in body
    venue.refresh_from_db()
    assert (venue.refresher_needed_on, venue.refresher_deadline) == (TODAY, DEADLINE)
    assert ModelLogEntry.objects.filter(action="visits.record", object_id=str(visit.pk)).count() == 1
    assert ModelLogEntry.objects.filter(action="visits.visit_recorded", object_id=str(venue.pk)).count() == 1


def test_each_failed_visit_sends_one_email(venue, django_capture_on_commit_callbacks, clock):
    fail(venue, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    clock.move_to(NOW + datetime.timedelta(days=3))
    fail(venue, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    venue.refresher_deadline = Venue.objects.get(pk=venue.pk).refresher_deadline
    assert venue.refresher_deadline == DEADLINE + datetime.timedelta(days=3)


def test_the_partners_refresher_days_set_the_deadline(venue, partner, django_capture_on_commit_callbacks):
    partner.refresher_days = 14
    partner.save(update_fields=["refresher_days"])
    venue.partner.refresher_days = 14
    fail(venue, django_capture_on_commit_callbacks)
    assert Venue.objects.get(pk=venue.pk).refresher_deadline == TODAY + datetime.timedelta(days=14)


def test_no_completion_by_the_deadline_suspends_the_venue_and_the_sticker_says_so(
    venue, django_capture_on_commit_callbacks, clock, client
):
    fail(venue, django_capture_on_commit_callbacks)
    assert "is a Safe Haven" in sticker_page(client, venue).text

    assert "0 venue(s) suspended" in daily(clock, DEADLINE)  # the deadline day itself is still in time
    assert not Venue.objects.get(pk=venue.pk).suspended

    out = daily(clock, DEADLINE + datetime.timedelta(days=1))
    assert "1 venue(s) suspended for a refresher not done after a failed visit." in out
    venue.refresh_from_db()
    assert venue.suspended and venue.suspended_automatically
    assert venue.suspended_reason == ("Failed visit on 7 June 2027; no one completed the refresher by 7 July 2027")
    entry = ModelLogEntry.objects.get(action="certificates.venue_suspend", object_id=str(venue.pk))
    assert entry.user is None and entry.data["reason"] == venue.suspended_reason
    assert "Heathway Books is no longer a Safe Haven" in sticker_page(client, venue).text

    assert "0 venue(s) suspended" in daily(clock, DEADLINE + datetime.timedelta(days=2))  # idempotent
    assert ModelLogEntry.objects.filter(action="certificates.venue_suspend").count() == 1


def test_a_completion_before_the_deadline_clears_the_refresher(venue, partner, django_capture_on_commit_callbacks,
                                                               clock):  # fmt: skip
    fail(venue, django_capture_on_commit_callbacks)
    clock.move_to(NOW + datetime.timedelta(days=10))
    certificate = certify(partner, organisation="Heathway Books", holder_name="Ben Okafor",
                          holder_email="ben@example.org")  # fmt: skip
    assert certificate.venue.pk == venue.pk

    venue.refresh_from_db()
    assert venue.refresher_needed_on is None and venue.refresher_deadline is None
    assert ModelLogEntry.objects.filter(action="visits.refresher_cleared", object_id=str(venue.pk)).exists()
    daily(clock, DEADLINE + datetime.timedelta(days=5))
    assert not Venue.objects.get(pk=venue.pk).suspended


def test_a_later_pass_lifts_an_automatic_suspension(venue, django_capture_on_commit_callbacks, clock, client):
    fail(venue, django_capture_on_commit_callbacks)
    daily(clock, DEADLINE + datetime.timedelta(days=1))
    assert Venue.objects.get(pk=venue.pk).suspended

    record(venue, outcome="pass")

    venue.refresh_from_db()
    assert not venue.suspended and not venue.suspended_automatically
    assert venue.refresher_needed_on is None
    assert "Heathway Books is a Safe Haven" in sticker_page(client, venue).text


def test_a_later_pass_does_not_lift_a_coordinators_suspension(venue, django_capture_on_commit_callbacks, clock):
    fail(venue, django_capture_on_commit_callbacks)
    suspend_venue(venue=venue, reason="Complaint under investigation", actor=None)
    daily(clock, DEADLINE + datetime.timedelta(days=1))
    venue.refresh_from_db()
    assert venue.suspended and not venue.suspended_automatically

    record(venue, outcome="advice")

    venue.refresh_from_db()
    assert venue.suspended and venue.suspended_reason == "Complaint under investigation"
    assert venue.refresher_needed_on is None


def test_an_older_visit_entered_late_changes_nothing(venue, django_capture_on_commit_callbacks):
    fail(venue, django_capture_on_commit_callbacks)
    record(venue, outcome="pass", visited_on=TODAY - datetime.timedelta(days=20))
    assert Venue.objects.get(pk=venue.pk).refresher_needed_on == TODAY
    fail(venue, django_capture_on_commit_callbacks, visited_on=TODAY - datetime.timedelta(days=40))
    assert mail.outbox == []


def test_a_visit_in_the_future_is_refused(venue):
    with pytest.raises(VisitError, match="today or in the past"):
        record(venue, outcome="pass", visited_on=TODAY + datetime.timedelta(days=1), today=TODAY)
    assert not Visit.objects.exists()


def test_staff_see_the_refresher_and_an_automatic_suspension_in_the_venue_status(db):
    from certificates.exports import accreditation_label
    from certificates.models import Venue

    venue = Venue(accredited_until=datetime.date(2027, 12, 1), agreed_to_pledge=True,
                  refresher_deadline=datetime.date(2027, 7, 7))  # fmt: skip
    assert accreditation_label(venue, today=datetime.date(2027, 6, 10)) == "Accredited – refresher needed by 7 Jul 2027"
    venue.suspended, venue.suspended_automatically = True, True
    assert accreditation_label(venue, today=datetime.date(2027, 7, 8)) == "Suspended after a failed visit"
    venue.suspended_automatically = False
    assert accreditation_label(venue, today=datetime.date(2027, 7, 8)) == "Suspended"
