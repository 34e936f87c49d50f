"""Operations on certificates and venues: issuing, revoking, accrediting, suspending, merging.

Every state change takes the row lock it needs, writes a Wagtail log entry and schedules email
after commit, so the admin, the bookings attendance register and cron all share one rule.
"""

import calendar
import contextlib
import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import log

from cms.choices import VenueType
from cms.content_version import content_changed
from cms.sanitise import clean_text

from .exceptions import AlreadyRevoked, CannotMergeVenue
from .models import (
    Certificate,
    OpeningHours,
    Venue,
    VenueHelp,
    new_verification_code,
    normalise_postcode,
    normalise_venue_name,
)
from .postcodes import UnknownPostcode, locate_postcode

logger = logging.getLogger(__name__)

REMINDER_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def renewal_date_from(day: datetime.date, *, partner) -> datetime.date:
    """The next renewal date: the partner's renewal period (default 12 months) after `day`."""
    return add_months(day, partner.renewal_months or 12)


def issue_certificate(
    *,
    partner,
    course_page,
    holder_name: str,
    holder_email: str,
    organisation: str,
    postcode: str,
    venue_type: str,
    completion_key: str,
    actor=None,
    agreed_to_pledge: bool = False,
    agreed_to_be_listed: bool = False,
    notify: bool = True,
) -> Certificate:
    """Certify one completion, once: the same `completion_key` always returns the same certificate.

    `completion_key` names what was completed (e.g. "booking:123") and is unique in the database,
    so attendance saved twice, or by two trainers at once, yields one certificate and one email.
    The certificate is linked to the venue found by organisation name and postcode (created,
    unlisted and without the pledge, when new) and the venue's accreditation is recomputed.
    """
    existing = Certificate.objects.filter(completion_key=completion_key).first()
    if existing:
        return existing
    issued_on = timezone.localdate()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                venue = _find_or_create_venue(
                    partner=partner, organisation=organisation, postcode=postcode, venue_type=venue_type
                )
                _record_consents(venue=venue, pledge=agreed_to_pledge, listed=agreed_to_be_listed)
                certificate = Certificate.objects.create(
                    partner=partner,
                    course_page=course_page,
                    holder_name=clean_text(holder_name).strip(),
                    holder_email=holder_email.strip(),
                    venue=venue,
                    code=new_verification_code(),
                    issued_on=issued_on,
                    expires_on=add_months(issued_on, partner.certificate_validity_months or 12),
                    completion_key=completion_key,
                )
                refresh_accreditation(venue=venue)
                log(certificate, "certificates.issue", user=actor, data={"completion_key": completion_key})
                if notify:
                    _send_certificate_on_commit(certificate)
            return certificate
        except IntegrityError:
            # Another transaction certified this completion first (the unique completion_key);
            # otherwise a verification code or venue slug collided, and a retry draws again.
            existing = Certificate.objects.filter(completion_key=completion_key).first()
            if existing:
                return existing
    raise IntegrityError(f"Could not issue a certificate for {completion_key}")


def _find_or_create_venue(*, partner, organisation: str, postcode: str, venue_type: str) -> Venue:
    name = clean_text(organisation).strip() or "Unnamed venue"
    match_name = normalise_venue_name(name)
    postcode = normalise_postcode(postcode)
    if venue_type not in VenueType.values:
        venue_type = VenueType.OTHER
    defaults = {"name": name, "venue_type": venue_type, "slug": _free_slug(partner, name, postcode)}
    with contextlib.suppress(UnknownPostcode):
        defaults["latitude"], defaults["longitude"] = locate_postcode(postcode)
    venue, _created = Venue.objects.get_or_create(
        partner=partner, match_name=match_name, postcode=postcode, defaults=defaults
    )
    seen = set()
    while venue.merged_into_id and venue.pk not in seen:  # a merged duplicate stands for its survivor
        seen.add(venue.pk)
        venue = venue.merged_into
    return venue


def _free_slug(partner, name: str, postcode: str) -> str:
    base = slugify(name)[:60] or "venue"
    taken = set(Venue.objects.filter(partner=partner, slug__startswith=base).values_list("slug", flat=True))
    candidates = [base, f"{base}-{slugify(postcode.split(' ')[0])}"] + [f"{base}-{n}" for n in range(2, 1000)]
    return next(slug for slug in candidates if slug not in taken)


def _record_consents(*, venue: Venue, pledge: bool, listed: bool) -> None:
    """A completion can carry the venue's agreement; it never withdraws one."""
    changes = {}
    if pledge and not venue.agreed_to_pledge:
        changes.update(agreed_to_pledge=True, pledge_agreed_on=timezone.localdate())
    if listed and not venue.agreed_to_be_listed:
        changes["agreed_to_be_listed"] = True
    if changes:
        Venue.objects.filter(pk=venue.pk).update(**changes)
        for field, value in changes.items():
            setattr(venue, field, value)


def _send_certificate_on_commit(certificate: Certificate) -> None:
    from .tasks import send_certificate

    certificate_id = certificate.pk
    transaction.on_commit(lambda: send_certificate.enqueue(certificate_id=certificate_id))


def refresh_accreditation(*, venue: Venue) -> Venue:
    """Recompute `accredited_until` (latest expiry of valid certificates) and sticker-pack due.

    Denormalised so the public register is a single indexed filter; it lapses by itself because
    readers compare it with today.
    """
    with transaction.atomic():
        locked = Venue.objects.select_for_update().get(pk=venue.pk)
        until = locked.certificates.filter(status=Certificate.Status.VALID).aggregate(m=Max("expires_on"))["m"]
        changes = {}
        if locked.accredited_until != until:
            changes["accredited_until"] = until
        if locked.agreed_to_pledge and not locked.pledge_agreed_on:
            changes["pledge_agreed_on"] = timezone.localdate()
        locked.accredited_until = until
        today = timezone.localdate()
        if locked.renewal_due_on is None and locked.is_accredited(today):
            # First accredited: the yearly re-confirmation counts from today.
            changes["renewal_due_on"] = renewal_date_from(today, partner=locked.partner)
            locked.renewal_due_on = changes["renewal_due_on"]
        if locked.sticker_pack == Venue.StickerPack.NOT_DUE and locked.is_accredited(today):
            changes["sticker_pack"] = Venue.StickerPack.TO_SEND
        if changes:
            Venue.objects.filter(pk=locked.pk).update(**changes)
            # .update() sends no save signal: public pages and open data must still see the change.
            content_changed()
            for field, value in changes.items():
                setattr(locked, field, value)
                setattr(venue, field, value)
    return venue


def revoke_certificate(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Withdraw a certificate (issued in error, misconduct): verification shows it revoked."""
    reason = clean_text(reason).strip()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == Certificate.Status.REVOKED:
            raise AlreadyRevoked("This certificate has already been revoked.")
        locked.status = Certificate.Status.REVOKED
        locked.revoked_reason = reason
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["status", "revoked_reason", "revoked_at"])
        refresh_accreditation(venue=locked.venue)
        log(locked, "certificates.revoke", user=actor, data={"reason": reason})
    return locked


def resend_certificate(*, certificate: Certificate, actor) -> None:
    """Email the certificate PDF to its holder again (lost email, new address corrected by staff)."""
    with transaction.atomic():
        log(certificate, "certificates.resend", user=actor)
        _send_certificate_on_commit(certificate)


def suspend_venue(*, venue: Venue, reason: str, actor) -> Venue:
    """Take a venue out of the register at once, whatever its certificates say."""
    reason = clean_text(reason).strip()
    with transaction.atomic():
        today = timezone.localdate()
        # A suspension is the caller's own: one that must be lifted by hand (the visits rule marks
        # its automatic ones afterwards).
        Venue.objects.select_for_update().filter(pk=venue.pk).update(
            suspended=True, suspended_reason=reason, suspended_on=today, suspended_automatically=False
        )
        venue.suspended, venue.suspended_reason, venue.suspended_on = True, reason, today
        log(venue, "certificates.venue_suspend", user=actor, data={"reason": reason})
        # .update() sends no save signal: public pages and open data must still see the change.
        content_changed()
    return venue


def unsuspend_venue(*, venue: Venue, actor) -> Venue:
    with transaction.atomic():
        Venue.objects.select_for_update().filter(pk=venue.pk).update(
            suspended=False, suspended_reason="", suspended_on=None, suspended_automatically=False
        )
        venue.suspended, venue.suspended_reason, venue.suspended_on = False, "", None
        venue.suspended_automatically = False
        refresh_accreditation(venue=venue)
        log(venue, "certificates.venue_unsuspend", user=actor)
        # .update() sends no save signal: public pages and open data must still see the change.
        content_changed()
    return venue


def record_sticker_pack_sent(*, venue: Venue, sent_on: datetime.date, actor) -> Venue:
    with transaction.atomic():
        Venue.objects.select_for_update().filter(pk=venue.pk).update(
            sticker_pack=Venue.StickerPack.SENT, sticker_pack_sent_on=sent_on
        )
        venue.sticker_pack, venue.sticker_pack_sent_on = Venue.StickerPack.SENT, sent_on
        log(venue, "certificates.sticker_pack_sent", user=actor, data={"sent_on": sent_on.isoformat()})
        # .update() sends no save signal: public pages and open data must still see the change.
        content_changed()
    return venue


def merge_venues(*, keep: Venue, duplicate: Venue, actor) -> Venue:
    """Fold a duplicate venue into `keep`: certificates move, gaps in details are filled.

    The duplicate stays as an unlisted alias pointing at `keep`, so a later booking with the
    duplicate's spelling finds the right venue.
    """
    if keep.pk == duplicate.pk:
        raise CannotMergeVenue("Choose a different venue to merge.")
    if keep.partner_id != duplicate.partner_id:
        raise CannotMergeVenue("Venues of different partners cannot be merged.")
    with transaction.atomic():
        locked = {v.pk: v for v in Venue.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk])}
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        if duplicate.merged_into_id or keep.merged_into_id:
            raise CannotMergeVenue("One of these venues has already been merged.")
        duplicate.certificates.update(venue=keep)
        for field in ("address", "phone", "website", "latitude", "longitude", "area_id"):
            if getattr(keep, field) in ("", None) and getattr(duplicate, field) not in ("", None):
                setattr(keep, field, getattr(duplicate, field))
        if duplicate.agreed_to_pledge and not keep.agreed_to_pledge:
            keep.agreed_to_pledge, keep.pledge_agreed_on = True, duplicate.pledge_agreed_on
        keep.agreed_to_be_listed = keep.agreed_to_be_listed or duplicate.agreed_to_be_listed
        if duplicate.sticker_pack == Venue.StickerPack.SENT and keep.sticker_pack != Venue.StickerPack.SENT:
            keep.sticker_pack, keep.sticker_pack_sent_on = Venue.StickerPack.SENT, duplicate.sticker_pack_sent_on
        keep.save()
        if not OpeningHours.objects.filter(venue=keep).exists():
            OpeningHours.objects.filter(venue=duplicate).update(venue=keep)
        have = set(VenueHelp.objects.filter(venue=keep).values_list("code", flat=True))
        extra = VenueHelp.objects.filter(venue=duplicate).exclude(code__in=have).values_list("code", flat=True)
        VenueHelp.objects.bulk_create([VenueHelp(venue=keep, code=code) for code in extra])
        Venue.objects.filter(pk=duplicate.pk).update(merged_into=keep, agreed_to_be_listed=False, accredited_until=None)
        refresh_accreditation(venue=keep)
        log(keep, "certificates.venue_merge", user=actor, data={"duplicate": duplicate.pk, "name": duplicate.name})
        log(duplicate, "certificates.venue_merged_into", user=actor, data={"keep": keep.pk, "name": keep.name})
    return keep


def expire_accreditations(*, today: datetime.date) -> dict[str, int]:
    """Daily housekeeping, safe to repeat: expire certificates, refresh venues, send reminders.

    Each venue whose certificates expire gets one log entry (no user: cron did it) naming them.

    A reminder goes to the holders of a venue's valid certificates once per `accredited_until`
    date, from 30 days before it; a renewal moves the date and so allows the next reminder.
    """
    from .tasks import send_expiry_reminder

    past_expiry = Certificate.objects.filter(status=Certificate.Status.VALID, expires_on__lt=today)
    expired = refreshed = 0
    for venue_id in sorted(set(past_expiry.values_list("venue_id", flat=True))):
        with transaction.atomic():
            # Certificates before the venue, the order revoke_certificate locks them in.
            ids = list(past_expiry.select_for_update().filter(venue_id=venue_id).values_list("pk", flat=True))
            if not ids:
                continue  # expired (or revoked) by someone else since the list was read
            Certificate.objects.filter(pk__in=ids).update(status=Certificate.Status.EXPIRED)
            venue = refresh_accreditation(venue=Venue.objects.get(pk=venue_id))
            until = venue.accredited_until
            log(
                venue,
                "certificates.expire",
                data={"certificates": sorted(ids), "accredited_until": until.isoformat() if until else None},
            )
        expired += len(ids)
        refreshed += 1

    reminded = 0
    due = Venue.objects.accredited(today=today).filter(
        accredited_until__lte=today + datetime.timedelta(days=REMINDER_DAYS)
    )
    for venue_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            venue = Venue.objects.select_for_update().get(pk=venue_id)
            if venue.expiry_reminder_sent_for == venue.accredited_until:
                continue
            venue.expiry_reminder_sent_for = venue.accredited_until
            venue.save(update_fields=["expiry_reminder_sent_for"])
            log(venue, "certificates.expiry_reminder", data={"accredited_until": venue.accredited_until.isoformat()})
            transaction.on_commit(lambda venue_id=venue_id: send_expiry_reminder.enqueue(venue_id=venue_id))
            reminded += 1
    return {"certificates_expired": expired, "venues_refreshed": refreshed, "reminders": reminded}
