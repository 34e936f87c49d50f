from django.db import migrations
from django.db.models import OuterRef, Subquery

# Page types that carry a price (courses.models.BookablePage); sessions of any other page are free.
PRICED_PAGES = [("courses", "CoursePage"), ("courses", "NetworkingEventPage")]


def copy_prices(apps, schema_editor):
    """Each existing session takes its page's price as it is now, as a new session would."""
    Session = apps.get_model("bookings", "Session")
    for app_label, model_name in PRICED_PAGES:
        Page = apps.get_model(app_label, model_name)
        pages = Page.objects.filter(pk=OuterRef("page_id"))
        Session.objects.filter(page_id__in=Page.objects.values("pk")).update(price=Subquery(pages.values("price")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0007_session_price"),
        ("courses", "0003_modules_knowledge_check_event_details"),
    ]

    operations = [migrations.RunPython(copy_prices, migrations.RunPython.noop)]
