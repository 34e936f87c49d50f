"""iCalendar bytes for invites and feeds (RFC 5545 and the iTIP methods of RFC 5546).

Pure: no database, no request. Callers pass `Entry` values built from a session and booking.
UIDs are random per booking (invites) or per session (feeds), never database ids or tokens.
"""

import functools
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


def invite(entry: Entry, *, method: str, organizer: Person, attendee: Person, stamp: datetime | None = None) -> bytes:
    """A REQUEST (new or changed booking) or CANCEL for one attendee's invite."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError(f"Unsupported iTIP method {method}")
    if method == "CANCEL" and not entry.cancelled:
        raise ValueError("A CANCEL must carry STATUS:CANCELLED")
    partstat = "DECLINED" if entry.cancelled else "ACCEPTED"
    attendee_line = _property_line(
        "attendee", _address(attendee, role="REQ-PARTICIPANT", partstat=partstat, rsvp="FALSE", cutype="INDIVIDUAL")
    )
    return _written(method, [entry], organizer=organizer, attendee_line=attendee_line, name="", stamp=stamp)


def publish(entries: list[Entry], *, organizer: Person, name: str = "", stamp: datetime | None = None) -> bytes:
    """A PUBLISH calendar: the public feed or a download, with no attendees."""
    return _written("PUBLISH", entries, organizer=organizer, attendee_line="", name=name, stamp=stamp)


def _written(
    method: str, entries: list[Entry], *, organizer: Person, attendee_line: str, name: str, stamp: datetime | None
) -> bytes:
    """The bytes the icalendar library writes for these events (tests/bookings/test_feed_writer.py
    builds them with the library and compares), written as text: the library's per-property objects and
    per-character line folding were nine tenths of a cold feed's time and half of each booking
    email's. The calendar's head and each VTIMEZONE are the library's, kept per process (they depend
    only on the method, the name, the zone and the first and last dates covered, a year either side
    of the events: one entry per zone and session day)."""
    stamp_text = (stamp or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    zones = ""
    if entries:
        # VTIMEZONE observances covering a year either side, so every clock change near the
        # events (29 March, 25 October...) is described for clients without a tz database.
        starts = [entry.starts_at.astimezone(ZoneInfo(entry.time_zone)).date() for entry in entries]
        first, last = min(starts) - timedelta(days=366), max(starts) + timedelta(days=366)
        zones = "".join(_timezone_text(tzid, first, last) for tzid in dict.fromkeys(e.time_zone for e in entries))
    organizer_line = _property_line("organizer", _address(organizer))
    events = "".join(_event_text(entry, organizer_line, stamp_text, attendee_line) for entry in entries)
    return (_head_text(method, name) + zones + events + "END:VCALENDAR\r\n").encode()


@functools.lru_cache(maxsize=16)
def _head_text(method: str, name: str) -> str:
    head = Calendar()
    _describe(head, method, name)
    return head.to_ical().decode().removesuffix("END:VCALENDAR\r\n")


@functools.lru_cache(maxsize=64)
def _timezone_text(tzid: str, first: date, last: date) -> str:
    return Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical().decode()


def _describe(calendar: Calendar, method: str, name: str) -> None:
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)


def _property_line(name: str, value) -> str:
    """One property's content line, unfolded, as the library writes it (parameters quoted and
    ordered its way)."""
    event = Event()
    event.add(name, value)
    return event.content_lines()[1]  # BEGIN:VEVENT, the property, END:VEVENT


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


def _event_text(entry: Entry, organizer_line: str, stamp_text: str, attendee_line: str = "") -> str:
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
    if attendee_line:
        lines.append(attendee_line)  # the library orders the rest of the properties by name
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
