"""The staff spreadsheets of one session: its bookings and its attendance register."""

from django.utils import timezone

from cms.exports import Export

from .admin_register import attendance_label, has_knowledge_check, register_rows
from .selectors import session_bookings_for_staff

# (column heading, value) pairs, so a heading and its value cannot drift apart.
PERSON_COLUMNS = [
    ("Name", lambda booking: booking.name),
    ("Email", lambda booking: booking.email),
    ("Organisation or venue", lambda booking: booking.organisation),
]
BOOKING_COLUMNS = [
    *PERSON_COLUMNS,
    ("Venue type", lambda booking: booking.get_venue_type_display()),
    ("Postcode", lambda booking: booking.postcode),
    ("Phone", lambda booking: booking.phone),
    ("Status", lambda booking: booking.get_status_display()),
    ("Booked at", lambda booking: booking.created_at),
    ("Waiting position", lambda booking: getattr(booking, "position", None)),
]
ACCESS_NEEDS_COLUMN = ("Access needs", lambda booking: booking.access_needs)


def bookings_export(*, session, include_access_needs: bool) -> Export:
    return _session_export(
        session=session,
        what="Bookings",
        columns=BOOKING_COLUMNS,
        bookings=session_bookings_for_staff(session=session)["all_bookings"],
        include_access_needs=include_access_needs,
    )


def register_export(*, session, include_access_needs: bool) -> Export:
    has_check = has_knowledge_check(session)
    columns = [
        *PERSON_COLUMNS,
        ("Attendance", lambda booking: attendance_label(booking, has_check=has_check)),
        ("Note", lambda booking: booking.attendance_note),
        ("Checked in at", lambda booking: booking.checked_in_at),
        ("Completed at", lambda booking: booking.completed_at),
    ]
    return _session_export(
        session=session, what="Register", columns=columns, bookings=register_rows(session),
        include_access_needs=include_access_needs,
    )  # fmt: skip


def _session_export(*, session, what, columns, bookings, include_access_needs: bool) -> Export:
    """A row per booking; access needs, the one sensitive column, only when staff asked for it."""
    return Export.from_columns(
        f"{what} {session.page.title} {timezone.localtime(session.starts_at):%Y-%m-%d %H%M}",
        [*columns, ACCESS_NEEDS_COLUMN] if include_access_needs else columns,
        bookings,
        partners=[session.partner],
        includes_access_needs=include_access_needs,
        detail={"session": session.pk},
    )
