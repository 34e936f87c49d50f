"""How sessions' dates and times read: the names bookings has always used, from `cms.formats`
(the one source for the whole service: "Tuesday 4 May 2027", "10am", "11:30am")."""

from cms.formats import govuk_date, govuk_time, short_datetime, when_from_now

__all__ = ["day_label", "plain_time", "short_datetime", "time_label", "when_from_now"]


def day_label(value, tz=None) -> str:
    return govuk_date(value, tz)


def plain_time(value, tz=None) -> str:
    """GOV.UK style: "2pm", "11:30am", "12pm" for midday."""
    return govuk_time(value, tz)


time_label = plain_time
