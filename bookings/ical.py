"""iCalendar bytes for invites and feeds (RFC 5545 and the iTIP methods of RFC 5546).

Pure: no database, no request. Callers pass `Entry` values built from a session and booking.
UIDs are random per booking (invites) or per session (feeds), never database ids or tokens.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText
from icalendar.parser.string import _foldline

PRODID = "-//Safe Haven Training//Bookings//EN"


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True)
class Entry:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    time_zone: str = "Europe/London"
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False


def _address(person: Person, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = vText(person.name)
    for key, value in params.items():
        address.params[key.upper()] = vText(value)
    return address


def _event(entry: Entry, *, organizer: Person, attendee: Person | None, stamp: datetime) -> Event:
    zone = ZoneInfo(entry.time_zone)
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    # Local wall-clock time with TZID; the VTIMEZONE added below defines the offsets.
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer))
    if attendee is not None:
        partstat = "DECLINED" if entry.cancelled else "ACCEPTED"
        event.add(
            "attendee",
            _address(attendee, role="REQ-PARTICIPANT", partstat=partstat, rsvp="FALSE", cutype="INDIVIDUAL"),
        )
    return event


def _calendar(method: str, events: list[Event], *, name: str = "") -> bytes:
    calendar = Calendar()
    _describe(calendar, method, name)
    for event in events:
        calendar.add_component(event)
    starts = [event.decoded("dtstart") for event in events]
    if starts:
        # VTIMEZONE observances covering a year either side, so every clock change near the
        # events (29 March, 25 October...) is described for clients without a tz database.
        first = min(starts).date() - timedelta(days=366)
        last = max(starts).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    else:
        calendar.add_missing_timezones(first_date=date.today(), last_date=date.today() + timedelta(days=366))
    return calendar.to_ical()


def invite(entry: Entry, *, method: str, organizer: Person, attendee: Person, stamp: datetime | None = None) -> bytes:
    """A REQUEST (new or changed booking) or CANCEL for one attendee's invite."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unsupported iTIP method {method}")
    if method == "CANCEL" and not entry.cancelled:
        raise ValueError("A CANCEL must carry STATUS:CANCELLED")
    event = _event(entry, organizer=organizer, attendee=attendee, stamp=stamp or datetime.now(UTC))
    return _calendar(method, [event])


def publish(entries: list[Entry], *, organizer: Person, name: str = "", stamp: datetime | None = None) -> bytes:
    """A PUBLISH calendar: the public feed or a download, with no attendees.

    The same bytes the library writes through `_event` and `_calendar` (tests/bookings/
    test_feed_writer.py compares them), but each event is written as text here: the feed has up to
    200 events, and the library's per-property objects and per-character line folding were nine
    tenths of a cold feed's time. The calendar's head, its VTIMEZONE and the organizer (the same for
    every event) still come from the library.
    """
    stamp = stamp or datetime.now(UTC)
    head = Calendar()
    _describe(head, "PUBLISH", name)
    if entries:
        starts = [entry.starts_at.astimezone(ZoneInfo(entry.time_zone)).date() for entry in entries]
        first, last = min(starts) - timedelta(days=366), max(starts) + timedelta(days=366)
        for tzid in dict.fromkeys(entry.time_zone for entry in entries):
            head.add_component(Timezone.from_tzid(tzid, first_date=first, last_date=last))
    organizer_line = _organizer_line(organizer)
    stamp_text = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    events = "".join(_event_text(entry, organizer_line, stamp_text) for entry in entries)
    calendar = head.to_ical()
    end = b"END:VCALENDAR\r\n"
    return calendar[: -len(end)] + events.encode() + end


def _describe(calendar: Calendar, method: str, name: str) -> None:
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)


def _organizer_line(organizer: Person) -> str:
    event = Event()
    event.add("organizer", _address(organizer))
    return event.content_lines()[1]  # BEGIN:VEVENT, ORGANIZER..., END:VEVENT


def _text(value: str) -> str:
    """iCalendar TEXT escaping (RFC 5545 3.3.11), in the library's order."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines over 75 octets folded as the library folds them: 74 characters a line, never after a
    backslash (an escape stays whole). Non-ASCII text goes through the library's own folding."""
    if len(line) < 75 and line.isascii():
        return line
    if not line.isascii():
        return _foldline(line)
    parts, start = [], 0
    while len(line) - start > 74:
        end = start + 74
        if end - start > 1 and line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)


def _event_text(entry: Entry, organizer_line: str, stamp_text: str) -> str:
    zone = ZoneInfo(entry.time_zone)
    tzid = entry.time_zone
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + _text(entry.summary),
        f"DTSTART;TZID={tzid}:{entry.starts_at.astimezone(zone):%Y%m%dT%H%M%S}",
        f"DTEND;TZID={tzid}:{entry.ends_at.astimezone(zone):%Y%m%dT%H%M%S}",
        "DTSTAMP:" + stamp_text,
        "UID:" + _text(entry.uid),
        f"SEQUENCE:{entry.sequence}",
    ]
    if entry.description:
        lines.append("DESCRIPTION:" + _text(entry.description))
    if entry.location:
        lines.append("LOCATION:" + _text(entry.location))
    lines.append(organizer_line)
    lines.append("STATUS:" + ("CANCELLED" if entry.cancelled else "CONFIRMED"))
    lines.append("TRANSP:OPAQUE")
    if entry.url:
        lines.append("URL:" + entry.url)
    lines.append("END:VEVENT")
    return "".join(_fold(line) + "\r\n" for line in lines)
