"""Wagtail admin views for training content: shared modules, copy to customise, course packages."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from cms.tenancy import partners_for_user

from .exceptions import CoursePackageError, ModuleNotAvailable
from .forms import CoursePackageImportForm, CustomiseModuleForm
from .models import CoursePage
from .packages import dump_package, export_course_package, import_course_package
from .selectors import modules_choosable_by, shared_modules_of_others
from .services import copy_module_for_partner
from .viewsets import module_viewset


class SharedModulesView(WagtailAdminTemplateMixin, TemplateView):
    """Other partners' shared modules, to reuse in a course or copy to customise."""

    template_name = "courses/admin/shared_modules.html"
    page_title = "Shared modules from other partners"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["modules"] = shared_modules_of_others(self.request.user).order_by("partner__name", "title")
        return context


class StaffFormView(WagtailAdminTemplateMixin, FormView):
    """An admin form whose choices depend on the signed-in user (their partners)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class CustomiseModuleView(StaffFormView):
    """Confirm and make an editable private copy of a module ("copy to customise")."""

    template_name = "courses/admin/customise_module.html"
    form_class = CustomiseModuleForm
    page_title = "Copy to customise"
    header_icon = "copy"

    def dispatch(self, request, *args, **kwargs):
        self.module = get_object_or_404(modules_choosable_by(request.user).select_related("partner"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "module": self.module}

    def form_valid(self, form):
        try:
            copy = copy_module_for_partner(
                module=self.module, partner=form.cleaned_data["partner"], actor=self.request.user
            )
        except ModuleNotAvailable as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"Your own copy of “{copy.title}” is ready to edit. The original is unchanged.")
        return redirect(module_viewset.get_url_name("edit"), copy.pk)


def _course_for_user(user, page_id) -> CoursePage:
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, CoursePage):
        raise Http404("Not a course.")
    partner = page.get_partner()
    if partner is None or not partners_for_user(user).filter(pk=partner.pk).exists():
        raise Http404("No such course.")
    if not page.permissions_for_user(user).can_edit():
        raise Http404("No such course.")
    return page


def export_course_view(request, page_id):
    """Download a course as a course package (JSON)."""
    course = _course_for_user(request.user, page_id)
    response = HttpResponse(dump_package(export_course_package(course)), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}.course.json"'
    return response


class ImportCourseView(StaffFormView):
    """Upload a course package; the course is created as a draft under the partner's /training/."""

    template_name = "courses/admin/import_course.html"
    form_class = CoursePackageImportForm
    page_title = "Import a course package"
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not partners_for_user(request.user).exists():
            raise Http404("You do not work for a partner.")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            course = import_course_package(
                data=form.cleaned_data["package"].read(), partner=form.cleaned_data["partner"], actor=self.request.user
            )
        except CoursePackageError as error:
            form.add_error("package", str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, f"Imported “{course.title}” as a draft. Check it, then publish it when it is ready."
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=[course.pk]))
