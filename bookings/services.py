"""Operations that change sessions and bookings.

Every capacity decision is taken with the Session row locked (`select_for_update` inside
`transaction.atomic`; on SQLite the IMMEDIATE transaction already serialises writers), and every
email, invite or payment call runs after the commit, so a rollback never sends anything.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from schedule.models import Calendar, Event, Rule
from wagtail.log_actions import get_active_log_context, log
from wagtail.models import ModelLogEntry

from cms.database import prepared_statements
from cms.formats import govuk_time
from cms.sanitise import clean_text, normalise_email

from . import selectors
from .exceptions import (
    AlreadyBooked,
    BookingClosed,
    BookingCompleted,
    BookingNotOpenYet,
    CapacityBelowBooked,
    NotRebookable,
    SessionCancelled,
    SessionFull,
    WalkInTooEarly,
)
from .models import Booking, Session, SessionMessage, hash_token, waiting_list_cutoff
from .places import places_changed

logger = logging.getLogger(__name__)

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class AttendeeDetails:
    name: str
    email: str
    organisation: str
    venue_type: str
    postcode: str
    phone: str = ""
    access_needs: str = ""
    consent: bool = True


@dataclass(frozen=True)
class BookingResult:
    booking: Booking
    created: bool
    token: str | None = None  # the raw manage token, only for a booking this call created

    @property
    def on_waiting_list(self) -> bool:
        return self.booking.status == Booking.Status.WAITING


def notify_after_commit(booking_id: int, kind: str) -> None:
    """Send one of the booking emails once the change that calls for it has committed."""
    from .tasks import send_booking_email

    transaction.on_commit(lambda: send_booking_email.enqueue(booking_id=booking_id, kind=kind))


def _close_checkout(booking: Booking) -> None:
    """A cancelled booking's open Stripe Checkout is expired after commit, so it cannot be paid any more."""
    if booking.status == Booking.Status.PENDING_PAYMENT and booking.stripe_checkout_session_id:
        from .tasks import expire_checkout

        checkout_id = booking.stripe_checkout_session_id
        transaction.on_commit(lambda: expire_checkout.enqueue(checkout_session_id=checkout_id))


def lock_session(session_id: int, *, partner=None, with_title: bool = False) -> Session:
    """The Session row, locked until the transaction ends: the one place capacity is serialised.
    With a partner, only that partner's session (Session.DoesNotExist otherwise). `with_title` reads
    the page's title in the same query (only the session row is locked; the title is all a session's
    name needs, and building the whole page row was the largest piece of a booking's Python time),
    for a caller that names the session while the lock is held: every round trip under the lock is
    one more wait for everyone queued behind."""
    sessions = Session.objects.select_for_update(of=("self",))
    if with_title:
        sessions = sessions.annotate(page_title=F("page__title"))
    if partner is not None:
        sessions = sessions.filter(partner=partner)
    return sessions.get(pk=session_id)


def checkout_hold_ends(now: datetime) -> datetime:
    """When a place held for payment is let go: as long as a Stripe Checkout Session lives (its
    `expires_at` is this too). The extra minute keeps a 30-minute hold at or above Stripe's minimum."""
    return now + timedelta(minutes=settings.CHECKOUT_HOLD_MINUTES, seconds=60)


def book_place(
    *, session: Session, attendee: AttendeeDetails, actor=None, now: datetime | None = None
) -> BookingResult:
    """Confirm a place (or hold it for payment), or join the waiting list when the session is full.

    A repeat submission for the same email returns the existing active booking: no duplicate
    and no second email. The partial unique index (one active booking per email and session)
    decides that, so the common case spends no query looking; the session row is locked for as
    few round trips as possible, because every booking for the session queues behind it.
    `actor` is the staff user booking someone in; None for the public form.
    """
    return _book_place(session_id=session.pk, partner=None, attendee=attendee, actor=actor, now=now)


def book_place_for_partner(
    *, session_id: int, partner, attendee: AttendeeDetails, now: datetime | None = None
) -> BookingResult:
    """book_place for the public form: the session is found (and locked) in the one query, and must
    be this partner's; another partner's or a missing session raises Session.DoesNotExist."""
    return _book_place(session_id=session_id, partner=partner, attendee=attendee, actor=None, now=now)


def _book_place(*, session_id: int, partner, attendee: AttendeeDetails, actor, now: datetime | None) -> BookingResult:
    now = now or timezone.now()
    email = normalise_email(attendee.email)
    token = secrets.token_urlsafe(32)
    try:
        with prepared_statements(), transaction.atomic():
            locked = lock_session(session_id, partner=partner, with_title=True)
            if locked.is_cancelled:
                raise SessionCancelled()
            if locked.booking_opens_at and now < locked.booking_opens_at:
                raise BookingNotOpenYet()
            if not locked.booking_is_open(now):
                raise BookingClosed()
            if selectors.places_taken(locked) < locked.capacity:
                status = Booking.Status.CONFIRMED if locked.is_free else Booking.Status.PENDING_PAYMENT
            else:
                status = Booking.Status.WAITING
            booking = _create_booking(
                session=locked,
                attendee=attendee,
                email=email,
                status=status,
                token=token,
                now=now,
                # Released by release_expired_holds if no checkout ever starts (or finishes).
                hold_expires_at=checkout_hold_ends(now) if status == Booking.Status.PENDING_PAYMENT else None,
            )
            _log_new_booking(booking, "bookings.staff_book" if actor else "bookings.book", actor=actor, status=status)
            if status == Booking.Status.CONFIRMED:
                notify_after_commit(booking.pk, "confirmation")
            elif status == Booking.Status.WAITING:
                notify_after_commit(booking.pk, "waiting_list")
    except IntegrityError:
        # A repeat submission (double click, retry): the whole attempt rolled back (no savepoint
        # needed: it only read before the INSERT), and the existing active booking stands.
        existing = Booking.objects.active().filter(session_id=session_id, email=email).first()
        if existing is None:
            raise
        return BookingResult(booking=existing, created=False)
    return BookingResult(booking=booking, created=True, token=token)


def _log_new_booking(booking: Booking, action: str, *, actor, status) -> None:
    """The audit entry `wagtail.log_actions.log` writes, without its save-time query: Wagtail's log
    entries validate their content type by asking the database if it exists, and this entry is
    written while the session row is locked, where each round trip keeps every booking behind it
    waiting. The action is still checked against the registered ones (`clean`), as `log` does."""
    context = get_active_log_context()
    entry = ModelLogEntry(
        content_type=ContentType.objects.get_for_model(booking, for_concrete_model=False),
        object_id=str(booking.pk),
        label=ModelLogEntry.objects.get_instance_title(booking),
        action=action,
        data={"status": status},
        timestamp=timezone.now(),
        user=actor or context.user,
        uuid=context.uuid,
    )
    entry.clean()
    ModelLogEntry.objects.bulk_create([entry])


def _create_booking(*, session: Session, attendee: AttendeeDetails, email: str, status, token: str, now, **extra):
    """The one place a booking row is written from someone's details (the form, staff, a walk-in)."""
    return Booking.objects.create(
        session=session,
        partner_id=session.partner_id,
        name=attendee.name,
        email=email,
        organisation=attendee.organisation,
        venue_type=attendee.venue_type,
        postcode=attendee.postcode,
        phone=attendee.phone,
        access_needs=attendee.access_needs,
        consent=attendee.consent,
        status=status,
        token_hash=hash_token(token),
        created_at=now,
        confirmed_at=now if status == Booking.Status.CONFIRMED else None,
        **extra,
    )


def promote_from_waiting_list(*, session: Session, actor=None, now: datetime | None = None) -> list[Booking]:
    """Give free places to the first people waiting, until the cut-off before the start.

    Called inside the transaction that freed the place; re-locking the row there is harmless.
    `actor` is whoever freed it (None for the public and cron).
    """
    now = now or timezone.now()
    promoted = []
    with transaction.atomic():
        locked = lock_session(session.pk)
        if locked.is_cancelled or now >= locked.starts_at - waiting_list_cutoff():
            return promoted
        free = locked.capacity - selectors.places_taken(locked)
        if free <= 0:
            return promoted
        waiting = list(
            Booking.objects.select_for_update()
            .filter(session=locked, status=Booking.Status.WAITING)
            .order_by("created_at", "pk")[:free]
        )
        for booking in waiting:
            if locked.is_free:
                booking.status = Booking.Status.CONFIRMED
                booking.confirmed_at = now
            else:
                # Held for them to pay from their booking page; cron releases it if they do not.
                booking.status = Booking.Status.PENDING_PAYMENT
                booking.hold_expires_at = min(
                    now + timedelta(hours=settings.PROMOTED_PAYMENT_HOURS), locked.starts_at - waiting_list_cutoff()
                )
            booking.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
            log(booking, "bookings.promote", user=actor, data={"status": booking.status})
            notify_after_commit(booking.pk, "promotion")
            promoted.append(booking)
    return promoted


def cancel_booking(*, booking: Booking, actor=None, now: datetime | None = None) -> Booking:
    """Cancel a booking; a place it held goes to the first person waiting.

    `actor` is the staff user cancelling it; None for the attendee's own manage link.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock_session(booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if not booking.is_active:
            return booking
        if booking.is_settled:
            raise BookingCompleted()
        had_invite = booking.status == Booking.Status.CONFIRMED
        held_place = booking.status in Booking.HOLDS_PLACE
        _close_checkout(booking)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        if had_invite:
            booking.ical_sequence += 1
        booking.save(update_fields=["status", "cancelled_at", "ical_sequence"])
        log(booking, "bookings.staff_cancel" if actor else "bookings.cancel", user=actor)
        notify_after_commit(booking.pk, "cancellation")
        if held_place:
            promote_from_waiting_list(session=booking.session, actor=actor, now=now)
    return booking


def rebook(*, booking: Booking, new_session: Session, now: datetime | None = None) -> Booking:
    """Move a confirmed booking to another session of the same page.

    The booking keeps its UID, so calendars update the existing entry (REQUEST, SEQUENCE+1).
    """
    now = now or timezone.now()
    if new_session.pk == booking.session_id:
        return booking
    with transaction.atomic():
        # Lock both sessions in id order so two opposite moves cannot deadlock.
        for session_id in sorted([booking.session_id, new_session.pk]):
            lock_session(session_id)
        booking = Booking.objects.select_for_update().select_related("session").get(pk=booking.pk)
        target = Session.objects.get(pk=new_session.pk)
        if booking.is_settled:
            raise BookingCompleted()
        if booking.status != Booking.Status.CONFIRMED or target.page_id != booking.session.page_id:
            raise NotRebookable()
        if target.partner_id != booking.partner_id:
            raise NotRebookable()
        if target.is_cancelled:
            raise SessionCancelled()
        if not target.booking_is_open(now):
            raise BookingClosed()
        if Booking.objects.active().filter(session=target, email=booking.email).exists():
            raise AlreadyBooked()
        if selectors.places_taken(target) >= target.capacity:
            raise SessionFull()
        old_session = booking.session
        booking.session = target
        booking.ical_sequence += 1
        booking.reminder_24h_sent_at = None
        booking.reminder_1h_sent_at = None
        booking.save(update_fields=["session", "ical_sequence", "reminder_24h_sent_at", "reminder_1h_sent_at"])
        notify_after_commit(booking.pk, "update")
        promote_from_waiting_list(session=old_session, now=now)
    return booking


def partner_calendar(partner) -> Calendar:
    """The partner's django-scheduler Calendar, which holds one Event per session."""
    calendar, _ = Calendar.objects.get_or_create(slug=partner.slug, defaults={"name": partner.name})
    return calendar


def create_session(
    *,
    partner,
    page,
    starts_at: datetime,
    ends_at: datetime | None = None,
    capacity: int,
    joining_link: str = "",
    location: str | None = None,
    self_check_in: bool = False,
    booking_opens_at: datetime | None = None,
    booking_closes_at: datetime | None = None,
    series: Event | None = None,
    actor=None,
) -> Session:
    """A dated session of a course or event, with its django-scheduler Event.

    `location` None takes the page's own address (a networking event's), so an event in a
    library is never sent out as online; "" is an online session. The session keeps the page's
    price as it is now (a page type without one is free): a later change of price applies to new
    sessions only, so nobody is charged other than what they were shown.
    """
    from .tasks import announce_new_dates

    page = page.specific
    if location is None:
        location = getattr(page, "location", "") or ""
    location = clean_text(location).strip()
    if ends_at is None:
        ends_at = starts_at + timedelta(minutes=getattr(page, "duration_minutes", 90))
    with transaction.atomic():
        event = Event.objects.create(
            calendar=partner_calendar(partner), title=page.title, start=starts_at, end=ends_at, creator=actor
        )
        session = Session.objects.create(
            partner=partner,
            page=page,
            event=event,
            series=series,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            joining_link=joining_link,
            location=location,
            self_check_in=self_check_in,
            price=getattr(page, "price", None) or Decimal("0"),
            booking_opens_at=booking_opens_at,
            booking_closes_at=booking_closes_at,
        )
        log(session, "bookings.session_create", user=actor, data={"series": series.pk} if series else None)
        if series is None:  # a series announces all its dates at once (create_series)
            transaction.on_commit(lambda: announce_new_dates.enqueue(session_ids=[session.pk]))
        return session


def create_series(
    *,
    partner,
    page,
    first_day: date,
    last_day: date,
    weekdays: list[str],
    start_time: time,
    capacity: int,
    duration_minutes: int | None = None,
    joining_link: str = "",
    location: str | None = None,
    self_check_in: bool = False,
    actor=None,
) -> list[Session]:
    """Sessions on the given weekdays between two dates, from one recurring Event and its Rule.

    E.g. weekdays ["TU", "TH"] at 10:00 from 1 May to 30 June: the Rule is WEEKLY with
    byweekday TU,TH; its occurrences (wall-clock London time, so right across clock changes)
    become individual sessions, each with its own Event.
    """
    from .tasks import announce_new_dates

    page = page.specific
    zone = partner.zone
    days = [day.upper() for day in weekdays]
    if not days or any(day not in WEEKDAYS for day in days):
        raise ValueError("Choose at least one weekday")
    duration = timedelta(minutes=duration_minutes or getattr(page, "duration_minutes", 90))
    start = datetime.combine(first_day, start_time, tzinfo=zone)
    period_end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
    with transaction.atomic():
        # Weekday names, not numbers: django-scheduler narrows numeric byweekday to the start's day.
        rule = Rule.objects.create(
            name=f"Weekly {','.join(days)}"[:32],
            description=f"Every {', '.join(days)} at {govuk_time(start_time)}",
            frequency="WEEKLY",
            params=f"byweekday:{','.join(days)}",
        )
        series = Event.objects.create(
            calendar=partner_calendar(partner),
            title=f"{page.title} (series)",
            start=start,
            end=start + duration,
            rule=rule,
            end_recurring_period=period_end,
            creator=actor,
        )
        occurrences = series.get_occurrences(start, period_end)
        sessions = [
            create_session(
                partner=partner,
                page=page,
                starts_at=occurrence.start,
                ends_at=occurrence.end,
                capacity=capacity,
                joining_link=joining_link,
                location=location,
                self_check_in=self_check_in,
                series=series,
                actor=actor,
            )
            for occurrence in sorted(occurrences, key=lambda o: o.start)
        ]
        transaction.on_commit(lambda: announce_new_dates.enqueue(session_ids=[s.pk for s in sessions]))
        return sessions


def update_capacity(*, session: Session, capacity: int, actor=None) -> Session:
    """Change capacity; never below the places already booked. More room promotes the waiting list."""
    with transaction.atomic():
        locked = lock_session(session.pk)
        taken = selectors.places_taken(locked)
        if capacity < taken:
            raise CapacityBelowBooked(
                f"Capacity cannot be lower than the {taken} place{'s' if taken != 1 else ''} already booked."
            )
        grew = capacity > locked.capacity
        locked.capacity = capacity
        locked.save(update_fields=["capacity", "updated_at"])
        if grew:
            promote_from_waiting_list(session=locked, actor=actor)
    return locked


def change_session_time(*, session: Session, starts_at: datetime, ends_at: datetime, actor=None) -> Session:
    """Move a session; confirmed attendees get an updated invite (REQUEST, SEQUENCE+1)."""
    with transaction.atomic():
        locked = lock_session(session.pk)
        if locked.starts_at == starts_at and locked.ends_at == ends_at:
            return locked
        locked.starts_at, locked.ends_at = starts_at, ends_at
        locked.sequence += 1
        locked.save(update_fields=["starts_at", "ends_at", "sequence", "updated_at"])
        if locked.event_id:
            Event.objects.filter(pk=locked.event_id).update(start=starts_at, end=ends_at)
        _resend_invites(locked, reset_reminders=True)
    return locked


def _resend_invites(session: Session, *, reset_reminders: bool) -> None:
    """Everyone with a confirmed place gets the changed invite (REQUEST, SEQUENCE+1), after commit."""
    for booking in session.bookings.select_for_update().filter(status=Booking.Status.CONFIRMED):
        booking.ical_sequence += 1
        fields = ["ical_sequence"]
        if reset_reminders:  # a new time: the reminders are due again
            booking.reminder_24h_sent_at = booking.reminder_1h_sent_at = None
            fields += ["reminder_24h_sent_at", "reminder_1h_sent_at"]
        booking.save(update_fields=fields)
        notify_after_commit(booking.pk, "update")


def update_session(*, session: Session, actor=None, **changes) -> Session:
    """Staff edits: time changes re-send invites; capacity goes through its own rule.

    One transaction and one log entry naming the fields that really changed.
    """
    fields = sorted(changes)
    with transaction.atomic():
        before = lock_session(session.pk)
        if "capacity" in changes and changes["capacity"] != before.capacity:
            session = update_capacity(session=session, capacity=changes.pop("capacity"), actor=actor)
        else:
            changes.pop("capacity", None)
        starts_at, ends_at = changes.pop("starts_at", before.starts_at), changes.pop("ends_at", before.ends_at)
        session = change_session_time(session=session, starts_at=starts_at, ends_at=ends_at, actor=actor)
        if "location" in changes:
            changes["location"] = clean_text(changes["location"] or "")
        new_link = changes.get("joining_link", session.joining_link)
        if changes:
            locked = lock_session(session.pk)
            link_changed = bool(new_link) and new_link != locked.joining_link
            moved = "location" in changes and changes["location"].strip() != locked.location.strip()
            if moved:
                changes["sequence"] = locked.sequence + 1
            Session.objects.filter(pk=session.pk).update(**changes)
            places_changed()  # capacity and booking window: .update() sends no save signal
            if moved:
                # A new room (or online instead of a room) changes the invite's LOCATION.
                _resend_invites(locked, reset_reminders=False)
            if link_changed:
                # Those already sent the old link (a reminder went out) get the new one, once per change.
                told = locked.bookings.filter(status=Booking.Status.CONFIRMED).filter(
                    Q(reminder_24h_sent_at__isnull=False) | Q(reminder_1h_sent_at__isnull=False)
                )
                for booking_id in told.values_list("pk", flat=True):
                    notify_after_commit(booking_id, "joining_link_changed")
            session.refresh_from_db()
        changed = [name for name in fields if getattr(before, name) != getattr(session, name)]
        if changed:
            log(session, "bookings.session_edit", user=actor, data={"changed": changed})
    return session


def cancel_session(*, session: Session, actor=None, now: datetime | None = None) -> Session:
    """Cancel a whole session; everyone booked or waiting is told (a CANCEL for invites)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_session(session.pk)
        if locked.is_cancelled:
            return locked
        locked.status = Session.Status.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["status", "sequence", "updated_at"])
        log(locked, "bookings.session_cancel", user=actor)
        for booking in locked.bookings.select_for_update().filter(status__in=Booking.ACTIVE):
            _close_checkout(booking)
            if booking.status == Booking.Status.CONFIRMED:
                booking.ical_sequence += 1
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at", "ical_sequence"])
            notify_after_commit(booking.pk, "session_cancelled")
    return locked


def confirm_payment(*, booking: Booking, now: datetime | None = None) -> Booking:
    """A signature-verified payment for a held place: confirm it and send the invite.

    Out-of-order and late news never moves a booking backwards:
    - already confirmed: nothing changes (a duplicate or a second success event);
    - cancelled by the attendee: stays cancelled, logged so staff can refund;
    - expired because our hold ran out before Stripe's webhook arrived: the payment was made
      inside Stripe's own window, so the place is confirmed if one is still free (and the person
      has not booked the session again); otherwise it stays expired and is logged for a refund.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(booking.session_id)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Booking.Status.CONFIRMED:
            return booking
        if booking.status == Booking.Status.EXPIRED:
            if not _place_for_late_payment(booking=booking, session=session, now=now):
                logger.error("Payment for booking %s arrived after its place was released; refund it", booking.pk)
                return booking
        elif booking.status != Booking.Status.PENDING_PAYMENT:
            logger.error("Payment for %s booking %s not applied; refund it", booking.status, booking.pk)
            return booking
        booking.status = Booking.Status.CONFIRMED
        booking.confirmed_at = now
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
        notify_after_commit(booking.pk, "payment_received")
    return booking


def _place_for_late_payment(*, booking: Booking, session: Session, now: datetime) -> bool:
    return (
        not session.is_cancelled
        and session.starts_at > now
        and selectors.places_taken(session) < session.capacity
        and not Booking.objects.active().filter(session=session, email=booking.email).exists()
    )


def keep_hold_while_payment_clears(*, booking: Booking) -> Booking:
    """A delayed payment method (e.g. Bacs) was submitted: hold the place until Stripe says how it went."""
    updated = Booking.objects.filter(pk=booking.pk, status=Booking.Status.PENDING_PAYMENT).update(hold_expires_at=None)
    if updated:
        booking.hold_expires_at = None
    return booking


def release_hold(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Give back a place held for a payment that did not happen; the waiting list gets it.

    Only a booking still awaiting payment changes: an 'expired' arriving after the payment
    succeeded, or after the attendee cancelled, is ignored.
    """
    _release(booking_id=booking.pk, now=now or timezone.now(), only_if_due=False)
    return Booking.objects.get(pk=booking.pk)


def _release(*, booking_id: int, now: datetime, only_if_due: bool) -> bool:
    with transaction.atomic():
        session_id = Booking.objects.values_list("session_id", flat=True).get(pk=booking_id)
        session = lock_session(session_id)
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status != Booking.Status.PENDING_PAYMENT:
            return False
        # The hold may have been kept (a payment clearing) since the caller looked.
        if only_if_due and (booking.hold_expires_at is None or booking.hold_expires_at > now):
            return False
        booking.status = Booking.Status.EXPIRED
        booking.hold_expires_at = None
        booking.save(update_fields=["status", "hold_expires_at"])
        promote_from_waiting_list(session=session, now=now)
    return True


def release_expired_holds(*, now: datetime | None = None) -> int:
    """Release places held for payments whose time ran out, in case a webhook never arrives.

    Idempotent and safe to run from cron: each hold is re-checked under the lock.
    """
    now = now or timezone.now()
    due = Booking.objects.filter(status=Booking.Status.PENDING_PAYMENT, hold_expires_at__lte=now)
    return sum(_release(booking_id=pk, now=now, only_if_due=True) for pk in list(due.values_list("pk", flat=True)))


REMINDERS = (
    # (kind, field, how long before the start it is due)
    ("reminder_1h", "reminder_1h_sent_at", timedelta(hours=1)),
    ("reminder_24h", "reminder_24h_sent_at", timedelta(hours=24)),
)


def send_due_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Email the 24-hour and 1-hour reminders that are due; safe to run from cron every few minutes.

    Each reminder is claimed with a conditional UPDATE (sent_at still empty), so two overlapping
    runs cannot both send it. Someone booking inside the last hour gets only the 1-hour reminder.
    """
    now = now or timezone.now()
    sent = {}
    for kind, field, lead in REMINDERS:
        due = Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + lead,
            **{f"{field}__isnull": True},
        ).values_list("pk", flat=True)
        count = 0
        for booking_id in list(due):
            with transaction.atomic():
                updates = {field: now}
                if kind == "reminder_1h":
                    # The day-before reminder is pointless now; never send it after this one.
                    updates["reminder_24h_sent_at"] = now
                    claimed = Booking.objects.filter(pk=booking_id, reminder_1h_sent_at__isnull=True).update(**updates)
                else:
                    claimed = Booking.objects.filter(pk=booking_id, reminder_24h_sent_at__isnull=True).update(**updates)
                if claimed:
                    notify_after_commit(booking_id, kind)
                    count += 1
        sent[kind] = count
    return sent


def add_walk_in(
    *, session: Session, attendee: AttendeeDetails, reason: str, actor, now: datetime | None = None
) -> BookingResult:
    """Put someone who turned up straight on the register, past capacity and the booking window.

    A staff override, so it records who added them and why; allowed from the session's own day
    (on the partner's clock), never for a cancelled session. Someone already waiting or holding
    a place for payment is confirmed in place; a confirmed booking stands as it is. No booking
    email is sent: the person is in the room, and the certificate email follows the register.
    """
    now = now or timezone.now()
    email = normalise_email(attendee.email)
    reason = clean_text(reason).strip()[:255]
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = lock_session(session.pk)
        if locked.is_cancelled:
            raise SessionCancelled("This session is cancelled, so no one can be added to it.")
        if not selectors.walk_ins_allowed(locked, now=now):
            raise WalkInTooEarly()
        existing = Booking.objects.select_for_update().filter(session=locked, email=email, status__in=Booking.ACTIVE)
        booking = existing.first()
        if booking is not None and booking.status == Booking.Status.CONFIRMED:
            return BookingResult(booking=booking, created=False)
        if booking is not None:
            _close_checkout(booking)
            booking.status = Booking.Status.CONFIRMED
            booking.confirmed_at = now
            booking.hold_expires_at = None
            booking.added_by = actor
            booking.walk_in_reason = reason
            booking.save(update_fields=["status", "confirmed_at", "hold_expires_at", "added_by", "walk_in_reason"])
            created, token = False, None
        else:
            booking = _create_booking(
                session=locked,
                attendee=attendee,
                email=email,
                status=Booking.Status.CONFIRMED,
                token=token,
                now=now,
                added_by=actor,
                walk_in_reason=reason,
            )
            created = True
        log(booking, "bookings.walk_in", user=actor, data={"reason": reason, "session": locked.pk})
    return BookingResult(booking=booking, created=created, token=token)


def email_everyone_booked(*, session: Session, subject: str, body: str, form_key: str, actor) -> SessionMessage:
    """Email one message to each person with a confirmed place, once.

    `form_key` comes from the form as it was shown: a double click or a resubmitted page finds
    the message already recorded (the unique constraint decides) and sends nothing more.
    """
    from .tasks import send_session_message

    subject = clean_text(subject).strip()
    body = clean_text(body).strip()
    try:
        with transaction.atomic():
            recipients = session.bookings.filter(status=Booking.Status.CONFIRMED).count()
            message = SessionMessage.objects.create(
                session=session,
                partner_id=session.partner_id,
                subject=subject,
                body=body,
                sent_by=actor,
                recipient_count=recipients,
                form_key=form_key,
            )
            log(session, "bookings.session_message", user=actor, data={"subject": subject, "recipients": recipients})
            transaction.on_commit(lambda: send_session_message.enqueue(message_id=message.pk))
    except IntegrityError:
        existing = SessionMessage.objects.filter(form_key=form_key, session=session).first()
        if existing is None:
            raise
        return existing
    return message
