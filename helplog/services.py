"""Recording help given, the shared links for staff on shift, and the retention purge.

Every write logs a Wagtail entry against the venue with no actor (a venue's lead is not a Django
user) and never the note: the audit trail says that help was recorded, how, and of which kinds.
"""

import datetime
import re
import secrets

from django.db import transaction
from wagtail.log_actions import log

from bookings.models import hash_token
from certificates.models import Venue
from cms.models import Partner
from cms.sanitise import clean_text

from .exceptions import HelpLogError, NotePersonalData
from .models import HelpGiven, HelpGivenKind, HelpKind, HelpLogLink, TimeBand, Via

DAYS_BACK = 31  # how far back help may be recorded: memory of the night fades, and so does its use

EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]{2,}")
EMAIL_SPELT_OUT = re.compile(
    r"\b\S+\s*(?:\(at\)|\[at\]| at )\s*\S+\s*(?:\(dot\)|\[dot\]| dot )\s*(?:com|org|net|uk|co)\b", re.IGNORECASE
)
# A run of digits with the separators people type in phone numbers: spaces, dashes, dots, brackets.
NUMBER = re.compile(r"(?<![\w+])(\+|\(?00)?\(?\d[\d \-.()]{6,}\d")
# A full UK postcode, with or without the space (SW1A 1AA, TN1 1YS, m11ae).
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.IGNORECASE)

REMOVE_EMAIL = "Remove the email address: the log must not hold anything that could identify someone"
REMOVE_PHONE = "Remove the phone number: the log must not hold anything that could identify someone"
REMOVE_POSTCODE = "Remove the postcode: the log must not hold anything that could identify someone or where they live"


def _is_phone(candidate: str) -> bool:
    """Ten or more digits (a UK number has 10 or 11 with its 0), or an international number."""
    digits = re.sub(r"\D", "", candidate)
    if candidate.lstrip("(").startswith(("+", "00")):
        return len(digits) >= 9
    return len(digits) >= 10


def personal_data_in(note: str) -> str | None:
    """Why the note cannot be kept (it looks like it holds an email address, a phone number or a
    postcode), or None. Short helpline numbers (999, 101, 111, 0800 1111) are not personal and pass."""
    if EMAIL.search(note) or EMAIL_SPELT_OUT.search(note):
        return REMOVE_EMAIL
    if any(_is_phone(match.group(0)) for match in NUMBER.finditer(note)):
        return REMOVE_PHONE
    if POSTCODE.search(note):
        return REMOVE_POSTCODE
    return None


def earliest_day(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=DAYS_BACK)


def record_help(*, venue: Venue, day: datetime.date, time_band: str, kinds, signposted_to=(), note: str = "",
                via: str, today: datetime.date) -> HelpGiven:  # fmt: skip
    """Record one occasion of help at `venue`. Choosing a service to signpost to counts as the
    "signposted" kind of help, so the two never disagree."""
    kinds = {str(kind) for kind in kinds}
    services = list(signposted_to)
    if services:
        kinds.add(HelpKind.SIGNPOSTED)
    if not kinds or not kinds <= set(HelpKind.values):
        raise HelpLogError("Select the help you gave")
    if time_band not in TimeBand.values or via not in Via.values:
        raise HelpLogError("Select when you helped")
    if day > today:
        raise HelpLogError("The day you helped must be today or in the past")
    if day < earliest_day(today):
        raise HelpLogError(f"You can record help given in the last {DAYS_BACK} days only")
    if any(service.partner_id != venue.partner_id for service in services):
        raise HelpLogError("Choose a service from the council's list")
    note = clean_text(note)[:500]
    problem = personal_data_in(note)
    if problem:
        raise NotePersonalData(problem)
    with transaction.atomic():
        help_given = HelpGiven.objects.create(
            partner_id=venue.partner_id, venue=venue, day=day, time_band=time_band, note=note, via=via, created_on=today
        )
        HelpGivenKind.objects.bulk_create([HelpGivenKind(help_given=help_given, code=code) for code in sorted(kinds)])
        help_given.signposted_to.set(services)
        log(venue, "helplog.recorded", user=None, data={"kinds": sorted(kinds), "via": via})
    return help_given


# --- the link for staff on shift ------------------------------------------------------------------


def create_link(*, venue: Venue, today: datetime.date) -> str:
    """A new shared link for `venue`, revoking the one before. Returns the raw token, which is
    never stored: the lead copies it now or makes another."""
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        _revoke(locked, today=today)
        link = HelpLogLink.objects.create(venue=locked, token_hash=hash_token(token), created_on=today)
        log(locked, "helplog.link_created", user=None, data={"link": link.pk})
    return token


def revoke_link(*, venue: Venue, today: datetime.date) -> int:
    """Stop the venue's shared link working. Returns how many were live (0 or 1)."""
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        return _revoke(locked, today=today)


def _revoke(venue: Venue, *, today: datetime.date) -> int:
    revoked = 0
    for link in HelpLogLink.objects.usable().filter(venue=venue):
        link.revoked_on = today
        link.save(update_fields=["revoked_on"])
        log(venue, "helplog.link_revoked", user=None, data={"link": link.pk})
        revoked += 1
    return revoked


def venue_for_link(*, partner: Partner, token: str) -> Venue | None:
    """The venue a live link records for, on this partner's site only; None for anything else,
    including a venue that has left the scheme (its staff are no longer a Safe Haven's)."""
    if not token or len(token) > 100:
        return None
    link = (
        HelpLogLink.objects.usable()
        .filter(token_hash=hash_token(token), venue__partner=partner, venue__merged_into__isnull=True)
        .exclude(venue__withdrawn_on__isnull=False, venue__agreed_to_pledge=False)
        .select_related("venue__partner")
        .first()
    )
    return link.venue if link else None


# --- retention ------------------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    import calendar

    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def purge_old_help(*, today: datetime.date) -> dict[str, int]:
    """Delete each partner's rows older than its `help_log_retention_months`. Idempotent: a second
    run on the same day finds nothing to delete. Returns the number deleted per partner slug."""
    counts = {}
    for partner in Partner.objects.order_by("pk"):
        cutoff = months_before(today, partner.help_log_retention_months)
        with transaction.atomic():
            old = HelpGiven.objects.filter(partner=partner, day__lt=cutoff)
            count = old.count()
            if count:
                old.delete()
                log(partner, "helplog.purged", user=None, data={"rows": count, "before": cutoff.isoformat()})
        counts[partner.slug] = count
    return counts
