import datetime
from decimal import Decimal
from html import unescape

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.text import Truncator
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin

from cms.formats import govuk_datetime
from cms.models import BasePage, Partner
from cms.tenancy import partner_for_request

from .blocks import ModuleBodyBlock, prefetch_streams
from .forms import CoursePageForm, ModuleForm
from .panels import ModuleDurationsPanel

OUTCOME_FEATURES = ["bold", "italic", "ul", "ol"]


class TrainingIndexPage(BasePage):
    """`/training/`: the partner's workshops and networking events."""

    intro = models.TextField(blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.NetworkingEventPage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        partner = partner_for_request(request)
        context.update(self.listing(now=timezone.now(), tz=partner.zone if partner else None))
        return context

    def listing(self, *, now, tz=None) -> dict:
        """Workshops in the editors' order, then networking events by date: coming ones soonest first
        (one still running counts as coming), undated ones, then past ones latest first. So every
        partner's index reads the same way whatever order its pages were made in.

        One query per page type; each event's date line and plain-text summary are worked out here,
        so the template asks nothing of the database per row.
        """
        courses, coming, undated, past = [], [], [], []
        for entry in self.get_children().live().public().specific():
            if not isinstance(entry, NetworkingEventPage):
                courses.append(entry)
                continue
            row = {
                "page": entry,
                "when": govuk_datetime(entry.starts_at, tz),
                "summary": entry.listing_summary or _plain_summary(entry.description),
            }
            if entry.starts_at is None:
                undated.append(row)
            elif entry.starts_at + datetime.timedelta(minutes=entry.duration_minutes) > now:
                coming.append(row)
            else:
                past.append(row)
        coming.sort(key=lambda row: (row["page"].starts_at, row["page"].title))
        undated.sort(key=lambda row: row["page"].title)
        past.sort(key=lambda row: (row["page"].starts_at, row["page"].title), reverse=True)
        events = coming + undated
        return {
            "courses": courses,
            "events": events,
            "past_events": past,
            "entries": courses + [row["page"] for row in events + past],
        }


def _plain_summary(html: str, words: int = 40) -> str:
    """Rich text as a sentence or two of plain text for a list (no link expansion: no queries)."""
    return Truncator(unescape(strip_tags(html or "")).strip()).words(words)


class BookablePage(BasePage):
    """What the bookings engine needs from a page people book sessions of.

    Courses and networking events both inherit it; bookings reads `price` (0 = free, never
    touches Stripe) and `duration_minutes` (the default length of a new session).
    """

    price = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="In pounds. 0 means free: bookings never go through the payment provider.",
    )
    duration_minutes = models.PositiveSmallIntegerField(default=90)

    class Meta:
        abstract = True

    @property
    def is_free(self) -> bool:
        return self.price == 0


class ModuleQuerySet(models.QuerySet):
    def owned_by(self, partners):
        """Modules the given partners may edit: their own."""
        return self.filter(partner__in=partners)

    def choosable_by(self, partners):
        """What a partner's editor may put in a course: their own, and other partners' shared live modules."""
        return self.filter(Q(partner__in=partners) | Q(shared=True, live=True))


class Module(PreviewableMixin, DraftStateMixin, RevisionMixin, models.Model):
    """A reusable unit of a workshop, owned by a partner and optionally shared with every partner.

    Courses show the published (live) version; saving a draft only makes a revision, so a course
    never shows half-finished edits. Editing a shared module changes every course that uses it;
    a "copy to customise" is a separate module (with `copied_from` remembering its origin).
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=160)
    summary = models.TextField(blank=True, help_text="One or two sentences shown in choosers and lists.")
    learning_outcomes = RichTextField(features=OUTCOME_FEATURES, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    body = StreamField(ModuleBodyBlock(), blank=True)
    shared = models.BooleanField(
        default=False, help_text="Let other partners on this installation use this module in their courses."
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies", editable=False
    )
    imported_from = models.CharField(
        max_length=255, blank=True, editable=False, help_text="For imported modules: the original title and partner."
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="module")

    objects = ModuleQuerySet.as_manager()
    base_form_class = ModuleForm

    panels = [
        FieldPanel("partner"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("duration_minutes"),
        FieldPanel("learning_outcomes"),
        FieldPanel("body"),
        FieldPanel("shared"),
    ]

    class Meta:
        ordering = ["partner__name", "title"]

    def __str__(self):
        return f"{self.title} ({self.partner.name})" if self.partner_id else self.title

    @property
    def revisions(self):
        return self._revisions

    def get_preview_template(self, request, mode_name):
        return "courses/module_preview.html"


class CoursePage(BookablePage):
    """The 90-minute Safe Haven workshop (or another course) a partner runs sessions of."""

    overview = RichTextField(features=["bold", "italic", "link", "ul", "ol"], blank=True)
    audience = models.TextField(blank=True, help_text="Who the course is for.")
    learning_outcomes = RichTextField(features=OUTCOME_FEATURES, blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        default=80,
        validators=[MaxValueValidator(100)],
        help_text="Percentage of knowledge-check questions a learner must get right. No questions: no check.",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("overview"),
        FieldPanel("audience"),
        FieldPanel("learning_outcomes"),
        FieldPanel("duration_minutes"),
        FieldPanel("price"),
        ModuleDurationsPanel(heading="Module lengths"),
        InlinePanel("course_modules", heading="Modules", label="Module"),
        MultiFieldPanel(
            [FieldPanel("pass_mark"), InlinePanel("knowledge_check_questions", label="Question")],
            heading="Knowledge check",
        ),
    ]
    parent_page_types = ["courses.TrainingIndexPage"]
    subpage_types = []
    base_form_class = CoursePageForm

    def clean(self):
        super().clean()
        message = self.duration_problem()
        if message:
            raise ValidationError({"duration_minutes": message})

    def duration_problem(self) -> str | None:
        """Why the modules do not fill the course exactly, or None when they do."""
        durations = getattr(self, "_pending_module_durations", None)
        if durations is None:
            # The rows may be unsaved (a revision or a form): read the modules' lengths in one query.
            ids = [cm.module_id for cm in self.course_modules.all() if cm.module_id]
            minutes = dict(Module.objects.filter(pk__in=ids).values_list("pk", "duration_minutes"))
            durations = [minutes[pk] for pk in ids if pk in minutes]
        return module_duration_problem(durations, self.duration_minutes)

    def published_modules(self):
        """The course's live modules in order, loaded with their partners and body blocks in a
        fixed number of queries however many modules there are."""
        modules = [
            course_module.module
            for course_module in self.course_modules.filter(module__live=True).select_related("module__partner")
        ]
        prefetch_streams(module.body for module in modules)
        return modules

    @property
    def has_knowledge_check(self) -> bool:
        return self.knowledge_check_questions.exists()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template renders them: once per content change (`rendered_once`).
        context["modules"] = SimpleLazyObject(self.published_modules)
        return context


def module_duration_problem(durations: list[int], course_minutes: int) -> str | None:
    """The message an editor sees when a course's modules do not fill the course exactly."""
    if not durations or course_minutes is None:
        return None
    total = sum(durations)
    if total == course_minutes:
        return None
    difference = abs(course_minutes - total)
    advice = (
        f"Add {difference} minutes of modules or shorten the course."
        if total < course_minutes
        else f"Remove {difference} minutes of modules or lengthen the course."
    )
    return f"The modules add up to {total} minutes but the course lasts {course_minutes} minutes. {advice}"


class CourseModule(Orderable):
    """A module's place in a course; the same module can sit in many partners' courses."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="course_modules")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="course_uses")

    panels = [FieldPanel("module")]

    class Meta(Orderable.Meta):
        verbose_name = "course module"


class KnowledgeCheckQuestion(Orderable):
    """A question learners answer after the workshop; exactly one option is right."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="knowledge_check_questions")
    question = models.CharField(max_length=300)
    options = models.TextField(help_text="One answer option per line.")
    correct_option = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="Number of the right option: 1 for the first line."
    )

    panels = [FieldPanel("question"), FieldPanel("options"), FieldPanel("correct_option")]

    def __str__(self):
        return self.question

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options or "").splitlines() if line.strip()]

    @property
    def correct_answer(self) -> str:
        return self.option_list[self.correct_option - 1]

    def clean(self):
        super().clean()
        count = len(self.option_list)
        if count < 2:
            raise ValidationError({"options": "Give at least two answer options, one per line."})
        if self.correct_option and self.correct_option > count:
            raise ValidationError({"correct_option": f"There are only {count} options: choose a number up to {count}."})


class NetworkingEventPage(BookablePage):
    """A networking event for Safe Havens, booked through the same sessions as courses."""

    description = RichTextField(features=["bold", "italic", "link", "ul", "ol"], blank=True)
    starts_at = models.DateTimeField(
        null=True, blank=True, help_text="Date and start time (UK time). A session is made from this by default."
    )
    capacity = models.PositiveIntegerField(default=30, help_text="Places available, the default for its sessions.")
    location = models.CharField(max_length=255, blank=True, help_text="Address, or leave blank if online.")

    content_panels = BasePage.content_panels + [
        FieldPanel("description"),
        FieldPanel("starts_at"),
        FieldPanel("location"),
        FieldPanel("duration_minutes"),
        FieldPanel("capacity"),
        FieldPanel("price"),
    ]
    parent_page_types = ["courses.TrainingIndexPage"]
    subpage_types = []

    @property
    def is_online(self) -> bool:
        return not self.location.strip()
