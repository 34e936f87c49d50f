from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.models import CoursePage
from courses.packages import dump_package, export_course_package


class Command(BaseCommand):
    help = "Write a course (by page id or slug) as a course package (JSON) to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("course", help="The course page's id, or its slug (with --site if several sites use it).")
        parser.add_argument("--output", "-o", help="File to write; standard output when left out.")
        parser.add_argument("--site", help="Hostname of the site whose course to export, when a slug is ambiguous.")

    def handle(self, *args, course, output=None, site=None, **options):
        page = self._find(course, site)
        data = dump_package(export_course_package(page))
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(f"Wrote “{page.title}” ({len(data):,} bytes) to {output}.")
        else:
            self.stdout.write(data.decode("utf-8"))

    def _find(self, course: str, site: str | None) -> CoursePage:
        pages = (
            CoursePage.objects.filter(pk=int(course)) if course.isdigit() else CoursePage.objects.filter(slug=course)
        )
        if site:
            pages = [page for page in pages if page.get_site() and page.get_site().hostname == site]
        pages = list(pages)
        if not pages:
            raise CommandError(f"No course found with id or slug {course!r}.")
        if len(pages) > 1:
            hosts = ", ".join(sorted(page.get_site().hostname for page in pages if page.get_site()))
            raise CommandError(
                f"Several courses have the slug {course!r} (sites: {hosts}); add --site HOST or use the id."
            )
        return pages[0]
