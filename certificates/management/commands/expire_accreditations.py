from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates.services import expire_accreditations


class Command(BaseCommand):
    help = (
        "Mark certificates past their expiry as expired, refresh venue accreditation and send reminders "
        "30 days before a venue's last certificate expires. Idempotent: safe to run from cron often."
    )

    def handle(self, *args, **options):
        result = expire_accreditations(today=timezone.localdate())
        self.stdout.write(
            f"{result['certificates_expired']} certificate(s) expired, {result['venues_refreshed']} venue(s) "
            f"refreshed, {result['reminders']} reminder(s) sent."
        )
