"""iCalendar bytes for invites and feeds (RFC 5545 and the iTIP methods of RFC 5546).

Pure: no database, no request. Callers pass `Entry` values built from a session and booking.
UIDs are random per booking (invites) or per session (feeds), never database ids or tokens.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

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
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
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
    """A PUBLISH calendar: the public feed or a download, with no attendees."""
    stamp = stamp or datetime.now(UTC)
    return _calendar(
        "PUBLISH", [_event(entry, organizer=organizer, attendee=None, stamp=stamp) for entry in entries], name=name
    )
