import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import CustomImage
from courses.exceptions import ModuleNotAvailable
from courses.models import CourseModule, Module
from courses.services import copy_module_for_partner
from tests.conftest import TW_HOST
from tests.factories import ModuleFactory, editor_of

from .conftest import add_course, course_of
from .test_packages import png_bytes

SHARED_TITLE = "Recognising someone in distress"


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_tunbridge_wells_course_renders_barking_shared_module(client, barking, tunbridge_wells):
    module = Module.objects.get(partner=barking, title=SHARED_TITLE)
    assert module.shared and module.live

    response = client.get("/training/safe-haven-training/", HTTP_HOST=TW_HOST)

    assert response.status_code == 200
    html = main_html(response)
    assert SHARED_TITLE in html
    assert "People in distress rarely announce it." in html
    assert "#TogetherAsAllies: being an active bystander" in html
    assert "Directions and transport information" not in html  # Barking's London module is not reused


def test_seeded_courses_fill_ninety_minutes(barking, tunbridge_wells):
    for partner in (barking, tunbridge_wells):
        course = course_of(partner)
        assert course.title == "Safe Haven training (90 minutes)"
        assert course.is_free
        assert sum(m.duration_minutes for m in course.published_modules()) == 90 == course.duration_minutes
        course.full_clean()


def test_publishing_a_shared_module_changes_every_course_using_it_but_not_copies(client, barking, tunbridge_wells):
    module = Module.objects.get(partner=barking, title=SHARED_TITLE)
    copy = copy_module_for_partner(module=module, partner=tunbridge_wells, actor=None)

    module.body = [("paragraph", "<p>Updated advice: look for someone lingering by the door.</p>")]
    module.save_revision()
    # A saved draft is not yet shown anywhere.
    assert "Updated advice" not in main_html(client.get("/training/safe-haven-training/", HTTP_HOST=TW_HOST))

    module.get_latest_revision().publish()

    for host in ("localhost", TW_HOST):
        assert "Updated advice" in main_html(client.get("/training/safe-haven-training/", HTTP_HOST=host))
    copy.refresh_from_db()
    assert copy.copied_from == module
    assert copy.partner == tunbridge_wells and not copy.shared
    assert "Updated advice" not in str(copy.body)
    assert "People in distress rarely announce it." in str(copy.body)


def test_a_course_using_a_customised_copy_keeps_the_copy(client, barking, tunbridge_wells):
    original = Module.objects.get(partner=barking, title=SHARED_TITLE)
    copy = copy_module_for_partner(module=original, partner=tunbridge_wells, actor=None)
    copy.body = [("paragraph", "<p>Tunbridge Wells wording.</p>")]
    copy.save_revision().publish()
    course = course_of(tunbridge_wells)
    CourseModule.objects.filter(page=course, module=original).update(module=copy)

    original.body = [("paragraph", "<p>Barking rewrite.</p>")]
    original.save_revision().publish()

    html = main_html(client.get("/training/safe-haven-training/", HTTP_HOST=TW_HOST))
    assert "Tunbridge Wells wording." in html
    assert "Barking rewrite." not in html
    assert "Barking rewrite." in main_html(client.get("/training/safe-haven-training/", HTTP_HOST="localhost"))


def test_private_modules_cannot_be_copied_by_another_partner(barking, tunbridge_wells):
    private = ModuleFactory(partner=tunbridge_wells, shared=False)
    with pytest.raises(ModuleNotAvailable):
        copy_module_for_partner(module=private, partner=barking, actor=None)


def test_duration_mismatch_tells_the_editor(barking):
    course = course_of(barking)
    course.duration_minutes = 60
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert error.value.message_dict["duration_minutes"] == [
        "The modules add up to 90 minutes but the course lasts 60 minutes. "
        "Remove 30 minutes of modules or lengthen the course."
    ]
    course.duration_minutes = 120
    with pytest.raises(ValidationError, match="Add 30 minutes of modules or shorten the course"):
        course.full_clean()


def rich_module(partner, image, number):
    """A module using every block that touches the database or a template: images, lists, callouts."""
    return ModuleFactory(
        partner=partner,
        title=f"Rich module {number}",
        learning_outcomes="<ul><li>Spot distress</li></ul>",
        body=[
            ("heading", f"Heading {number}"),
            ("paragraph", f"<p>Paragraph {number}.</p>"),
            ("image", {"image": image, "alt_text": f"Picture {number}", "caption": "Caption"}),
            ("callout", {"title": "Careful", "text": "<p>Stay calm.</p>"}),
            ("steps", {"title": "Steps", "steps": ["Listen", "Call"]}),
            (
                "scenario",
                {
                    "title": "Followed",
                    "situation": "Someone comes in.",
                    "what_to_do": ["Let them in"],
                    "what_not_to_do": ["Chase"],
                },
            ),  # fmt: skip
        ],
    )


@pytest.fixture
def course_of_size(barking, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    made = iter(range(1000))

    def image():
        return CustomImage.objects.create(title="Sticker", file=ImageFile(io.BytesIO(png_bytes()), name="sticker.png"))

    def make(size):
        modules = [rich_module(barking, image(), next(made)) for _ in range(size)]
        return add_course(barking, modules, slug=f"size-{size}"), modules

    return make


def test_course_page_renders_in_the_same_number_of_queries_for_2_and_10_modules(client, course_of_size):
    few, few_modules = course_of_size(2)
    many, many_modules = course_of_size(10)
    for url in (few.url, many.url):
        client.get(url)  # warm up: site root paths, settings, image renditions created on first view

    with CaptureQueriesContext(connection) as two:
        response = client.get(few.url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as ten:
        response = client.get(many.url)

    html = response.content.decode()
    assert all(m.title in html for m in many_modules)
    assert all(f"Picture {m.title.split()[-1]}" in html for m in many_modules)
    assert len(ten) == len(two), "\n".join(q["sql"] for q in ten.captured_queries)


# --- admin: editors see only their own partner's modules -------------------------------------------


def edit_url(module):
    return reverse("wagtailsnippets_courses_module:edit", args=[module.pk])


def test_editor_lists_and_edits_only_own_modules(client, barking, tunbridge_wells):
    tw_private = ModuleFactory(partner=tunbridge_wells, title="TW private notes", shared=False)
    barking_shared = Module.objects.get(partner=barking, title=SHARED_TITLE)
    client.force_login(editor_of(barking))

    listing = client.get(reverse("wagtailsnippets_courses_module:list"))
    assert listing.status_code == 200
    assert SHARED_TITLE in listing.content.decode()
    assert "TW private notes" not in listing.content.decode()
    assert client.get(edit_url(barking_shared)).status_code == 200
    assert client.get(edit_url(tw_private)).status_code == 404
    assert client.get(reverse("wagtailsnippets_courses_module:delete", args=[tw_private.pk])).status_code == 404
    assert client.get(reverse("wagtailsnippets_courses_module:history", args=[tw_private.pk])).status_code == 404


def test_editor_cannot_edit_another_partners_shared_module_but_can_choose_it(client, barking, tunbridge_wells):
    barking_shared = Module.objects.get(partner=barking, title=SHARED_TITLE)
    ModuleFactory(partner=barking, title="Barking private draft", shared=False)
    client.force_login(editor_of(tunbridge_wells))

    assert client.get(edit_url(barking_shared)).status_code == 404
    response = client.post(edit_url(barking_shared), {"title": "Hijacked"})
    assert response.status_code == 404
    barking_shared.refresh_from_db()
    assert barking_shared.title == SHARED_TITLE

    chooser = client.get(reverse("wagtailsnippetchoosers_courses_module:choose"))
    assert chooser.status_code == 200
    text = chooser.content.decode()
    assert SHARED_TITLE in text
    assert "#TogetherAsAllies" in text
    assert "Barking private draft" not in text


def test_editor_copies_a_shared_module_to_customise(client, barking, tunbridge_wells):
    barking_shared = Module.objects.get(partner=barking, title=SHARED_TITLE)
    client.force_login(editor_of(tunbridge_wells))
    shared_page = client.get(reverse("courses_shared_modules"))
    assert SHARED_TITLE in shared_page.content.decode()

    response = client.post(
        reverse("courses_customise_module", args=[barking_shared.pk]), {"partner": tunbridge_wells.pk}
    )

    copy = Module.objects.get(partner=tunbridge_wells, copied_from=barking_shared)
    assert response.status_code == 302
    assert response["Location"] == edit_url(copy)
    assert client.get(edit_url(copy)).status_code == 200
    assert copy.live and not copy.shared


def test_editor_cannot_copy_another_partners_private_module(client, barking, tunbridge_wells):
    private = ModuleFactory(partner=barking, shared=False)
    client.force_login(editor_of(tunbridge_wells))
    response = client.post(reverse("courses_customise_module", args=[private.pk]), {"partner": tunbridge_wells.pk})
    assert response.status_code == 404
    assert not Module.objects.filter(copied_from=private).exists()


def test_editor_cannot_give_a_module_to_another_partner(client, barking, tunbridge_wells):
    client.force_login(editor_of(tunbridge_wells))
    response = client.get(reverse("wagtailsnippets_courses_module:add"))
    assert response.status_code == 200
    options = re.findall(r'<option value="(\d+)"', response.content.decode())
    assert options == [str(tunbridge_wells.pk)]
