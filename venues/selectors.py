"""Reads for venue accounts: who leads which venue, and what the account page says about each."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from certificates.models import Certificate, Venue
from cms.sanitise import normalise_email

from .models import VenueContact

RENEWAL_SOON_DAYS = 30


def lead_venues(*, partner, email: str, today: datetime.date):
    """Venues of `partner` this address may sign in for: it holds a valid, unexpired certificate of
    the venue, or a coordinator added it as a contact. Merged duplicates are left out (their
    survivor is the venue)."""
    email = normalise_email(email)
    if not email:
        return Venue.objects.none()
    holds = Certificate.objects.filter(
        venue=OuterRef("pk"), holder_email__iexact=email, status=Certificate.Status.VALID, expires_on__gte=today
    )
    contact = VenueContact.objects.filter(venue=OuterRef("pk"), email=email)
    return (
        Venue.objects.filter(partner=partner, merged_into__isnull=True)
        .filter(Q(Exists(holds)) | Q(Exists(contact)))
        .order_by("name", "pk")
    )


def lead_venue(*, partner, email: str, venue_id: int, today: datetime.date) -> Venue | None:
    """One venue the lead leads, or None (the view answers 404, as for a venue that does not exist)."""
    return lead_venues(partner=partner, email=email, today=today).filter(pk=venue_id).first()


def lead_emails(venue: Venue, *, today: datetime.date) -> list[str]:
    """Everyone who may sign in for the venue: valid certificate holders and contacts, once each."""
    holders = venue.certificates.filter(status=Certificate.Status.VALID, expires_on__gte=today).values_list(
        "holder_email", flat=True
    )
    contacts = VenueContact.objects.filter(venue=venue).values_list("email", flat=True)
    return sorted({normalise_email(email) for email in [*holders, *contacts] if email})


def trained_people(venue: Venue, *, today: datetime.date) -> list[dict]:
    """The venue's people with a certificate still in date, as initials and expiry only."""
    rows = venue.certificates.filter(status=Certificate.Status.VALID, expires_on__gte=today).order_by(
        "expires_on", "pk"
    )
    return [{"initials": c.holder_initials or "–", "expires_on": c.expires_on} for c in rows]


@dataclass(frozen=True)
class AccountStatus:
    """What the account page says about a venue, in words, with what the lead can do next."""

    SAFE_HAVEN = "safe_haven"
    RENEWAL_DUE = "renewal_due"
    RENEWAL_OVERDUE = "renewal_overdue"
    NOT_YET = "not_yet"
    SUSPENDED = "suspended"

    state: str
    label: str
    date: datetime.date | None = None
    needs: tuple[str, ...] = ()

    @property
    def tag_colour(self) -> str:
        return {
            self.SAFE_HAVEN: "green",
            self.RENEWAL_DUE: "yellow",
            self.RENEWAL_OVERDUE: "red",
            self.NOT_YET: "grey",
            self.SUSPENDED: "red",
        }[self.state]


def account_status(venue: Venue, *, today: datetime.date) -> AccountStatus:
    if venue.suspended:
        return AccountStatus(AccountStatus.SUSPENDED, "Suspended")
    if venue.is_accredited(today):
        due = venue.renewal_due_on
        if due and due <= today + datetime.timedelta(days=RENEWAL_SOON_DAYS):
            return AccountStatus(AccountStatus.RENEWAL_DUE, "Renewal due", date=due)
        needs = () if venue.agreed_to_be_listed else ("listing",)
        return AccountStatus(AccountStatus.SAFE_HAVEN, "Safe Haven", date=venue.safe_haven_until(), needs=needs)
    trained = bool(venue.accredited_until and venue.accredited_until >= today)
    if trained and venue.agreed_to_pledge and venue.renewal_overdue(today):
        return AccountStatus(AccountStatus.RENEWAL_OVERDUE, "Renewal overdue", date=venue.renewal_due_on)
    needs = []
    if not trained:
        needs.append("training")
    if not venue.agreed_to_pledge:
        needs.append("pledge")
    if not venue.agreed_to_be_listed:
        needs.append("listing")
    return AccountStatus(AccountStatus.NOT_YET, "Not yet a Safe Haven", needs=tuple(needs))


def pledge_promises(partner) -> list[str]:
    """The partner's pledge, one promise a line, blank lines dropped."""
    return [line.strip() for line in (partner.pledge_text or "").splitlines() if line.strip()]
