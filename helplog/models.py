"""The "help given" log: that a venue helped someone, when (a day and a band of hours) and how.

It holds nothing about the person helped, by construction: no name, contact or address field, a
time band rather than the minute, and a note refused when it looks like it holds an email address,
a phone number or a postcode (see forms.py). So subject access and erasure have nothing to find
here, and the rows are deleted after the partner's `help_log_retention_months` (services.py).
"""

from django.db import models
from django.utils import timezone

from certificates.models import Venue
from cms.models import Partner, SupportService


class TimeBand(models.TextChoices):
    NIGHT = "night", "Night (midnight to 6am)"
    MORNING = "morning", "Morning (6am to midday)"
    AFTERNOON = "afternoon", "Afternoon (midday to 6pm)"
    EVENING = "evening", "Evening (6pm to midnight)"

    @classmethod
    def of_hour(cls, hour: int) -> "TimeBand":
        return [cls.NIGHT, cls.MORNING, cls.AFTERNOON, cls.EVENING][hour // 6]


class HelpKind(models.TextChoices):
    LET_IN = "let_in", "Let them in"
    SAFE_SPACE = "safe_space", "A safe, calm space"
    CALLED_999 = "called_999", "Called 999"
    CALLED_101 = "called_101", "Called 101"
    CALLED_SOMEONE = "called_someone", "Called a friend, family or a taxi"
    PHONE_CHARGING = "phone_charging", "Phone charging"
    DIRECTIONS = "directions", "Directions or transport"
    SIGNPOSTED = "signposted", "Signposted to a specialist service"


class Via(models.TextChoices):
    ACCOUNT = "account", "Venue account"
    SHARED_LINK = "shared_link", "Link for staff on shift"


class HelpGiven(models.Model):
    """One occasion of help. Deliberately coarse: adding a field here must pass the test that lists
    the fields allowed (tests/helplog/test_no_personal_data.py)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="help_given")
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="help_given")
    day = models.DateField()
    time_band = models.CharField(max_length=10, choices=TimeBand.choices)
    note = models.CharField(max_length=500, blank=True)
    signposted_to = models.ManyToManyField(SupportService, blank=True, related_name="help_given")
    via = models.CharField(max_length=12, choices=Via.choices)
    # A date, not a timestamp: the minute it was typed in could point to the person as well as the time band.
    created_on = models.DateField(default=timezone.localdate, editable=False)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = "help given"
        verbose_name_plural = "help given"
        indexes = [models.Index(fields=["partner", "day"], name="helpgiven_partner_day")]

    def __str__(self):
        return f"Help given at {self.venue_id} on {self.day}"

    @property
    def kind_labels(self) -> list[str]:
        labels = dict(HelpKind.choices)
        return [labels.get(kind.code, kind.code) for kind in self.kinds.all()]


class HelpGivenKind(models.Model):
    """One kind of help given on an occasion (a child table, so counting by kind is one GROUP BY)."""

    help_given = models.ForeignKey(HelpGiven, on_delete=models.CASCADE, related_name="kinds")
    code = models.CharField(max_length=20, choices=HelpKind.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["help_given", "code"], name="helpgivenkind_unique_code")]

    def __str__(self):
        return self.get_code_display()


class HelpLogLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_on__isnull=True)


class HelpLogLink(models.Model):
    """A venue's link for staff on shift: anyone holding it may record help for that venue only.

    Only the SHA-256 of the token is stored, so the raw link is shown once, when it is made.
    """

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="help_log_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_on = models.DateField(default=timezone.localdate, editable=False)
    revoked_on = models.DateField(null=True, blank=True, editable=False)

    objects = HelpLogLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_on", "-pk"]
        constraints = [
            # At most one live link per venue: making a new one revokes the old.
            models.UniqueConstraint(
                fields=["venue"], condition=models.Q(revoked_on__isnull=True), name="helploglink_one_live_per_venue"
            )
        ]

    def __str__(self):
        return f"Help log link for venue {self.venue_id}"
