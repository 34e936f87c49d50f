from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from cms.admin_hooks import register_log_actions
from cms.admin_scoping import PartnerStaffPolicy

from .fragments import upcoming_sessions_fragment
from .models import Booking, Session
from .viewsets import TrainingViewSetGroup

hooks.register("bookable_page_fragments", upcoming_sessions_fragment)


@hooks.register("insert_global_admin_css")
def status_tag_css():
    return format_html('<link rel="stylesheet" href="{}">', static("bookings/status-tags.css"))


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
    ("bookings.walk_in", "Add a walk-in", "Walk-in added to the register"),
    ("bookings.session_message", "Email everyone booked", "Message emailed to everyone booked"),
    ("bookings.book", "Book", "Booked"),
    ("bookings.cancel", "Cancel booking", "Booking cancelled"),
    ("bookings.promote", "Promote from the waiting list", "Given a place from the waiting list"),
]


register_log_actions(STAFF_LOG_ACTIONS)


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingViewSetGroup()


@hooks.register("register_personal_data")
def booking_personal_data():
    from .privacy import Bookings

    return Bookings()
