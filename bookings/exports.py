"""The staff spreadsheets of one session: its bookings and its attendance register."""

from django.utils import timezone

from cms.exports import Export

from .admin_register import attendance_label, has_knowledge_check, register_rows
from .selectors import session_bookings_for_staff

BOOKING_EXPORT_HEADERS = ["Name", "Email", "Organisation or venue", "Venue type", "Postcode", "Phone", "Status",
                          "Booked at", "Waiting position"]  # fmt: skip


def bookings_export(*, session, include_access_needs: bool) -> Export:
    groups = session_bookings_for_staff(session=session)
    headers = list(BOOKING_EXPORT_HEADERS)
    if include_access_needs:
        headers.append("Access needs")
    rows = []
    for booking in groups["all_bookings"]:
        row = [
            booking.name,
            booking.email,
            booking.organisation,
            booking.get_venue_type_display(),
            booking.postcode,
            booking.phone,
            booking.get_status_display(),
            booking.created_at,
            getattr(booking, "position", None),
        ]
        if include_access_needs:
            row.append(booking.access_needs)
        rows.append(row)
    return Export(
        what=f"Bookings {session.page.title} {timezone.localtime(session.starts_at):%Y-%m-%d %H%M}",
        headers=headers,
        rows=rows,
        partners=[session.partner],
        includes_access_needs=include_access_needs,
        detail={"session": session.pk},
    )


def register_export(*, session, include_access_needs: bool) -> Export:
    headers = ["Name", "Email", "Organisation or venue", "Attendance", "Note", "Checked in at", "Completed at"]
    if include_access_needs:
        headers.append("Access needs")
    rows = []
    has_check = has_knowledge_check(session)
    for booking in register_rows(session):
        row = [
            booking.name,
            booking.email,
            booking.organisation,
            attendance_label(booking, has_check=has_check),
            booking.attendance_note,
            booking.checked_in_at,
            booking.completed_at,
        ]
        if include_access_needs:
            row.append(booking.access_needs)
        rows.append(row)
    return Export(
        what=f"Register {session.page.title} {timezone.localtime(session.starts_at):%Y-%m-%d %H%M}",
        headers=headers,
        rows=rows,
        partners=[session.partner],
        includes_access_needs=include_access_needs,
        detail={"session": session.pk},
    )
