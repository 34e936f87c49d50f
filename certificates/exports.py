"""The staff spreadsheets of venues and certificates, limited to the user's partners."""

from cms.admin_scoping import scoped, staff_partners
from cms.exports import Export

from .models import Certificate, Venue


def accreditation_label(venue) -> str:
    if venue.suspended:
        return "Suspended"
    return "Accredited" if venue.is_accredited() else "Not accredited"


def venues_export(*, user) -> Export:
    venues = (
        scoped(Venue, user)
        .filter(merged_into__isnull=True)
        .select_related("area", "partner")
        .order_by("partner__name", "name")
    )
    headers = ["Council", "Venue", "Type", "Address", "Postcode", "Area", "Phone", "Website", "Status",
               "Accredited until", "Agreed pledge", "Listed", "Sticker pack", "Sticker pack sent on"]  # fmt: skip
    rows = [
        [
            venue.partner.name,
            venue.name,
            venue.get_venue_type_display(),
            venue.address,
            venue.postcode,
            venue.area.name if venue.area else "",
            venue.phone,
            venue.website,
            accreditation_label(venue),
            venue.accredited_until,
            venue.agreed_to_pledge,
            venue.agreed_to_be_listed,
            venue.get_sticker_pack_display(),
            venue.sticker_pack_sent_on,
        ]  # fmt: skip
        for venue in venues
    ]
    return Export(what="Venues", headers=headers, rows=rows, partners=list(staff_partners(user)))


def certificates_export(*, user) -> Export:
    certificates = scoped(Certificate, user).select_related("venue", "partner").order_by("partner__name", "-issued_on")
    headers = ["Council", "Holder", "Email", "Code", "Venue", "Issued", "Expires", "Status", "Revoked reason"]
    rows = [
        [
            c.partner.name,
            c.holder_name,
            c.holder_email,
            c.display_code,
            c.venue.name,
            c.issued_on,
            c.expires_on,
            c.current_status_label(),
            c.revoked_reason,
        ]  # fmt: skip
        for c in certificates
    ]
    return Export(what="Certificates", headers=headers, rows=rows, partners=list(staff_partners(user)))
