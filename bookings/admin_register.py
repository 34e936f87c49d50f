"""The attendance register a trainer takes during or after a session.

One fieldset per confirmed attendee (legend: their name) with attended/absent radios and a note,
so it works from the keyboard and reads well in a screen reader. Saving calls
`bookings.attendance.record_attendance` for each changed row; "Mark all attended" calls
`mark_all_attended`. Completion and certificates follow from those services.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .attendance import NOTE_LENGTH, course_for_session, mark_all_attended, record_attendance, starts_label
from .exceptions import BookingError
from .models import Booking
from .selectors import walk_ins_allowed

CHOICES = {"yes": True, "no": False}


def register_rows(session):
    return list(Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).order_by("name", "pk"))


def has_knowledge_check(session) -> bool:
    course = course_for_session(session)
    return bool(course and course.has_knowledge_check)


def knowledge_check_state(booking, *, has_check: bool) -> str:
    """For an attendee still short of completion: whether they tried the knowledge check."""
    if not has_check or not booking.attended or booking.completed_at or booking.knowledge_check_passed_at:
        return ""
    return "knowledge check not passed" if booking.knowledge_check_taken_at else "knowledge check not taken"


def attendance_label(booking, *, has_check: bool) -> str:
    if booking.attended is None:
        return "Not recorded"
    if not booking.attended:
        return "Absent"
    state = knowledge_check_state(booking, has_check=has_check)
    return f"Attended – {state}" if state else "Attended"


def register_view(request, *, viewset, session):
    rows = register_rows(session)
    has_check = has_knowledge_check(session)
    here = reverse(viewset.get_url_name("register"), args=[session.pk])
    errors = {}
    if request.method == "POST":
        if "mark_all" in request.POST:
            try:
                marked = mark_all_attended(session=session, actor=request.user)
            except BookingError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"{marked} marked as attended.")
            return redirect(here)
        saved = 0
        for booking in rows:
            choice = request.POST.get(f"attended-{booking.pk}", "")
            note = request.POST.get(f"note-{booking.pk}", "").strip()[:NOTE_LENGTH]
            if choice not in CHOICES:
                if note and note != booking.attendance_note:
                    errors[booking.pk] = f"Choose attended or absent for {booking.name} to save the note."
                continue
            attended = CHOICES[choice]
            if booking.attended is attended and booking.attendance_note == note:
                continue
            try:
                record_attendance(booking=booking, attended=attended, note=note, actor=request.user)
                saved += 1
            except BookingError as error:
                errors[booking.pk] = f"{booking.name}: {error.message}"
        if not errors:
            messages.success(request, f"Register saved: {saved} {'change' if saved == 1 else 'changes'}.")
            return redirect(here)
        rows = register_rows(session)  # show what was saved alongside the errors
    attended = sum(1 for b in rows if b.attended)
    absent = sum(1 for b in rows if b.attended is False)
    return TemplateResponse(
        request,
        "bookings/admin/register.html",
        {
            "title": f"Attendance register: {session}",
            "session": session,
            "rows": [
                (booking, errors.get(booking.pk), knowledge_check_state(booking, has_check=has_check))
                for booking in rows
            ],
            "errors": list(errors.values()),
            "attended": attended,
            "absent": absent,
            "not_recorded": len(rows) - attended - absent,
            "check_in_code": session.check_in_code if session.offers_self_check_in else "",
            "index_url": reverse(viewset.get_url_name("detail"), args=[session.pk]),
            "walk_in_url": (
                reverse(viewset.get_url_name("walk_in"), args=[session.pk]) if walk_ins_allowed(session) else ""
            ),
            "export_url": reverse(viewset.get_url_name("register_export"), args=[session.pk]),
            "note_length": NOTE_LENGTH,
            "not_started": timezone.now() < session.starts_at,
            "starts_label": starts_label(session),
        },
    )
