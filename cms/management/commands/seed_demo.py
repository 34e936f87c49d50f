from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


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
        # Each app seeds its own data from <app>/demo.py, in INSTALLED_APPS order (cms first),
        # so this command never has to import a higher app by name.
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(stdout=self.stdout, options=options)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
