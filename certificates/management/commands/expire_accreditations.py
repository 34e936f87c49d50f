from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates.services import expire_accreditations
from venues.services import send_renewal_reminders
from visits.services import suspend_overdue_refreshers


class Command(BaseCommand):
    help = (
        "Mark certificates past their expiry as expired, refresh venue accreditation, send reminders "
        "30 days before a venue's last certificate expires, and renewal reminders 30 and 7 days before a "
        "venue's yearly check is due, and suspend venues that failed a visit and had no one complete the "
        "refresher by its deadline. Idempotent: safe to run from cron often, and on two hosts at once."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        result = expire_accreditations(today=today)
        renewals = send_renewal_reminders(today=today)
        refreshers = suspend_overdue_refreshers(today=today)
        self.stdout.write(
            f"{result['certificates_expired']} certificate(s) expired, {result['venues_refreshed']} venue(s) "
            f"refreshed, {result['reminders']} reminder(s) sent, {renewals} renewal reminder(s) sent."
        )
        self.stdout.write(f"{refreshers} venue(s) suspended for a refresher not done after a failed visit.")
