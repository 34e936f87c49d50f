from django.core.management.base import BaseCommand

from bookings.services import release_expired_holds


class Command(BaseCommand):
    help = (
        "Release places held for Stripe payments whose time ran out, in case the webhook never arrived, "
        "and offer them to the waiting list. Idempotent: run it from cron every few minutes."
    )

    def handle(self, *args, **options):
        released = release_expired_holds()
        self.stdout.write(f"Released {released} expired payment hold{'s' if released != 1 else ''}.")
