from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from wagtail import hooks

from bookings import attendance
from bookings.attendance_forms import CheckInForm
from bookings.models import Booking

register = template.Library()


@register.inclusion_tag("bookings/_attendance_panel.html", takes_context=True)
def attendance_panel(context):
    """What the attendee can do about attendance now: check in, take the check, get the certificate."""
    booking: Booking = context["booking"]
    token = context["token"]
    request = context.get("request")
    panel = {"booking": booking, "token": token, "show": False}
    if booking.status != Booking.Status.CONFIRMED:
        return panel
    now = timezone.now()
    session = booking.session
    opens, closes = attendance.check_in_window(session)
    self_check_in = session.offers_self_check_in
    panel.update(
        show=True,
        course=attendance.course_for(booking),
        check_in_opens=opens,
        in_person=not session.is_online,
        before_check_in=self_check_in and now < opens,
        can_check_in=self_check_in
        and opens <= now <= closes
        and not booking.checked_in_at
        and booking.attended is not True,
        after_session=now > closes,
        needs_knowledge_check=bool(booking.attended and attendance.needs_knowledge_check(booking)),
        form=CheckInForm(),
    )
    if booking.completed_at:
        # Higher apps (certificates) add what completion gave the attendee, e.g. the certificate.
        parts = [fn(request, booking, token) for fn in hooks.get_hooks("booking_completed_fragments")]
        panel["completion_fragments"] = format_html_join("", "{}", ((part,) for part in parts if part))
    return panel
