"""Venues, their opening hours and help, and the certificates that accredit them."""

import datetime
import re
import secrets
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from cms.choices import HelpOffered, VenueType
from cms.formats import govuk_time_range
from cms.models import Area, Partner

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 random bits
STICKER_CODE_LENGTH = 13  # 65 random bits: a sticker's code cannot be guessed or counted through
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_sticker_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(STICKER_CODE_LENGTH))


def normalise_code(value: str) -> str:
    """Accept a code as printed (ABCD-EFGH-JK), lower-case, or with Crockford's look-alikes."""
    code = re.sub(r"[\s\-]", "", value or "").upper()
    return code.translate(str.maketrans({"I": "1", "L": "1", "O": "0"}))


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_postcode(value: str) -> str:
    """`ig117aa` → `IG11 7AA`: the inward code is always the last three characters."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


_NAME_NOISE = re.compile(r"\b(the|ltd|limited|plc|llp|cic)\b")


def normalise_venue_name(value: str) -> str:
    """How a booking's organisation name is matched to a venue: case, punctuation and 'Ltd' ignored."""
    name = (value or "").lower().replace("&", " and ")
    name = re.sub(r"[^\w\s]", " ", name)
    name = _NAME_NOISE.sub(" ", name)
    return " ".join(name.split())


class VenueQuerySet(models.QuerySet):
    def accredited(self, *, today: datetime.date):
        """Accredited now: a valid certificate covers today, pledge agreed, renewal not overdue, not
        suspended. The one statement of the rule in SQL; `Venue.is_accredited` is the same in Python."""
        return self.filter(
            models.Q(renewal_due_on__isnull=True) | models.Q(renewal_due_on__gte=today),
            accredited_until__gte=today,
            agreed_to_pledge=True,
            suspended=False,
            merged_into__isnull=True,
        )

    def renewal_overdue(self, *, today: datetime.date):
        """Would be accredited but for a renewal not confirmed by its date (staff: "Renewal overdue")."""
        return self.filter(
            renewal_due_on__lt=today,
            accredited_until__gte=today,
            agreed_to_pledge=True,
            suspended=False,
            merged_into__isnull=True,
        )

    def listed(self, *, today: datetime.date):
        """What the public register shows."""
        return self.accredited(today=today).filter(agreed_to_be_listed=True)

    def awaiting_agreements(self, *, today: datetime.date):
        """Trained (a valid, unexpired certificate) but not on the register yet: the pledge is not
        agreed, or the venue has not agreed to be listed. Suspended and merged venues are left out:
        staff already decided about those."""
        valid = Certificate.objects.filter(venue=models.OuterRef("pk"), status=Certificate.Status.VALID,
                                           expires_on__gte=today)  # fmt: skip
        return self.filter(
            models.Exists(valid),
            models.Q(agreed_to_pledge=False) | models.Q(agreed_to_be_listed=False),
            suspended=False,
            merged_into__isnull=True,
        )


@dataclass(frozen=True)
class PublicStatus:
    SAFE_HAVEN = "safe_haven"
    NO_LONGER = "no_longer"
    NOT_YET = "not_yet"

    state: str
    until: datetime.date | None = None
    since: datetime.date | None = None

    @property
    def is_safe_haven(self) -> bool:
        return self.state == self.SAFE_HAVEN


class Venue(ClusterableModel):
    """A place that can become a Safe Haven. Created by a completion; kept up to date by staff."""

    class StickerPack(models.TextChoices):
        NOT_DUE = "not_due", "Not due"
        TO_SEND = "to_send", "To send"
        SENT = "sent", "Sent"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField("public name", max_length=150)
    slug = models.SlugField(max_length=80)
    match_name = models.CharField(
        max_length=150, editable=False, help_text="Normalised organisation name completions are matched on."
    )
    venue_type = models.CharField(max_length=20, choices=VenueType.choices, default=VenueType.OTHER)
    address = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=10)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="venues")
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    agreed_to_pledge = models.BooleanField(default=False, help_text="The venue agreed to the Safe Haven pledge.")
    pledge_agreed_on = models.DateField(null=True, blank=True)
    agreed_to_be_listed = models.BooleanField(default=False, help_text="Show this venue in the public register.")
    suspended = models.BooleanField(default=False, editable=False)
    suspended_reason = models.TextField(blank=True, editable=False)
    sticker_pack = models.CharField(
        max_length=10, choices=StickerPack.choices, default=StickerPack.NOT_DUE, editable=False
    )
    sticker_pack_sent_on = models.DateField(null=True, blank=True, editable=False)
    accredited_until = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Latest expiry of the venue's valid certificates (kept by the certificate services).",
    )
    expiry_reminder_sent_for = models.DateField(
        null=True, blank=True, editable=False, help_text="The accredited-until date a reminder was sent for."
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_duplicates", editable=False
    )
    suspended_on = models.DateField(null=True, blank=True, editable=False)
    withdrawn_on = models.DateField(
        null=True, blank=True, editable=False, help_text="When the venue withdrew its pledge (left the scheme)."
    )
    sticker_code = models.CharField(
        max_length=STICKER_CODE_LENGTH,
        unique=True,
        default=new_sticker_code,
        editable=False,
        help_text="Random code in the sticker's QR: /safe-havens/check/<code>/ shows the venue's live status.",
    )
    renewal_due_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Last day before the venue must re-confirm its details and pledge; unlisted after it.",
    )
    renewed_on = models.DateField(null=True, blank=True, editable=False)
    renewal_reminder_for = models.DateField(
        null=True, blank=True, editable=False, help_text="The renewal date the latest reminder was sent for."
    )
    renewal_reminder_days = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False, help_text="Which reminder (30 or 7 days before) was sent last."
    )
    refresher_needed_on = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="A visit failed on this day: staff must take the workshop again.",
    )
    refresher_deadline = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="Suspended automatically after this day if no one from the venue has completed the workshop.",
    )
    suspended_automatically = models.BooleanField(
        default=False, editable=False, help_text="Suspended by the daily command after a failed visit (not by staff)."
    )
    pledge_invitation_sent_on = models.DateField(
        null=True, blank=True, editable=False, help_text="When the lead was emailed the pledge and listing link."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "slug"], name="venue_unique_slug_per_partner"),
            models.UniqueConstraint(
                fields=["partner", "match_name", "postcode"], name="venue_unique_match_per_partner"
            ),
        ]
        # The register's order: a page of 25 out of thousands is read from the index, not sorted.
        indexes = [models.Index(fields=["partner", "name", "id"], name="venue_register_order")]

    def __str__(self):
        return f"{self.name}, {self.postcode}"

    def is_accredited(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.accredited_until
            and self.accredited_until >= today
            and self.agreed_to_pledge
            and not self.suspended
            and self.merged_into_id is None
            and not self.renewal_overdue(today)
        )

    def renewal_overdue(self, today: datetime.date) -> bool:
        return bool(self.renewal_due_on and self.renewal_due_on < today)

    def safe_haven_until(self) -> datetime.date | None:
        """The last day the venue is a Safe Haven unless something changes: its certificates' expiry or
        its renewal date, whichever comes first."""
        dates = [day for day in (self.accredited_until, self.renewal_due_on) if day]
        return min(dates) if dates else None

    def public_status(self, today: datetime.date) -> "PublicStatus":
        """What the sticker's QR page says: a Safe Haven until a date, no longer one since a date, or
        not (yet) one. Never names a person or the reason."""
        if self.is_accredited(today):
            return PublicStatus(PublicStatus.SAFE_HAVEN, until=self.safe_haven_until())
        ended = []
        if self.suspended and self.suspended_on:
            ended.append(self.suspended_on)
        if not self.agreed_to_pledge and self.withdrawn_on:
            ended.append(self.withdrawn_on)
        if self.accredited_until and self.accredited_until < today and self.pledge_agreed_on:
            ended.append(self.accredited_until + datetime.timedelta(days=1))
        if self.renewal_overdue(today):
            ended.append(self.renewal_due_on + datetime.timedelta(days=1))
        if ended or self.suspended:
            return PublicStatus(PublicStatus.NO_LONGER, since=max(ended) if ended else None)
        return PublicStatus(PublicStatus.NOT_YET)

    @property
    def help_offered(self) -> list[str]:
        """Codes in the vocabulary's order; uses prefetched rows when there are any."""
        codes = {item.code for item in self.help_items.all()}
        return [code for code in HelpOffered.values if code in codes]

    def help_offered_labels(self) -> list[str]:
        labels = dict(HelpOffered.choices)
        return [labels[code] for code in self.help_offered]

    def weekly_hours(self) -> list[tuple[str, list]]:
        """[(day name, [OpeningHours, ...]), ...] Monday first; an empty list means closed."""
        rows = sorted(self.opening_hours.all(), key=lambda h: (h.weekday, h.opens))
        return [(day, [h for h in rows if h.weekday == index]) for index, day in enumerate(WEEKDAYS)]


class VenueHelp(models.Model):
    """One kind of help a venue offers; a row each so the register can filter on any database."""

    venue = ParentalKey(Venue, on_delete=models.CASCADE, related_name="help_items")
    code = models.CharField(max_length=30, choices=HelpOffered.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["venue", "code"], name="venue_help_unique")]

    def __str__(self):
        return self.get_code_display()


class OpeningHours(models.Model):
    """A period a venue is open on a weekday; several per day allowed, none means closed.

    Times are local (Europe/London wall clock); a period whose closing time is not after its
    opening time runs past midnight.
    """

    venue = ParentalKey(Venue, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(WEEKDAYS)))
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [models.CheckConstraint(condition=models.Q(weekday__lte=6), name="opening_hours_weekday")]

    def __str__(self):
        return f"{WEEKDAYS[self.weekday]} {govuk_time_range(self.opens, self.closes)}"


def booking_completion_key(booking) -> str:
    """What a certificate from a completed booking records as completed: one certificate each."""
    return f"booking:{booking.pk}"


class Certificate(models.Model):
    """One person's completion of a course, accrediting their venue until it expires."""

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="certificates")
    course_page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    holder_name = models.CharField(max_length=150)
    holder_email = models.EmailField()
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_verification_code, editable=False)
    issued_on = models.DateField()
    expires_on = models.DateField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_reason = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    completion_key = models.CharField(
        max_length=100,
        unique=True,
        editable=False,
        help_text="What completed, e.g. 'booking:123'; one certificate each.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self):
        return f"{self.display_code} – {self.holder_name}"

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    def current_status(self, today: datetime.date | None = None) -> str:
        """The status a reader should see: a valid certificate past its date is expired, cron or not."""
        today = today or timezone.localdate()
        if self.status == self.Status.VALID and self.expires_on < today:
            return self.Status.EXPIRED
        return self.status

    def current_status_label(self) -> str:
        return self.Status(self.current_status()).label

    @property
    def holder_initials(self) -> str:
        return "".join(f"{part[0].upper()}." for part in self.holder_name.split() if part[:1].isalpha())
