from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.models import Page
from wagtail.permissions import register_permission_policy

from cms.admin_scoping import PartnerStaffPolicy
from cms.tenancy import partner_for_request

from .formats import day_label, time_label
from .models import Booking, Session
from .selectors import upcoming_sessions_for_page
from .viewsets import TrainingViewSetGroup

SESSION_TABLE = """<table class="govuk-table">
  <caption class="govuk-table__caption govuk-table__caption--s">All times are UK time.</caption>
  <thead class="govuk-table__head">
    <tr class="govuk-table__row">
      <th scope="col" class="govuk-table__header">Date</th>
      <th scope="col" class="govuk-table__header">Time</th>
      <th scope="col" class="govuk-table__header">Places left</th>
      <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Booking</span></th>
    </tr>
  </thead>
  <tbody class="govuk-table__body">{rows}</tbody>
</table>"""
SESSION_ROW = """
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{day}</td>
      <td class="govuk-table__cell">{starts} to {ends}</td>
      <td class="govuk-table__cell">{places}</td>
      <td class="govuk-table__cell">{action}</td>
    </tr>"""
BOOK_LINK = '<a class="govuk-link" href="{url}">{text}<span class="govuk-visually-hidden"> on {day}</span></a>'
FULL = '<strong class="govuk-tag govuk-tag--grey">Full</strong>'
NO_DATES = '<p class="govuk-body">There are no dates to book at the moment. Please check back soon.</p>'
SUBSCRIBE = '<p class="govuk-body"><a class="govuk-link" href="{url}">Subscribe to all dates in your calendar</a></p>'


@hooks.register("bookable_page_fragments")
def upcoming_sessions_fragment(request, page_id):
    """Upcoming sessions of a course or event page, with places left read fresh on every request.

    Plain string formatting rather than a template: this runs on every hit of a cached course page,
    where the template engine cost more than the rest of the page (see README, Benchmarks). Every
    value placed is either ours (dates, numbers, URLs from reverse) or escaped.
    """
    if request is not None:
        partner = partner_for_request(request)
    else:  # rendered outside a request (e.g. a page rendered to a string)
        partner = Page.objects.get(pk=page_id).specific.get_partner()
    if partner is None:
        return ""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    book_url = reverse("bookings:book", kwargs={"session_id": 0}).replace("/0/", "/{}/")
    rows = []
    for session in upcoming_sessions_for_page(page_id=page_id, partner=partner, now=now):
        day = day_label(session.starts_at, tz)
        places_left = max(session.capacity - session.taken_count, 0)
        if session.booking_is_open(now):
            text = "Book a place" if places_left else "Join the waiting list"
            action = BOOK_LINK.format(url=escape(book_url.format(session.pk)), text=text, day=day)
        elif session.booking_opens_at and now < session.booking_opens_at:
            action = f"Booking opens {day_label(session.booking_opens_at, tz)}"
        else:
            action = "Booking closed"
        rows.append(
            SESSION_ROW.format(
                day=day,
                starts=time_label(session.starts_at, tz),
                ends=time_label(session.ends_at, tz),
                places=places_left or FULL,
                action=action,
            )
        )
    listing = SESSION_TABLE.format(rows="".join(rows)) if rows else NO_DATES
    subscribe = SUBSCRIBE.format(url=escape(reverse("bookings:calendar_feed")))
    return mark_safe(f'<h2 class="govuk-heading-l" id="sessions">Dates and booking</h2>\n{listing}\n{subscribe}')  # noqa: S308


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
