"""Read emails back the way a mail client would: MIME parts, then the calendar inside."""

import icalendar
import vobject


def calendar_parts(message):
    """(disposition, method param, text) for each text/calendar part of an EmailMessage."""
    parts = []
    for part in message.message().walk():
        if part.get_content_type() == "text/calendar":
            text = part.get_payload(decode=True).decode()
            parts.append((part.get("Content-Disposition", "inline"), part.get_param("method"), text))
    return parts


def parse_both(text: str):
    """Parse with vobject (validating) and icalendar; return the icalendar VEVENT and the VCALENDAR."""
    vobject.readOne(text, validate=True)
    calendar = icalendar.Calendar.from_ical(text)
    return calendar, calendar.walk("VEVENT")[0]
