from django.core.management.base import BaseCommand, CommandError

from cms.models import User
from cms.two_factor import ENROLMENT_LINK_LIFETIME, enrolment_url, issue_enrolment


class Command(BaseCommand):
    help = (
        "Print a one-time link that lets a staff member set up two-factor sign-in (for someone whose "
        "email cannot be used, or a replaced phone). Earlier unused links for them stop working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="Username of the superuser issuing the link (for the log).")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        issuer = User.objects.filter(username=options["by"], is_superuser=True, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user called {options['username']!r}.")
        if issuer is None:
            raise CommandError(f"{options['by']!r} is not an active superuser.")
        url = enrolment_url(issue_enrolment(user=user, issued_by=issuer))
        hours = int(ENROLMENT_LINK_LIFETIME.total_seconds() // 3600)
        self.stdout.write(
            f"Give {user.get_username()} this link; it works once, within {hours} hour(s), once signed in:"
        )
        self.stdout.write(url)
