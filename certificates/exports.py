"""The staff spreadsheets of venues and certificates, limited to the user's partners."""

import datetime

from django.utils import timezone

from cms.admin_scoping import scoped, staff_partners
from cms.exports import Export

from .models import Certificate, Venue


def accreditation_label(venue, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    if venue.suspended:
        return "Suspended after a failed visit" if venue.suspended_automatically else "Suspended"
    if venue.is_accredited(today):
        if venue.refresher_deadline:  # a failed visit: suspended by itself after this day
            return f"Accredited – refresher needed by {venue.refresher_deadline.day} {venue.refresher_deadline:%b %Y}"
        return "Accredited"
    # Everything else in order, only the renewal missed: say so, it is the one thing to chase.
    overdue = venue.renewal_overdue(today) and venue.accredited_until and venue.accredited_until >= today
    if overdue and venue.agreed_to_pledge and venue.merged_into_id is None:
        return "Renewal overdue"
    return "Not accredited"


def renewal_label(venue, today: datetime.date | None = None) -> str:
    """What staff see about a venue's annual renewal: "Renewal due 1 Jun 2027" or "Renewal overdue"."""
    if not venue.renewal_due_on:
        return ""
    if venue.renewal_overdue(today or timezone.localdate()):
        return "Renewal overdue"
    return f"Renewal due {venue.renewal_due_on.day} {venue.renewal_due_on:%b %Y}"


# Each spreadsheet as (column heading, value) pairs, so a heading and its value cannot drift apart.
VENUE_COLUMNS = [
    ("Council", lambda venue: venue.partner.name),
    ("Venue", lambda venue: venue.name),
    ("Type", lambda venue: venue.get_venue_type_display()),
    ("Address", lambda venue: venue.address),
    ("Postcode", lambda venue: venue.postcode),
    ("Area", lambda venue: venue.area.name if venue.area else ""),
    ("Phone", lambda venue: venue.phone),
    ("Website", lambda venue: venue.website),
    ("Status", accreditation_label),
    ("Accredited until", lambda venue: venue.accredited_until),
    ("Renewal due", lambda venue: venue.renewal_due_on),
    ("Agreed pledge", lambda venue: venue.agreed_to_pledge),
    ("Listed", lambda venue: venue.agreed_to_be_listed),
    ("Sticker pack", lambda venue: venue.get_sticker_pack_display()),
    ("Sticker pack sent on", lambda venue: venue.sticker_pack_sent_on),
]
CERTIFICATE_COLUMNS = [
    ("Council", lambda certificate: certificate.partner.name),
    ("Holder", lambda certificate: certificate.holder_name),
    ("Email", lambda certificate: certificate.holder_email),
    ("Code", lambda certificate: certificate.display_code),
    ("Venue", lambda certificate: certificate.venue.name),
    ("Issued", lambda certificate: certificate.issued_on),
    ("Expires", lambda certificate: certificate.expires_on),
    ("Status", lambda certificate: certificate.current_status_label()),
    ("Revoked reason", lambda certificate: certificate.revoked_reason),
]


def venues_export(*, user) -> Export:
    venues = (
        scoped(Venue, user)
        .filter(merged_into__isnull=True)
        .select_related("area", "partner")
        .order_by("partner__name", "name")
    )
    return Export.from_columns("Venues", VENUE_COLUMNS, venues, partners=list(staff_partners(user)))


def certificates_export(*, user) -> Export:
    certificates = scoped(Certificate, user).select_related("venue", "partner").order_by("partner__name", "-issued_on")
    return Export.from_columns("Certificates", CERTIFICATE_COLUMNS, certificates, partners=list(staff_partners(user)))
