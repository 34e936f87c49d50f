"""One time format everywhere: "Thursday 24 June 2027", "10am", "11:30am", "10am to 11:30am".

The unit tests pin the rules of `cms.formats` and its template filters on the partner's clock
(British Summer Time and Greenwich Mean Time either side of a change). The scan further down renders
what the public reads (pages and emails) and fails on any other way of writing a time.
"""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.template import Context, Template
from django.utils import timezone

from cms import formats

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


@pytest.mark.parametrize(
    "value,expected",
    [
        (at(2027, 6, 24, 9, 0), "10am"),  # 09:00 UTC is 10am in London summer time
        (at(2027, 6, 24, 10, 30), "11:30am"),
        (at(2027, 6, 24, 11, 0), "12pm"),  # midday
        (at(2027, 6, 23, 23, 0), "12am"),  # midnight
        (at(2027, 6, 24, 12, 5), "1:05pm"),
        (at(2027, 1, 14, 10, 0), "10am"),  # winter: GMT = UTC
        (datetime.time(17, 30), "5:30pm"),  # a wall-clock time (opening hours) as it is
        (datetime.time(0, 0), "12am"),
    ],
)
def test_govuk_time(value, expected):
    assert formats.govuk_time(value, LONDON) == expected


def test_dates_on_the_partners_clock_across_the_clock_changes():
    # 23:30 UTC on Saturday 27 March 2027 is 23:30 GMT (the clocks go forward at 1am on the 28th) ...
    assert formats.govuk_date(at(2027, 3, 27, 23, 30), LONDON) == "Saturday 27 March 2027"
    # ... but 23:30 UTC on Saturday 30 October 2027 is already 00:30 BST on Sunday 31 October.
    assert formats.govuk_datetime(at(2027, 10, 30, 23, 30), LONDON) == "Sunday 31 October 2027 at 12:30am"
    # After the change back, UTC and London agree again.
    assert formats.govuk_datetime(at(2027, 10, 31, 23, 30), LONDON) == "Sunday 31 October 2027 at 11:30pm"
    # Another partner's zone gives another day.
    assert formats.govuk_date(at(2027, 6, 24, 23, 30), zoneinfo.ZoneInfo("Europe/Dublin")) == "Friday 25 June 2027"


def test_date_styles():
    day = datetime.date(2027, 6, 24)
    assert formats.govuk_date(day) == "Thursday 24 June 2027"
    assert formats.govuk_date(day, weekday=False) == "24 June 2027"
    assert formats.short_date(day) == "24 Jun 2027"
    assert formats.govuk_date(datetime.date(2027, 6, 4)) == "Friday 4 June 2027"  # no leading zero
    assert formats.short_datetime(at(2027, 6, 24, 13, 0), LONDON) == "24 Jun 2027, 2pm"


def test_range_and_relative_day():
    starts, ends = at(2027, 6, 24, 9, 0), at(2027, 6, 24, 10, 30)
    assert formats.govuk_time_range(starts, ends, LONDON) == "10am to 11:30am"
    now = at(2027, 6, 23, 20, 0)
    assert formats.when_from_now(starts, now=now, tz=LONDON) == "tomorrow at 10am"
    assert formats.when_from_now(starts, now=now - datetime.timedelta(days=2), tz=LONDON) == (
        "on Thursday 24 June 2027 at 10am"
    )


def render(source, **context):
    return Template("{% load govuk_dates %}" + source).render(Context(context))


def test_filters_use_the_current_time_zone():
    starts, ends = at(2027, 6, 24, 9, 0), at(2027, 6, 24, 10, 30)
    source = (
        "{{ s|govuk_date }}|{{ s|govuk_date:'no_weekday' }}|{{ s|govuk_date:'short' }}|{{ s|govuk_time }}|"
        "{{ s|govuk_time_range:e }}|{{ s|govuk_datetime }}|{{ s|govuk_datetime:'short' }}"
    )
    with timezone.override(LONDON):
        assert render(source, s=starts, e=ends) == (
            "Thursday 24 June 2027|24 June 2027|24 Jun 2027|10am|10am to 11:30am|"
            "Thursday 24 June 2027 at 10am|24 Jun 2027, 10am"
        )
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert render("{{ s|govuk_datetime }}", s=starts) == "Thursday 24 June 2027 at 5am"


def test_filters_leave_missing_values_empty():
    source = "[{{ s|govuk_date }}{{ s|govuk_time }}{{ s|govuk_datetime }}{{ s|govuk_time_range:s }}]"
    assert render(source, s=None) == "[]"


# --- the scan: what people read, in pages and emails -------------------------------------------

# Ways of writing a time that are not GOV.UK style. "10am", "11:30am", "12pm" pass.
NOT_GOVUK = [
    (re.compile(r"\b[ap]\.m\.?", re.I), 'a time with "a.m."/"p.m."'),
    (re.compile(r"\b\d{1,2}(:\d\d)?\s?(AM|PM)\b"), 'a time in capitals ("10AM")'),
    (re.compile(r"\d:00\s?[ap]m", re.I), 'a time with ":00" ("10:00am")'),
    (re.compile(r"\b\d{1,2}:\d\d\s+[ap]m\b", re.I), 'a space before am/pm ("10:30 am")'),
    (re.compile(r"(?<![\d:])([01]?\d|2[0-3]):[0-5]\d(?![\d:]|\s?[ap]m)", re.I), 'a 24-hour time ("09:30", "17:30")'),
]


def problems(text: str) -> list[str]:
    return [f"{why}: {match.group(0)!r}" for pattern, why in NOT_GOVUK for match in pattern.finditer(text)]


def visible_text(html: str) -> str:
    """What a person reads: no scripts, styles, tags or attribute values (ISO datetimes stay there)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    "text,found",
    [
        ("Thursday 24 June 2027, 10am to 11:30am (UK time)", False),
        ("12pm, 12am, 1:05pm", False),
        ("Open 9:30am to 5:30pm", False),
        ("10:00 a.m.", True),
        ("10:00am", True),
        ("10 AM", True),
        ("09:30 to 17:30", True),
        ("Mon 18:00", True),
        ("10:30 am", True),
    ],
)
def test_the_scan_catches_other_formats(text, found):
    assert bool(problems(text)) is found


HOST = "govuk-times.localhost"


@pytest.fixture
def scene(db, clock, django_capture_on_commit_callbacks):
    """A partner with what the public reads about: sessions in summer time with half-hour ends,
    bookings in every state, a completed booking with its certificate, a venue open 9:30 to 5:30,
    a networking event and a register-interest form. Every email sent on the way is kept."""
    from bookings.attendance import record_attendance
    from bookings.services import book_place, cancel_booking
    from courses.models import NetworkingEventPage
    from tests.cms.test_interest_follow_up import interest_page_for
    from tests.factories import (
        PartnerFactory,
        attended_session,
        attendee,
        booked_with_link,
        certify,
        session_for,
        training_page_for,
    )

    partner = PartnerFactory(name="Barking and Dagenham", host=HOST, contact_email="team@govuk-times.example")
    course = training_page_for(partner)
    full = session_for(partner, page=course, starts_at=at(2027, 6, 24, 9, 0), capacity=1)  # 10am BST
    later = session_for(partner, page=course, starts_at=at(2027, 7, 1, 12, 30), capacity=5)  # 1:30pm BST
    event = training_page_for(partner, slug="networking", title="Networking evening", kind=NetworkingEventPage)
    NetworkingEventPage.objects.filter(pk=event.pk).update(starts_at=at(2027, 6, 10, 17, 0))  # 6pm BST
    now = at(2027, 6, 7, 9, 0)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = book_place(session=full, attendee=attendee(1), now=now)
        waiting = book_place(session=full, attendee=attendee(2), now=now)
        cancelled = book_place(session=later, attendee=attendee(3), now=now)
        cancel_booking(booking=cancelled.booking, now=now)
        completed, completed_token = booked_with_link(attended_session(partner, page=course), 4)
        record_attendance(booking=completed, attended=True)
    certificate = certify(partner, organisation="Heathway Café", hours=((0, 1, 2, 3, 4, 5, 6), "09:30", "17:30"))
    interest_page_for(partner)
    return {
        "partner": partner,
        "course": course,
        "event": event,
        "certificate": certificate,
        "tokens": {
            "confirmed": confirmed.token,
            "waiting": waiting.token,
            "cancelled": cancelled.token,
            "completed": completed_token,
        },
        "sessions": (full, later),
        "bookings": {"confirmed": confirmed.booking, "completed": completed},
    }


def public_paths(scene):
    venue = scene["certificate"].venue
    paths = [
        "/",
        "/training/",
        scene["course"].url,
        scene["event"].url,
        f"/bookings/sessions/{scene['sessions'][1].pk}/book/",
        "/safe-havens/",
        f"/safe-havens/{venue.slug}/",
        f"/safe-havens/check/{venue.sticker_code}/",
        f"/certificates/verify/{scene['certificate'].display_code}/",
    ]
    return paths + [f"/bookings/{token}/" for token in scene["tokens"].values()]


@pytest.mark.django_db
def test_public_pages_write_times_one_way(scene, client):
    seen = []
    for path in public_paths(scene):
        response = client.get(path, HTTP_HOST=HOST)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        assert not problems(text), (path, problems(text))
        seen.append(text)
    everything = "\n".join(seen)
    # The pages did show times and dates, in the one format (a scan of pages without any would pass).
    for shown in (
        "Thursday 24 June 2027",
        "10am to 11:30am",
        "1:30pm to 3pm",
        "9:30am to 5:30pm",
        "Thursday 10 June 2027 at 6pm",
    ):
        assert shown in everything


@pytest.mark.django_db
def test_emails_write_times_one_way(scene, mailoutbox, clock, django_capture_on_commit_callbacks):
    from bookings import notifications
    from certificates.notifications import send_certificate_email
    from cms.models import InterestSubmission
    from cms.tasks import send_interest_notification
    from tests.cms.test_interest_follow_up import ANSWERS, interest_page_for

    partner = scene["partner"]
    notifications.send(booking=scene["bookings"]["confirmed"], kind="reminder_24h")
    send_certificate_email(scene["certificate"])
    submission = InterestSubmission.objects.create(
        page=interest_page_for(partner), partner=partner, form_data=ANSWERS, wants_new_dates=True
    )
    send_interest_notification.call(submission_id=submission.pk)

    subjects = [message.subject for message in mailoutbox]
    for kind in ("Your place is booked", "You are on the waiting list", "Your booking is cancelled", "Reminder"):
        assert any(subject.startswith(kind) for subject in subjects), (kind, subjects)
    assert any("certificate" in subject for subject in subjects)
    assert any("interest" in subject.lower() for subject in subjects)
    for message in mailoutbox:
        html = [content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"]
        bodies = [message.subject, message.body, *(visible_text(content) for content in html)]
        for body in bodies:
            assert not problems(body), (message.subject, problems(body))
    confirmation = next(m for m in mailoutbox if m.subject.startswith("Your place is booked"))
    assert "When: Thursday 24 June 2027, 10am to 11:30am (UK time)" in confirmation.body
