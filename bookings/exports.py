"""The staff spreadsheets of one session: its bookings and its attendance register."""

from django.utils import timezone

from cms.exports import Export

from .admin_register import attendance_label, has_knowledge_check, register_rows
from .selectors import session_bookings_for_staff

BOOKING_EXPORT_HEADERS = ["Name", "Email", "Organisation or venue", "Venue type", "Postcode", "Phone", "Status",
                          "Booked at", "Waiting position"]  # fmt: skip


def bookings_export(*, session, include_access_needs: bool) -> Export:
    return _session_export(
        session=session,
        what="Bookings",
        headers=BOOKING_EXPORT_HEADERS,
        bookings=session_bookings_for_staff(session=session)["all_bookings"],
        row=lambda booking: [
            booking.name,
            booking.email,
            booking.organisation,
            booking.get_venue_type_display(),
            booking.postcode,
            booking.phone,
            booking.get_status_display(),
            booking.created_at,
            getattr(booking, "position", None),
        ],
        include_access_needs=include_access_needs,
    )


def register_export(*, session, include_access_needs: bool) -> Export:
    has_check = has_knowledge_check(session)
    return _session_export(
        session=session,
        what="Register",
        headers=["Name", "Email", "Organisation or venue", "Attendance", "Note", "Checked in at", "Completed at"],
        bookings=register_rows(session),
        row=lambda booking: [
            booking.name,
            booking.email,
            booking.organisation,
            attendance_label(booking, has_check=has_check),
            booking.attendance_note,
            booking.checked_in_at,
            booking.completed_at,
        ],
        include_access_needs=include_access_needs,
    )


def _session_export(*, session, what, headers, bookings, row, include_access_needs: bool) -> Export:
    """A row per booking; access needs, the one sensitive column, only when staff asked for it."""
    extra = ["Access needs"] if include_access_needs else []
    return Export(
        what=f"{what} {session.page.title} {timezone.localtime(session.starts_at):%Y-%m-%d %H%M}",
        headers=[*headers, *extra],
        rows=[row(booking) + ([booking.access_needs] if include_access_needs else []) for booking in bookings],
        partners=[session.partner],
        includes_access_needs=include_access_needs,
        detail={"session": session.pk},
    )
