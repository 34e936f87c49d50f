"""Bookings as personal data: subject access, erasure and retention (see cms.privacy).

Erasure and purging anonymise a booking rather than delete it, so a session's booked,
attended and completed counts stay right. An erased person's active bookings for sessions still
to come are cancelled first, without an email (they asked to be forgotten), and the place goes
to the first person waiting.
"""

import datetime
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from cms.privacy import ERASED_DOMAIN, ERASED_NAME, erased_email, forget_log_labels

from .models import Booking, BookingToken, hash_token
from .places import places_changed
from .services import lock_session, promote_from_waiting_list

FIELDS = [
    "name", "email", "organisation", "venue_type", "postcode", "phone", "access_needs", "consent", "status",
    "created_at", "confirmed_at", "cancelled_at", "attended", "attendance_note", "checked_in_at",
    "knowledge_check_taken_at", "knowledge_check_passed_at", "completed_at",
]  # fmt: skip


def not_erased():
    return ~Q(email__endswith="@" + ERASED_DOMAIN)


def anonymise(queryset) -> int:
    """Strip a person from bookings; what they booked, when, and whether they attended stays."""
    count, erased = 0, []
    for booking in queryset.filter(not_erased()).select_for_update():
        booking.name = ERASED_NAME
        booking.email = erased_email(booking.pk)
        booking.phone = ""
        booking.access_needs = ""
        booking.attendance_note = ""
        booking.token_hash = hash_token(secrets.token_urlsafe(32))  # manage links stop working
        booking.stripe_checkout_url = ""
        booking.save(
            update_fields=["name", "email", "phone", "access_needs", "attendance_note", "token_hash",
                           "stripe_checkout_url"]
        )  # fmt: skip
        BookingToken.objects.filter(booking=booking).delete()
        erased.append(str(booking.pk))
        count += 1
    forget_log_labels(Booking, erased)
    return count


class Bookings:
    key = "bookings"

    def collect(self, *, partner, email):
        rows = (
            Booking.objects.filter(partner=partner, email__iexact=email)
            .select_related("session__page")
            .order_by("created_at", "pk")
        )
        return [
            {
                "session": booking.session.page.title,
                "session_starts": booking.session.starts_at,
                **{field: getattr(booking, field) for field in FIELDS},
            }
            for booking in rows
        ]

    def erase(self, *, partner, email, actor=None):
        now = timezone.now()
        with transaction.atomic():
            rows = Booking.objects.filter(partner=partner, email__iexact=email)
            for booking in rows.filter(status__in=Booking.ACTIVE, session__starts_at__gt=now):
                lock_session(booking.session_id)
                held_place = booking.status in Booking.HOLDS_PLACE
                Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED, cancelled_at=now)
                places_changed()  # .update() sends no save signal
                if held_place:
                    promote_from_waiting_list(session=booking.session, actor=actor, now=now)
            ids = list(rows.values_list("pk", flat=True))
            count = anonymise(Booking.objects.filter(pk__in=ids))
            for booking in Booking.objects.filter(pk__in=ids):
                log(booking, "bookings.erase", user=actor)
        return count

    def purge(self, *, now, retention):
        def ended_before(days):
            return Q(session__ends_at__lt=now - datetime.timedelta(days=days))

        never_attended = Q(status__in=[Booking.Status.CANCELLED, Booking.Status.EXPIRED, Booking.Status.WAITING])
        no_show = Q(status=Booking.Status.CONFIRMED) & (Q(attended=False) | Q(attended__isnull=True))
        attended = Q(status=Booking.Status.CONFIRMED, attended=True)
        return {
            "cancelled_bookings": anonymise(
                Booking.objects.filter(never_attended & ended_before(retention["cancelled_bookings_days"]))
            ),
            "no_show_bookings": anonymise(
                Booking.objects.filter(no_show & ended_before(retention["no_show_bookings_days"]))
            ),
            "attended_bookings": anonymise(
                Booking.objects.filter(attended & ended_before(retention["attended_bookings_days"]))
            ),
        }
