from django.db import models
from wagtail.admin.panels import FieldPanel

from cms.models import BasePage


class TrainingIndexPage(BasePage):
    """`/training/`: the partner's workshops and networking events."""

    intro = models.TextField(blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entries"] = self.get_children().live().public().specific()
        return context
