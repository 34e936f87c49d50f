"""Reads shared by course pages, the admin and course packages."""

from django.db.models import Prefetch

from .models import CourseModule, CoursePage, Module


def courses_with_content(queryset=None):
    """Course pages with their modules (and owners) and questions prefetched: no per-module queries."""
    queryset = CoursePage.objects.all() if queryset is None else queryset
    return queryset.prefetch_related(
        Prefetch("course_modules", queryset=CourseModule.objects.select_related("module__partner")),
        "knowledge_check_questions",
    )


def modules_editable_by(user):
    """Modules a staff user may open and edit: their partners' own."""
    from cms.tenancy import partners_for_user

    return Module.objects.owned_by(partners_for_user(user))


def modules_choosable_by(user):
    """Modules a staff user may put in a course: their own, plus other partners' shared live ones."""
    from cms.tenancy import partners_for_user

    return Module.objects.choosable_by(partners_for_user(user))


def shared_modules_of_others(user):
    """Other partners' shared, published modules: what an editor can reuse or copy to customise."""
    from cms.tenancy import partners_for_user

    return (
        Module.objects.filter(shared=True, live=True)
        .exclude(partner__in=partners_for_user(user))
        .select_related("partner")
    )
