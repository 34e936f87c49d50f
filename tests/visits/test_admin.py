"""Coordinators record visits in the admin and keep their own checklist; another council's staff
never see a visit, a venue or a question of theirs."""

import datetime
import html

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from visits.models import DEFAULT_QUESTIONS, Visit, VisitQuestion
from visits.services import checklist

from .conftest import LEAD, TODAY, record

pytestmark = pytest.mark.django_db
ADD = "/admin/visits/new/"


def form_data(venue, **changes):
    questions = checklist(partner=venue.partner)
    data = {"partner": venue.partner_id, "venue": venue.pk, "visited_on": TODAY.isoformat(), "kind": "mystery",
            "visited_by": "me", "visited_by_name": "", "outcome": "pass", "notes": "Friendly staff.",
            **{f"question_{q.pk}": "yes" for q in questions}}  # fmt: skip
    data.update(changes)
    return data


def text(response):
    return html.unescape(response.content.decode())


def test_the_record_form_asks_the_default_checklist(staff, venue):
    page = text(staff.get(ADD))
    for question in DEFAULT_QUESTIONS:
        assert question in page
    assert "Heathway Books" in page and "Me (Cara Checker)" in page
    assert VisitQuestion.objects.filter(partner=venue.partner).count() == len(DEFAULT_QUESTIONS)


def test_a_coordinator_records_a_failed_mystery_visit(staff, venue, django_capture_on_commit_callbacks):
    questions = checklist(partner=venue.partner)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(ADD, form_data(venue, outcome="fail", **{f"question_{questions[1].pk}": "no"}))

    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("visits:inspect", args=[visit.pk])
    assert visit.visited_by_user == staff.user and visit.created_by == staff.user and visit.kind == "mystery"
    page = text(staff.get(response["Location"]))
    assert "Visit to Heathway Books" in page
    assert "Refresher needed by Wednesday 7 July 2027" in page
    assert "Visit to Heathway Books recorded: fail." in page
    assert "Cara Checker" in page and "Friendly staff." in page
    (message,) = mail.outbox
    assert message.to == [LEAD] and "Safe Haven sticker visible from outside" in message.body
    entry = ModelLogEntry.objects.get(action="visits.record")
    assert entry.user_id == staff.user.pk
    assert "Visit recorded" in text(staff.get(reverse("visits:history", args=[visit.pk])))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"visited_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "must be today or in the past"),
        ({"visited_by": "other"}, "Enter who visited, or choose “Me”"),
        ({"outcome": ""}, "Choose the outcome"),
        ({"notes": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_recorded(staff, venue, changes, message):
    response = staff.post(ADD, form_data(venue, **changes))
    assert response.status_code == 200 and message in text(response)
    assert not Visit.objects.exists()


def test_an_unanswered_question_is_an_error(staff, venue):
    question = checklist(partner=venue.partner)[0]
    data = form_data(venue)
    del data[f"question_{question.pk}"]
    assert f"Answer “{question.text}”" in text(staff.post(ADD, data))
    assert not Visit.objects.exists()


def test_someone_else_visited(staff, venue):
    staff.post(ADD, form_data(venue, visited_by="other", visited_by_name="Kent Police"))
    visit = Visit.objects.get()
    assert visit.visited_by_name == "Kent Police" and visit.visited_by_user is None


def test_another_councils_staff_get_404_and_never_see_the_venue(staff, other_staff, venue, other_venue):
    visit = record(venue, outcome="pass", notes="Visitshire private note")
    for name in ("inspect", "history"):
        response = other_staff.get(reverse(f"visits:{name}", args=[visit.pk]))
        assert response.status_code == 404 and "Heathway" not in text(response)
    listing = text(other_staff.get(reverse("visits:index")))
    assert "Heathway Books" not in listing
    chooser = text(other_staff.get(ADD))
    assert "Heathway Books" not in chooser and "Otherford Secret Café" in chooser
    assert other_staff.get(ADD, {"venue": venue.pk}).status_code == 404
    assert other_staff.get(ADD, {"partner": venue.partner_id}).status_code == 404
    # Posting another council's venue is a form error, and nothing is recorded.
    data = form_data(other_venue)
    data["venue"] = venue.pk
    assert "Select a valid choice" in text(other_staff.post(ADD, data))
    assert Visit.objects.count() == 1
    assert "Visitshire private note" in text(staff.get(reverse("visits:inspect", args=[visit.pk])))


def test_the_checklist_is_each_councils_own(staff, other_staff, partner, other_partner, venue):
    staff.get(reverse("visit_checklist:index"))
    response = staff.post(reverse("visit_checklist:add"), {"partner": partner.pk, "text": "Toilet offered",
                                                             "sort_order": 60, "active": "on"})  # fmt: skip
    assert response.status_code == 302
    mine = VisitQuestion.objects.get(text="Toilet offered")
    assert mine.partner == partner
    assert "Toilet offered" in text(staff.get(ADD))

    assert "Toilet offered" not in text(other_staff.get(reverse("visit_checklist:index")))
    assert "Toilet offered" not in text(other_staff.get(ADD))
    assert other_staff.get(reverse("visit_checklist:edit", args=[mine.pk])).status_code == 404
    # Naming another council when adding is refused.
    response = other_staff.post(reverse("visit_checklist:add"), {"partner": partner.pk, "text": "Planted",
                                                                   "sort_order": 1, "active": "on"})  # fmt: skip
    assert not VisitQuestion.objects.filter(text="Planted").exists()
    assert response.status_code == 200

    # An edit changes the form, but a past visit keeps the words it was asked in.
    question = checklist(partner=partner)[0]
    visit = record(venue, outcome="pass")
    staff.post(reverse("visit_checklist:edit", args=[question.pk]),
               {"text": "Staff explained the Safe Haven scheme", "sort_order": 10, "active": "on"})  # fmt: skip
    question.refresh_from_db()
    assert question.text == "Staff explained the Safe Haven scheme"
    assert "Staff knew what a Safe Haven is" in text(staff.get(reverse("visits:inspect", args=[visit.pk])))


def test_no_page_offers_to_edit_or_delete_a_visit(staff, venue):
    visit = record(venue, outcome="pass")
    for url in (reverse("visits:index"), reverse("visits:inspect", args=[visit.pk]),
                reverse("visits:history", args=[visit.pk]), reverse("wagtailadmin_home")):  # fmt: skip
        page = staff.get(url).content.decode()
        for refused in ("edit", "delete", "usage"):
            assert reverse(f"visits:{refused}", args=[visit.pk]) not in page, (url, refused)
    assert (
        reverse("visits:edit", args=[visit.pk])
        and staff.get(reverse("visits:edit", args=[visit.pk])).status_code == 302
    )
