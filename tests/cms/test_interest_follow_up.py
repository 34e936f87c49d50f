"""Following up an interest registration in the staff admin: its own page, status with notes,
the notification email's link to it, and a listing that filters by status and age."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cms.models import InterestFormField, InterestFormPage, InterestSubmission
from cms.tenancy import site_root_url
from demo.cms import INTEREST_FIELDS
from tests.conftest import LONDON
from tests.factories import PartnerFactory, coordinator_of

pytestmark = pytest.mark.django_db

ANSWERS = {
    "name": "Asha Patel",
    "organisation": "Heathway Books",
    "venue_type": "Shop",
    "postcode": "RM10 8AB",
    "email": "asha@heathwaybooks.example",
    "phone": "",
    "message": "",
    "consent": True,
    "website_address": "",
}


def interest_page_for(partner) -> InterestFormPage:
    """The partner's register-interest page with the demo's questions."""
    home = partner.site.root_page
    existing = home.get_children().filter(slug="register-interest").first()
    if existing:
        return existing.specific
    page = home.add_child(instance=InterestFormPage(title="Register interest", slug="register-interest"))
    for order, (label, field_type, required, choices, clean_name) in enumerate(INTEREST_FIELDS):
        InterestFormField.objects.create(
            page=page, sort_order=order, label=label, field_type=field_type, required=required, choices=choices,
            clean_name=clean_name,
        )  # fmt: skip
    return page


def registration(partner, *, status="new", wants_new_dates=False, **answers) -> InterestSubmission:
    return InterestSubmission.objects.create(
        page=interest_page_for(partner), partner=partner, form_data={**ANSWERS, **answers}, status=status,
        wants_new_dates=wants_new_dates,
    )  # fmt: skip


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Heathway", host="heathway.localhost", contact_email="team@heathway.example")


@pytest.fixture
def staff(partner, clock):
    client = Client()  # signed in on the frozen clock, so the session is not already expired
    client.force_login(coordinator_of(partner, first_name="Sam", last_name="Okafor"))
    return client


def page_url(submission):
    return reverse("staff_interest:edit", args=[submission.pk])


def section(html, css_class):
    match = re.search(rf'<(dl|ol) class="{css_class}">(.*?)</\1>', html, re.S)
    assert match, f"no {css_class} on the page"
    return match.group(2)


# --- the registration's own page ---------------------------------------------------------------


def test_registration_page_shows_answers_by_label_and_sent_time_on_the_partners_clock(partner, staff, clock):
    partner.time_zone = "UTC"  # 09:00 in UTC is 10:00 in London, the installation's own clock
    partner.save()
    submission = registration(partner, phone="")

    response = staff.get(page_url(submission))

    assert response.status_code == 200
    answers = section(response.text, "sh-answers")
    assert "<dt>Organisation or venue name</dt><dd>Heathway Books</dd>" in answers
    assert "<dt>I agree to be contacted about the Safe Haven scheme</dt><dd>Yes</dd>" in answers
    assert "<dt>Phone number</dt><dd>Not given</dd>" in answers
    assert "True" not in answers and "None" not in answers
    assert "website" not in answers.lower()  # the honeypot is not an answer
    assert "<dt>Sent</dt><dd>7 Jun 2027, 9am (just now)</dd>" in answers


def test_each_name_in_the_list_opens_its_registration(partner, staff, clock):
    submission = registration(partner, name="Asha Patel")

    response = staff.get(reverse("staff_interest:index"))

    assert re.search(rf'<a href="{re.escape(page_url(submission))}"[^>]*>\s*Asha Patel\s*</a>', response.text)


def test_changing_the_status_with_a_note_returns_to_the_registration_and_keeps_the_note(partner, staff, clock):
    submission = registration(partner)

    response = staff.post(page_url(submission), {"status": "contacted", "note": "Rang Asha; she will book in July."})

    assert response.status_code == 302
    assert response["Location"] == page_url(submission)
    page = staff.get(response["Location"]).text
    assert "Status changed to Contacted." in page
    history = section(page, "sh-history")
    assert "Sam Okafor" in history
    assert "status changed from New to Contacted." in history
    assert "Rang Asha; she will book in July." in history
    submission.refresh_from_db()
    assert submission.status == "contacted"


def test_a_note_without_a_status_change_is_kept_too(partner, staff, clock):
    submission = registration(partner, status="contacted")

    response = staff.post(page_url(submission), {"status": "contacted", "note": "Left a voicemail."}, follow=True)

    assert "Note added." in response.text
    assert "note added.<br>Left a voicemail." in re.sub(r"\s+", " ", section(response.text, "sh-history")).replace(
        ". <br>", ".<br>"
    )


def test_another_partners_staff_cannot_open_or_change_a_registration(clock, partner):
    submission = registration(partner)
    other = PartnerFactory(name="Elsewhere", host="elsewhere.localhost")
    client = Client()
    client.force_login(coordinator_of(other))

    for url in (page_url(submission), reverse("staff_interest:invite", args=[submission.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"status": "booked", "note": "x"}).status_code == 404
    submission.refresh_from_db()
    assert submission.status == "new"
    assert not submission.follow_ups.exists()
    assert mail.outbox == []


# --- the notification email -------------------------------------------------------------------


def test_notification_email_links_straight_to_the_registration(
    client, barking, django_capture_on_commit_callbacks, clock
):
    form = {**ANSWERS, "consent": "on", "website_address": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register-interest/", form, HTTP_HOST="localhost")

    submission = InterestSubmission.objects.get()
    body = mail.outbox[0].body
    assert f"{site_root_url(barking.site)}/admin/interest-registrations/edit/{submission.pk}/" in body
    assert "Asha Patel (Heathway Books) has registered interest in becoming a Safe Haven with Barking" in body
    assert "I agree to be contacted about the Safe Haven scheme: Yes" in body
    assert "True" not in body and "None" not in body


# --- email me when new dates are published ----------------------------------------------------


def test_every_interest_form_offers_new_dates_by_email_and_stores_the_choice(
    client, demo, django_capture_on_commit_callbacks, clock
):
    page = client.get("/register-interest/", HTTP_HOST="localhost").text
    assert "Email me when new training dates are published" in page

    form = {**ANSWERS, "consent": "on", "website_address": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register-interest/", {**form, "wants_new_dates": "on"}, HTTP_HOST="localhost")
        client.post("/register-interest/", {**form, "email": "no@example.org"}, HTTP_HOST="localhost")

    wants = dict(InterestSubmission.objects.values_list("form_data__email", "wants_new_dates"))
    assert wants == {"asha@heathwaybooks.example": True, "no@example.org": False}
    assert "They asked to be emailed when new training dates are published." in mail.outbox[0].body


# --- the listing ------------------------------------------------------------------------------


def sent_at(clock, partner, name, when, **answers):
    clock.move_to(when)
    return registration(partner, name=name, **answers)


@pytest.fixture
def aged(partner, clock):
    """Registrations sent at different ages, seen from Monday 7 June 2027, 10am."""
    now = datetime.datetime(2027, 6, 7, 10, 0, tzinfo=LONDON)
    rows = {
        "Two days": sent_at(clock, partner, "Two days", now - datetime.timedelta(days=2)),
        "Ten days": sent_at(clock, partner, "Ten days", now - datetime.timedelta(days=10)),
        "Forty days": sent_at(clock, partner, "Forty days", now - datetime.timedelta(days=40)),
        # Tuesday 1 June: four working days ago, not yet overdue; Friday 28 May: six, overdue unless called.
        "Tuesday": sent_at(clock, partner, "Tuesday", datetime.datetime(2027, 6, 1, 9, 0, tzinfo=LONDON)),
        "Friday": sent_at(clock, partner, "Friday", datetime.datetime(2027, 5, 28, 9, 0, tzinfo=LONDON)),
    }
    friday_later = datetime.datetime(2027, 5, 28, 9, 30, tzinfo=LONDON)
    rows["Friday but called"] = sent_at(clock, partner, "Friday but called", friday_later, status="contacted")
    clock.move_to(now)
    return rows


def names_listed(staff, **params):
    html = staff.get(reverse("staff_interest:index"), params).text
    names = ["Two days", "Ten days", "Forty days", "Tuesday", "Friday but called", "Friday"]
    found = {name: re.search(rf">\s*{name}\s*<", html) for name in names}
    return sorted((name for name, match in found.items() if match), key=lambda name: found[name].start())


def test_list_shows_newest_first(staff, aged):
    assert names_listed(staff) == ["Two days", "Tuesday", "Ten days", "Friday but called", "Friday", "Forty days"]


@pytest.mark.parametrize(
    "sent,expected",
    [
        ("week", ["Two days", "Tuesday"]),
        ("month", ["Ten days", "Friday but called", "Friday"]),
        ("older", ["Forty days"]),
        # Six calendar days but four working days ago, Tuesday is not overdue yet.
        ("waiting", ["Ten days", "Friday", "Forty days"]),
    ],
)
def test_list_filters_by_age(staff, aged, sent, expected):
    assert names_listed(staff, sent=sent) == expected


def test_list_filters_by_status(staff, aged):
    assert names_listed(staff, status="contacted") == ["Friday but called"]
