from django.core.management.base import BaseCommand

from bookings.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "Email confirmed attendees 24 hours and 1 hour before their session, with the joining link. "
        "Idempotent: run it from cron every few minutes; a reminder is never sent twice."
    )

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"Sent {sent['reminder_24h']} day-before and {sent['reminder_1h']} hour-before reminders.")
