from wagtail.models import Page

from courses.models import CourseModule, CoursePage, Module, TrainingIndexPage


def training_of(partner) -> TrainingIndexPage:
    return TrainingIndexPage.objects.child_of(partner.site.root_page).get()


def course_of(partner, slug="safe-haven-training") -> CoursePage:
    return CoursePage.objects.child_of(training_of(partner)).get(slug=slug)


def add_course(partner, modules, *, slug="test-course", title="Test course", **fields) -> CoursePage:
    """A published course of these modules whose length is their total."""
    course = CoursePage(
        title=title,
        slug=slug,
        duration_minutes=sum(m.duration_minutes for m in modules),
        course_modules=[CourseModule(module=m, sort_order=i) for i, m in enumerate(modules)],
        **fields,
    )
    training_of(partner).add_child(instance=course)
    course.save_revision().publish()
    return course


def row_counts() -> dict:
    from cms.models import CustomImage
    from courses.models import KnowledgeCheckQuestion

    return {
        "pages": Page.objects.count(),
        "modules": Module.objects.count(),
        "course_modules": CourseModule.objects.count(),
        "questions": KnowledgeCheckQuestion.objects.count(),
        "images": CustomImage.objects.count(),
    }
