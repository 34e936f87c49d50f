"""Admin panels for course pages."""

from django.utils.html import format_html
from wagtail.admin.panels import HelpPanel


class ModuleDurationsPanel(HelpPanel):
    """Warns on the course edit page when its modules no longer add up to the course's length.

    Saving is refused in that case too (`CoursePage.clean`), but a shared module can change length
    when its owner edits it, so an editor opening an untouched course needs telling as well.
    """

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            check = getattr(self.instance, "duration_problem", None)
            self.problem = check() if check else None
            self.content = format_html('<p class="help-block help-warning">{}</p>', self.problem or "")

        def is_shown(self):
            return bool(self.problem)
