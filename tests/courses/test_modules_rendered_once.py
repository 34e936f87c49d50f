"""A course's modules are most of its page: rendered once per content change and shared through the
cache (`{% rendered_once %}`), so a page-cache miss neither reads nor renders them again; an edit
shows at once, and an editor's preview of a draft is never stored or served to the public."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CourseModule, Module

from .conftest import course_of
from .test_modules import SHARED_TITLE, main_html

COURSE = "/training/safe-haven-training/"


def module_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "courses_module" in q["sql"] or "courses_coursemodule" in q["sql"]]


def test_a_second_view_reads_and_renders_no_module(client, barking):
    first = client.get(COURSE)
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(COURSE)
    assert second.status_code == 200
    assert main_html(second) == main_html(first)
    assert SHARED_TITLE in main_html(second)
    assert module_queries(second_queries.captured_queries) == []


def test_a_published_module_edit_is_shown_on_the_next_view(client, barking):
    client.get(COURSE)
    module = Module.objects.get(partner=barking, title=SHARED_TITLE)
    module.body = [("paragraph", "<p>Look for someone lingering by the door.</p>")]
    module.save_revision().publish()
    assert "lingering by the door" in main_html(client.get(COURSE))


def test_a_preview_of_a_draft_is_neither_served_from_nor_stored_in_the_cache(client, barking):
    client.get(COURSE)  # the published modules are stored
    draft = course_of(barking)
    kept = [cm for cm in draft.course_modules.all() if cm.module.title != SHARED_TITLE]
    draft.course_modules = [CourseModule(module=cm.module, sort_order=cm.sort_order) for cm in kept]

    preview = main_html(draft.make_preview_request())
    assert SHARED_TITLE not in preview  # the draft, not the stored published modules

    public = main_html(client.get(COURSE))
    assert SHARED_TITLE in public  # and the draft did not replace them
