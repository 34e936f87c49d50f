"""A venue's own account: who may sign in for it, and the single-use links they sign in with.

No passwords: the lead asks for a link by email. Only a hash of each link's token is stored.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from bookings.models import hash_token
from certificates.models import Venue
from cms.models import Partner
from cms.sanitise import normalise_email

SIGN_IN_LINK_MINUTES = 30


class VenueContact(models.Model):
    """Someone a coordinator added who may sign in for a venue besides its trained people."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="contacts")
    email = models.EmailField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(fields=["venue", "email"], name="venue_contact_unique_email")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class SignInLinkManager(models.Manager):
    def mint(self, *, partner: Partner, email: str, next_path: str = "", now: datetime.datetime | None = None) -> str:
        """A new single-use sign-in token for `email` on `partner`'s site; only its hash is kept."""
        now = now or timezone.now()
        token = secrets.token_urlsafe(32)
        self.create(
            partner=partner,
            email=normalise_email(email),
            token_hash=hash_token(token),
            next_path=next_path,
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=SIGN_IN_LINK_MINUTES),
        )
        return token


class SignInLink(models.Model):
    """A single-use link that signs a venue's lead in for 30 minutes' use. `next_path` is where it
    lands (the account, the pledge, the renewal); it is always a path on the partner's own site."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    next_path = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SignInLinkManager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Sign-in link for {self.email}"
