"""Sessions people book, and their bookings.

A Session is one dated occurrence of a bookable page (course or networking event) for one partner,
mirrored by a django-scheduler Event in the partner's Calendar. Capacity is enforced by services.py
under a row lock on the Session; the database guarantees one active booking per email per session.
"""

import hashlib
import secrets
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

from cms.choices import VenueType
from cms.formats import short_datetime
from cms.models import Partner


def new_ical_uid() -> str:
    """Random, stable per object: RFC 5545 UIDs must not leak database ids, tokens or names."""
    return f"{uuid.uuid4()}@safehaven"


# No 0/O, 1/I/L or U/V: a code read out on a video call is typed right first time.
CHECK_IN_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CHECK_IN_CODE_LENGTH = 6


def new_check_in_code() -> str:
    """A random per-session code the trainer reveals during the session (never the session id)."""
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(status=Session.Status.SCHEDULED, starts_at__gt=now or timezone.now())

    def with_counts(self):
        """Places taken (confirmed + held for payment) and waiting, in the same query."""
        return self.annotate(
            taken_count=Count("bookings", filter=Q(bookings__status__in=Booking.HOLDS_PLACE)),
            waiting_count=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITING)),
        )


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    class BookingState(models.TextChoices):
        """What a visitor may do about a session now (derived, never stored)."""

        OPEN = "open", "Open"
        FULL = "full", "Full: join the waiting list"
        NOT_OPEN_YET = "not_open_yet", "Not open yet"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="sessions")
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="booking_sessions",
        help_text="The course or networking event page this is a session of.",
    )
    event = models.OneToOneField(
        "schedule.Event", on_delete=models.PROTECT, related_name="booking_session", null=True, blank=True
    )
    series = models.ForeignKey(
        "schedule.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="series_sessions",
        help_text="The recurring Event (with its Rule) this session was materialised from, if any.",
    )
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    joining_link = models.URLField(blank=True, help_text="Online meeting link, sent to confirmed attendees only.")
    location = models.CharField(
        max_length=255, blank=True, help_text="The address of an in-person session; blank for an online session."
    )
    self_check_in = models.BooleanField(
        default=False,
        help_text="Attendees of an in-person session may check themselves in with a code (online sessions always can).",
    )
    price = models.DecimalField(
        max_digits=7,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="In pounds, taken from the page when the session is created; 0 means free.",
    )
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    ical_uid = models.CharField(max_length=100, unique=True, default=new_ical_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE for the public feed.")
    new_dates_announced_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When people who asked to hear of new dates were emailed about this session (once).",
    )
    check_in_code = models.CharField(
        max_length=12,
        default=new_check_in_code,
        editable=False,
        help_text="Shown by the trainer during the session; attendees enter it on their booking page.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["partner", "status", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self):
        # A query that needs only the name reads the title alone (`.annotate(page_title=...)`).
        title = self.__dict__.get("page_title") or self.page.title
        return f"{title} – {short_datetime(self.starts_at, weekday=True)}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_free(self) -> bool:
        """A free session never goes through the payment provider."""
        return self.price == 0

    @property
    def is_online(self) -> bool:
        return not self.location.strip()

    @property
    def where(self) -> str:
        """What every page, email and invite says for "Where": the address, or Online."""
        return self.location.strip() or "Online"

    @property
    def offers_self_check_in(self) -> bool:
        """Online attendees check in with a code; in person the trainer takes the register unless
        they chose to let attendees check in themselves."""
        return self.is_online or self.self_check_in

    def places_left(self, taken: int | None = None) -> int:
        """Places still free, never below 0 (walk-ins may fill a session past its capacity).

        `taken` counts confirmed places and places held for payment; without it, the `taken_count`
        that `with_counts()` or `selectors.upcoming_sessions_for_page` annotate is used.
        """
        return max(self.capacity - (self.taken_count if taken is None else taken), 0)

    def _closed_state(self, now):
        """The BookingState that keeps a visitor out now, or None within the booking window."""
        return closed_state(
            cancelled=self.is_cancelled,
            starts_at=self.starts_at,
            booking_opens_at=self.booking_opens_at,
            booking_closes_at=self.booking_closes_at,
            now=now,
        )

    def booking_is_open(self, now=None) -> bool:
        """Within the booking window: a visitor may book a place, or join the waiting list if full."""
        return self._closed_state(now or timezone.now()) is None

    def booking_state(self, now=None, *, taken: int | None = None) -> "Session.BookingState":
        """Open, full (open, but only the waiting list), not open yet, closed or cancelled.

        `taken` as for `places_left`; it is read only when the booking window is open.
        """
        closed = self._closed_state(now or timezone.now())
        if closed is not None:
            return closed
        return self.BookingState.OPEN if self.places_left(taken) else self.BookingState.FULL

    def joining_link_visible_from(self):
        """The joining link appears from the first reminder onwards (24 hours before)."""
        return self.starts_at - timedelta(hours=24)


class BookingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Booking.ACTIVE)

    def for_token(self, token: str):
        digest = hash_token(token)
        return self.filter(Q(token_hash=digest) | Q(extra_tokens__token_hash=digest)).distinct()


class BookingStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", "Awaiting payment"
    CONFIRMED = "confirmed", "Confirmed"
    WAITING = "waiting", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Payment not completed"


# Each state's tag colour (GOV.UK Frontend's govuk-tag--<colour>), on the public booking page and the
# staff screens alike: a colour never stands for two states.
STATUS_TAG_COLOURS = {
    BookingStatus.CONFIRMED: "green",
    BookingStatus.WAITING: "yellow",
    BookingStatus.CANCELLED: "grey",
    BookingStatus.PENDING_PAYMENT: "light-blue",
    BookingStatus.EXPIRED: "orange",
}
COMPLETED_TAG = ("Completed", "blue")
ATTENDED_TAG = ("Attended", "turquoise")

# Outside the class so the constraint below (in Meta, which cannot see the class body) uses it too.
ACTIVE_STATUSES = [BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED, BookingStatus.WAITING]


def closed_state(*, cancelled: bool, starts_at, booking_opens_at, booking_closes_at, now):
    """The BookingState that keeps a visitor out at `now`, or None within the booking window: the
    one statement of the rule, for a Session and for the rows a course page keeps
    (bookings/places.py)."""
    if cancelled:
        return Session.BookingState.CANCELLED
    if now >= starts_at:
        return Session.BookingState.CLOSED
    if booking_opens_at and now < booking_opens_at:
        return Session.BookingState.NOT_OPEN_YET
    if booking_closes_at and now >= booking_closes_at:
        return Session.BookingState.CLOSED
    return None


class Booking(models.Model):
    Status = BookingStatus

    ACTIVE = tuple(ACTIVE_STATUSES)
    HOLDS_PLACE = (Status.PENDING_PAYMENT, Status.CONFIRMED)
    # Bookings reference nothing an editor needs a "usage" count for; indexing queued a job per booking.
    wagtail_reference_index_ignore = True

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="bookings")
    name = models.CharField(max_length=120)
    email = models.EmailField(help_text="Stored lower-case, so one person cannot hold two places.")
    organisation = models.CharField("organisation or venue name", max_length=160)
    venue_type = models.CharField(max_length=30, choices=VenueType.choices)
    postcode = models.CharField(max_length=10)
    phone = models.CharField(max_length=30, blank=True)
    access_needs = models.TextField(blank=True)
    consent = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    ical_uid = models.CharField(max_length=100, unique=True, default=new_ical_uid, editable=False)
    ical_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True)
    stripe_checkout_url = models.URLField(max_length=1000, blank=True)
    reminder_24h_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_1h_sent_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True, help_text="Empty until the register is taken.")
    attendance_note = models.CharField(max_length=255, blank=True, help_text="E.g. joined 20 minutes late.")
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True, help_text="When the attendee checked in themselves.")
    knowledge_check_passed_at = models.DateTimeField(null=True, blank=True)
    knowledge_check_taken_at = models.DateTimeField(
        null=True, blank=True, help_text="The attendee's latest attempt at the knowledge check, passed or not."
    )
    knowledge_check_invited_at = models.DateTimeField(
        null=True, blank=True, help_text="When the attendee was emailed to take the knowledge check (once)."
    )
    knowledge_check_nudged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the one reminder to take the knowledge check was emailed."
    )
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="Attended (and passed the knowledge check, if any): set once."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The coordinator who added this person as a walk-in, past the booking rules.",
    )
    walk_in_reason = models.CharField(
        max_length=255, blank=True, help_text="Why a coordinator added this person past the booking rules."
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="booking_one_active_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.session}"

    @property
    def page(self):
        return self.session.page

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def waiting_position(self) -> int | None:
        """1 for the first person in line; None when not waiting."""
        if self.status != self.Status.WAITING:
            return None
        ahead = Booking.objects.filter(session_id=self.session_id, status=self.Status.WAITING).filter(
            Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        )
        return ahead.count() + 1

    @property
    def status_tag(self) -> tuple[str, str]:
        """(words, colour) of the booking's tag: "Completed" and "Attended" say more than "Confirmed"."""
        if self.completed_at:
            return COMPLETED_TAG
        if self.attended is True and self.status == self.Status.CONFIRMED:
            return ATTENDED_TAG
        return self.get_status_display(), STATUS_TAG_COLOURS.get(self.status, "grey")

    @property
    def left_waiting_list(self) -> bool:
        """Cancelled while waiting for a place: never confirmed, never held for payment, and not
        because the session itself was cancelled."""
        return (
            self.status == self.Status.CANCELLED
            and self.confirmed_at is None
            and self.hold_expires_at is None
            and self.session.status != Session.Status.CANCELLED
        )

    @property
    def is_settled(self) -> bool:
        """Attended (and perhaps completed, with a certificate): history, no longer cancellable or movable."""
        return bool(self.completed_at) or self.attended is True

    def joining_link_visible(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.CONFIRMED
            and bool(self.session.joining_link)
            and now >= self.session.joining_link_visible_from()
        )


class BookingTokenManager(models.Manager):
    def mint(self, booking) -> str:
        """Another working manage link for an email: only its hash is stored, never the token."""
        token = secrets.token_urlsafe(32)
        self.create(booking=booking, token_hash=hash_token(token))
        return token


class BookingToken(models.Model):
    """Further manage-link tokens, one minted for each email sent after the booking itself.

    Only the hash is stored, so a later email (promotion, reminder) can carry a working link
    without the raw token ever being kept in the database or a task queue.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="extra_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingTokenManager()


class SessionMessage(models.Model):
    """A message a coordinator emailed to everyone booked on a session.

    `form_key` is minted when the form is shown, so a double click or a resubmitted page hits the
    unique constraint instead of sending the message twice.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="messages")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=150)
    body = models.TextField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recipient_count = models.PositiveIntegerField(default=0)
    form_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Claimed by the task that sends it (once).")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class StripeEvent(models.Model):
    """Webhook events already processed: a duplicate delivery hits the unique constraint."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)


def waiting_list_cutoff():
    return timedelta(hours=getattr(settings, "WAITING_LIST_CUTOFF_HOURS", 2))
