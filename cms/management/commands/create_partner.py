from django.core.management.base import BaseCommand, CommandError

from cms.postcodes import invalid_postcode_message, normalise_uk_postcode
from cms.services import create_partner


class Command(BaseCommand):
    help = "Start a new partner council: Site, home page, groups and branding, in one step."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Council name, e.g. 'Tunbridge Wells'.")
        parser.add_argument("--host", required=True, help="Host name the site answers on.")
        parser.add_argument("--organisation", default="", help="Delivery organisation.")
        parser.add_argument("--email", required=True, help="Partner contact email (organiser on invites).")
        parser.add_argument(
            "--example-postcode", default="", help="A real postcode in the area, the example on forms, e.g. TN1 1YS."
        )
        parser.add_argument(
            "--knowledge-check-reminder-days",
            type=int,
            default=3,
            help="Days after the knowledge-check email before one reminder (0: none).",
        )
        parser.add_argument("--port", type=int, default=80)
        parser.add_argument("--colour", default="#1d70b8", help="Brand colour (#rrggbb).")
        parser.add_argument("--area", action="append", default=[], help="An area of the scheme; repeat for more.")

    def handle(self, *args, **options):
        if options["example_postcode"] and normalise_uk_postcode(options["example_postcode"]) is None:
            raise CommandError(f"--example-postcode: {invalid_postcode_message()}, like TN1 1YS.")
        setup = create_partner(
            name=options["name"],
            host=options["host"],
            organisation=options["organisation"],
            contact_email=options["email"],
            example_postcode=options["example_postcode"],
            knowledge_check_nudge_days=max(options["knowledge_check_reminder_days"], 0),
            port=options["port"],
            brand_colour=options["colour"],
            areas=tuple(options["area"]),
        )
        verb = "Created" if setup.created else "Already exists:"
        self.stdout.write(f"{verb} {setup.partner} at http://{setup.partner.site.hostname}/")
