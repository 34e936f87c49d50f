"""Dates in staff listings that read as dates.

Wagtail's DateColumn shows every date relative to now, which reads wrongly for the dates staff
care about most: an expiry a year ahead showed as "Just now". Here a date is a date ("1 Dec 2027",
the admin tables' short form from `cms.formats`), and one in the last 30 days also says how long ago
("1 Dec 2026, 10:04am (5 minutes ago)"), on the partner's clock.
"""

import datetime

from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from wagtail.admin.ui.tables import Column

from .formats import short_date, short_datetime

RECENT = datetime.timedelta(days=30)


def when(value, *, now: datetime.datetime | None = None) -> str:
    """The text for a date or date-time: a date, and "… ago" when it was in the last 30 days."""
    if value in (None, ""):
        return ""
    now = now or timezone.now()
    if isinstance(value, datetime.datetime):
        text = short_datetime(value)
        moment = value
    else:
        text = short_date(value)
        moment = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        if value == timezone.localdate(now):
            return f"{text} (today)"
    if moment <= now and now - moment < RECENT:
        ago = timesince(moment, now, depth=1).replace("\xa0", " ")
        return f"{text} ({'just now' if ago.startswith('0') else ago + ' ago'})"
    return text


class WhenColumn(Column):
    """A listing column for a date or date-time, using `when`, in a <time> element."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context.get("value")
        if value:
            context["value"] = format_html('<time datetime="{}">{}</time>', value.isoformat(), when(value))
        return context
