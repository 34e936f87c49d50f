from django.core.management.base import BaseCommand
from django.db import transaction

import demo.bookings
import demo.certificates
import demo.cms
import demo.courses
from bench import volume


class Command(BaseCommand):
    help = (
        "Load the demo: Barking and Dagenham at localhost, Tunbridge Wells at tunbridgewells.localhost. "
        "Safe to run again; it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--venues", type=int, default=0, help="Extra accredited venues (benchmarks).")
        parser.add_argument("--sessions", type=int, default=0, help="Extra sessions (benchmarks).")
        parser.add_argument("--bookings", type=int, default=0, help="Extra bookings (benchmarks).")

    def handle(self, *args, **options):
        # Lowest app first: each step builds on the one before (partners, then their course pages,
        # then sessions on those pages, then certificates from those courses).
        with transaction.atomic():
            demo.cms.seed(stdout=self.stdout)
        with transaction.atomic():
            demo.courses.seed(stdout=self.stdout)
        with transaction.atomic():
            demo.bookings.seed(stdout=self.stdout)
            if options["sessions"] or options["bookings"]:
                volume.seed_sessions(
                    stdout=self.stdout, extra_sessions=options["sessions"], extra_bookings=options["bookings"]
                )
        with transaction.atomic():
            demo.certificates.seed(stdout=self.stdout)
            if options["venues"]:
                volume.seed_venues(count=options["venues"])
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
