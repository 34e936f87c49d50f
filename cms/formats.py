"""Dates and times the GOV.UK way, one source for pages, emails, invites and the admin.

- Dates: "Thursday 24 June 2027" where the weekday helps someone plan (sessions, deadlines),
  "24 June 2027" where it does not (issued on, valid until). Admin tables and summaries, and only
  they, use the short month, "24 Jun 2027" ("Thu 24 Jun 2027" for a session), so a column stays
  narrow.
- Times: "10am", "11:30am", "12pm" for midday, "12am" for midnight; never "10:00am", "a.m." or a
  24-hour clock. Ranges: "10am to 11:30am".
- A datetime is shown on the partner's clock: pass `tz`, or the current time zone is used (emails
  and pages run under `timezone.override(partner.zone)` where the partner is known).

Plain f-strings rather than the template `date` filter: the session list is re-rendered on every
request of a cached course page (places left stay live), and the filter costs ten times as much.
Pass `tz` when formatting many values, to look the current time zone up once. Exports for machines
keep ISO dates; this module is for people.
"""

import datetime

from django.utils import timezone


def _local(value, tz=None):
    """A datetime on the partner's clock; a date or a time as it is."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value.astimezone(tz or timezone.get_current_timezone())
    return value


def _date(value, tz, *, month: str, day: str, weekday: bool) -> str:
    """The one date format, with a long or short month and weekday ("%B"/"%A" or "%b"/"%a")."""
    if value is None or value == "":
        return ""
    local = _local(value, tz)
    text = f"{local.day} {local.strftime(month)} {local.year}"
    return f"{local.strftime(day)} {text}" if weekday else text


def govuk_date(value, tz=None, *, weekday: bool = True) -> str:
    """ "Thursday 24 June 2027", or "24 June 2027" with weekday=False."""
    return _date(value, tz, month="%B", day="%A", weekday=weekday)


def short_date(value, tz=None, *, weekday: bool = False) -> str:
    """ "24 Jun 2027", or "Thu 24 Jun 2027" for a session: admin tables only."""
    return _date(value, tz, month="%b", day="%a", weekday=weekday)


def govuk_time(value, tz=None) -> str:
    """ "2pm", "11:30am", "12pm" for midday, "12am" for midnight."""
    if value is None or value == "":
        return ""
    local = _local(value, tz)
    minutes = f":{local:%M}" if local.minute else ""
    return f"{local.hour % 12 or 12}{minutes}{'am' if local.hour < 12 else 'pm'}"


def govuk_time_range(starts, ends, tz=None) -> str:
    """ "10am to 11:30am"."""
    return f"{govuk_time(starts, tz)} to {govuk_time(ends, tz)}"


def govuk_datetime(value, tz=None, *, weekday: bool = True) -> str:
    """ "Thursday 24 June 2027 at 10am"."""
    if value is None or value == "":
        return ""
    return f"{govuk_date(value, tz, weekday=weekday)} at {govuk_time(value, tz)}"


def short_datetime(value, tz=None, *, weekday: bool = False) -> str:
    """ "24 Jun 2027, 10:30am" (when something happened), "Thu 24 Jun 2027, 10am" (a session): admin
    tables and summaries only."""
    if value is None or value == "":
        return ""
    return f"{short_date(value, tz, weekday=weekday)}, {govuk_time(value, tz)}"


def when_from_now(value, *, now, tz=None) -> str:
    """ "today at 2pm", "tomorrow at 10am" or "on Thursday 24 June 2027 at 2pm", from the calendar
    days between now and then on the partner's clock (not a fixed 24 hours: a booking made three
    hours before a 2pm session is told "today")."""
    tz = tz or timezone.get_current_timezone()
    days = (value.astimezone(tz).date() - now.astimezone(tz).date()).days
    at = govuk_time(value, tz)
    if days == 0:
        return f"today at {at}"
    if days == 1:
        return f"tomorrow at {at}"
    return f"on {govuk_date(value, tz)} at {at}"
