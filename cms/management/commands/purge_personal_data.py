from django.core.management.base import BaseCommand

from cms.privacy import purge_personal_data, retention_schedule


class Command(BaseCommand):
    help = (
        "Anonymise personal data past the retention schedule in settings.PERSONAL_DATA_RETENTION. "
        "Idempotent: safe to run daily from cron; a second run changes nothing."
    )

    def handle(self, *args, **options):
        counts = purge_personal_data()
        schedule = ", ".join(f"{key}={value}" for key, value in retention_schedule().items())
        self.stdout.write(f"Retention (days): {schedule}")
        for key, count in counts.items():
            self.stdout.write(f"{key}: {count} anonymised")
