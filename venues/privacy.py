"""Venue accounts as personal data (see cms.privacy): sign-in contacts, sign-in links, and the lead's
address in the audit entries of changes they made.

Registered in venues/wagtail_hooks.py; sign-in links are kept `venue_sign_in_links_days` (cms.privacy).
"""

import datetime

from django.db.models import Q
from wagtail.models import ModelLogEntry

from cms.privacy import ERASED_NAME

from .models import SignInLink, VenueContact


def _venue_entries(partner, email):
    return ModelLogEntry.objects.filter(action__startswith="venues.", data__by=email).filter(
        object_id__in=[str(pk) for pk in partner.venues.values_list("pk", flat=True)]
    )


class VenueAccounts:
    key = "venue_accounts"

    def collect(self, *, partner, email):
        contacts = VenueContact.objects.filter(venue__partner=partner, email=email).select_related("venue")
        links = SignInLink.objects.filter(partner=partner, email=email)
        return [
            *({"contact_for": c.venue.name, "added": c.created_at} for c in contacts),
            *({"sign_in_link_sent": link.created_at, "used": link.used_at} for link in links),
            *({"change": entry.action, "venue": entry.label, "at": entry.timestamp}
              for entry in _venue_entries(partner, email)),
        ]  # fmt: skip

    def erase(self, *, partner, email, actor=None):
        contacts, _ = VenueContact.objects.filter(venue__partner=partner, email=email).delete()
        links, _ = SignInLink.objects.filter(partner=partner, email=email).delete()
        entries = 0
        for entry in _venue_entries(partner, email):
            entry.data = {**entry.data, "by": ERASED_NAME}
            entry.save(update_fields=["data"])
            entries += 1
        return contacts + links + entries

    def purge(self, *, now, retention):
        cutoff = now - datetime.timedelta(days=retention["venue_sign_in_links_days"])
        deleted, _ = SignInLink.objects.filter(Q(expires_at__lt=cutoff)).delete()
        return {"venue_sign_in_links": deleted}
