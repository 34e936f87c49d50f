"""What a venue's lead can do from their account, and the emails that bring them to it.

Every change locks the venue row, writes, logs one Wagtail log entry naming the lead by email
(the lead is not a Django user, so `user` is None), and retires cached public pages on commit.
Emails are sent by tasks after commit; sign-in tokens are minted inside the task, so a raw token
never sits in the task queue or the database.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from certificates.models import OpeningHours, Venue, VenueHelp
from certificates.services import refresh_accreditation, renewal_date_from
from cms.choices import HelpOffered
from cms.content_version import content_changed
from cms.sanitise import clean_text, normalise_email

from .models import SignInLink, VenueContact

logger = logging.getLogger(__name__)

REMINDER_STAGES = (30, 7)  # days before the renewal date
ALL_DAY = (datetime.time(0, 0), datetime.time(0, 0))  # closes <= opens runs past midnight: all day


def safe_next_path(value: str | None) -> str:
    """Only a path inside the venue account may follow a sign-in; anything else lands on the account."""
    value = (value or "").strip()
    if value.startswith("/venue/") and "//" not in value and "\\" not in value and len(value) <= 200:
        return value
    return ""


# --- signing in ------------------------------------------------------------------------------


def request_sign_in_link(*, partner, email: str, next_path: str = "") -> None:
    """Email a sign-in link if `email` leads a venue of `partner`; do nothing visible otherwise.

    The look-up and the minting happen in the task, so the answer the person gets (and how long it
    takes) is the same for a known and an unknown address.
    """
    from .tasks import send_sign_in_link

    email, next_path, partner_id = normalise_email(email), safe_next_path(next_path), partner.pk
    transaction.on_commit(lambda: send_sign_in_link.enqueue(partner_id=partner_id, email=email, next_path=next_path))


def use_sign_in_link(*, partner, token: str, now: datetime.datetime | None = None) -> SignInLink | None:
    """Spend a link: the first use within 30 minutes wins, under a row lock so two clicks at once
    sign in once. None for an unknown, used or expired link."""
    from bookings.models import hash_token

    now = now or timezone.now()
    with transaction.atomic():
        link = (
            SignInLink.objects.select_for_update().filter(partner=partner, token_hash=hash_token(token or "")).first()
        )
        if link is None or link.used_at is not None or link.expires_at <= now:
            return None
        link.used_at = now
        link.save(update_fields=["used_at"])
    return link


def usable_link(*, partner, token: str, now: datetime.datetime | None = None) -> SignInLink | None:
    """The link, if it could still be used (for the "Continue" page; nothing is spent)."""
    from bookings.models import hash_token

    now = now or timezone.now()
    return SignInLink.objects.filter(
        partner=partner, token_hash=hash_token(token or ""), used_at__isnull=True, expires_at__gt=now
    ).first()


# --- details ---------------------------------------------------------------------------------


def _hours_of(venue: Venue) -> list[list[tuple[datetime.time, datetime.time]]]:
    rows = OpeningHours.objects.filter(venue=venue).order_by("weekday", "opens")
    week = [[] for _ in range(7)]
    for row in rows:
        week[row.weekday].append((row.opens, row.closes))
    return week


def update_venue_details(
    *,
    venue: Venue,
    lead_email: str,
    hours: list[tuple[datetime.time, datetime.time] | None],
    help_offered: list[str],
    phone: str,
    website: str,
    address: str,
) -> list[str]:
    """Save what the lead changed and return the names of the fields that changed.

    `hours` has one entry a weekday, Monday first: None for closed, or (opens, closes), where a
    closing time not after the opening time runs past midnight and 00:00–00:00 is all day.
    """
    if len(hours) != 7:
        raise ValueError("One entry a weekday")
    codes = [code for code in HelpOffered.values if code in set(help_offered)]
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        changed = []
        values = {
            "phone": clean_text(phone)[:30],
            "website": clean_text(website)[:200],
            "address": clean_text(address)[:255],
        }
        for field, value in values.items():
            if getattr(locked, field) != value:
                setattr(locked, field, value)
                changed.append(field)
        if changed:
            locked.save(update_fields=changed)
        wanted = [[period] if period else [] for period in hours]
        if _hours_of(locked) != wanted:
            OpeningHours.objects.filter(venue=locked).delete()
            OpeningHours.objects.bulk_create(
                [
                    OpeningHours(venue=locked, weekday=day, opens=opens, closes=closes)
                    for day, periods in enumerate(wanted)
                    for opens, closes in periods
                ]
            )
            changed.append("opening_hours")
        have = list(VenueHelp.objects.filter(venue=locked).values_list("code", flat=True))
        if sorted(have) != sorted(codes):
            VenueHelp.objects.filter(venue=locked).delete()
            VenueHelp.objects.bulk_create([VenueHelp(venue=locked, code=code) for code in codes])
            changed.append("help_offered")
        if changed:
            log(locked, "venues.details_changed", data={"by": normalise_email(lead_email), "changed": changed})
            # Bulk writes send no signal: retire cached register pages once the change is visible.
            content_changed()
    for field in ("phone", "website", "address"):
        setattr(venue, field, getattr(locked, field))
    return changed


# --- pledge, listing, withdrawal ---------------------------------------------------------------


def agree_to_pledge(*, venue: Venue, lead_email: str, listed: bool) -> Venue:
    """The lead agrees to the pledge (and, if they choose, to be listed): with a valid certificate
    this accredits the venue and lists it, with no staff action."""
    today = timezone.localdate()
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        rejoining = not locked.agreed_to_pledge
        locked.agreed_to_pledge = True
        locked.agreed_to_be_listed = bool(listed)
        if rejoining:
            locked.pledge_agreed_on = today
            # A fresh agreement is a fresh confirmation: the yearly renewal counts from now
            # (refresh_accreditation sets it once the venue is accredited).
            locked.renewal_due_on = None
            locked.renewal_reminder_for = locked.renewal_reminder_days = None
        locked.withdrawn_on = None
        locked.save(
            update_fields=[
                "agreed_to_pledge", "agreed_to_be_listed", "pledge_agreed_on", "withdrawn_on", "renewal_due_on",
                "renewal_reminder_for", "renewal_reminder_days",
            ]
        )  # fmt: skip
        refresh_accreditation(venue=locked)
        log(locked, "venues.pledge_agreed", data={"by": normalise_email(lead_email), "listed": bool(listed)})
        content_changed()
    return locked


def withdraw_venue(*, venue: Venue, lead_email: str, today: datetime.date | None = None) -> Venue:
    """The venue leaves the scheme: off the register at once; the sticker page says since when."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        locked.agreed_to_pledge = False
        locked.agreed_to_be_listed = False
        locked.withdrawn_on = today
        locked.save(update_fields=["agreed_to_pledge", "agreed_to_be_listed", "withdrawn_on"])
        log(locked, "venues.withdrawn", data={"by": normalise_email(lead_email)})
        content_changed()
    return locked


def invite_to_pledge(*, certificate_id: int, today: datetime.date | None = None) -> bool:
    """After a venue's first certificate: email its holder a link to agree to the pledge and to be
    listed, once per venue, unless the venue already agreed to both. True if an email was sent."""
    from certificates.models import Certificate

    from .tasks import send_pledge_invitation

    today = today or timezone.localdate()
    with transaction.atomic():
        certificate = Certificate.objects.select_related("venue").get(pk=certificate_id)
        venue = Venue.objects.select_for_update().get(pk=certificate.venue_id)
        if venue.pledge_invitation_sent_on or venue.merged_into_id or venue.suspended:
            return False
        if venue.agreed_to_pledge and venue.agreed_to_be_listed:
            return False
        Venue.objects.filter(pk=venue.pk).update(pledge_invitation_sent_on=today)
        log(venue, "venues.pledge_invitation", data={"certificate": certificate.pk})
        transaction.on_commit(lambda: send_pledge_invitation.enqueue(certificate_id=certificate_id))
    return True


# --- renewal ---------------------------------------------------------------------------------


def confirm_renewal(*, venue: Venue, lead_email: str, today: datetime.date | None = None) -> Venue:
    """The lead re-confirms details, hours and the pledge: the next renewal date is set, and an
    overdue venue is listed again at once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Venue.objects.select_for_update().select_related("partner").get(pk=venue.pk)
        locked.renewed_on = today
        locked.renewal_due_on = renewal_date_from(today, partner=locked.partner)
        locked.renewal_reminder_for = locked.renewal_reminder_days = None
        locked.save(update_fields=["renewed_on", "renewal_due_on", "renewal_reminder_for", "renewal_reminder_days"])
        log(locked, "venues.renewed", data={"by": normalise_email(lead_email),
                                            "renewal_due_on": locked.renewal_due_on.isoformat()})  # fmt: skip
        content_changed()
    return locked


def _stage(days_left: int) -> int | None:
    if days_left <= 7:
        return 7
    if days_left <= 30:
        return 30
    return None


def backfill_renewal_dates(*, today: datetime.date) -> int:
    """Venues accredited before renewals existed get a date no sooner than 30 days away, so no one
    is unlisted without both reminders."""
    filled = 0
    for venue_id in (
        Venue.objects.accredited(today=today).filter(renewal_due_on__isnull=True).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            venue = Venue.objects.select_for_update().select_related("partner").get(pk=venue_id)
            if venue.renewal_due_on is not None:
                continue
            due = max(renewal_date_from(venue.pledge_agreed_on or today, partner=venue.partner),
                      today + datetime.timedelta(days=30))  # fmt: skip
            Venue.objects.filter(pk=venue.pk).update(renewal_due_on=due)
            log(venue, "venues.renewal_date_set", data={"renewal_due_on": due.isoformat()})
            filled += 1
    return filled


def send_renewal_reminders(*, today: datetime.date) -> int:
    """Email every lead of each venue whose renewal is 30 days, then 7 days, away (or overdue and
    not yet told at 7 days). Once per renewal date and stage, claimed under the venue's row lock,
    so a repeated run, or two hosts running at once, sends nothing twice. Returns venues reminded."""
    from .tasks import send_renewal_reminder

    backfill_renewal_dates(today=today)
    window = today + datetime.timedelta(days=max(REMINDER_STAGES))
    candidates = (
        (Venue.objects.accredited(today=today) | Venue.objects.renewal_overdue(today=today))
        .filter(renewal_due_on__isnull=False, renewal_due_on__lte=window)
        .values_list("pk", flat=True)
        .distinct()
    )
    reminded = 0
    for venue_id in sorted(candidates):
        with transaction.atomic():
            venue = Venue.objects.select_for_update().get(pk=venue_id)
            due = venue.renewal_due_on
            if due is None:
                continue
            stage = _stage((due - today).days)
            if stage is None:
                continue
            already = venue.renewal_reminder_for == due and venue.renewal_reminder_days is not None
            if already and venue.renewal_reminder_days <= stage:
                continue  # this stage (or the later one) was sent for this date
            Venue.objects.filter(pk=venue.pk).update(renewal_reminder_for=due, renewal_reminder_days=stage)
            log(venue, "venues.renewal_reminder", data={"renewal_due_on": due.isoformat(), "days": stage})
            transaction.on_commit(
                lambda venue_id=venue_id, due=due, stage=stage: send_renewal_reminder.enqueue(
                    venue_id=venue_id, renewal_due_on=due.isoformat(), stage=stage
                )
            )
            reminded += 1
    return reminded


# --- colleagues and contacts -------------------------------------------------------------------


def invite_colleague(*, venue: Venue, lead_email: str, email: str) -> None:
    """Email a colleague the partner's training page and next dates. The log keeps no address."""
    from .tasks import send_colleague_invite

    email = normalise_email(email)
    venue_id = venue.pk
    with transaction.atomic():
        log(venue, "venues.colleague_invited", data={"count": 1})
        transaction.on_commit(lambda: send_colleague_invite.enqueue(venue_id=venue_id, email=email))


def add_contact(*, venue: Venue, email: str, actor) -> VenueContact:
    """A coordinator lets someone else sign in for the venue (a manager, a second site lead)."""
    email = normalise_email(email)
    with transaction.atomic():
        contact, created = VenueContact.objects.get_or_create(venue=venue, email=email,
                                                              defaults={"added_by": actor})  # fmt: skip
        if created:
            log(venue, "venues.contact_added", user=actor, data={"contact": contact.pk})
    return contact


def remove_contact(*, contact: VenueContact, actor) -> None:
    with transaction.atomic():
        venue, pk = contact.venue, contact.pk
        contact.delete()
        log(venue, "venues.contact_removed", user=actor, data={"contact": pk})
