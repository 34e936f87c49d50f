"""The calendar feed and each invite are written as text (bookings/ical.py `_written`) for speed;
these tests hold that text to the bytes the icalendar library writes for the same events (built
here, property by property, as the app once did), and parse it back with both parsers."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from bookings import ical

STAMP = datetime(2026, 12, 6, 18, 3, 47, tzinfo=UTC)
pytestmark = pytest.mark.django_db  # the folder's autouse fixtures touch the database

ORGANIZER = ical.Person(email="safehavens@lbbd.example", name="Barking and Dagenham")
LONG = "A free 90-minute workshop, for anyone; working in a venue that wants to become a Safe Haven. " * 3


def entry(i: int, **changes) -> ical.Entry:
    starts = datetime(2027, 3, 28, 0, 30, tzinfo=UTC) + timedelta(days=i * 7, hours=i)  # across the clock change
    values = {
        "uid": f"{i:04d}-uid@safehaven",
        "sequence": i % 3,
        "starts_at": starts,
        "ends_at": starts + timedelta(minutes=90),
        "summary": "Safe Haven training",
        "description": LONG,
        "location": "Barking Library, 2 Town Square, Barking IG11 7NB",
        "url": f"https://safehaven.example/bookings/sessions/{i}/book/",
    }
    values.update(changes)
    return ical.Entry(**values)


# Text that exercises every escape and every folding rule: commas, semicolons, backslashes (also
# where a fold would split an escape), each kind of line break, non-ASCII, empty optional fields.
TRICKY = [
    entry(0),
    entry(1, summary="Café, tea; and \\ backslash", location="", url=""),
    entry(2, description="Line one\r\nLine two\nLine three\rLine four\\Nfive", cancelled=True),
    entry(3, description="x" * 73 + "\\" + "y" * 200),
    entry(4, description="x" * 72 + ",," + "y" * 150),
    entry(5, description="Ŵyl Dewi 🎉 – ün " * 12, summary="Gweithdy Hafan Ddiogel"),
    entry(6, description="", location="Online", summary="z" * 74),
    entry(7, summary="z" * 75, description="^" * 160),
]


def library_event(entry: ical.Entry, *, attendee: ical.Person | None) -> icalendar.Event:
    zone = ZoneInfo(entry.time_zone)
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", STAMP)
    event.add("sequence", entry.sequence)
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
    event.add("organizer", ical._address(ORGANIZER))
    if attendee is not None:
        partstat = "DECLINED" if entry.cancelled else "ACCEPTED"
        event.add(
            "attendee",
            ical._address(attendee, role="REQ-PARTICIPANT", partstat=partstat, rsvp="FALSE", cutype="INDIVIDUAL"),
        )
    return event


def library_bytes(entries, name="Barking and Dagenham Safe Haven training", method="PUBLISH", attendee=None):
    """What the library writes for these entries, with a VTIMEZONE a year either side of them."""
    calendar = icalendar.Calendar()
    ical._describe(calendar, method, name)
    events = [library_event(e, attendee=attendee) for e in entries]
    for event in events:
        calendar.add_component(event)
    starts = [event.decoded("dtstart") for event in events]
    if starts:
        first = min(starts).date() - timedelta(days=366)
        last = max(starts).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


@pytest.mark.parametrize(
    "entries", [TRICKY, TRICKY[:1], [], [entry(i) for i in range(40)]], ids=["tricky", "one", "none", "forty"]
)
def test_the_feed_is_byte_for_byte_what_the_library_writes(entries):
    written = ical.publish(entries, organizer=ORGANIZER, name="Barking and Dagenham Safe Haven training", stamp=STAMP)

    assert written == library_bytes(entries)


def test_the_written_feed_parses_back_with_both_parsers():
    written = ical.publish(TRICKY, organizer=ORGANIZER, name="Feed", stamp=STAMP)

    calendar = icalendar.Calendar.from_ical(written)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [e.summary for e in TRICKY]
    assert [str(e.get("DESCRIPTION", "")) for e in events][2] == "Line one\nLine two\nLine three\nLine four\nfive"
    assert str(events[5]["DESCRIPTION"]) == TRICKY[5].description
    assert [e.decoded("DTSTART") for e in events] == [e.starts_at for e in TRICKY]
    assert str(events[2]["STATUS"]) == "CANCELLED"
    assert all(len(line) <= 75 for line in written.split(b"\r\n"))
    # The second parser (validating) reads the same events, text and times.
    parsed = vobject.readOne(written.decode(), validate=True)
    assert [e.summary.value for e in parsed.vevent_list] == [e.summary for e in TRICKY]
    assert parsed.vevent_list[5].description.value == TRICKY[5].description
    assert [e.dtstart.value for e in parsed.vevent_list] == [e.starts_at for e in TRICKY]


ATTENDEES = [
    ical.Person(email="sam@example.org", name="Sam Patel"),
    ical.Person(email="o.brien@example.org", name='Siobhán O\'Brien, Café; \\ "Bean" Ltd ' * 2),
    ical.Person(email="no-name@example.org"),
]


@pytest.mark.parametrize("attendee", ATTENDEES, ids=["plain", "tricky", "no-name"])
@pytest.mark.parametrize("index", range(len(TRICKY)))
def test_each_invite_is_byte_for_byte_what_the_library_writes(index, attendee):
    entry = TRICKY[index]
    method = "CANCEL" if entry.cancelled else "REQUEST"

    written = ical.invite(entry, method=method, organizer=ORGANIZER, attendee=attendee, stamp=STAMP)

    assert written == library_bytes([entry], name="", method=method, attendee=attendee)


def test_an_invite_in_another_zone_carries_that_zone_and_its_own_years():
    """The VTIMEZONE kept per zone and years is the one for this invite's zone and dates."""
    dublin = entry(1, time_zone="Europe/Dublin", starts_at=datetime(2031, 7, 1, 9, tzinfo=UTC))
    dublin = ical.Entry(**{**dublin.__dict__, "ends_at": dublin.starts_at + timedelta(minutes=90)})
    london = ical.invite(TRICKY[0], method="REQUEST", organizer=ORGANIZER, attendee=ATTENDEES[0], stamp=STAMP)

    written = ical.invite(dublin, method="REQUEST", organizer=ORGANIZER, attendee=ATTENDEES[0], stamp=STAMP)

    assert written == library_bytes([dublin], name="", method="REQUEST", attendee=ATTENDEES[0])
    assert b"TZID:Europe/Dublin" in written and b"TZID:Europe/London" in london
    # 2030 and 2032 clock changes are described around a 2031 session; none from 2027.
    calendar = icalendar.Calendar.from_ical(written)
    observed = {c.decoded("DTSTART").year for c in calendar.walk("VTIMEZONE")[0].walk() if "DTSTART" in c}
    assert min(observed) >= 2030 and max(observed) <= 2032
    assert date(2031, 7, 1) == calendar.walk("VEVENT")[0].decoded("DTSTART").date()


def test_an_invite_parses_back_with_both_parsers():
    written = ical.invite(TRICKY[5], method="REQUEST", organizer=ORGANIZER, attendee=ATTENDEES[1], stamp=STAMP)

    event = icalendar.Calendar.from_ical(written).walk("VEVENT")[0]
    assert str(event["ATTENDEE"].params["CN"]) == ATTENDEES[1].name
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert all(len(line) <= 75 for line in written.split(b"\r\n"))
    parsed = vobject.readOne(written.decode(), validate=True)
    assert parsed.method.value == "REQUEST"
    assert parsed.vevent.attendee.value == "mailto:o.brien@example.org"
    # A double quote in a parameter is written ^' (RFC 6868), which vobject leaves as written.
    assert parsed.vevent.attendee.params["CN"] == [ATTENDEES[1].name.replace('"', "^'")]
    assert parsed.vevent.description.value == TRICKY[5].description
