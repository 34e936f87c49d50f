"""Attendees' side of attendance, reached from their private booking page: self check-in and the
knowledge check. Thin: forms validate, bookings.attendance decides, errors become messages."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cms.ratelimit import rate_limit, rate_limited_response

from . import attendance
from .attendance_forms import CheckInForm, KnowledgeCheckForm
from .exceptions import AttendanceError
from .models import Booking
from .views import _manage_url, booking_from_token, friendly_when_busy, private


@friendly_when_busy
@rate_limit("check-in")
@require_http_methods(["GET", "POST"])
def check_in(request, token: str):
    booking = booking_from_token(request, token)
    if booking.checked_in_at:
        return private(redirect(_manage_url(token)))
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        # Per booking as well as per address: guessing one session's code from many addresses is slow too.
        limited = rate_limited_response(
            request, group="check-in-booking", key=f"booking:{booking.pk}", per_client=False
        )
        if limited:
            return private(limited)
    if request.method == "POST" and form.is_valid():
        try:
            attendance.check_in(booking=booking, code=form.cleaned_data["code"])
        except AttendanceError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, "You are checked in. Thank you for joining the session.")
            return private(redirect(_manage_url(token)))
    context = {"booking": booking, "session": booking.session, "token": token, "form": form}
    return private(render(request, "bookings/check_in.html", context, status=400 if form.errors else 200))


@friendly_when_busy
@require_http_methods(["GET", "POST"])
def knowledge_check(request, token: str):
    booking = booking_from_token(request, token)
    course = attendance.course_for(booking)
    if not (
        booking.status == Booking.Status.CONFIRMED
        and booking.attended
        and not booking.completed_at
        and attendance.needs_knowledge_check(booking)
    ):
        return private(redirect(_manage_url(token)))
    questions = list(course.knowledge_check_questions.all())
    form = KnowledgeCheckForm(request.POST or None, questions=questions)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = attendance.submit_knowledge_check(booking=booking, answers=form.answers())
        except AttendanceError as error:
            messages.error(request, error.message)
            return private(redirect(_manage_url(token)))
        if result.passed:
            messages.success(
                request,
                f"You passed the knowledge check with {result.score}% and have completed the course. "
                "We have emailed you your certificate.",
            )
            return private(redirect(_manage_url(token)))
        form = KnowledgeCheckForm(questions=questions)
    context = {
        "booking": booking,
        "session": booking.session,
        "course": course,
        "token": token,
        "form": form,
        "result": result,
    }
    return private(render(request, "bookings/knowledge_check.html", context, status=400 if form.errors else 200))
