from django.core.management.base import BaseCommand
from django.utils import timezone

from helplog.services import purge_old_help


class Command(BaseCommand):
    help = (
        "Delete help-log rows older than each council's help_log_retention_months. "
        "Idempotent: safe to run daily from cron; a second run deletes nothing."
    )

    def handle(self, *args, **options):
        for slug, count in purge_old_help(today=timezone.localdate()).items():
            self.stdout.write(f"{slug}: {count} help-log rows deleted")
