import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking, Session
from certificates.models import Certificate
from cms.models import InterestSubmission
from cms.privacy import erase_person, purge_personal_data, subject_access
from tests.factories import certify

pytestmark = pytest.mark.django_db


def test_subject_access_contains_only_that_partners_data(staff_client, alpha, beta):
    # The same person booked with both councils.
    from bookings.services import book_place
    from tests.factories import attendee

    book_place(session=beta["session"], attendee=attendee(9, name="Alpha Person 0", email="alpha0@example.org"))
    response = staff_client.get(reverse("staff_personal_data:subject_access"), {"email": "ALPHA0@example.org"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    report = json.loads(response.content)
    assert report["partner"] == "Alphaborough"
    assert [b["session"] for b in report["bookings"]] == [alpha["session"].page.title]
    assert report["bookings"][0]["access_needs"] == "Alpha needs a hearing loop"
    assert "Betaford" not in response.content.decode()
    holder = subject_access(partner=alpha["partner"], email="alpha.holder@example.org")
    assert [c["holder_name"] for c in holder["certificates"]] == ["Alpha Holder"]
    enquirer = subject_access(partner=alpha["partner"], email="alpha.enquirer@example.org")
    assert enquirer["interest_registrations"][0]["answers"]["name"] == "Alpha Enquirer"


def test_erase_a_person_keeps_counts_and_follows_the_certificate_exception(staff_client, alpha, beta):
    session = alpha["session"]
    confirmed_before = Booking.objects.filter(session=session, status="confirmed").count()
    expired = certify(alpha["partner"], organisation="Old Shop", postcode="RM10 8RB", holder_name="Alpha Person 0",
                      holder_email="alpha0@example.org")  # fmt: skip
    Certificate.objects.filter(pk=expired.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    valid = certify(alpha["partner"], organisation="New Shop", postcode="RM10 8RB", holder_name="Alpha Person 0",
                    holder_email="alpha0@example.org")  # fmt: skip
    response = staff_client.post(
        reverse("staff_personal_data:erase"), {"erase-email": "alpha0@example.org", "erase-confirm": "on"}
    )
    assert response.status_code == 302
    assert not Booking.objects.filter(email="alpha0@example.org").exists()
    erased = Booking.objects.get(pk=alpha["bookings"][0].pk)
    assert erased.name == "Erased" and erased.access_needs == "" and erased.email.endswith("@erased.invalid")
    # The upcoming place was released to the person waiting: counts stay right.
    assert erased.status == "cancelled"
    assert Booking.objects.filter(session=session, status="confirmed").count() == confirmed_before
    assert Booking.objects.get(pk=alpha["bookings"][2].pk).status == "confirmed"
    valid.refresh_from_db()
    expired.refresh_from_db()
    assert valid.holder_name == "Alpha Person 0" and valid.holder_email.endswith("@erased.invalid")
    assert expired.holder_name == "Erased"
    assert Booking.objects.filter(email="beta0@example.org").exists()  # the other council's data is untouched
    report = subject_access(partner=alpha["partner"], email="alpha0@example.org")
    assert report["bookings"] == [] and report["certificates"] == []


def test_purge_is_idempotent_and_counts_stay_right(alpha, beta, settings):
    settings.PERSONAL_DATA_RETENTION = {"cancelled_bookings_days": 90, "no_show_bookings_days": 90}
    long_ago = timezone.now() - datetime.timedelta(days=120)
    Session.objects.filter(pk=alpha["session"].pk).update(
        starts_at=long_ago, ends_at=long_ago + datetime.timedelta(minutes=90)
    )
    Booking.objects.filter(pk=alpha["bookings"][1].pk).update(status="cancelled")
    Booking.objects.filter(pk=alpha["bookings"][0].pk).update(attended=True)
    InterestSubmission.objects.filter(pk=alpha["interest"].pk).update(
        submit_time=timezone.now() - datetime.timedelta(days=400)
    )
    Certificate.objects.filter(pk=beta["certificate"].pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=400), status="expired"
    )
    per_status = lambda: sorted(Booking.objects.values_list("session_id", "status"))  # noqa: E731
    before = per_status()
    first = purge_personal_data()
    assert first == {
        "interest_submissions": 1,
        "cancelled_bookings": 2,  # the cancelled one and the one still waiting when the session ran
        "no_show_bookings": 0,
        "attended_bookings": 0,  # attended: kept for 730 days
        "expired_certificates": 1,
        "venue_sign_in_links": 0,
    }
    assert per_status() == before
    assert Booking.objects.get(pk=alpha["bookings"][0].pk).name == "Alpha Person 0"
    assert Booking.objects.get(pk=alpha["bookings"][1].pk).name == "Erased"
    assert InterestSubmission.objects.get(pk=alpha["interest"].pk).form_data == {"erased": True}
    assert purge_personal_data() == dict.fromkeys(first, 0)
    call_command("purge_personal_data", stdout=(out := __import__("io").StringIO()))
    assert "cancelled_bookings: 0 anonymised" in out.getvalue()
    assert per_status() == before


def test_erase_service_logs_without_the_address(alpha):
    from wagtail.models import ModelLogEntry

    counts = erase_person(partner=alpha["partner"], email="alpha1@example.org")
    assert counts == {"interest_registrations": 0, "bookings": 1, "certificates": 0, "venue_accounts": 0}
    entry = ModelLogEntry.objects.get(action="cms.erase_person")
    assert "alpha1@example.org" not in json.dumps(entry.data)


def test_erasure_leaves_no_name_in_the_audit_trail(alpha, coordinator):
    """Bookings are logged from the services (the public's too), with the booking's name as the
    entry's label: erasing the person relabels those entries."""
    from wagtail.models import ModelLogEntry

    from bookings.services import cancel_booking

    booking = Booking.objects.get(email="alpha1@example.org")
    cancel_booking(booking=booking, actor=coordinator)
    named = ModelLogEntry.objects.filter(object_id=str(booking.pk), label__contains="Alpha Person 1")
    assert named.exists()  # the control: the trail named them before
    erase_person(partner=alpha["partner"], email="alpha1@example.org")
    assert not ModelLogEntry.objects.filter(label__contains="Alpha Person 1").exists()
    assert ModelLogEntry.objects.filter(object_id=str(booking.pk), action="bookings.staff_cancel").exists()


def test_erasure_relabels_interest_follow_up_entries(alpha, coordinator):
    from wagtail.models import ModelLogEntry

    from cms.services import set_interest_status

    submission = alpha["interest"]
    set_interest_status(submission=submission, status="contacted", actor=coordinator)
    assert ModelLogEntry.objects.filter(label__contains="Alpha Enquirer").exists()  # the control
    erase_person(partner=alpha["partner"], email="alpha.enquirer@example.org")
    assert not ModelLogEntry.objects.filter(label__contains="Alpha Enquirer").exists()
