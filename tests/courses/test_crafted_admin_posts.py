"""A crafted admin POST answers a form error (or a 400), never a 500, and saves nothing."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cms.security import UnreadableFormMiddleware
from courses.models import Module
from tests.factories import ModuleFactory, PartnerFactory, editor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    partner = PartnerFactory(name="Crafty", host="crafty.localhost")
    client.force_login(editor_of(partner))
    client.partner = partner
    return client


def form(partner, **overrides):
    data = {"partner": partner.pk, "title": "Crafted", "duration_minutes": "15", "summary": "s", "body-count": "0"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("outcomes", ["", "not json", "[1, 2"])
def test_unreadable_learning_outcomes_is_a_form_error(editor_client, outcomes):
    partner = editor_client.partner
    added = editor_client.post(reverse("wagtailsnippets_courses_module:add"), form(partner, learning_outcomes=outcomes))
    assert added.status_code == 200
    assert "This text could not be read. Reload the page and enter it again." in added.text
    assert not Module.objects.filter(title="Crafted").exists()
    module = ModuleFactory(partner=partner, title="Untouched")
    edited = editor_client.post(
        reverse("wagtailsnippets_courses_module:edit", args=[module.pk]), form(partner, learning_outcomes=outcomes)
    )
    assert edited.status_code == 200 and "could not be read" in edited.text
    module.refresh_from_db()
    assert module.title == "Untouched"


def test_a_stream_field_count_that_is_not_a_number_answers_400_and_saves_nothing(editor_client):
    response = editor_client.post(
        reverse("wagtailsnippets_courses_module:add"), form(editor_client.partner, **{"body-count": "x"})
    )
    assert response.status_code == 400
    assert "Nothing has been saved" in response.text
    assert "Exit this page" in response.text
    assert not Module.objects.filter(title="Crafted").exists()


def test_other_errors_are_still_errors():
    """Only a widget failing to read the post becomes a 400; a bug elsewhere stays a 500."""
    request = RequestFactory().post("/admin/anything/")
    try:
        int("x")
    except ValueError as error:
        assert UnreadableFormMiddleware(lambda r: None).process_exception(request, error) is None
