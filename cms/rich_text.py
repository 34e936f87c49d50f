"""The rich text editor widget, answering a crafted or broken post with a form error, not a 500.

Draftail posts its content as JSON. Wagtail's widget parses it while the form reads its data,
before validation, so an empty or non-JSON value (which no browser using the editor sends, but a
script can) raised an uncaught JSONDecodeError. Here such a value becomes `Unreadable`, which the
field's own cleaning turns into a message on that field; the editor then shows empty.
"""

import json

from django.core.exceptions import ValidationError
from wagtail.admin.rich_text import DraftailRichTextArea as WagtailDraftailRichTextArea

UNREADABLE_MESSAGE = "This text could not be read. Reload the page and enter it again."


class Unreadable:
    """Stands for posted rich text that is not the editor's format; cleaning it is an error."""

    def __str__(self):
        raise ValidationError(UNREADABLE_MESSAGE, code="unreadable")


class DraftailRichTextArea(WagtailDraftailRichTextArea):
    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (json.JSONDecodeError, TypeError, KeyError, AttributeError, ValueError):
            return Unreadable()

    def format_value(self, value):
        return super().format_value("" if isinstance(value, Unreadable) else value)

    def get_context(self, name, value, attrs):
        return super().get_context(name, "" if isinstance(value, Unreadable) else value, attrs)
