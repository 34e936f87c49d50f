from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from cms.models import BasePage


class TrainingIndexPage(BasePage):
    """`/training/`: the partner's workshops and networking events."""

    intro = models.TextField(blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.NetworkingEventPage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = self.get_children().live().public().specific()
        return context


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


class CoursePage(BookablePage):
    """The 90-minute Safe Haven workshop (or another course) a partner runs sessions of."""

    overview = RichTextField(features=["bold", "italic", "link", "ul", "ol"], blank=True)
    audience = models.TextField(blank=True, help_text="Who the course is for.")

    content_panels = BasePage.content_panels + [
        FieldPanel("overview"),
        FieldPanel("audience"),
        FieldPanel("duration_minutes"),
        FieldPanel("price"),
    ]
    parent_page_types = ["courses.TrainingIndexPage"]
    subpage_types = []


class NetworkingEventPage(BookablePage):
    """A networking event for Safe Havens, booked through the same sessions as courses."""

    description = RichTextField(features=["bold", "italic", "link", "ul", "ol"], blank=True)
    location = models.CharField(max_length=255, blank=True, help_text="Address, or leave blank if online.")

    content_panels = BasePage.content_panels + [
        FieldPanel("description"),
        FieldPanel("location"),
        FieldPanel("duration_minutes"),
        FieldPanel("price"),
    ]
    parent_page_types = ["courses.TrainingIndexPage"]
    subpage_types = []
