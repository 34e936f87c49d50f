"""Template filters for dates and times the GOV.UK way (see `cms.formats`), on the current time
zone: `{{ session.starts_at|govuk_date }}` "Thursday 24 June 2027",
`{{ certificate.expires_on|govuk_date:"no_weekday" }}` "24 June 2027", `|govuk_date:"short"`
"24 Jun 2027" (admin tables only), `|govuk_time` "10am", `{{ starts|govuk_time_range:ends }}`
"10am to 11:30am", `|govuk_datetime` "Thursday 24 June 2027 at 10am", `|govuk_datetime:"short"`
"24 Jun 2027, 10am"."""

from django import template

from cms import formats

register = template.Library()


@register.filter
def govuk_date(value, style: str = ""):
    if style == "short":
        return formats.short_date(value)
    return formats.govuk_date(value, weekday=style != "no_weekday")


@register.filter
def govuk_time(value):
    return formats.govuk_time(value)


@register.filter
def govuk_time_range(starts, ends):
    if not starts or not ends:
        return ""
    return formats.govuk_time_range(starts, ends)


@register.filter
def govuk_datetime(value, style: str = ""):
    if style == "short":
        return formats.short_datetime(value)
    return formats.govuk_datetime(value, weekday=style != "no_weekday")
