from django.core.management.base import BaseCommand

from bookings.attendance import send_knowledge_check_nudges
from bookings.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "Email confirmed attendees 24 hours and 1 hour before their session, with the joining link, and "
        "remind attendees who have not passed the knowledge check once, after the partner's number of days. "
        "Idempotent: run it from cron every few minutes; no reminder is ever sent twice."
    )

    def handle(self, *args, **options):
        sent = send_due_reminders()
        nudged = send_knowledge_check_nudges()
        self.stdout.write(
            f"Sent {sent['reminder_24h']} day-before and {sent['reminder_1h']} hour-before reminders, "
            f"and {nudged} knowledge-check {'reminder' if nudged == 1 else 'reminders'}."
        )
