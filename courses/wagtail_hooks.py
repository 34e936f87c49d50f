from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet

from cms.tenancy import partners_for_user

from . import views
from .models import CoursePage, Module
from .viewsets import module_viewset

register_snippet(module_viewset)


@hooks.register("register_admin_urls")
def courses_admin_urls():
    return [
        path("courses/shared-modules/", views.SharedModulesView.as_view(), name="courses_shared_modules"),
        path(
            "courses/modules/<int:pk>/customise/", views.CustomiseModuleView.as_view(), name="courses_customise_module"
        ),
        path("courses/import/", views.ImportCourseView.as_view(), name="courses_import_course"),
        path("courses/<int:page_id>/export/", views.export_course_view, name="courses_export_course"),
    ]


class PartnerStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return partners_for_user(request.user).exists()


@hooks.register("register_admin_menu_item")
def shared_modules_menu_item():
    return PartnerStaffMenuItem(
        "Shared modules", reverse("courses_shared_modules"), icon_name="doc-full-inverse", order=211
    )


@hooks.register("register_admin_menu_item")
def import_course_menu_item():
    return PartnerStaffMenuItem("Import a course", reverse("courses_import_course"), icon_name="download", order=212)


@hooks.register("register_snippet_listing_buttons")
def customise_module_button(snippet, user, next_url=None):
    if isinstance(snippet, Module):
        yield Button(
            "Copy to customise", reverse("courses_customise_module", args=[snippet.pk]), icon_name="copy", priority=25
        )


@hooks.register("register_page_header_buttons")
def export_course_button(page, user, view_name, next_url=None):
    if page.specific_class is CoursePage:
        yield Button(
            "Export course package", reverse("courses_export_course", args=[page.pk]), icon_name="download", priority=70
        )
