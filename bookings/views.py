"""Public booking pages. Thin: forms validate, services decide, domain errors become messages."""

import functools
import logging

from django.conf import settings
from django.contrib import messages
from django.db import OperationalError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cms import prebuilt
from cms.forms import HONEYPOT_FIELD
from cms.models import BrandingSettings
from cms.page_cache import mark_public
from cms.ratelimit import rate_limit
from cms.tenancy import partner_for_request, request_root_url

from . import selectors, services
from .exceptions import BookingClosed, BookingError, SessionCancelled
from .forms import BookingForm, RebookForm
from .models import Booking, Session
from .notifications import invite_bytes

logger = logging.getLogger(__name__)


def found(value, what: str = "booking"):
    """A selector's answer, or the 404 a person sees for a link that names nothing of theirs."""
    if value is None:
        raise Http404(f"No such {what}")
    return value


def _partner(request):
    partner = partner_for_request(request)
    if partner is None:
        raise Http404("No partner site here")
    return partner


def booking_from_token(request, token: str) -> Booking:
    """The booking a private link names, on this partner's site only; 404 for anything else."""
    return found(selectors.booking_for_token(token=token, partner=_partner(request)))


def friendly_when_busy(view):
    """A database that cannot take the write just now (SQLite's 'database is locked', a PostgreSQL
    lock timeout or deadlock, a dropped connection) becomes a 'please try again' page, not a 500.
    The service's transaction has rolled back, so nothing was booked or cancelled."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except OperationalError:
            logger.warning("Database busy serving %s", request.path, exc_info=True)
            try:
                response = render(request, "bookings/busy.html", status=503)
            except OperationalError:
                response = HttpResponse(
                    "Sorry, please try again in a few seconds. Nothing has been booked.",
                    status=503,
                    content_type="text/plain; charset=utf-8",
                )
            response["Retry-After"] = "5"
            return response

    return wrapper


def private(response):
    """Manage-link pages: the token is in the URL, so never cache it or leak it in a Referer."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _manage_url(token: str) -> str:
    return reverse("bookings:manage", kwargs={"token": token})


# A message marker, not shown as a banner: the booking page says where the email went (the
# address is read from the booking, never kept in the message cookie).
EMAIL_SENT = "email-sent"


def _split_messages(request) -> tuple[bool, list]:
    """(whether the booking was just made, the other messages to show as banners)."""
    notices = list(messages.get_messages(request))
    return (
        any(EMAIL_SENT in notice.tags for notice in notices),
        [notice for notice in notices if EMAIL_SENT not in notice.tags],
    )


@friendly_when_busy
@rate_limit("booking")
@require_http_methods(["GET", "POST"])
def book(request, session_id: int):
    partner = _partner(request)
    now = timezone.now()
    session = None

    def show(template, *, status=200, **extra):
        """A page about this session. The session is read here only when a page is shown, so a
        successful booking (a redirect) costs no query but the locked one in the service."""
        nonlocal session
        session = session or found(selectors.session_for_partner(session_id=session_id, partner=partner), "session")
        taken = selectors.places_taken(session)
        context = {
            "session": session,
            "course": session.page.specific,
            "places_left": session.places_left(taken),
            "not_yet_open": session.booking_state(now, taken=taken) == Session.BookingState.NOT_OPEN_YET,
            **extra,
        }
        return render(request, template, context, status=status)

    form = BookingForm(request.POST or None, example_postcode=partner.example_postcode)
    if request.method == "POST" and request.POST.get(HONEYPOT_FIELD):
        # A bot filled the field people never see: answer as if it worked, book and send nothing.
        return show("bookings/received.html")
    if request.method == "POST" and form.is_valid():
        try:
            result = services.book_place_for_partner(session_id=session_id, partner=partner, attendee=form.attendee())
        except Session.DoesNotExist:
            raise Http404("No such session") from None
        except (SessionCancelled, BookingClosed):
            return show("bookings/unavailable.html")  # the page explains which, as a GET would
        except BookingError as error:
            return show("bookings/unavailable.html", status=409, message=error.message)
        if not result.created:
            return show("bookings/already_booked.html", booking=result.booking)
        if result.booking.status == Booking.Status.PENDING_PAYMENT:
            from .payments import start_checkout

            try:
                checkout_url = start_checkout(booking=result.booking, token=result.token, request=request)
            except BookingError as error:
                messages.error(request, error.message)
                return redirect(_manage_url(result.token))
            return redirect(checkout_url)
        messages.info(request, "Booked", extra_tags=EMAIL_SENT)
        return redirect(_manage_url(result.token))
    session = found(selectors.session_for_partner(session_id=session_id, partner=partner), "session")
    if not session.booking_is_open(now):  # cancelled, closed or not open yet: the page says which
        return show("bookings/unavailable.html")
    form.link_privacy_notice(BrandingSettings.for_site(partner.site).privacy_notice_url)
    return show("bookings/book.html", status=400 if form.errors else 200, form=form)


@friendly_when_busy
@require_safe
def manage(request, token: str):
    booking = booking_from_token(request, token)
    now = timezone.now()
    just_booked, notices = _split_messages(request)
    waiting = booking.status == Booking.Status.WAITING
    context = {
        "messages": notices,
        "just_booked": just_booked,
        # Somewhere with room now, for someone waiting: the same course's open dates.
        "other_dates": selectors.rebook_options(booking=booking, now=now)[:3] if waiting else [],
        "booking": booking,
        "session": booking.session,
        "token": token,
        "show_joining_link": booking.joining_link_visible(now),
        "waiting_position": booking.waiting_position(),
        "can_change": booking.status == Booking.Status.CONFIRMED
        and booking.session.starts_at > now
        and not booking.is_settled,
        "payment_returned": request.GET.get("payment") == "returned",
    }
    return private(render(request, "bookings/manage.html", context))


@friendly_when_busy
@rate_limit("cancel")
@require_http_methods(["GET", "POST"])
def cancel(request, token: str):
    booking = booking_from_token(request, token)
    if request.method == "POST":
        if booking.is_active:
            try:
                booking = services.cancel_booking(booking=booking)
            except BookingError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    "You have left the waiting list. We have emailed you to confirm."
                    if booking.left_waiting_list
                    else "Your booking is cancelled. We have emailed you to confirm.",
                )
        return private(redirect(_manage_url(token)))
    if not booking.is_active or booking.is_settled:
        return private(redirect(_manage_url(token)))
    return private(
        render(request, "bookings/cancel.html", {"booking": booking, "session": booking.session, "token": token})
    )


@friendly_when_busy
@rate_limit("booking")
@require_POST
def pay(request, token: str):
    """Open (or reopen) the Checkout for a place held for payment, e.g. one offered from the waiting list."""
    booking = booking_from_token(request, token)
    if booking.status != Booking.Status.PENDING_PAYMENT:
        return private(redirect(_manage_url(token)))
    if booking.stripe_checkout_url:
        return private(redirect(booking.stripe_checkout_url))
    from .payments import start_checkout

    try:
        return private(redirect(start_checkout(booking=booking, token=token, request=request)))
    except BookingError as error:
        messages.error(request, error.message)
        return private(redirect(_manage_url(token)))


@friendly_when_busy
@rate_limit("cancel")
@require_http_methods(["GET", "POST"])
def change(request, token: str):
    booking = booking_from_token(request, token)
    if booking.status != Booking.Status.CONFIRMED or booking.is_settled:
        return private(redirect(_manage_url(token)))
    options = selectors.rebook_options(booking=booking)
    sessions = Session.objects.filter(pk__in=[s.pk for s in options]).with_counts().order_by("starts_at")
    form = RebookForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            services.rebook(booking=booking, new_session=form.cleaned_data["session"])
        except BookingError as error:
            form.add_error("session", error.message)
        else:
            messages.success(request, "Your booking has moved to the new date. We have emailed you an updated invite.")
            return private(redirect(_manage_url(token)))
    context = {"booking": booking, "session": booking.session, "token": token, "form": form, "options": options}
    return private(render(request, "bookings/change.html", context, status=400 if form.errors else 200))


@require_safe
def invite(request, token: str):
    """The attendee's own event to add to a calendar: same UID as the emailed invite."""
    booking = booking_from_token(request, token)
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404("Only a confirmed booking has an invite")
    response = HttpResponse(
        invite_bytes(booking, "REQUEST"), content_type="text/calendar; method=REQUEST; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="invite.ics"'
    return private(response)


@require_safe
@cache_control(public=True, max_age=300)
def calendar_feed(request):
    """The partner's public feed of upcoming sessions (the next year): built once per change and
    shared by every server (cms/prebuilt.py), so a change never sets them all rendering it."""
    feed = prebuilt.serve_source("calendar-feed", partner=_partner(request), root=request_root_url(request))
    response = HttpResponse(feed.body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    if feed.current:  # the previous feed, served while the new one is built, is not kept any longer
        # Calendar apps poll hourly; a minute of reuse is invisible to them and spares the database.
        mark_public(response, settings.PUBLIC_LIST_CACHE_SECONDS)
    return response


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's server-to-server notice about a Checkout Session; trusted only once its signature checks out.

    Answers 200 for anything verified (including duplicates and events we ignore) so Stripe stops
    retrying, 400 for anything unsigned or mis-signed, and 500 (Stripe retries) if applying it failed.
    """
    from .payments import InvalidWebhook, handle_webhook

    try:
        outcome = handle_webhook(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
    except InvalidWebhook as exc:
        logger.warning("Rejected Stripe webhook: %s", exc)
        return HttpResponseBadRequest("Invalid signature", content_type="text/plain")
    return HttpResponse(outcome, content_type="text/plain")
