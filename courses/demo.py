"""Demo training pages. Called by `manage.py seed_demo` after cms has made the partners."""

from cms.models import Partner

from .models import TrainingIndexPage


def seed(*, stdout, options):
    for partner in Partner.objects.select_related("site__root_page"):
        home = partner.site.root_page
        if not home.get_children().filter(slug="training").exists():
            home.add_child(
                instance=TrainingIndexPage(
                    title="Training",
                    slug="training",
                    show_in_menus=True,
                    intro="Free 90-minute online workshops for venue staff, and networking events for Safe Havens.",
                )
            )
