"""Words that match the booking's state: status tags in distinct colours, the waiting list's own
way out and somewhere with room, "We have sent a confirmation email to …", a completed booking's
certificate, emails that never offer what the state does not allow, and the council's interest
notification in sentences from the council's own name."""

import re
from email.utils import parseaddr

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.bookings import test_govuk_times
from tests.bookings.conftest import FORM
from tests.bookings.test_govuk_times import HOST

pytestmark = pytest.mark.django_db

scene = test_govuk_times.scene  # the fixture: a partner with bookings in every state

PARTNER_SENDER = ("Barking and Dagenham Safe Havens", "no-reply@safehaven.example")


def page(client, token):
    return client.get(f"/bookings/{token}/", HTTP_HOST=HOST).content.decode()


def tag(html):
    """(colour, words) of the booking page's status tag."""
    match = re.search(r'<strong class="govuk-tag govuk-tag--([a-z-]+)">([^<]+)</strong>', html)
    assert match, "no status tag"
    return match.groups()


def test_each_state_has_its_own_words_and_colour_on_the_booking_page(scene, client):
    tokens = scene["tokens"]
    assert tag(page(client, tokens["confirmed"])) == ("green", "Confirmed")
    assert tag(page(client, tokens["waiting"])) == ("yellow", "On the waiting list")
    assert tag(page(client, tokens["cancelled"])) == ("grey", "Cancelled")
    assert tag(page(client, tokens["completed"])) == ("blue", "Completed")


def test_staff_see_the_same_colours(scene, clock):
    from tests.factories import coordinator_of

    staff = Client()
    staff.force_login(coordinator_of(scene["partner"]))
    listing = staff.get(reverse("staff_bookings:index"), HTTP_HOST=HOST).content.decode()
    shown = set(re.findall(r'<span class="sh-status sh-status--([a-z-]+)">([^<]+)</span>', listing))
    assert {
        ("green", "Confirmed"),
        ("yellow", "On the waiting list"),
        ("grey", "Cancelled"),
        ("blue", "Completed"),
    } <= shown
    booking = scene["bookings"]["confirmed"]
    detail = staff.get(reverse("staff_bookings:inspect", args=[booking.pk]), HTTP_HOST=HOST).content.decode()
    assert '<span class="sh-status sh-status--green">Confirmed</span>' in detail


def test_a_waiting_booking_offers_to_leave_the_list_and_a_date_with_room(
    scene, client, mailoutbox, django_capture_on_commit_callbacks
):
    token = scene["tokens"]["waiting"]
    full, later = scene["sessions"]
    html = page(client, token)
    assert f'href="/bookings/{token}/cancel/">Leave the waiting list</a>' in html
    assert "Cancel this booking" not in html
    # Another date of the same course with places left, and never the full one it waits for.
    assert f'href="/bookings/sessions/{later.pk}/book/">Book Thursday 1 July 2027, 1:30pm to 3pm</a>' in html
    assert f"/bookings/sessions/{full.pk}/book/" not in html

    confirm = client.get(f"/bookings/{token}/cancel/", HTTP_HOST=HOST).content.decode()
    assert "Are you sure you want to leave the waiting list?" in confirm
    assert "Yes, leave the waiting list" in confirm and "No, stay on the waiting list" in confirm

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        left = client.post(f"/bookings/{token}/cancel/", HTTP_HOST=HOST, follow=True).content.decode()
    assert "You have left the waiting list. We have emailed you to confirm." in left
    assert '<h1 class="govuk-heading-xl">You have left the waiting list</h1>' in left
    (email,) = mailoutbox
    assert email.subject.startswith("You have left the waiting list")
    assert "You have left the waiting list for" in email.body
    assert "change date or cancel" not in email.body and "is cancelled" not in email.body


def test_booking_page_says_where_the_confirmation_email_went_once(scene, client, clock):
    later = scene["sessions"][1]
    response = client.post(f"/bookings/sessions/{later.pk}/book/", FORM, HTTP_HOST=HOST)
    assert response.status_code == 302
    first = client.get(response["Location"], HTTP_HOST=HOST).content.decode()
    assert "We have sent a confirmation email to <strong>asha@heathway.example</strong>" in first
    assert "govuk-notification-banner" not in first  # said in the page, not as a banner
    again = client.get(response["Location"], HTTP_HOST=HOST).content.decode()
    assert "Your place is booked" in again and "We have sent a confirmation email" not in again


def test_joining_the_waiting_list_says_the_email_was_sent(scene, client, clock):
    full = scene["sessions"][0]
    response = client.post(f"/bookings/sessions/{full.pk}/book/", FORM, HTTP_HOST=HOST, follow=True)
    html = response.content.decode()
    assert "You are on the waiting list" in html
    assert (
        "We have sent an email to <strong>asha@heathway.example</strong> to confirm you are on the waiting list" in html
    )


def test_a_completed_booking_says_so_and_shows_the_certificate(scene, client):
    from certificates.models import Certificate

    booking = scene["bookings"]["completed"]
    certificate = Certificate.objects.get(completion_key=f"booking:{booking.pk}")
    html = page(client, scene["tokens"]["completed"])
    assert '<h1 class="govuk-panel__title">You have completed the course</h1>' in html
    assert certificate.display_code in html and "Download your certificate (PDF)" in html
    assert "Your place is booked" not in html and "Cancel this booking" not in html


def test_emails_offer_only_what_the_state_allows(scene, mailoutbox):
    def body(subject_start):
        message = next(m for m in mailoutbox if m.subject.startswith(subject_start))
        html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
        return message.body, html

    text, html = body("Your place is booked")
    assert "Manage your booking (change date or cancel)" in text and "change date or cancel" in html
    text, html = body("You are on the waiting list")
    assert "leave the waiting list" in text and "leave the waiting list" in html
    assert "change date or cancel" not in text + html
    text, html = body("Your booking is cancelled")
    assert "You do not have a place on this session any more." in text
    assert "change date or cancel" not in text + html and "can change your booking" not in text
    assert "Book another date: http://" in text and "Book another date</a>" in html


def test_emails_come_from_the_partners_own_name(scene, mailoutbox):
    from certificates.notifications import send_certificate_email

    send_certificate_email(scene["certificate"])
    bookings = [m for m in mailoutbox if "booking" in m.subject or "waiting list" in m.subject or "place" in m.subject]
    certificates = [m for m in mailoutbox if "certificate" in m.subject]
    assert len(bookings) >= 3 and len(certificates) >= 2  # the completed booking's, and this one
    for message in bookings + certificates:
        assert parseaddr(message.from_email) == PARTNER_SENDER, message.subject


def test_interest_notification_reads_as_sentences_from_the_partner(scene, mailoutbox):
    from cms.models import InterestSubmission
    from cms.tasks import send_interest_notification
    from tests.cms.test_interest_follow_up import ANSWERS, interest_page_for

    partner = scene["partner"]
    submission = InterestSubmission.objects.create(
        page=interest_page_for(partner), partner=partner, form_data={**ANSWERS, "phone": "020 7946 0000"},
        wants_new_dates=True,
    )  # fmt: skip
    send_interest_notification.call(submission_id=submission.pk)
    (message,) = [m for m in mailoutbox if "interest" in m.subject.lower()]
    assert parseaddr(message.from_email) == PARTNER_SENDER
    assert message.body.startswith(
        "Asha Patel (Heathway Books) has registered interest in becoming a Safe Haven with Barking and Dagenham."
    )
    assert (
        "You can write to them at asha@heathwaybooks.example or call them on 020 7946 0000: replying to this "
        "email writes to them. They agreed to be contacted about the Safe Haven scheme. They asked to be emailed "
        "when new training dates are published."
    ) in message.body
    assert "I agree to be contacted about the Safe Haven scheme: Yes" in message.body
    assert "True" not in message.body and "False" not in message.body and "{" not in message.body
    assert "I agree to be contacted about the Safe Haven scheme: Yes" in submission.page.specific.serialise_submission(
        submission
    )
