from django.template.loader import render_to_string
from django.utils import timezone
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from cms.admin_scoping import PartnerStaffPolicy
from cms.tenancy import partner_for_request

from .models import Booking, Session
from .selectors import upcoming_sessions_for_page
from .viewsets import TrainingViewSetGroup


@hooks.register("bookable_page_fragments")
def upcoming_sessions_fragment(request, page):
    """Upcoming sessions of a course or event page, with places left read fresh on every request."""
    partner = partner_for_request(request) if request is not None else page.get_partner()
    if partner is None:
        return ""
    now = timezone.now()
    sessions = upcoming_sessions_for_page(page=page, partner=partner, now=now)
    rows = [
        {
            "session": session,
            "places_left": max(session.capacity - session.taken_count, 0),
            "open": session.booking_is_open(now),
            "not_yet_open": bool(session.booking_opens_at and now < session.booking_opens_at),
        }
        for session in sessions
    ]
    return render_to_string("bookings/session_list.html", {"rows": rows, "page": page}, request=request)


@hooks.register("register_log_actions")
def register_attendance_log_actions(actions):
    actions.register_action("bookings.attendance", "Record attendance", "Attendance recorded")
    actions.register_action("bookings.knowledge_check", "Knowledge check", "Knowledge check taken")
    actions.register_action("bookings.completion", "Complete course", "Course completed")


register_permission_policy(Session, PartnerStaffPolicy(Session, {"view", "add", "change"}))
register_permission_policy(Booking, PartnerStaffPolicy(Booking, {"view"}))

STAFF_LOG_ACTIONS = [
    ("bookings.session_create", "Add session", "Session added"),
    ("bookings.session_edit", "Edit session", "Session changed"),
    ("bookings.session_cancel", "Cancel session", "Session cancelled"),
    ("bookings.staff_book", "Book by staff", "Booked by staff"),
    ("bookings.staff_cancel", "Cancel booking by staff", "Booking cancelled by staff"),
    ("bookings.erase", "Erase personal data", "Personal data erased"),
]


@hooks.register("register_log_actions")
def register_staff_log_actions(actions):
    for action, label, message in STAFF_LOG_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingViewSetGroup()


@hooks.register("register_personal_data")
def booking_personal_data():
    from .privacy import Bookings

    return Bookings()
