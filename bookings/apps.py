from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Sessions and bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import open_data  # noqa: F401 - registers the calendar feed for the background rebuild
