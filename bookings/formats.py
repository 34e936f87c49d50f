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
