from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.models import Partner
from courses.exceptions import CoursePackageError
from courses.packages import import_course_package, package_max_bytes


class Command(BaseCommand):
    help = "Create a course from a course package under a site's /training/ page, as a draft."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The course package (.json).")
        parser.add_argument("--site", required=True, help="Hostname of the partner's site, e.g. localhost.")

    def handle(self, *args, file, site, **options):
        partner = Partner.objects.filter(site__hostname=site).select_related("site").first()
        if partner is None:
            raise CommandError(f"No partner site has the hostname {site!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} is not a file.")
        limit = package_max_bytes()
        if path.stat().st_size > limit:
            raise CommandError(f"The package is {path.stat().st_size:,} bytes; the limit is {limit:,} bytes.")
        try:
            course = import_course_package(data=path.read_bytes(), partner=partner)
        except CoursePackageError as error:
            raise CommandError(f"Course package refused: {error} Nothing was imported.") from error
        self.stdout.write(
            f"Imported “{course.title}” as a draft at {course.url_path} (page {course.pk}) for {partner.name}; "
            "publish it in the admin when it is ready."
        )
