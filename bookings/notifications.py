"""Emails to attendees. Services schedule them (through tasks) after commit; nothing else sends.

Invites follow RFC 6047 (iMIP): the text/calendar alternative carries `method=` equal to the
body's METHOD, and the same calendar is attached as invite.ics for clients that ignore the part.
"""

from email.mime.base import MIMEBase

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cms.emails import partner_sender
from cms.formats import govuk_date, govuk_time_range
from cms.sanitise import clean_text
from cms.tenancy import site_root_url

from . import ical
from .formats import when_from_now
from .models import Booking, BookingToken, Session

SUBJECTS = {
    "confirmation": "Your place is booked: {title}",
    "waiting_list": "You are on the waiting list: {title}",
    "promotion": "A place has come up for you: {title}",
    "update": "Your booking has changed: {title}",
    "cancellation": "Your booking is cancelled: {title}",
    "session_cancelled": "Session cancelled: {title}",
    "reminder_24h": "Reminder: {title} {when}",
    "reminder_1h": "Starting soon: {title}",
    "joining_link_changed": "New joining link: {title}",
    "payment_received": "Payment received – your place is booked: {title}",
    "knowledge_check": "Take the knowledge check to get your certificate: {title}",
    "knowledge_check_nudge": "Reminder: take the knowledge check for {title}",
}
KNOWLEDGE_CHECK_KINDS = ("knowledge_check", "knowledge_check_nudge")
KINDS = tuple(SUBJECTS)


class CalendarEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative declares its iTIP method in the Content-Type."""

    def __init__(self, *args, calendar: bytes, method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        self.method = method
        self.attach_alternative(calendar.decode(), "text/calendar")
        attachment = MIMEBase("text", "calendar", method=method, charset="utf-8", name="invite.ics")
        attachment.set_payload(calendar.decode(), charset="utf-8")
        attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
        self.attach(attachment)

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        for part in msg.walk():
            if part.get_content_type() == "text/calendar" and part.get_param("method") is None:
                part.set_param("method", self.method)
        return msg


def site_root(booking: Booking) -> str:
    return site_root_url(booking.partner.site)


def about(page) -> str:
    """What a course or event is, in plain text from its own page, for an invite's DESCRIPTION."""
    for field in ("description", "overview", "audience", "search_description"):
        value = str(getattr(page, field, "") or "").replace("</p>", "</p>\n").replace("<br/>", "\n")
        text = "\n".join(line.strip() for line in clean_text(value).splitlines() if line.strip())
        if text:
            return text[:600]
    return page.title


def where_sentence(session: Session, *, confirmed: bool) -> str:
    """Where it happens, as the invite and the emails say it: never "Online" for a room."""
    if not session.is_online:
        return f"Where: {session.location}"
    if confirmed and session.joining_link:
        return "Online. The joining link is emailed to you the day before, and shown on your booking page."
    return "Online."


def calendar_entry(booking: Booking, *, cancelled: bool = False) -> ical.Entry:
    session = booking.session
    confirmed = booking.status == Booking.Status.CONFIRMED
    description = f"{about(session.page.specific)}\n\n{where_sentence(session, confirmed=confirmed)}"
    return ical.Entry(
        uid=booking.ical_uid,
        sequence=booking.ical_sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.page.title,
        time_zone=booking.partner.zone_name,
        description=description,
        location=session.where,
        cancelled=cancelled,
    )


def organizer(booking: Booking) -> ical.Person:
    return ical.Person(email=booking.partner.contact_email, name=booking.partner.name)


def invite_bytes(booking: Booking, method: str) -> bytes:
    return ical.invite(
        calendar_entry(booking, cancelled=method == "CANCEL"),
        method=method,
        organizer=organizer(booking),
        attendee=ical.Person(email=booking.email, name=booking.name),
    )


def booking_page_link(booking: Booking) -> str:
    """What the email's booking-page link offers, from the booking's state: a cancelled booking is
    never told to "change date or cancel", a waiting one can leave the list."""
    if booking.is_settled:
        return "record"
    if booking.status in (Booking.Status.CANCELLED, Booking.Status.EXPIRED) or (
        booking.session.status == Session.Status.CANCELLED
    ):
        return "ended"
    if booking.status == Booking.Status.WAITING:
        return "waiting"
    return "manage"


def course_url(booking: Booking, root: str) -> str:
    parts = booking.session.page.get_url_parts()
    return root + parts[2] if parts else root


def send(*, booking: Booking, kind: str) -> None:
    if kind not in SUBJECTS:
        raise ValueError(kind)
    with timezone.override(booking.partner.zone):
        _send(booking=booking, kind=kind)


def _send(*, booking: Booking, kind: str) -> None:
    token = BookingToken.objects.mint(booking)
    root = site_root(booking)
    session = booking.session
    when = when_from_now(session.starts_at, now=timezone.now(), tz=booking.partner.zone)
    context = {
        "booking": booking,
        "session": session,
        "partner": booking.partner,
        "kind": kind,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "manage_url": root + reverse("bookings:manage", kwargs={"token": token}),
        "joining_link": (
            session.joining_link if booking.status == Booking.Status.CONFIRMED and session.is_online else ""
        ),
        "waiting_position": booking.waiting_position(),
        "when": when,
        "link": booking_page_link(booking),
        "course_url": course_url(booking, root),
    }
    if kind in KNOWLEDGE_CHECK_KINDS:
        course = session.page.specific
        context.update(
            knowledge_check_url=root + reverse("bookings:knowledge_check", kwargs={"token": token}),
            question_count=course.knowledge_check_questions.count(),
            pass_mark=course.pass_mark,
        )
    subject = SUBJECTS[kind].format(title=session.page.title, when=when)
    if kind == "cancellation" and booking.left_waiting_list:
        subject = f"You have left the waiting list: {session.page.title}"
    text = render_to_string("bookings/email/booking.txt", context)
    html = render_to_string("bookings/email/booking.html", context)
    common = {
        "subject": subject,
        "body": text,
        "to": [booking.email],
        "from_email": partner_sender(booking.partner),
        "reply_to": [booking.partner.contact_email],
    }
    method = None
    if booking.status == Booking.Status.CONFIRMED and kind in (
        "confirmation",
        "promotion",
        "update",
        "payment_received",
    ):
        method = "REQUEST"
    elif booking.status == Booking.Status.CANCELLED and booking.confirmed_at is not None:
        method = "CANCEL"
    if method:
        message = CalendarEmail(**common, calendar=invite_bytes(booking, method), method=method)
    else:
        message = EmailMultiAlternatives(**common)
    message.attach_alternative(html, "text/html")
    _put_html_before_calendar(message)
    message.send()


def _put_html_before_calendar(message: EmailMultiAlternatives) -> None:
    """Order alternatives plain → HTML → calendar: clients prefer the last part they understand."""
    message.alternatives.sort(key=lambda alt: alt.mimetype == "text/calendar")


def send_session_message(*, message) -> int:
    """A coordinator's message to everyone with a confirmed place: one email each, so no one sees
    another attendee's address. Returns how many were sent."""
    session = message.session
    partner = session.partner
    zone = partner.zone
    root = site_root_url(partner.site)
    times = govuk_time_range(session.starts_at, session.ends_at, zone)
    when = f"{govuk_date(session.starts_at, zone)}, {times} (UK time)"
    sent = 0
    for booking in session.bookings.filter(status=Booking.Status.CONFIRMED).order_by("pk"):
        token = BookingToken.objects.mint(booking)
        context = {
            "booking": booking,
            "session": session,
            "partner": partner,
            "message": message,
            "when": when,
            "manage_url": root + reverse("bookings:manage", kwargs={"token": token}),
        }
        EmailMultiAlternatives(
            subject=f"{message.subject}: {session.page.title}",
            body=render_to_string("bookings/email/session_message.txt", context),
            to=[booking.email],
            from_email=partner_sender(partner),
            reply_to=[partner.contact_email],
        ).send()
        sent += 1
    return sent
