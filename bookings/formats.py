"""How sessions' dates and times read on the public site: "Tuesday 4 May 2027", "10:00am".

Plain strftime rather than the template `date` filter: the session list is re-rendered on every
request of a cached course page (places left stay live), and the filter costs ten times as much.
Pass `tz` when formatting many values, to look the current time zone up once.
"""

from django.utils import timezone


def day_label(value, tz=None) -> str:
    local = value.astimezone(tz or timezone.get_current_timezone())
    return f"{local:%A} {local.day} {local:%B %Y}"


def time_label(value, tz=None) -> str:
    local = value.astimezone(tz or timezone.get_current_timezone())
    return f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def plain_time(value, tz=None) -> str:
    """GOV.UK style: "2pm", "11:30am", "12pm" for midday."""
    local = value.astimezone(tz or timezone.get_current_timezone())
    minutes = f":{local:%M}" if local.minute else ""
    return f"{local.hour % 12 or 12}{minutes}{'am' if local.hour < 12 else 'pm'}"


def when_from_now(value, *, now, tz=None) -> str:
    """ "today at 2pm", "tomorrow at 10am" or "on Thursday 24 June 2027 at 2pm", from the calendar
    days between now and then on the partner's clock (not a fixed 24 hours: a booking made three
    hours before a 2pm session is told "today")."""
    tz = tz or timezone.get_current_timezone()
    days = (value.astimezone(tz).date() - now.astimezone(tz).date()).days
    at = plain_time(value, tz)
    if days == 0:
        return f"today at {at}"
    if days == 1:
        return f"tomorrow at {at}"
    return f"on {day_label(value, tz)} at {at}"
