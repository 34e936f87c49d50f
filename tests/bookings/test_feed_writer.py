"""The calendar feed's events are written as text (bookings/ical.py `publish`) for speed; these
tests hold that text to the bytes the icalendar library writes for the same events, and parse it
back with both parsers."""

from datetime import UTC, datetime, timedelta

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


def library_bytes(entries, name="Barking and Dagenham Safe Haven training"):
    """What the library writes for these entries (the path invites still take)."""
    events = [ical._event(e, organizer=ORGANIZER, attendee=None, stamp=STAMP) for e in entries]
    return ical._calendar("PUBLISH", events, name=name)


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
