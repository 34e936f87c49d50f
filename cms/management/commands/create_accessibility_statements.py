from django.core.management.base import BaseCommand, CommandError

from cms.models import Partner
from cms.services import create_accessibility_statement


class Command(BaseCommand):
    help = (
        "Give every partner that has none an accessibility statement page at /accessibility-statement/, "
        "from the standard template. Pages that exist are left as they are; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partner", action="append", default=[], help="Only this partner (name); repeatable.")

    def handle(self, *args, **options):
        partners = Partner.objects.select_related("site").order_by("name")
        if options["partner"]:
            partners = partners.filter(name__in=options["partner"])
            unknown = set(options["partner"]) - {partner.name for partner in partners}
            if unknown:
                raise CommandError(f"No partner called {', '.join(sorted(unknown))}.")
        for partner in partners:
            page = create_accessibility_statement(partner=partner)
            if page is None:
                self.stdout.write(f"{partner.name}: already has one, left as it is")
            else:
                self.stdout.write(f"{partner.name}: created /{page.url_path.split('/', 2)[-1]}")
