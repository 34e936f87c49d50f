"""The course edit page in the Wagtail admin: module lengths and partner boundaries."""

import bs4
from django.urls import reverse

from courses.models import Module
from tests.factories import editor_of

from .conftest import course_of

SHARED_TITLE = "Recognising someone in distress"
WARNING = "The modules add up to 95 minutes but the course lasts 90 minutes"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def form_data(html: str) -> dict:
    """What the browser would submit from the page edit form, unchanged."""
    form = bs4.BeautifulSoup(html, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            selected = field.find("option", selected=True)
            data[name] = selected["value"] if selected else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return data


def lengthen_shared_module(barking, minutes=5) -> Module:
    module = Module.objects.get(partner=barking, title=SHARED_TITLE)
    module.duration_minutes += minutes
    module.save_revision().publish()
    return module


def test_edit_page_warns_when_a_shared_module_changed_length(client, barking, tunbridge_wells):
    course = course_of(tunbridge_wells)
    client.force_login(editor_of(tunbridge_wells))
    assert "The modules add up to" not in client.get(edit_url(course)).content.decode()

    lengthen_shared_module(barking)

    response = client.get(edit_url(course))
    assert response.status_code == 200
    assert WARNING in response.content.decode()
    assert "Remove 5 minutes of modules or lengthen the course." in response.content.decode()


def test_saving_a_course_whose_modules_do_not_fill_it_shows_why(client, barking):
    course = course_of(barking)
    client.force_login(editor_of(barking))
    data = form_data(client.get(edit_url(course)).content.decode())
    assert data["duration_minutes"] == "90"

    saved = client.post(edit_url(course), data)
    assert saved.status_code == 302  # the untouched form is valid: the control for the case below

    data["duration_minutes"] = "60"
    response = client.post(edit_url(course), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "The modules add up to 90 minutes but the course lasts 60 minutes." in html
    assert "Remove 30 minutes of modules or lengthen the course." in html
    course.refresh_from_db()
    assert course.get_latest_revision().as_object().duration_minutes == 90


def test_editor_cannot_open_or_save_another_partners_course(client, barking, tunbridge_wells):
    course = course_of(barking)
    client.force_login(editor_of(barking))
    data = form_data(client.get(edit_url(course)).content.decode())
    data["title"] = "Hijacked"

    client.force_login(editor_of(tunbridge_wells))
    # Another partner's page is not there at all (cms.admin_guard): 404, not "no permission".
    response = client.get(edit_url(course))
    assert response.status_code == 404
    assert course.title not in response.content.decode()
    response = client.post(edit_url(course), data)
    assert response.status_code == 404
    course.refresh_from_db()
    assert course.get_latest_revision().as_object().title == "Safe Haven training (90 minutes)"
